"""A fair share of the query workers per client (web/fairness.py, kg.query.fairshare): functional,
not timed — who is answered and who is refused, never how fast."""

from __future__ import annotations

import threading
import time

import pytest

from web import create_app, fairness

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?t a <https://w3id.org/policykg/ontology#Task> }"


@pytest.fixture(scope="module")
def app(store, store_dir):
    """Two workers (a long and a short lane), 4 s per query, 1 s of worker time per client and minute;
    answering from disk (no in-memory copies, whose building would make the first queries slow)."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.query.pool import Job

    store.flush()
    application = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 2, "QUERY_TIMEOUT": 4,
                              "CLIENT_BUDGET": 1.0, "SHORT_QUERY_SECONDS": 0.5, "CACHE_SECONDS": 0,
                              "MEMORY_COPY_QUADS": 0})
    pool = application.extensions["policykg_queries"]
    with ThreadPoolExecutor(2) as ex:               # both workers started and their store open
        list(ex.map(lambda _: pool.run(Job(ASK, "json", "nt", 1), short=True), range(2)))
    yield application
    application.extensions["policykg_queries"].close()


def _admitted(app, timeout: float = 20.0) -> None:
    """Wait until some job holds a place (waiting for or using a worker)."""
    share, deadline = app.extensions["policykg_fairshare"], time.monotonic() + timeout
    while not any(share._in_lane.values()):
        assert time.monotonic() < deadline, "the job was never admitted"
        time.sleep(0.01)


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_client_over_its_budget_gets_429_while_another_is_answered(app):
    greedy, other = _client(app, "192.0.2.1"), _client(app, "192.0.2.2")
    first = greedy.get("/sparql", query_string={"query": CARTESIAN})
    assert first.status_code == 503 and first.get_json()["error"]["code"] == "K204"      # 4 s used of 1 s
    refused = greedy.get("/sparql", query_string={"query": ASK})
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "K211"
    assert int(refused.headers["Retry-After"]) >= 1
    answered = other.get("/sparql", query_string={"query": ASK})
    assert answered.status_code == 200 and answered.get_json()["boolean"] is True
    # whole-store answers not in the cache are counted too; search and the home page (the index's
    # catalog) need no worker
    assert greedy.get("/api/stats").status_code == 429
    assert greedy.get("/search", query_string={"q": "人才"}).status_code == 200
    home = greedy.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and "<strong>5</strong> 份文件" in home.get_data(as_text=True)


def test_a_short_query_is_answered_while_another_client_runs_a_long_one(app):
    long_done = threading.Event()
    results = {}

    def long_query():
        results["long"] = _client(app, "192.0.2.3").get("/sparql", query_string={"query": CARTESIAN}).status_code
        long_done.set()

    short = _client(app, "192.0.2.4")
    assert short.get("/sparql", query_string={"query": ASK}).status_code == 200    # known for short queries
    t = threading.Thread(target=long_query)
    t.start()
    try:
        _admitted(app)
        time.sleep(0.2)
        answered = short.get("/sparql", query_string={"query": ASK})
        assert answered.status_code == 200 and not long_done.is_set()
    finally:
        t.join(30)
    assert results["long"] == 503


def test_one_client_cannot_queue_more_than_its_share(app):
    share = app.extensions["policykg_fairshare"]
    before, share.per_client = share.per_client, 1
    started = threading.Event()
    try:
        t = threading.Thread(target=lambda: (started.set(), _client(app, "192.0.2.5").get(
            "/sparql", query_string={"query": CARTESIAN})))
        t.start()
        started.wait(5)
        _admitted(app)
        second = _client(app, "192.0.2.5").get("/sparql", query_string={"query": ASK})
        assert second.status_code == 429 and second.get_json()["error"]["code"] == "K212"
        assert second.headers["Retry-After"] == "1"
        t.join(30)
    finally:
        share.per_client = before


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "key"), [
    ("", "203.0.113.9", "198.51.100.1", "203.0.113.9"),                      # no proxy trusted: header ignored
    ("127.0.0.1", "203.0.113.9", "198.51.100.1", "203.0.113.9"),             # not from the proxy: ignored
    ("127.0.0.1", "127.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2, 127.0.0.1", "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),   # the entry the proxy added
    ("127.0.0.1", "127.0.0.1", "", "127.0.0.1"),
])
def test_the_client_is_the_address_or_what_a_trusted_proxy_says(trusted, remote, forwarded, key):
    app = _plain_app(trusted)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with app.test_request_context("/sparql", environ_base={"REMOTE_ADDR": remote}, headers=headers):
        assert fairness.client_key() == key


def _plain_app(trusted: str):
    import pyoxigraph as ox

    return create_app({"STORE": ox.Store(), "TESTING": True, "TRUSTED_PROXY": trusted})
