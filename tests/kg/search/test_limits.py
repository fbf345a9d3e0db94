"""Search under time limits (kg/search/query.py): the hits within ``timeout`` or K215, the facets
within ``facet_time`` or named as not counted — at 10^5 documents a word such as 科技创新 matches
780,000 items (BENCHMARKS.md), and the service must say so rather than keep a thread for minutes.

The clock is the test's: each look at it moves it on by a second, so "over the limit" does not
depend on the machine's speed."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from kg import search
from kg.errors import KGError
from kg.search import query


@pytest.fixture
def indexed(search_index):
    return search_index


@pytest.fixture
def slow_clock(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(query.time, "monotonic", lambda: float(next(ticks)))
    monkeypatch.setattr(query, "CHECK_EVERY", 50)


def _no_hits_table(conn) -> bool:
    for table in ("temp.hits", "temp.chosen"):
        with pytest.raises(sqlite3.OperationalError):
            conn.execute(f"SELECT COUNT(*) FROM {table}")
    return True


def test_a_search_over_its_time_is_stopped_with_k215(indexed, slow_clock):
    with pytest.raises(KGError) as e:
        search.search(indexed, "发展", {"role": "lead"}, timeout=0.5)
    assert e.value.code == "K215" and "POLICYKG_SEARCH_TIMEOUT" in e.value.message
    assert _no_hits_table(indexed)                        # nothing left behind for the next search
    assert search.search(indexed, "发展").total > 100


def test_facets_over_their_time_are_named_and_the_hits_are_whole(indexed, slow_clock):
    whole = search.search(indexed, "科技", per_page=50)
    limited = search.search(indexed, "科技", per_page=50, timeout=None, facet_time=0.5)
    assert [h.node for h in limited.hits] == [h.node for h in whole.hits] and limited.total == whole.total > 20
    assert limited.unfinished == ["kind", "year", "doc", "role", "agency"]
    assert all(limited.facets[name] == [] for name in limited.unfinished)
    assert whole.unfinished == [] and all(whole.facets[name] for name in ("doc", "agency", "role", "kind"))
    assert _no_hits_table(indexed)


@pytest.mark.parametrize("filters", [{}, {"role": "lead"}, {"agency": "https://w3id.org/policykg/agency/cn/customs",
                                                             "role": "lead"}, {"kind": "measure", "year": "2020"}])
def test_limits_that_are_not_reached_change_nothing(indexed, filters):
    whole = search.search(indexed, "海关", filters)
    limited = search.search(indexed, "海关", filters, timeout=60, facet_time=60)
    assert (limited.total, limited.facets, [h.node for h in limited.hits]) == \
        (whole.total, whole.facets, [h.node for h in whole.hits])
    assert limited.unfinished == []
