"""Shared fixtures: the corpus extractions, ``graph``, ``store``, ``app`` and ``client``; the
scale-out inputs, their plain ingest and their shards; the Virtuoso servers of the remote tests.

Everything is built from the real documents bundled in corpus/ (see corpus/README.md).
Session-scoped: extraction and ingest run once per test session.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"

SEED = CORPUS / "liaoning-county-innovation.txt"
DOC_3 = CORPUS / "国发〔2019〕3号.txt"
DOC_121 = CORPUS / "国办发〔2018〕121号.txt"
DOC_121_HTML = CORPUS / "国办发〔2018〕121号.html"
DOC_128 = CORPUS / "国办发〔2018〕128号.txt"
CORPUS_FILES = {"seed": SEED, "3": DOC_3, "121": DOC_121, "121html": DOC_121_HTML, "128": DOC_128}


@functools.cache
def extraction_of(name: str):
    """The extraction of one corpus document (cached for the session)."""
    from extraction.pipeline import extract_path

    return extract_path(CORPUS_FILES[name])


@pytest.fixture(scope="session")
def extract():
    return extraction_of


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory):
    """Where the session's corpus store lives (for worker processes and servers, read-only)."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="session")
def store(store_dir):
    """An on-disk Oxigraph store holding the whole bundled corpus."""
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store

    st = open_store(store_dir)
    reports = ingest_paths(st, [CORPUS])
    failed = [r for r in reports if r.status == "failed"]
    assert not failed, failed
    st.flush()
    return st


@pytest.fixture(scope="session")
def search_index(store, tmp_path_factory):
    """The search index (and document catalog) of the session store, synced (read it only)."""
    from kg import search

    conn = search.connect(tmp_path_factory.mktemp("search") / "index.sqlite")
    search.sync(conn, store)
    return conn


@pytest.fixture(scope="session")
def graph(store):
    """The whole store as one rdflib Graph (union of all named graphs)."""
    from kg.graph.namespaces import AGENCIES_GRAPH, ONTOLOGY_GRAPH
    from kg.store.embedded import document_graphs, to_rdflib

    return to_rdflib(store, document_graphs(store) + [str(AGENCIES_GRAPH), str(ONTOLOGY_GRAPH)])


@pytest.fixture(scope="session")
def app(store):
    from web import create_app

    application = create_app({"STORE": store, "TESTING": True})
    return application


@pytest.fixture()
def client(app):
    return app.test_client()


# --- scale-out (tests/kg/test_shards.py, test_cluster.py, store/test_load_virtuoso.py) --------

GENERATED = 3                     # documents made by bench/generate.py beside the corpus


@pytest.fixture(scope="session")
def scaleout_inputs(tmp_path_factory) -> list[str]:
    """The bundled corpus, and a folder of documents made by bench/generate.py plus one empty
    file (a failure, in every run)."""
    from bench.generate import generate, load_material

    names = {path: name for name, path in CORPUS_FILES.items()}
    material = load_material(extract=lambda path: extraction_of(names[path]))
    folder = generate(GENERATED, tmp_path_factory.mktemp("generated"), seed=21, material=material)
    (folder / "empty.txt").write_bytes(b"")                 # fails with E101, in every run
    return [str(CORPUS), str(folder)]


@pytest.fixture(scope="session")
def scaleout_ingest(scaleout_inputs, tmp_path_factory):
    """(store, search index, reports) of a plain ``ingest`` of the inputs: the reference."""
    import pyoxigraph as ox

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

    from .kg.scaleout_helpers import SHARD_SIZE

    out = tmp_path_factory.mktemp("shards") / "out"
    extract(scaleout_inputs, out, SHARD_SIZE)
    return out


# --- Virtuoso (marker ``virtuoso``; bench/virtuoso.py) ----------------------------------------

def _virtuoso(tmp_path_factory, shared: bool):
    """A Virtuoso on loopback, the settings pointing PolicyKG at it while it is in use. With
    ``shared`` the one CI started (POLICYKG_TEST_VIRTUOSO_*; README "Run the tests") when it
    is given, left running; otherwise one of its own, stopped at the end. Never a skip: CI
    installs virtuoso-opensource."""
    from bench import virtuoso

    folder = tmp_path_factory.mktemp("virtuoso")
    try:
        vt = virtuoso.attach(os.environ, folder) if shared else None
        vt = vt or virtuoso.start(folder)
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in vt.env().items():
            mp.setenv(name, value)
        yield vt
    vt.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh Virtuoso of the test module's own (tests that need an empty server)."""
    yield from _virtuoso(tmp_path_factory, shared=False)


@pytest.fixture(scope="module")
def running_virtuoso(tmp_path_factory):
    """The Virtuoso already running in CI when POLICYKG_TEST_VIRTUOSO_* name one, else one of the
    module's own: a test using it must clear what it writes (the server outlives the run)."""
    yield from _virtuoso(tmp_path_factory, shared=True)
