"""kg.querypool: the worker's bytes reach the caller unchanged; warm workers are reused first."""

from __future__ import annotations

import pyoxigraph as ox

from kg.querypool import InlineRunner, Job, QueryPool, _IdleWorkers

FORMATS = ("json", "xml", "csv", "tsv")


class _FakeWorker:
    def __init__(self, name: str, used: bool) -> None:
        self.name, self.used = name, used


def test_idle_workers_last_used_first_fresh_last():
    idle = _IdleWorkers()
    a, b, fresh = _FakeWorker("a", True), _FakeWorker("b", True), _FakeWorker("fresh", False)
    for w in (a, fresh, b):
        idle.put(w)
    assert [idle.get().name for _ in range(3)] == ["b", "a", "fresh"]


def test_pool_returns_the_inline_bytes(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                         ox.Literal(f"v{i}\"\\\n", language="zh"), ox.NamedNode("http://example.org/g"))
                 for i in range(30))
    store.flush()
    del store
    inline = InlineRunner(ox.Store.read_only(str(tmp_path / "store")))
    pool = QueryPool(str(tmp_path / "store"), workers=1, timeout=30)
    try:
        for fmt in FORMATS:
            job = Job("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", fmt, "ttl", 20)
            assert pool.run(job) == inline.run(job)
            assert pool.run(job).truncated and pool.run(job).rows == 20
    finally:
        pool.close()
