"""Export the store: ttl / nt / jsonld (the union of all graphs as one graph), trig / nq (every graph)."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import KGError
from ..graph.namespaces import PREFIXES

DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
FORMATS = tuple(GRAPH_FORMATS) + tuple(DATASET_FORMATS)


def export(store: ox.Store, fmt: str) -> bytes:
    if fmt in DATASET_FORMATS:
        kwargs = {"prefixes": PREFIXES} if fmt == "trig" else {}
        return store.dump(format=DATASET_FORMATS[fmt], **kwargs)
    if fmt not in GRAPH_FORMATS:
        raise KGError("K301", fmt)
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    if fmt == "ttl":
        graph = ox.Dataset()
        for t in triples:
            graph.add(ox.Quad(t.subject, t.predicate, t.object))
        return ox.serialize(graph, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return triples.serialize(format=GRAPH_FORMATS[fmt])
