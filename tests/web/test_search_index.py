"""web/search_index.py: readers of the index file do not wait for one another (each thread its own
read-only connection); an answer read across a sync is not kept; an index in memory still answers."""

from __future__ import annotations

import threading
import time

from kg.search import catalog
from web.search_index import SearchIndex


def _held(conn, started: threading.Event, release: threading.Event) -> int:
    """A slow read: holds its connection (inside a read) until released."""
    rows = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    started.set()
    release.wait(30)
    return rows


def test_a_slow_reader_does_not_hold_the_others(store, tmp_path):
    index = SearchIndex(str(tmp_path / "index.sqlite"), store)
    started, release = threading.Event(), threading.Event()
    slow = threading.Thread(target=index.read, args=(_held, started, release), kwargs={"keep": False})
    slow.start()
    try:
        assert started.wait(30)
        begun = time.monotonic()
        figures = index.read(catalog.summary)
        hits = index.search("科技", {})
        waited = time.monotonic() - begun
        assert slow.is_alive() and waited < 10          # answered while the slow read still holds
        assert figures["documents"] == 5 and hits.total > 10
    finally:
        release.set()
        slow.join()


def test_an_answer_read_across_a_sync_is_not_kept(store, tmp_path):
    index = SearchIndex(str(tmp_path / "index.sqlite"), store)
    calls = []

    def counted(conn, sync_meanwhile: bool) -> int:
        calls.append(1)
        if sync_meanwhile:
            index.sync()                                # the store changed while this was read
        return len(calls)

    assert index.read(counted, True) == 1 and index.read(counted, True) == 2      # not kept: read again
    assert index.read(counted, False) == 3 and index.read(counted, False) == 3    # kept


def test_an_index_in_memory_is_read_through_its_one_connection(store):
    index = SearchIndex(":memory:", store)
    assert index.read(catalog.summary)["documents"] == 5
    assert index.search("科技", {}).total > 10
