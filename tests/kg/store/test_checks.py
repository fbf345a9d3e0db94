"""Every ingested corpus document validates against ontologies/shapes.ttl (pyshacl)."""

from __future__ import annotations

import pytest

from kg.graph.build import document_graphs
from kg.graph.validate import validate
from kg.store.checks import validate_store

from ...conftest import CORPUS_FILES, extraction_of


@pytest.mark.parametrize("name", list(CORPUS_FILES))
def test_built_graph_conforms(name):
    """Straight from the builder, before the store (literal types exactly as rdflib made them)."""
    graphs = document_graphs(extraction_of(name))
    result = validate(graphs.to_rdflib())
    assert result.conforms, result.text[:3000]


def test_store_conforms(store):
    results = validate_store(store)
    assert len(results) == 5
    for iri, result in results.items():
        assert result.conforms, (iri, result.violations[:5])
