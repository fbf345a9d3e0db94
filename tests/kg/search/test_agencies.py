"""The search index's table of each task's bodies (kg/search/agencies.py): written and removed
with a document's items, filled by ``sync`` for an index written before it, read by the agency's
key; reads stopped at the whole-store limit; search facets over the bodies that read the hits
first. (That its answers are the store's: tests/kg/test_indexed.py.)"""

from __future__ import annotations

import pytest

from kg import search
from kg.search import agencies


def test_an_index_without_its_task_bodies_gets_them_from_sync(store, search_index, tmp_path):
    conn = search.connect(tmp_path / "old.sqlite")
    search.sync(conn, store)
    whole = conn.execute("SELECT * FROM task_bodies ORDER BY agency, item").fetchall()
    assert len(whole) > 100
    with conn:                                          # as an index written before the table existed
        conn.execute("DELETE FROM task_bodies")
        conn.execute("DELETE FROM filled")
    assert not agencies.ready(conn)
    assert search.sync(conn, store) == {"indexed": 0, "removed": 0, "task_bodies": 1}
    assert conn.execute("SELECT * FROM task_bodies ORDER BY agency, item").fetchall() == whole
    assert agencies.ready(conn) and search.sync(conn, store) == {"indexed": 0, "removed": 0}
    for sql in (agencies._TASKS, agencies._PARTNERS):    # the agency's rows found by its key, not a scan
        plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",)))
        assert "SEARCH tb USING PRIMARY KEY (agency=?)" in plan or "SEARCH mine USING PRIMARY KEY (agency=?)" in plan, plan


def test_a_document_written_again_or_removed_takes_its_task_bodies_with_it(store, search_index, tmp_path):
    conn = search.connect(tmp_path / "again.sqlite")
    search.sync(conn, store)
    before = conn.execute("SELECT count(*) FROM task_bodies").fetchone()[0]
    doc = conn.execute("SELECT doc FROM items WHERE kind = 'task' LIMIT 1").fetchone()[0]
    search.index_document(conn, store, doc)               # replaced: the same rows, not twice
    assert conn.execute("SELECT count(*) FROM task_bodies").fetchone()[0] == before
    orphans = "SELECT count(*) FROM task_bodies WHERE item NOT IN (SELECT id FROM items)"
    assert conn.execute(orphans).fetchone()[0] == 0
    with conn:
        search.index._delete(conn, doc)
    assert conn.execute("SELECT count(*) FROM task_bodies").fetchone()[0] < before
    assert conn.execute(orphans).fetchone()[0] == 0


def test_the_search_facets_read_the_hits_first_not_every_body(search_index):
    """Left to choose, SQLite read all of item_agencies and looked each row up among the hits
    (with an index on the agency: 3.4 s for a two-word search at 10^5 documents, against 1.1 s).
    Each facet over the bodies must start from the hits."""
    path = search_index.execute("PRAGMA database_list").fetchone()[2]
    conn = search.connect(path)
    said: list[str] = []
    conn.set_trace_callback(said.append)
    search.search(conn, "科技", {"year": ""})
    conn.set_trace_callback(None)
    for made in [s for s in said if s.startswith("CREATE TEMP TABLE")]:
        conn.execute(made)                              # the hits and the chosen hits, again
    facets = [s for s in said if "JOIN item_agencies" in s]
    assert len(facets) == 2                              # agency and role
    for sql in facets:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert plan[0] == "SCAN hits" and "USING INDEX item_agencies_item" in plan[1], (sql, plan)


def test_an_index_read_over_the_whole_store_limit_is_stopped_and_said(search_index, monkeypatch):
    from kg.errors import KGError
    from kg.search import query

    ticks = iter(range(10**6))
    monkeypatch.setattr(query.time, "monotonic", lambda: float(next(ticks)))      # a second a look
    monkeypatch.setattr(query, "CHECK_EVERY", 10)
    with pytest.raises(KGError) as e:
        agencies.within(search_index, 5, agencies.pairs)
    assert e.value.code == "K209" and "POLICYKG_SUMMARY_TIMEOUT" in e.value.message
    # no limit: the answer
    assert agencies.within(search_index, None, agencies.pairs) == agencies.pairs(search_index) != []
