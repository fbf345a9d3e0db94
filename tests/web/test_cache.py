"""Whole-store answers kept for POLICYKG_CACHE_SECONDS (web/cache.py)."""

from __future__ import annotations

import threading
import time

import pytest

from kg.errors import KGError
from web import create_app, pages
from web.cache import StoreCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr("web.cache.time.monotonic", c)
    return c


def test_an_answer_is_kept_for_its_time_then_computed_again(clock):
    cache, calls = StoreCache(30.0), []
    compute = lambda: calls.append(1) or len(calls)          # noqa: E731
    assert cache.get(("stats",), compute) == 1
    clock.now += 29.9
    assert cache.get(("stats",), compute) == 1 and len(calls) == 1
    assert cache.get(("profile", "ndrc"), compute) == 2      # other arguments, other answer
    clock.now += 0.2
    assert cache.get(("stats",), compute) == 3


def test_requests_arriving_during_a_computation_wait_for_it():
    cache, calls, started = StoreCache(30.0), [], threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return "answer"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get(("network",), slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.get(("network",), slow))) for _ in range(8)]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(10)
    assert results == ["answer"] * 9 and len(calls) == 1


def test_errors_are_not_kept_and_leave_nothing_behind():
    cache = StoreCache(30.0)
    for k in range(50):
        with pytest.raises(KeyError):
            cache.get(("agency", f"unknown-{k}"), lambda: {}["x"])
    assert not cache._locks and not cache._answers


def test_the_oldest_answers_go_first_when_full(clock):
    cache = StoreCache(30.0, size=3)
    for k in range(5):
        cache.get((k,), lambda k=k: k)
    assert list(cache._answers) == [(2,), (3,), (4,)]


def test_zero_seconds_turns_it_off():
    cache, calls = StoreCache(0), []
    for _ in range(3):
        cache.get(("stats",), lambda: calls.append(1))
    assert len(calls) == 3


def test_the_home_page_reads_the_catalog_not_the_store(store, monkeypatch):
    """At 10^5 documents the counts and the list computed from the store take minutes; the home
    page asks no query worker and no cache, whatever the cache period."""
    def no_store(*args, **kwargs):
        raise AssertionError("the home page asked the store")

    monkeypatch.setattr(pages, "cached", no_store)
    for seconds in (30.0, 0):
        client = create_app({"STORE": store, "TESTING": True, "CACHE_SECONDS": seconds}).test_client()
        page = client.get("/").get_data(as_text=True)
        assert "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见" in page


def test_a_time_limit_error_is_kept_for_the_period_other_errors_are_not(clock):
    cache, calls = StoreCache(30.0), []

    def overrun():
        calls.append(1)
        raise KGError("K209", "60")

    for _ in range(3):
        with pytest.raises(KGError) as e:
            cache.get(("network",), overrun)
        assert e.value.code == "K209"
    assert len(calls) == 1                          # told at once, not computed (and stopped) again
    clock.now += 30.1
    with pytest.raises(KGError):
        cache.get(("network",), overrun)
    assert len(calls) == 2
    for _ in range(2):
        with pytest.raises(KGError):
            cache.get(("agency", "x"), lambda: (calls.append(1), agency_profile_missing())[1])
    assert len(calls) == 4                          # K401 is not kept


def agency_profile_missing():
    raise KGError("K401", "x")


@pytest.fixture(scope="module")
def pooled(store, store_dir):
    """Two apps on the session store's directory (answers computed in query workers): one with the
    default limits, one whose whole-store answers may take 1 ms."""
    store.flush()
    apps = [create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1}),
            create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_WORKERS": 1, "SUMMARY_TIMEOUT": 0.001})]
    yield apps
    for a in apps:
        a.extensions["policykg_queries"].close()


def test_answers_computed_in_a_worker_are_those_computed_in_process(pooled, client):
    worker = pooled[0].test_client()
    for path in ("/api/stats", "/api/agencies", "/api/agencies/省科技厅", "/api/tasks"):
        assert worker.get(path).get_json() == client.get(path).get_json(), path
    assert worker.get("/api/agencies/no-such-agency").get_json()["error"]["code"] == "K401"


def test_whole_store_answers_over_their_limit_are_stopped_and_said(pooled):
    client = pooled[1].test_client()
    resp = client.get("/api/stats")
    assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "K209"
    assert "POLICYKG_SUMMARY_TIMEOUT" in resp.get_json()["error"]["message"]
    home = client.get("/", headers={"Accept": "text/html"})
    body = home.get_data(as_text=True)
    # the home page reads the index's catalog: no whole-store answer, so no limit to say
    assert home.status_code == 200 and "<strong>5</strong> 份文件" in body and 'name="q"' in body
    busy = client.get("/agency/省科技厅", headers={"Accept": "text/html"})
    text = busy.get_data(as_text=True)
    assert busy.status_code == 503 and "<h1>服务繁忙，请稍后再试</h1>" in text and "K209" in text
    assert 'class="searchbox"' in text and "<footer>" in text            # a page of the site
    assert client.get("/api/network").status_code == 503
    ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})   # the pool still answers queries
    assert ask.status_code == 200 and ask.get_json()["boolean"] is True


def test_the_comparison_runs_in_a_worker_under_the_time_limit(pooled, client):
    query = {"local": "国发〔2019〕3号", "national": "国办发〔2018〕121号"}
    in_process = client.get("/compare", query_string=query).get_data(as_text=True)
    worker = pooled[0].test_client().get("/compare", query_string=query)
    assert worker.status_code == 200 and worker.get_data(as_text=True) == in_process
    # with 1 ms for whole-document answers it is stopped in the worker and said (the server
    # process, which has no time limit, would have answered)
    over = pooled[1].test_client().get("/compare", query_string=query, headers={"Accept": "text/html"})
    assert over.status_code == 503 and "K209" in over.get_data(as_text=True)
    assert pooled[1].test_client().get("/compare", query_string={"local": "国发〔1999〕1号"}).status_code in (404, 503)
