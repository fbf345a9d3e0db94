"""kg.indexed: an agency's profile, its neighbourhood and the whole network with its metrics,
read from the search index's table of each task's bodies, are the store's (kg.network) — for
every body of the corpus and of the real documents in tests/data/real, in the same order."""

from __future__ import annotations

import pytest

from kg import indexed, search
from kg.network.agency_graph import agencies_with_metrics, agency_graph
from kg.network.ego import neighbourhood
from kg.network.profiles import agency_info, agency_profile, resolve_agency
from kg.search import agencies

from ..conftest import DATA


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
        assert indexed.profile(conn, agency) == agency_profile(store, key), key
        assert indexed.neighbourhood(conn, agency) == neighbourhood(store, key), key
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


def _without_tasks(g):
    for _, _, d in g.edges(data=True):
        d.pop("tasks")
    return g


@pytest.mark.parametrize("where", ["corpus", "real"])
def test_the_whole_network_and_its_metrics_are_the_stores(where, store, search_index, real):
    import networkx as nx

    st, conn = (store, search_index) if where == "corpus" else real
    info = agency_info(st)
    ours, theirs = indexed.network(conn, info), _without_tasks(agency_graph(st))
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(data=True)) == list(theirs.edges(data=True))         # the same order too
    assert nx.number_of_edges(ours) > 30
    assert indexed.agencies_with_metrics(conn, info) == agencies_with_metrics(st)
