"""An agency's profile and neighbourhood read from the search index (kg/search/agencies.py) are
the store's (kg.network.profiles, kg.network.ego), for every body of the corpus and of the real
documents in tests/data/real; an index written before its index on the bodies gets it from ``sync``."""

from __future__ import annotations

import pytest

from kg import search
from kg.network.ego import neighbourhood
from kg.network.profiles import agency_info, agency_profile, resolve_agency
from kg.search import agencies

from ...conftest import DATA


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A store and its index holding the real documents of tests/data/real (their text files)."""
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store

    folder = tmp_path_factory.mktemp("real")
    st = open_store(folder / "store")
    files = sorted((DATA / "real").glob("*.txt"))
    reports = ingest_paths(st, files)
    assert not [r for r in reports if r.status == "failed"]
    conn = search.connect(folder / "index.sqlite")
    search.sync(conn, st)
    return st, conn


def _bodies(store) -> list[str]:
    return sorted(agency_info(store))


def _same(store, conn) -> int:
    compared = 0
    for key in _bodies(store):
        agency = resolve_agency(store, key)
        assert agencies.profile(conn, agency) == agency_profile(store, key), key
        assert agencies.neighbourhood(conn, agency) == neighbourhood(store, key), key
        compared += bool(agency_profile(store, key)["documents"])
    return compared


def test_the_corpus_bodies_are_the_stores(store, search_index):
    assert agencies.ready(search_index)
    assert _same(store, search_index) > 20


def test_the_real_documents_bodies_are_the_stores(real):
    st, conn = real
    # bodies named in several documents, led and shared: the national ministries of the State Council texts
    shared = [k for k in _bodies(st) if len(agency_profile(st, k)["documents"]) > 1]
    assert len(shared) >= 5
    assert _same(st, conn) > 50


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


def _without_tasks(g):
    for _, _, d in g.edges(data=True):
        d.pop("tasks")
    return g


@pytest.mark.parametrize("where", ["corpus", "real"])
def test_the_whole_network_and_its_metrics_are_the_stores(where, store, search_index, real):
    import networkx as nx

    from kg.network.agency_graph import agencies_with_metrics, agency_graph

    st, conn = (store, search_index) if where == "corpus" else real
    info = agency_info(st)
    ours, theirs = agencies.network(conn, info), _without_tasks(agency_graph(st))
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(data=True)) == list(theirs.edges(data=True))         # the same order too
    assert nx.number_of_edges(ours) > 30
    assert agencies.agencies_with_metrics(conn, info) == agencies_with_metrics(st)


def test_an_index_read_over_the_whole_store_limit_is_stopped_and_said(search_index, store, monkeypatch):
    from kg.errors import KGError
    from kg.search import query

    ticks = iter(range(10**6))
    monkeypatch.setattr(query.time, "monotonic", lambda: float(next(ticks)))      # a second a look
    monkeypatch.setattr(query, "CHECK_EVERY", 10)
    with pytest.raises(KGError) as e:
        agencies.within(search_index, 5, agencies.agencies_with_metrics, agency_info(store))
    assert e.value.code == "K209" and "POLICYKG_SUMMARY_TIMEOUT" in e.value.message
    # no limit: the answer
    assert agencies.within(search_index, None, agencies.agencies_with_metrics, agency_info(store))
