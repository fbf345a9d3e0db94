"""``ingest_paths(..., jobs=2)``: extraction in worker processes, same reports, same store."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.ingest import ingest_paths
from kg.store.embedded import graph_triples, open_store

from ..conftest import CORPUS


def _graphs(store) -> dict[str, Graph]:
    """Every graph of the store, as rdflib Graphs (blank node labels differ between runs,
    so graphs are compared up to isomorphism)."""
    out = {}
    for g in [*store.named_graphs(), ox.DefaultGraph()]:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g).decode("utf-8")
        out[str(g)] = Graph().parse(data=data, format="nt")
    return out


def test_jobs_2_gives_the_same_reports_and_triples_as_jobs_1(store):
    # ``store`` (conftest) is the corpus ingested with jobs=1
    parallel = open_store(None)
    seen = []
    reports = ingest_paths(parallel, [CORPUS], progress=lambda r: seen.append(r.path), jobs=2)
    assert not [r for r in reports if r.status == "failed"]
    assert seen == [r.path for r in reports]                       # progress in input order
    left_out = {r.path.rsplit("/", 1)[-1] for r in reports if r.status == "skipped"}
    assert {"README.md", "SOURCES.json"} <= left_out               # reported, not silent (#17)
    reports = [r for r in reports if r.status != "skipped"]
    # the reports jobs=1 gives: loaded, or replaced when an earlier file was the same document
    # (the .html and .txt of 国办发〔2018〕121号), with the triples of the document's graph
    earlier = set()
    for r in reports:
        assert r.status == ("replaced" if r.document in earlier else "loaded"), r
        earlier.add(r.document)
        assert r.triples == graph_triples(store, r.document), r
    assert [r.tasks for r in reports if r.path.endswith(".txt")] == [8, 16, 6, 21]
    assert len(parallel) == len(store)
    mine, theirs = _graphs(parallel), _graphs(store)
    assert mine.keys() == theirs.keys()
    assert all(isomorphic(mine[k], theirs[k]) for k in mine)


def _statuses(reports) -> list[tuple[str, str]]:
    return [(r.path, r.status) for r in reports]


def test_bulk_gives_the_same_reports_and_graphs_as_transactional_ingest(store, tmp_path, monkeypatch):
    # a batch of 2 documents, so the corpus is written in several bulk loads, and the .html and
    # .txt of 国办发〔2018〕121号 (the same document) meet in one batch or across two
    monkeypatch.setenv("POLICYKG_BULK_BATCH", "2")
    bulk = open_store(tmp_path / "bulk")
    seen = []
    reports = ingest_paths(bulk, [CORPUS], progress=lambda r: seen.append(r.path), bulk=True)
    assert seen == [r.path for r in reports]
    expected = ingest_paths(open_store(None), [CORPUS])
    assert _statuses(reports) == _statuses(expected)
    assert [r.triples for r in reports] == [r.triples for r in expected]
    assert len(bulk) == len(store)
    mine, theirs = _graphs(bulk), _graphs(store)
    assert mine.keys() == theirs.keys()
    assert all(isomorphic(mine[k], theirs[k]) for k in mine)
    # again, in bulk mode: every document is already there, so each one is replaced in place
    again = ingest_paths(bulk, [CORPUS], bulk=True)
    assert {r.status for r in again} == {"replaced", "skipped"}     # skipped: README.md, SOURCES.json
    assert len(bulk) == len(store)
