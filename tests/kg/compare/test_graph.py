"""Comparisons written by ingest (kg/compare/graph.py): the same graphs whether the alignments
run in the writer or in worker processes, and one failing pair does not cost the others."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest

from bench.generate import generate, load_material
from kg.compare import report as compare_module
from kg.compare.graph import PARALLEL_FROM, compare_implemented
from kg.graph.namespaces import GRAPH, PREFIXES
from kg.ingest import ingest_paths
from kg.store.embedded import open_store

from ...conftest import CORPUS, CORPUS_FILES, SEED, extraction_of
from ..graph.test_national import COMPARISON, OUTLINE, SEED_IRI

PAIRS = "SELECT ?l ?n WHERE { GRAPH ?l { ?l pol:implements ?n } GRAPH ?n { ?n a pol:PolicyDocument } }"


def _comparisons(store) -> dict[str, set[str]]:
    """Every comparison graph, as its N-Triples lines (comparison graphs have no blank nodes)."""
    out = {}
    for g in store.named_graphs():
        if g.value.startswith(str(GRAPH) + "comparison/"):
            out[g.value] = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g).decode("utf-8").splitlines())
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The corpus and 40 generated documents (their local ones implement the corpus's national
    ones), ingested once with the alignments in the writer and once in two workers."""
    names = {path: name for name, path in CORPUS_FILES.items()}
    material = load_material(extract=lambda path: extraction_of(names[path]))
    tmp = tmp_path_factory.mktemp("generated")
    src = generate(40, tmp / "docs", seed=5, material=material)
    serial, parallel = open_store(tmp / "serial"), open_store(tmp / "parallel")
    ingest_paths(serial, [CORPUS, src])
    ingest_paths(parallel, [CORPUS, src], jobs=2)
    return serial, parallel


def test_alignments_in_workers_give_the_graphs_of_the_writer(generated):
    serial, parallel = generated
    pairs = len(list(serial.query(PAIRS, prefixes=PREFIXES)))
    assert pairs >= PARALLEL_FROM                  # so the second ingest aligned them in its workers
    mine, theirs = _comparisons(parallel), _comparisons(serial)
    assert len(theirs) == pairs and mine == theirs
    assert all(len(lines) > 10 for lines in mine.values())


def test_a_pair_that_cannot_be_read_fails_alone_in_the_parallel_path(generated, monkeypatch, caplog):
    _, parallel = generated
    before = _comparisons(parallel)
    pairs = sorted((r["l"].value, r["n"].value) for r in parallel.query(PAIRS, prefixes=PREFIXES))
    broken_local = pairs[3][0]
    real = compare_module.read_document

    def read(store, iri):
        if iri == broken_local:
            raise RuntimeError("unreadable today")
        return real(store, iri)

    monkeypatch.setattr(compare_module, "read_document", read)
    with caplog.at_level(logging.ERROR, logger="policykg.compare"):
        done = compare_implemented(parallel, [], jobs=2)
    assert len(done) == len(pairs) - 1 and "unreadable today" in caplog.text and broken_local in caplog.text
    assert _comparisons(parallel) == before                    # the broken pair kept its graph


def test_a_failing_pair_keeps_its_earlier_graph_and_is_logged(monkeypatch, caplog):
    st = open_store(None)
    ingest_paths(st, [SEED, OUTLINE])
    before = _comparisons(st)
    assert COMPARISON in before

    def broken(local, national, reuse=True):
        raise ValueError("no alignment today")

    monkeypatch.setattr(compare_module, "compare_documents", broken)
    with caplog.at_level(logging.ERROR, logger="policykg.compare"):
        assert compare_implemented(st, [SEED_IRI]) == []
    assert _comparisons(st) == before
    assert "no alignment today" in caplog.text and SEED_IRI in caplog.text
