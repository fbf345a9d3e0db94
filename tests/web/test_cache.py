"""Whole-store answers kept for POLICYKG_CACHE_SECONDS (web/cache.py)."""

from __future__ import annotations

import threading
import time

import pytest

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


def test_the_home_page_counts_the_store_once_per_period(store, monkeypatch):
    calls = []
    real = pages.stats
    monkeypatch.setattr(pages, "stats", lambda st: calls.append(1) or real(st))
    client = create_app({"STORE": store, "TESTING": True, "CACHE_SECONDS": 30.0}).test_client()
    pages_ = [client.get("/").get_data(as_text=True) for _ in range(3)]
    assert len(calls) == 1 and pages_[0] == pages_[2] and "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见" in pages_[0]
    client = create_app({"STORE": store, "TESTING": True, "CACHE_SECONDS": 0}).test_client()
    for _ in range(2):
        client.get("/")
    assert len(calls) == 3
