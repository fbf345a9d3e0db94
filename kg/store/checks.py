"""SHACL validation of what is in the store: each document graph with the agencies it names."""

from __future__ import annotations

import pyoxigraph as ox

from ..graph.namespaces import AGENCIES_GRAPH
from ..graph.validate import ValidationResult, validate
from .embedded import document_graphs, to_rdflib


def validate_store(store: ox.Store, documents: list[str] | None = None) -> dict[str, ValidationResult]:
    """Validate every document graph (or those named) together with the shared agencies graph."""
    agencies = to_rdflib(store, [str(AGENCIES_GRAPH)])
    results: dict[str, ValidationResult] = {}
    for iri in documents or document_graphs(store):
        graph = to_rdflib(store, [iri])
        graph += agencies
        results[iri] = validate(graph)
    return results
