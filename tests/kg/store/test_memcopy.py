"""kg.store.memcopy: query workers answer from an in-memory copy of a small store, never from a copy
older than the store on disk, and from disk while the copy is being made or is not allowed."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.query.pool import InlineRunner, Job, QueryPool, wait_pool
from kg.query.sparql import run_query
from kg.store.memcopy import CopyingStore, copy_store

QUERIES = sorted((Path(__file__).resolve().parents[3] / "queries").glob("*.rq"))
EX = "http://example.org/"


def _value(term, concatenated: bool):
    if term is None:
        return None
    if concatenated and isinstance(term, ox.Literal):   # GROUP_CONCAT's order is not defined
        return "、".join(sorted(re.split("、| \\| ", term.value)))
    return str(term)


def _rows(result, concatenated: bool = False) -> list[tuple]:
    if isinstance(result, bool):
        return [(result,)]
    return [tuple(_value(v, concatenated) for v in row) for row in result]


def _write(path: Path, start: int, count: int) -> None:
    """Add ``count`` quads with a writer handle, flushed (as ``policykg ingest`` ends)."""
    store = ox.Store(str(path))
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"值{i}"),
                         ox.NamedNode(f"{EX}g"))
                 for i in range(start, start + count))
    store.flush()
    del store


def _subjects(store) -> int:
    return len(list(store.query(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }}")))


def _quiet(path: Path) -> None:
    """Date the store's last change back by a minute, as if nothing had written it since."""
    old = time.time() - 60
    os.utime(path, (old, old))


@pytest.fixture(scope="module")
def copying(store, store_dir):
    st = CopyingStore(store_dir, max_quads=10_000_000, quiet=0)
    assert st.wait_ready(120), "no in-memory copy of the corpus store within 120 s"
    return st


def test_copy_holds_every_quad_of_the_store(store, store_dir):
    copy = copy_store(str(store_dir), 10_000_000)
    assert len(copy) == len(store) > 10_000
    graph = next(iter(store.named_graphs()))
    assert set(copy.quads_for_pattern(None, None, None, graph)) == set(store.quads_for_pattern(None, None, None, graph))


def test_no_copy_of_a_store_larger_than_allowed(store, store_dir, monkeypatch):
    from kg.store import embedded, memcopy

    assert copy_store(str(store_dir), len(store) - 1) is None
    assert len(copy_store(str(store_dir), len(store))) == len(store)              # exactly the limit: copied

    def no_len(self):
        raise AssertionError("the whole store counted")   # 24 s at 130M quads

    monkeypatch.setattr(embedded.FollowingStore, "__len__", no_len)
    small = memcopy._bytes(store_dir) // memcopy.MAX_BYTES_PER_QUAD - 1          # files far larger than its copy
    assert copy_store(str(store_dir), small) is None
    monkeypatch.undo()
    st = CopyingStore(store_dir, max_quads=len(store) - 1, quiet=0)
    assert not st.wait_ready(1.0)
    assert st.serving() == "disk" and len(st) == len(store)


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_the_copy_answers_every_example_query_as_the_disk_does(copying, path):
    query = path.read_text(encoding="utf-8")
    assert copying.serving() == "memory"
    concatenated = "GROUP_CONCAT" in query
    from_memory = _rows(run_query(copying, query, None, None), concatenated)
    from_disk = _rows(run_query(copying.disk, query, None, None), concatenated)
    if "ORDER BY" not in query:
        from_memory, from_disk = sorted(from_memory, key=repr), sorted(from_disk, key=repr)
    assert from_memory == from_disk


def test_a_written_store_is_answered_from_disk_until_a_new_copy_is_made(tmp_path):
    path = tmp_path / "store"
    _write(path, 0, 50)
    _quiet(path)
    st = CopyingStore(path, max_quads=1_000, quiet=5)
    assert st.wait_ready(30)
    assert _subjects(st) == 50
    _write(path, 50, 25)                 # the writer changed the directory just now
    assert st.serving() == "disk"        # the old copy is dropped at once …
    assert _subjects(st) == 75           # … and the disk handle sees the new quads
    assert st._copy is None
    assert not st.wait_ready(1.0)        # written less than 5 s ago: no copy made yet
    _quiet(path)
    assert st.wait_ready(30)
    assert _subjects(st) == 75


def test_turned_off_with_zero(tmp_path):
    path = tmp_path / "store"
    _write(path, 0, 10)
    _quiet(path)
    st = CopyingStore(path, max_quads=0)
    assert not st.wait_ready(0.5) and st._thread is None
    assert _subjects(st) == 10


def test_query_workers_answer_from_their_copies(store, store_dir):
    pool = QueryPool(str(store_dir), workers=2, timeout=60, call_timeout=180, memory_quads=10_000_000)
    try:
        _quiet(Path(store_dir))
        assert wait_pool(pool, 2, 120) == ["memory", "memory"]
        for path in QUERIES:
            query = path.read_text(encoding="utf-8")
            if "GROUP_CONCAT" in query:          # its order inside a cell is not defined
                continue
            job = Job(query, "json", "ttl", 10_000)
            assert pool.run(job) == InlineRunner(store).run(job), path.stem
    finally:
        pool.close()


def test_query_workers_without_copies_say_so(store_dir):
    pool = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=60, memory_quads=0)
    try:
        assert wait_pool(pool, 1, 1) == ["disk"]
    finally:
        pool.close()


def test_the_copy_is_made_at_the_lowest_priority_of_its_thread_only():
    import threading

    from kg.store.memcopy import _lower_priority

    seen = []

    def copying_thread():
        _lower_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=copying_thread)
    thread.start()
    thread.join()
    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
