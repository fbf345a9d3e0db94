"""Shared fixtures: the corpus extractions, ``graph``, ``store``, ``app`` and ``client``.

Everything is built from the real documents bundled in corpus/ (see corpus/README.md).
Session-scoped: extraction and ingest run once per test session.
"""

from __future__ import annotations

import functools
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
