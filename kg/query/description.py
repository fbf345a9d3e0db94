"""The SPARQL 1.1 Service Description of the endpoint (returned for GET /sparql without a query)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..graph.namespaces import POL
from .sparql import GRAPH_FORMATS, RESULT_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "json": FORMATS["SPARQL_Results_JSON"], "xml": FORMATS["SPARQL_Results_XML"],
    "csv": FORMATS["SPARQL_Results_CSV"], "tsv": FORMATS["SPARQL_Results_TSV"],
    "ttl": FORMATS["Turtle"], "nt": FORMATS["N-Triples"], "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS["RDF_XML"],
}


DESCRIBED_GRAPHS = 1000     # named graphs listed at most: at 10^5 documents listing them all took 54 s


def service_description(endpoint: str, named_graphs: list[str], limits: str) -> Graph:
    """The endpoint's SPARQL 1.1 Service Description: its language, features, formats, limits and
    the first ``DESCRIBED_GRAPHS`` of ``named_graphs`` (a comment says when there are more)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("pol", POL)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    g.add((svc, DCTERMS.title, Literal("PolicyKG SPARQL endpoint (read-only)")))
    for fmt in list(RESULT_FORMATS) + list(GRAPH_FORMATS):
        g.add((svc, SD.resultFormat, _FORMAT_IRIS[fmt]))
    dataset = BNode()
    g.add((svc, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in named_graphs[:DESCRIBED_GRAPHS]:
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    g.add((svc, RDFS.comment, Literal(limits, lang="en")))
    if len(named_graphs) > DESCRIBED_GRAPHS:
        g.add((dataset, RDFS.comment, Literal(
            f"More than {DESCRIBED_GRAPHS} named graphs; the first {DESCRIBED_GRAPHS} are listed. All of them: "
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", lang="en")))
    return g
