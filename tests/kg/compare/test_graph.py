"""Comparisons written by ingest (kg/compare/graph.py): the same graphs whether the alignments
run in the writer or in worker processes, one failing pair does not cost the others, the pairs
are read as the comparisons are written, the store is flushed as they are written, and stale
comparisons are dropped."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from bench.generate import generate, load_material
from kg.compare import graph as graph_module
from kg.compare import report as compare_module
from kg.compare.graph import PARALLEL_FROM, compare_implemented
from kg.graph.namespaces import DOC, GRAPH, PREFIXES
from kg.ingest import ingest_paths
from kg.store.embedded import open_store, remove_document

from ...conftest import CORPUS, CORPUS_FILES, SEED, extraction_of
from ..graph.test_national import COMPARISON, OUTLINE, SEED_IRI
from ..graph.test_national import IRI as OUTLINE_IRI

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
        written = compare_implemented(parallel, [], jobs=2)
    assert written == len(pairs) - 1 and "unreadable today" in caplog.text and broken_local in caplog.text
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
        assert compare_implemented(st, [SEED_IRI]) == 0
    assert _comparisons(st) == before
    assert "no alignment today" in caplog.text and SEED_IRI in caplog.text


class Watched:
    """A store that notes, in order, the pages of implementing pairs read from it, the
    comparisons written to it and its flushes."""

    def __init__(self, store) -> None:
        self.store, self.events = store, []

    def __getattr__(self, name):
        return getattr(self.store, name)

    def query(self, query, **kwargs):
        if query.startswith(graph_module.PAIRS):               # a page of implementing pairs
            self.events.append("page")
        return self.store.query(query, **kwargs)

    def update(self, update, **kwargs):
        self.events.append("write")
        return self.store.update(update, **kwargs)

    def flush(self):
        self.events.append("flush")
        return self.store.flush()


def test_pairs_are_read_a_page_at_a_time_as_the_comparisons_are_written(generated, monkeypatch):
    serial, _ = generated
    before = _comparisons(serial)
    monkeypatch.setattr(graph_module, "PAGE", 4)
    everything = sorted((r["l"].value, r["n"].value) for r in serial.query(PAIRS, prefixes=PREFIXES))
    assert list(graph_module.implementing_pairs(serial, set())) == everything     # each once, in order
    watched = Watched(serial)
    assert compare_implemented(watched, []) == len(before) == len(everything) > PARALLEL_FROM + 4
    events = watched.events
    assert events.count("page") == len(everything) // 4 + 1
    # the first comparison is written before the last pages are read: the pairs are not listed first
    assert events.index("write") < len(events) - 1 - events[::-1].index("page")
    assert _comparisons(serial) == before


def test_the_store_is_flushed_as_the_comparisons_are_written(generated, monkeypatch):
    serial, _ = generated
    before = _comparisons(serial)
    sizes = [len(u) for _, (_, u) in graph_module._updates(serial, graph_module.implementing_pairs(serial, set()), 1)]
    limit = sorted(sizes)[len(sizes) // 2] * 3          # about every third comparison
    monkeypatch.setenv("POLICYKG_COMPARE_FLUSH_CHARS", str(limit))
    watched = Watched(serial)
    compare_implemented(watched, [])
    expected, unflushed = [], 0
    for size in sizes:                                   # what the writer must do
        expected.append("write")
        unflushed += size
        if unflushed >= limit:
            expected.append("flush")
            unflushed = 0
    assert [e for e in watched.events if e != "page"] == expected
    assert expected.count("flush") >= len(sizes) // 4
    assert _comparisons(serial) == before


def test_few_pairs_are_compared_in_the_writer(monkeypatch):
    st = open_store(None)
    ingest_paths(st, [SEED, OUTLINE])
    before = _comparisons(st)

    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for one pair")

    monkeypatch.setattr(graph_module, "ordered", no_workers)
    assert compare_implemented(st, [], jobs=2) == 1
    assert _comparisons(st) == before


def _fake_comparison(store, national: str) -> str:
    iri = compare_module.comparison_graph_iri(SEED_IRI, national)
    store.update(f"INSERT DATA {{ GRAPH <{iri}> {{ <{iri}> a pol:Comparison ; pol:localDocument <{SEED_IRI}> ; "
                 f"pol:nationalDocument <{national}> }} }}", prefixes=PREFIXES)
    return iri


def test_stale_comparisons_of_the_documents_compared_are_dropped(tmp_path):
    st = open_store(None)
    ingest_paths(st, [SEED, OUTLINE])
    other = str(DOC) + "国发〔2099〕1号"                  # a document the seed does not implement
    stale = _fake_comparison(st, other)
    compare_implemented(st, [OUTLINE_IRI])               # the seed is not among them: kept
    assert set(_comparisons(st)) == {COMPARISON, stale}
    compare_implemented(st, [SEED_IRI])
    assert set(_comparisons(st)) == {COMPARISON}
    remove_document(st, URIRef(OUTLINE_IRI))             # the national document is gone
    assert compare_implemented(st, [SEED_IRI]) == 0
    assert _comparisons(st) == {}
