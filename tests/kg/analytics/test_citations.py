"""Citations resolved at query time (kg/analytics/citations.py, queries/32-what-implements.rq, 33-what-cites.rq).

From the texts: the seed implements 《国务院办公厅关于县域创新驱动发展的若干意见》(国办发〔2017〕43号)
(its outline is in corpus/national/) and cites 《全民科学素质行动计划纲要(2010—2020年)》 (not in the
corpus); 国办发〔2018〕128号 is the 通知 that issues 《“无废城市”建设试点工作方案》 and cites
《生态文明体制改革总体方案》 and 《医疗废物管理条例》 (neither in the corpus).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.analytics.citations import cites, find_document, implemented_by
from kg.errors import KGError
from kg.graph.build import document_graphs
from kg.graph.namespaces import POL
from kg.query.sparql import rows, run_query
from kg.store.embedded import replace_document

from ...conftest import ROOT, extraction_of

SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
T128 = "国务院办公厅关于印发“无废城市”建设试点工作方案的通知"
EXPECTED = {
    (SEED_TITLE, "国务院办公厅关于县域创新驱动发展的若干意见", "国办发〔2017〕43号", "identifier"),
    (SEED_TITLE, "全民科学素质行动计划纲要(2010—2020年)", "", "unresolved"),
    (T128, "“无废城市”建设试点工作方案", "", "self"),
    (T128, "生态文明体制改革总体方案", "", "unresolved"),
    (T128, "医疗废物管理条例", "", "unresolved"),
}


def test_every_citation_resolved_or_flagged(store):
    got = {(r["citing"], r["cited_title"], r["cited_identifier"], r["status"]) for r in cites(store)}
    assert got >= EXPECTED
    assert len(cites(store)) == len(got)        # one row per citation, never one per candidate


def test_what_one_document_cites(store):
    seed = cites(store, SEED_TITLE)
    assert {r["status"] for r in seed} == {"identifier", "unresolved"}
    assert [r["resolved_title"] for r in seed if r["status"] == "identifier"] == ["国务院办公厅关于县域创新驱动发展的若干意见"]
    assert len(cites(store, "国办发〔2018〕128号")) == 3


def test_what_implements(store):
    found = implemented_by(store, "国办发〔2017〕43号")
    assert [(r["title"], r["loaded"]) for r in found] == [(SEED_TITLE, "true")]
    assert "国办发〔2017〕43号" in found[0]["evidence"]
    assert implemented_by(store, "国发〔2019〕3号") == []


def test_unknown_document(store):
    with pytest.raises(KGError) as e:
        find_document(store, "国发〔1999〕1号")
    assert e.value.code == "K103"


def test_title_only_citation_resolves_once_the_cited_document_is_loaded():
    st = ox.Store()
    g128 = document_graphs(extraction_of("128"))
    replace_document(st, g128.iri, g128.document, g128.agencies)
    before = {r["cited_title"]: r["status"] for r in cites(st)}
    assert before["生态文明体制改革总体方案"] == "unresolved"
    other = URIRef("https://w3id.org/policykg/doc/t-ecological-plan")
    g = Graph()
    g.add((other, RDF.type, POL.PolicyDocument))
    g.add((other, DCTERMS.title, Literal("生态文明体制改革总体方案", lang="zh")))
    replace_document(st, other, g, Graph())
    after = {r["cited_title"]: (r["status"], r["resolved_title"]) for r in cites(st)}
    assert after["生态文明体制改革总体方案"] == ("title", "生态文明体制改革总体方案")
    assert after["医疗废物管理条例"] == ("unresolved", "")


@pytest.mark.parametrize("name", ["32-what-implements.rq", "33-what-cites.rq"])
def test_query_files_agree_with_the_module(store, name):
    header, body = rows(run_query(store, (ROOT / "queries" / name).read_text(encoding="utf-8")))
    if name.startswith("33"):
        got = {(r[0], r[1], r[2], r[3]) for r in body}
        assert got >= EXPECTED and len(body) == len(cites(store))
    else:
        assert [r[header.index("implementing")] for r in body] == [SEED_TITLE]


def test_a_notice_issuing_two_documents_resolves_citations_of_both():
    """关于印发《A》和《B》的通知: a citation of either title resolves to the notice (pol:issuedTitle);
    a title that only begins like one of them does not."""
    st = ox.Store()
    notice = URIRef("https://w3id.org/policykg/doc/t-notice")
    citing = URIRef("https://w3id.org/policykg/doc/t-citing")
    g = Graph()
    g.add((notice, RDF.type, POL.PolicyDocument))
    g.add((notice, DCTERMS.title, Literal("国务院办公厅关于印发《国务院工作规则》和《国务院2018年立法工作计划》的通知", lang="zh")))
    for issued in ("国务院工作规则", "国务院2018年立法工作计划"):
        g.add((notice, POL.issuedTitle, Literal(issued, lang="zh")))
    replace_document(st, notice, g, Graph())
    g = Graph()
    g.add((citing, RDF.type, POL.PolicyDocument))
    g.add((citing, DCTERMS.title, Literal("某省关于贯彻落实的通知", lang="zh")))
    for k, cited in enumerate(("国务院工作规则", "国务院2018年立法工作计划", "国务院工作")):
        c = URIRef(f"{citing}/citation/{k}")
        g.add((c, RDF.type, POL.Citation))
        g.add((c, POL.inDocument, citing))
        g.add((c, POL.startOffset, Literal(k)))
        g.add((c, POL.endOffset, Literal(k + 1)))
        g.add((c, POL.citedTitle, Literal(cited, lang="zh")))
    replace_document(st, citing, g, Graph())
    got = {r["cited_title"]: (r["status"], r["resolved"]) for r in cites(st)}
    assert got == {"国务院工作规则": ("title", str(notice)), "国务院2018年立法工作计划": ("title", str(notice)),
                   "国务院工作": ("unresolved", "")}


def test_the_notice_graph_says_what_it_issues():
    g = document_graphs(extraction_of("128")).to_rdflib()
    doc = next(g.subjects(RDF.type, POL.PolicyDocument))
    assert list(g.objects(doc, POL.issuedTitle)) == [Literal("“无废城市”建设试点工作方案", lang="zh")]
