"""The store: one named graph per document, atomic replacement, union default graph."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg.errors import KGError
from kg.graph.namespaces import AGENCIES_GRAPH, ONTOLOGY_GRAPH
from kg.ingest import ingest_paths
from kg.store.embedded import document_graphs, graph_triples, open_store

from ...conftest import CORPUS, DOC_3, DOC_121, DOC_121_HTML, SEED

DOC3_IRI = "https://w3id.org/policykg/doc/国发〔2019〕3号"


def _snapshot(store: ox.Store) -> set[str]:
    return {str(q) for q in store}


def test_one_graph_per_document(store):
    graphs = document_graphs(store)
    # five files, four documents: the .txt and .html of 国办发〔2018〕121号 share a 文号
    assert len(graphs) == 5
    assert DOC3_IRI in graphs


def test_ingesting_again_gives_the_same_triples(tmp_path):
    st = open_store(tmp_path / "s")
    ingest_paths(st, [DOC_3, SEED])
    first = _snapshot(st)
    reports = ingest_paths(st, [DOC_3, SEED])
    assert [r.status for r in reports] == ["replaced", "replaced"]
    assert _snapshot(st) == first


def test_txt_and_html_of_one_document_replace_each_other(tmp_path):
    st = open_store(tmp_path / "s")
    ingest_paths(st, [DOC_121])
    n = graph_triples(st, "https://w3id.org/policykg/doc/国办发〔2018〕121号")
    reports = ingest_paths(st, [DOC_121_HTML])
    assert reports[0].status == "replaced"
    assert len(document_graphs(st)) == 1
    # same tasks, same agencies; only format, encoding, file name and hash differ
    assert graph_triples(st, "https://w3id.org/policykg/doc/国办发〔2018〕121号") == n


def test_failed_update_leaves_the_old_document(tmp_path):
    """A replacement whose last part fails changes nothing: the update is one transaction."""
    st = open_store(tmp_path / "s")
    ingest_paths(st, [DOC_3])
    before = _snapshot(st)
    with pytest.raises(OSError):
        st.update(f"DROP GRAPH <{DOC3_IRI}> ; INSERT DATA {{ GRAPH <{DOC3_IRI}> {{ <a:b> <a:c> <a:d> }} }} ; "
                  "LOAD <http://127.0.0.1:9/nothing-listens-here>")
    assert _snapshot(st) == before


def test_union_default_graph_and_named_graphs(store):
    plain = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/policykg/ontology#Task> }",
                             use_default_graph_as_union=True))
    assert int(plain[0]["n"].value) == 8 + 21 + 16 + 6 + 8
    named = list(store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t a <https://w3id.org/policykg/ontology#Task> } } "
        "GROUP BY ?g ORDER BY ?n"))
    assert sorted(int(r["n"].value) for r in named) == [6, 8, 8, 16, 21]


def test_agencies_live_once_in_the_shared_graph(store):
    """Every agency description is in the shared graph only, so union queries see it once."""
    rows = list(store.query(
        "SELECT ?a (COUNT(?l) AS ?n) WHERE { ?a a <http://www.w3.org/ns/org#Organization> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } "
        "GROUP BY ?a HAVING (COUNT(?l) > 1)", use_default_graph_as_union=True))
    assert rows == []
    in_docs = store.query(
        "ASK { GRAPH ?g { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } "
        f"FILTER(?g NOT IN (<{AGENCIES_GRAPH}>, <{ONTOLOGY_GRAPH}>)) }}")
    assert bool(in_docs) is False


def test_store_survives_reopening(tmp_path):
    path = tmp_path / "s"
    st = open_store(path)
    ingest_paths(st, [SEED])
    n = len(st)
    del st
    again = open_store(path, read_only=True)
    assert len(again) == n


def test_unopenable_store_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(KGError) as e:
        open_store(blocker / "store")
    assert e.value.code == "K101"


def test_whole_corpus_copy_is_untouched(tmp_path):
    """Ingest reads the corpus and never writes beside it."""
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    before = sorted(p.name for p in copy.rglob("*"))
    ingest_paths(open_store(None), [copy])
    assert sorted(p.name for p in copy.rglob("*")) == before


def test_a_read_that_meets_a_deleted_file_runs_again_on_a_reopened_handle(store_dir, store):
    """CI, 2026-12-05: the service's index sync read the store's named graphs lazily, an ingest's
    compaction deleted a file meanwhile ("IO error: No such file … .sst"), and /api/documents
    answered 500. ``following`` runs such a read again on a reopened handle."""
    import pytest

    from kg.store.embedded import FollowingStore, document_graphs, following

    follower = FollowingStore(store_dir)
    forgotten = []
    real_forget = follower.forget
    follower.forget = lambda: (forgotten.append(1), real_forget())
    calls = []

    def graphs_once_stale(st):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("IO error: No such file or directory: While open a file for random read: 000133.sst")
        return document_graphs(st)

    assert following(follower, graphs_once_stale) == document_graphs(store) and len(calls) == 2 and forgotten == [1]
    calls.clear()
    with pytest.raises(FileNotFoundError):                   # a store that cannot reopen: told at once
        following(store, graphs_once_stale)
    with pytest.raises(ValueError):                          # any other error: told at once
        following(follower, lambda st: int("x"))
