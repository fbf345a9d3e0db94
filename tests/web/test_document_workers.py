"""The document page and the API's document and task details are computed in a query worker
(issue #17, item 6): the server process does not read the store for them, a time limit gives
the site's error, and a query past a worker's memory ceiling is said (K214) without taking the
service down."""

from __future__ import annotations

import time

import pytest

from kg.network.profiles import list_documents
from kg.query.fairshare import FairShare
from web import create_app

from ..kg.query.test_pool_memory import literal_of

FULL = "国发〔2019〕3号"


def _first_document(store) -> str:
    return next(d["key"] for d in list_documents(store) if d["identifier"] == FULL)


def _paths(store) -> list[str]:
    key = _first_document(store)
    return [f"/doc/{key}", f"/doc/{key}?format=csv", "/doc/国发[2019]3号", "/doc/国发［2019］3号", "/doc/no-such-document",
            "/doc/%FF", f"/api/documents/{FULL}", f"/api/documents/{key}", "/api/documents/no-such-document",
            f"/api/tasks/{FULL}/1", f"/api/tasks/{key}/2", f"/api/tasks/{FULL}/999"]


@pytest.fixture(scope="module")
def pooled(store, store_dir):
    store.flush()
    app = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 30.0})
    yield app
    app.extensions["policykg_queries"].close()


def _unreadable(*args, **kwargs):
    raise AssertionError("the server process read the store")


def test_document_pages_and_details_come_from_a_worker(pooled, client, store, monkeypatch):
    paths = _paths(store)
    html = {"Accept": "text/html"}
    expected = [client.get(p, headers=html) for p in paths]          # computed in process (an open Store)
    assert [r.status_code for r in expected] == [200, 200, 301, 301, 404, 404, 200, 200, 404, 200, 200, 404]
    # from here on, every read of the pooled app's own store handle fails
    monkeypatch.setattr(pooled.extensions["policykg_store"], "_current", _unreadable)
    worker = pooled.test_client()
    for path, want in zip(paths, expected, strict=True):
        got = worker.get(path, headers=html)
        assert (got.status_code, got.headers.get("Location"), got.get_data()) == \
               (want.status_code, want.headers.get("Location"), want.get_data()), path
    page = worker.get(paths[0]).get_data(as_text=True)
    assert "国务院关于促进综合保税区高水平开放高质量发展的若干意见" in page and '<section class="provision task"' in page
    missing = worker.get("/api/documents/no-such-document").get_json()["error"]
    assert missing["code"] == "K103" and "no-such-document" in missing["message"]
    assert worker.get(f"/api/tasks/{FULL}/999").get_json()["error"]["code"] == "K403"


def test_they_count_against_the_clients_share(store, store_dir):
    app = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 30.0})
    # a budget one answer uses up, on a clock that stands still (nothing is earned back)
    share = app.extensions["policykg_fairshare"] = FairShare(0.001, 2, 2, clock=lambda: 1000.0)
    try:
        client = app.test_client()
        assert client.get(f"/api/documents/{FULL}").status_code == 200 and share.usage("127.0.0.1") > 0.001
        refused = client.get(f"/api/tasks/{FULL}/1")
        assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "K211"
        assert refused.headers["Retry-After"]
        page = client.get(f"/doc/{_first_document(store)}", headers={"Accept": "text/html"})
        assert page.status_code == 503 and "K211" in page.get_data(as_text=True)
        assert client.get(f"/api/documents/{FULL}").status_code == 200        # from the cache: no share needed
    finally:
        app.extensions["policykg_queries"].close()


def _when_a_worker_answers(get, busy: str = "K207", seconds: float = 60.0):
    """``get()`` again while no worker has started yet (K207: the pool's worker starts in the background)."""
    end = time.monotonic() + seconds
    while True:
        resp = get()
        if busy not in resp.get_data(as_text=True) or time.monotonic() > end:
            return resp
        time.sleep(0.2)


def test_over_the_query_time_limit_the_site_and_the_api_say_k204(store, store_dir):
    app = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 0.001})
    try:
        client = app.test_client()
        page = _when_a_worker_answers(lambda: client.get(f"/doc/{_first_document(store)}",
                                                         headers={"Accept": "text/html"}))
        text = page.get_data(as_text=True)
        assert page.status_code == 503 and "本页超出服务的计算限制" in text and "K204" in text
        assert "POLICYKG_QUERY_TIMEOUT" in text
        assert 'class="searchbox"' in text and "<footer>" in text              # a page of the site
        api = _when_a_worker_answers(lambda: client.get(f"/api/tasks/{FULL}/1"))
        assert api.status_code == 503 and api.get_json()["error"]["code"] == "K204"
        again = client.get(f"/api/tasks/{FULL}/1")                            # kept: told at once
        assert again.status_code == 503 and again.get_json()["error"]["code"] == "K204"
    finally:
        app.extensions["policykg_queries"].close()


def test_a_query_past_the_worker_memory_ceiling_is_k214_and_the_next_is_answered(store_dir):
    app = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 60.0,
                      "WORKER_MEMORY": 400})
    try:
        client = app.test_client()
        resp = client.get("/sparql", query_string={"query": literal_of(9)})
        error = resp.get_json()["error"]
        assert resp.status_code == 503 and error["code"] == "K214" and "POLICYKG_WORKER_MEMORY" in error["message"]
        page = client.post("/query", data={"query": literal_of(9)}, headers={"Accept": "text/html"})
        assert page.status_code == 503 and "K214" in page.get_data(as_text=True)
        ok = client.get("/sparql", query_string={"query": literal_of(6)})
        assert ok.status_code == 200 and ok.get_json()["results"]["bindings"][0]["n"]["value"] == str(10**6)
        assert client.get(f"/api/documents/{FULL}").status_code == 200
    finally:
        app.extensions["policykg_queries"].close()
