"""The document catalog of the search index (kg/search/catalog.py): the same documents, metadata
and counts as the store says, filled for an index written before it existed, kept in step by
``sync``, and read a page at a time."""

from __future__ import annotations

import pytest

from kg import search
from kg.network.profiles import list_documents
from kg.query.stats import stats
from kg.search import catalog

from ...conftest import DOC_3


@pytest.fixture
def indexed(search_index):
    return search_index


def test_the_catalog_lists_what_the_store_lists(store, indexed):
    rows, total = catalog.select(indexed, {})
    fields = ("iri", "key", "identifier", "title", "issued", "issuer", "level", "region", "tasks", "partial")
    assert [{k: d[k] for k in fields} for d in rows] == list_documents(store)
    assert total == len(rows) == 5
    assert [d["identifier"] for d in rows if d["partial"]] == ["国办发〔2017〕43号"]


def test_the_home_figures_are_the_stores(store, indexed):
    figures, counted = catalog.summary(indexed), stats(store)
    assert {k: figures[k] for k in ("documents", "tasks", "measures", "targets", "agencies")} == \
        {k: counted[k] for k in ("documents", "tasks", "measures", "targets", "agencies")}
    assert figures["tasks"] > 50 and figures["measures"] > 200
    # the document graphs' triples: the store's but for the ontology and the shared agencies
    assert 0.5 * counted["triples"] < figures["triples"] < counted["triples"]


def test_an_index_without_its_catalog_gets_it_from_the_store(store, tmp_path):
    conn = search.connect(tmp_path / "old.sqlite")
    search.sync(conn, store)
    before = conn.execute("SELECT * FROM catalog ORDER BY doc").fetchall()
    named = conn.execute("SELECT * FROM doc_agencies ORDER BY agency, doc").fetchall()
    with conn:                                    # as an index written before the catalog was
        conn.execute("DELETE FROM catalog")
        conn.execute("DELETE FROM doc_agencies")
    assert search.sync(conn, store) == {"indexed": 0, "removed": 0, "catalogued": 5}
    assert conn.execute("SELECT * FROM catalog ORDER BY doc").fetchall() == before
    assert conn.execute("SELECT * FROM doc_agencies ORDER BY agency, doc").fetchall() == named
    assert search.sync(conn, store) == {"indexed": 0, "removed": 0}


def test_a_removed_document_leaves_the_catalog(tmp_path):
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store, remove_document

    st = open_store(None)
    reports = ingest_paths(st, [DOC_3])
    conn = search.connect(tmp_path / "index.sqlite")
    search.sync(conn, st)
    assert catalog.select(conn, {})[1] == 1 and catalog.summary(conn)["agencies"] > 5
    remove_document(st, reports[0].document)
    assert search.sync(conn, st) == {"indexed": 0, "removed": 1}
    assert catalog.select(conn, {}) == ([], 0)
    assert catalog.summary(conn)["agencies"] == 0


@pytest.mark.parametrize(("chosen", "sort", "offset", "limit"), [
    ({}, "issued", 0, 2), ({}, "-issued", 2, 2), ({}, "-tasks", 4, 2), ({"level": "national"}, "title", 0, 10),
    ({"year": "2019"}, "", 0, 10), ({"region": "辽宁省"}, "-region", 0, 1), ({}, "no-such-column", 1, 3),
])
def test_a_page_is_the_slice_of_the_whole_selection(indexed, chosen, sort, offset, limit):
    every, total = catalog.select(indexed, chosen, sort)
    page, counted = catalog.select(indexed, chosen, sort, offset, limit)
    assert counted == total == len(every)
    assert page == every[offset:offset + limit]


def test_choices_and_partial(indexed):
    got = catalog.choices(indexed)
    assert got["level"] == ["national", "provincial"] and got["region"] == ["辽宁省"]
    assert got["year"] == sorted(got["year"], reverse=True) and "2019" in got["year"]
    rows, _ = catalog.select(indexed, {})
    assert catalog.partial(indexed, [d["iri"] for d in rows]) == {d["iri"] for d in rows if d["partial"]}
    assert catalog.partial(indexed, []) == set()
