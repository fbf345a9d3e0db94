"""Comparisons in the graph: one named graph per (local, national) pair, replaced atomically.

Graph and node IRIs (``{c}`` is the comparison graph IRI, also the ``pol:Comparison`` node):

* ``{c}``                           pol:Comparison: pol:localDocument, pol:nationalDocument, pol:method
* ``{c}/alignment/{local n}-{national n}``  pol:Alignment: pol:localTask, pol:nationalTask,
  pol:score, pol:method ("hungarian" | "split"), pol:titleWordScore, pol:titleCharScore,
  pol:bodyWordScore, pol:bodyCharScore, pol:inComparison
* ``{c}/coverage/{national n}``     pol:Coverage: pol:nationalTask, pol:coverageStatus
  (pol:Implemented | pol:PartlyImplemented | pol:NotImplemented), pol:score, pol:inComparison
* ``{c}/added/{local n}``           pol:LocalAddition: pol:localTask, pol:inComparison

``compare_implemented`` is what ``ingest`` runs after loading: every document that implements a
document present in the store gets its comparison (re)computed when either side was just loaded,
and a comparison of a just-loaded local document that no longer holds (it now implements another
document, or none) is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .align import WEIGHTS
from .namespaces import POL, PREFIXES
from .store import replace_graph_update

STATUS_TERMS = {"implemented": POL.Implemented, "partly implemented": POL.PartlyImplemented,
                "missing": POL.NotImplemented}
FEATURE_TERMS = {"title_words": POL.titleWordScore, "title_chars": POL.titleCharScore,
                 "body_words": POL.bodyWordScore, "body_chars": POL.bodyCharScore}
METHOD = "task alignment: " + " + ".join(f"{w}·{f}" for f, w in WEIGHTS.items()) + "; Hungarian one-to-one, splits"


def _dec(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 4))), datatype=XSD.decimal)


def comparison_rdf(result: dict, graph_iri: str) -> Graph:
    c = URIRef(graph_iri)
    g = Graph()
    g.add((c, RDF.type, POL.Comparison))
    g.add((c, POL.localDocument, URIRef(result["local"]["document"])))
    g.add((c, POL.nationalDocument, URIRef(result["national"]["document"])))
    g.add((c, POL.method, Literal(METHOD)))
    for a in result["alignments"]:
        node = URIRef(f"{c}/alignment/{a['local_ordinal']}-{a['national_ordinal']}")
        g.add((node, RDF.type, POL.Alignment))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.localTask, URIRef(a["local_task"])))
        g.add((node, POL.nationalTask, URIRef(a["national_task"])))
        g.add((node, POL.score, _dec(a["score"])))
        g.add((node, POL.method, Literal(a["method"])))
        for name, value in a["features"].items():
            g.add((node, FEATURE_TERMS[name], _dec(value)))
    for cov in result["coverage"]:
        node = URIRef(f"{c}/coverage/{cov['national_ordinal']}")
        g.add((node, RDF.type, POL.Coverage))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.nationalTask, URIRef(cov["national_task"])))
        g.add((node, POL.coverageStatus, STATUS_TERMS[cov["status"]]))
        g.add((node, POL.score, _dec(cov["score"])))
    local_doc = result["local"]["document"]
    for added in result["local_added"]:
        node = URIRef(f"{c}/added/{added['ordinal']}")
        g.add((node, RDF.type, POL.LocalAddition))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.localTask, URIRef(f"{local_doc}/task/{added['ordinal']}")))
    return g


def write_comparison(store: ox.Store, result: dict) -> str:
    """Store ``result`` (from kg.compare.compare) as its comparison graph, in one transaction."""
    from .compare import comparison_graph_iri

    iri = comparison_graph_iri(result["local"]["document"], result["national"]["document"])
    store.update(replace_graph_update(URIRef(iri), comparison_rdf(result, iri)))
    return iri


def compare_implemented(store: ox.Store, documents: Iterable[str | None] = ()) -> list[str]:
    """(Re)compute the comparison of every implementing pair in the store that involves one of
    ``documents`` (all pairs when ``documents`` is empty). Returns the comparison graph IRIs."""
    from .compare import compare

    wanted = {d for d in documents if d}
    query = ("SELECT ?l ?n WHERE { GRAPH ?l { ?l pol:implements ?n } GRAPH ?n { ?n a pol:PolicyDocument } } "
             "ORDER BY ?l ?n")
    done = []
    for row in list(store.query(query, prefixes=PREFIXES)):
        local, national = row["l"].value, row["n"].value
        if wanted and local not in wanted and national not in wanted:
            continue
        done.append(write_comparison(store, compare(store, local, national, reuse=False)))
    stale = "SELECT ?c ?l WHERE { GRAPH ?c { ?c a pol:Comparison ; pol:localDocument ?l } }"
    for row in list(store.query(stale, prefixes=PREFIXES)):
        graph, local = row["c"].value, row["l"].value
        if graph not in done and (not wanted or local in wanted):
            store.update(f"DROP SILENT GRAPH <{graph}>")     # the local document no longer implements it
    return done
