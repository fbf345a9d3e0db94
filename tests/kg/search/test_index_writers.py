"""Two processes writing the search index at once (the service's sync and a ``policykg ingest``).

Before ``kg.search.index.writing`` a writer read a document's item ids outside its transaction;
another process could add items in between, whose search rows then stayed behind and made a
later insert fail with ``IntegrityError`` (seen in CI, tests/web/test_store_changes.py).
"""

from __future__ import annotations

import multiprocessing as mp

from kg.search import index as fts

ROWS = {"doc": "https://w3id.org/policykg/doc/test", "fingerprint": "f", "title": "t", "identifier": None,
        "catalog": None,
        "items": [{"kind": "opening", "node": f"https://w3id.org/policykg/doc/test#passage-{i}",
                   "task": f"https://w3id.org/policykg/doc/test#passage-{i}", "ordinal": None, "title": None,
                   "text": "科技创新", "start": i, "year": None, "words": "科技 创新", "agencies": []}
                  for i in range(80)]}


def _write_many(path, times, out, go):
    conn = fts.connect(path)
    go.wait(30)                                  # all start at once: the writes overlap
    try:
        for _ in range(times):
            fts.write_rows(conn, ROWS)
    except Exception as e:  # noqa: BLE001 - reported to the test
        out.put(repr(e))
        return
    out.put(None)


def test_writers_in_several_processes_leave_one_consistent_index(tmp_path):
    path = tmp_path / "index.sqlite"
    fts.connect(path).close()
    ctx = mp.get_context("fork")
    out, go = ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_write_many, args=(path, 500, out, go)) for _ in range(4)]
    for p in procs:
        p.start()
    go.set()
    errors = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert errors == [None] * 4
    conn = fts.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 80
    assert conn.execute("SELECT COUNT(*) FROM items_fts").fetchone()[0] == 80
    conn.close()
