"""Fixtures of the scale-out tests (test_shards.py, test_cluster.py, store/test_load_virtuoso.py):
the bundled corpus plus documents made by bench/generate.py and one empty file (a failure), a
plain ingest of them (the reference), and their shards extracted in this process."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ..conftest import CORPUS, CORPUS_FILES, extraction_of

GENERATED = 3
SHARD_SIZE = 2
SEARCHES = ("科技特派员", "财政部", "创新", "金融 支持", "体育", "牵头")


@pytest.fixture(scope="session")
def scaleout_inputs(tmp_path_factory) -> list[str]:
    from bench.generate import generate, load_material

    names = {path: name for name, path in CORPUS_FILES.items()}
    material = load_material(extract=lambda path: extraction_of(names[path]))
    folder = generate(GENERATED, tmp_path_factory.mktemp("generated"), seed=21, material=material)
    (folder / "empty.txt").write_bytes(b"")                 # fails with E101, in every run
    return [str(CORPUS), str(folder)]


@pytest.fixture(scope="session")
def scaleout_ingest(scaleout_inputs, tmp_path_factory):
    """(store, search index, reports) of a plain ``ingest`` of the inputs: the reference."""
    from kg.ingest import ingest_paths
    from kg.search import connect

    store = ox.Store()
    index = connect(tmp_path_factory.mktemp("ingest-index") / "index.sqlite")
    # the paths ingest's walk leaves out of the folders (README.md, SOURCES.json: "skipped") are no
    # documents: a shard holds documents only
    reports = [r for r in ingest_paths(store, scaleout_inputs, index=index) if r.status != "skipped"]
    return store, index, reports


@pytest.fixture(scope="session")
def scaleout_shards(scaleout_inputs, tmp_path_factory):
    """The inputs extracted into shards in this process (``policykg extract`` without --jobs)."""
    from kg.shards import extract

    out = tmp_path_factory.mktemp("shards") / "out"
    extract(scaleout_inputs, out, SHARD_SIZE)
    return out


def graphs(store) -> dict[str, list[str]]:
    """Every named graph of the store as its canonical N-Quads lines (blank nodes relabelled
    canonically, lines sorted): two stores hold the same graphs iff these are equal."""
    out = {}
    for g in store.named_graphs():
        dataset = ox.Dataset(store.quads_for_pattern(None, None, None, g))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        out[g.value] = sorted(str(q) for q in dataset)
    return out


def hits(index) -> dict[str, tuple]:
    """What the search page shows for each of SEARCHES: totals, every hit, the facets."""
    from kg.search import search

    out = {}
    for q in SEARCHES:
        r = search(index, q, per_page=1000)
        out[q] = (r.total, r.documents, [(h.kind, h.node, h.doc, h.doc_title, h.ordinal, h.title, h.start,
                                          h.snippet, h.agencies) for h in r.hits], r.facets)
    return out
