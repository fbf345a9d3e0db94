"""Articles (第X条) and genre in the graph; the "no provision" warning of the ingest report.

Built from real documents in tests/data/real/ (see tests/data/README.md).
"""

from __future__ import annotations

import functools
import json

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from extraction.pipeline import extract_path
from kg.graph.build import document_graphs
from kg.graph.namespaces import POL
from kg.graph.validate import validate
from kg.ingest import ingest_paths, prepare_file
from kg.store.embedded import open_store
from policykg.cli import main

from ...conftest import DATA, SEED

REAL = DATA / "real"
RULES = REAL / "穗府办规〔2024〕13号.txt"          # 印发 notice + 办法 of 54 articles in 8 chapters


@functools.cache
def _graph(path):
    return document_graphs(extract_path(path)).to_rdflib()


def test_articles_are_provisions_of_their_own_class():
    g = _graph(RULES)
    articles = set(g.subjects(RDF.type, POL.Article))
    assert len(articles) == 54
    assert all((a, RDF.type, POL.Provision) in g for a in articles)
    assert not any((a, RDF.type, POL.Task) in g for a in articles)
    assert set(g.subjects(RDF.type, POL.Task)) == set()


def test_an_article_carries_its_number_text_and_offsets():
    g = _graph(RULES)
    text = str(next(g.objects(None, POL.fullText)))
    last = next(a for a in g.subjects(RDF.type, POL.Article) if (a, POL.number, Literal(54, datatype=XSD.integer)) in g)
    assert str(last).endswith("/article/54")
    assert str(g.value(last, POL.label)) == "第五十四条"
    start, end = int(g.value(last, POL.startOffset)), int(g.value(last, POL.endOffset))
    assert text[start:end] == str(g.value(last, POL.text))
    assert text[start:end].startswith("第五十四条本办法自印发之日起施行")


def test_genre_is_a_chinese_literal_with_its_evidence():
    g = _graph(REAL / "国发〔2004〕18号.txt")
    doc = next(g.subjects(RDF.type, POL.PolicyDocument))
    assert g.value(doc, POL.genre) == Literal("通知", lang="zh")
    assert g.value(doc, POL.attachedGenre) == Literal("规则", lang="zh")
    evidence = next(g.subjects(POL.evidenceFor, POL.genre))
    text = str(g.value(doc, POL.fullText))
    start, end = int(g.value(evidence, POL.startOffset)), int(g.value(evidence, POL.endOffset))
    assert text[start:end].replace("\n", "").endswith("的通知")


def test_graphs_with_articles_conform_and_an_article_task_does_not():
    g = _graph(RULES)
    assert validate(g).conforms
    bad = next(g.subjects(RDF.type, POL.Article))
    g2 = _graph(REAL / "国令第707号.txt") + g
    g2.add((bad, RDF.type, POL.Task))
    g2.remove((bad, POL.number, None))
    result = validate(g2)
    assert not result.conforms
    assert str(bad) in {v["focus_node"] for v in result.violations}


def _no_provision_file(tmp_path):
    text = (REAL / "国函〔2018〕144号.txt").read_text(encoding="utf-8")
    path = tmp_path / "批复-无附件.txt"                  # the 批复 without its annex: no numbered item
    path.write_text(text[:text.index("附件")], encoding="utf-8")
    return path


def test_a_document_without_provisions_is_loaded_with_a_warning(tmp_path):
    report = prepare_file(_no_provision_file(tmp_path)).report
    assert report.status == "loaded" and report.provisions == 0
    assert [w["code"] for w in report.warnings] == ["W201"]
    assert prepare_file(SEED).report.warnings == []
    store = open_store(tmp_path / "store")
    reports = ingest_paths(store, [_no_provision_file(tmp_path), SEED])
    assert [(r.status, [w["code"] for w in r.warnings]) for r in reports] == [("loaded", ["W201"]), ("loaded", [])]


def test_the_cli_prints_the_warning_and_streams_it_in_json(tmp_path, capsys):
    path = _no_provision_file(tmp_path)
    assert main(["ingest", str(path), "--store", str(tmp_path / "s1")]) == 0
    out, err = capsys.readouterr()
    assert "WARNING" in err and "W201" in err
    assert "其中 1 份有警告" in out                       # the summary, in the reader's language
    assert main(["ingest", str(path), str(SEED), "--store", str(tmp_path / "s2"), "--json"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [r["warnings"][0]["code"] if r["warnings"] else None for r in reports] == ["W201", None]
    assert reports[0]["warnings"][0]["message"].startswith("no numbered provision found")


def test_docview_names_articles(tmp_path):
    from kg.docview import document_view

    store = open_store(tmp_path / "store")
    ingest_paths(store, [RULES])
    iri = str(next(_graph(RULES).subjects(RDF.type, POL.PolicyDocument)))
    view = document_view(store, iri.rsplit("/", 1)[-1])
    assert {p["kind"] for p in view.provisions} == {"article"} and len(view.provisions) == 54
    assert view.provisions[0]["iri"].endswith("/article/1")


def test_where_metadata_came_from_is_in_the_graph():
    # a notice without a title line: its title is formed from the first sentence; its 文号 line is
    # in the text (no origin); the 赣 page has neither title nor 文号: the 文号 is the file name's, the
    # title the one its first sentence implies (…指导意见》…制定本实施意见)
    g = _graph(REAL / "国航天〔2020〕4号.txt")
    (doc,) = g.subjects(RDF.type, POL.PolicyDocument)
    assert set(g.predicate_objects(doc)) >= {(POL.titleOrigin, Literal("body"))}
    assert (doc, POL.identifierOrigin, None) not in g
    g = _graph(REAL / "赣府厅发〔2020〕6号.txt")
    (doc,) = g.subjects(RDF.type, POL.PolicyDocument)
    assert {(p, o) for p, o in g.predicate_objects(doc) if "Origin" in p} == \
        {(POL.identifierOrigin, Literal("filename")), (POL.issuerOrigin, Literal("identifier")),
         (POL.titleOrigin, Literal("body"))}
    assert validate(g).conforms


def test_a_place_read_from_the_body_is_marked_so(tmp_path):
    # the 赣 page under a name that is not its 文号: level, region and issuer from its addressees
    # (…人民政府，省政府各部门), 经省政府同意 and the places it names
    import shutil

    path = tmp_path / "page.txt"
    shutil.copy(REAL / "赣府厅发〔2020〕6号.txt", path)
    g = document_graphs(extract_path(path)).to_rdflib()
    (doc,) = g.subjects(RDF.type, POL.PolicyDocument)
    assert {(p, o) for p, o in g.predicate_objects(doc) if "Origin" in p} == \
        {(POL.regionOrigin, Literal("body")), (POL.issuerOrigin, Literal("body")), (POL.titleOrigin, Literal("body"))}
    assert (doc, POL.region, Literal("江西省", lang="zh")) in g
    assert (doc, POL.issuerName, Literal("江西省人民政府办公厅", lang="zh")) in g
    assert validate(g).conforms
