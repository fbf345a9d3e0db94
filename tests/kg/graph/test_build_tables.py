"""Graph of a joint document with a task-division table (tests/data/real/穗卫函〔2023〕1930号.txt) and of
a joint national notice (工信部联企业〔2022〕54号): one publisher per issuer, table rows, shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from extraction.pipeline import extract_path, extract_text
from kg.graph.build import document_graphs
from kg.graph.validate import validate

from ...extraction.test_tables import ROWSPAN_HTML

POL = Namespace("https://w3id.org/policykg/ontology#")

REAL = Path(__file__).resolve().parent.parent.parent / "data" / "real"


@pytest.fixture(scope="module")
def table_doc():
    graphs = document_graphs(extract_path(REAL / "穗卫函〔2023〕1930号.txt"))
    return graphs.iri, graphs.to_rdflib()


def test_one_publisher_per_issuer(table_doc):
    doc, g = table_doc
    assert len(set(g.objects(doc, DCTERMS.publisher))) == 4
    assert [str(n) for n in g.objects(doc, POL.issuerName)] == [
        "广州市卫生健康委员会、广州市财政局、广州市人力资源和社会保障局、广州市医疗保障局"]
    assert str(next(g.objects(doc, POL.region))) == "广州市"
    assert str(next(g.objects(doc, POL.province))) == "广东省"


def test_table_rows_in_the_graph(table_doc):
    doc, g = table_doc
    rows = sorted(g.subjects(RDF.type, POL.TableRow), key=str)
    assert len(rows) == 39
    first = URIRef(f"{doc}/tablerow/1")
    assert (first, RDF.type, POL.Provision) in g
    assert (first, POL.restates, URIRef(f"{doc}/task/1")) in g
    leads = {str(o) for a in g.objects(first, POL.leadAgency) for o in g.objects(a, URIRef(
        "http://www.w3.org/2004/02/skos/core#prefLabel"))}
    assert leads == {"各区政府"}
    sources = {str(s) for m in g.subjects(POL.mentionIn, first) for s in g.objects(m, POL.assignmentSource)}
    assert sources == {"table"}


def test_graphs_conform_to_the_shapes(table_doc):
    _, g = table_doc
    result = validate(g)
    assert result.conforms, result.text[:3000]
    joint = document_graphs(extract_path(REAL / "工信部联企业〔2022〕54号.txt"))
    g2 = joint.to_rdflib()
    assert len(set(g2.objects(joint.iri, DCTERMS.publisher))) == 11
    result = validate(g2)
    assert result.conforms, result.text[:3000]


def test_deadline_in_the_graph():
    graphs = document_graphs(extract_text(ROWSPAN_HTML, "text/html"))
    g = graphs.to_rdflib()
    assert {str(o) for o in g.objects(None, POL.deadline)} == {"2023年12月底", "持续推进"}
    assert validate(g).conforms
