"""Counts over the store, for `policykg stats`, the home page and the API."""

from __future__ import annotations

import pyoxigraph as ox

from ..graph.namespaces import GRAPH_SHAPE, PREFIXES
from ..store.embedded import document_graphs

_COUNTS = {
    "documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:PolicyDocument }",
    "tasks": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:Task }",
    "safeguards": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:Safeguard }",
    "measures": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:Measure }",
    "agencies": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?p pol:responsibleAgency ?a }",
    "unrecognised_agencies": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?p pol:responsibleAgency ?a . "
                             "?a a pol:UnrecognisedAgency }",
    "targets": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:Target }",
    "citations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:Citation }",
    # documents written by an older version in an older graph shape (kg.graph.namespaces.GRAPH_SHAPE):
    # `policykg ingest` of the same files rewrites them
    "old_shape_documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pol:PolicyDocument "
                           f"FILTER NOT EXISTS {{ ?x pol:graphShape {GRAPH_SHAPE} }} }}",
}
_PER_DOCUMENT = """
SELECT ?doc ?title ?id (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  ?doc a pol:PolicyDocument ; dcterms:title ?title .
  OPTIONAL { ?doc dcterms:identifier ?id }
  OPTIONAL { ?task a pol:Task ; pol:inDocument ?doc }
} GROUP BY ?doc ?title ?id ORDER BY ?id ?title
"""


def _count(store: ox.Store, query: str) -> int:
    for row in store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True):
        return int(row["n"].value)
    return 0


def stats(store: ox.Store) -> dict:
    out: dict = {name: _count(store, q) for name, q in _COUNTS.items()}
    out["triples"] = len(store)
    out["graphs"] = len(document_graphs(store))
    out["per_document"] = [
        {"document": r["doc"].value, "title": r["title"].value,
         "identifier": r["id"].value if r["id"] else None, "tasks": int(r["tasks"].value)}
        for r in store.query(_PER_DOCUMENT, prefixes=PREFIXES, use_default_graph_as_union=True)
    ]
    return out
