"""The national guideline 国办发〔2017〕43号 as a partial document (kg/graph/national.py), its ingest,
and the comparison graph ingest writes when the seed and the guideline are both in the store."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.errors import KGError
from kg.graph.namespaces import ONTOLOGY_GRAPH, POL, document_iri, document_key
from kg.graph.national import load_outline, outline_graphs, read_outline
from kg.graph.validate import validate
from kg.ingest import ingest_paths, iter_inputs
from kg.store.checks import validate_store
from kg.store.embedded import open_store, to_rdflib

from ...conftest import CORPUS, SEED

OUTLINE = CORPUS / "national" / "guideline-2017-43.json"
IRI = "https://w3id.org/policykg/doc/国办发〔2017〕43号"
SEED_IRI = str(document_iri(document_key(None, "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见", "")))
COMPARISON = f"https://w3id.org/policykg/graph/comparison/{SEED_IRI.rsplit('/', 1)[1]}/国办发〔2017〕43号"
HEADINGS = ["加快产业转型升级", "培育壮大创新型企业", "集聚创新创业人才", "加强创新创业载体建设",
            "促进县域社会事业发展", "创新驱动精准扶贫精准脱贫", "加大科学普及力度", "抓好科技创新政策落地"]


@pytest.fixture(scope="module")
def outline():
    graphs, data = load_outline(OUTLINE)
    return graphs, data


def test_iri_is_what_the_seed_implements(outline, extract):
    graphs, _ = outline
    assert str(graphs.iri) == IRI
    implements = extract("seed").metadata.implements.identifier
    assert str(document_iri(document_key(implements, None, ""))) == IRI


def test_key_tasks_principles_goals_and_provenance(outline):
    graphs, data = outline
    g, doc = graphs.document.to_rdflib(), graphs.iri
    text = str(g.value(doc, POL.fullText))
    assert (doc, POL.isPartial, Literal(True)) in g
    assert {str(m) for m in g.objects(doc, POL.missingPart)} == set(data["not_available"])
    tasks = sorted(g.subjects(RDF.type, POL.Task), key=lambda t: int(g.value(t, POL.ordinal)))
    assert [str(g.value(t, POL.title)) for t in tasks] == HEADINGS
    for t, item in zip(tasks, data["key_tasks"]["items"], strict=True):
        assert int(g.value(t, POL.ordinal)) == item["n"]
        assert str(g.value(t, POL.text)) == item["scope"]
        start, end = int(g.value(t, POL.startOffset)), int(g.value(t, POL.endOffset))
        assert text[start:end] == item["scope"]
        assert str(g.value(t, DCTERMS.source)) == data["key_tasks"]["source"]
        assert (t, POL.inDocument, doc) in g
    principles = sorted(g.subjects(RDF.type, POL.Principle), key=lambda p: int(g.value(p, POL.startOffset)))
    assert [str(g.value(p, POL.statement)) for p in principles] == ["创新驱动", "人才为先", "需求导向", "差异发展"]
    goals = {int(g.value(t, POL.year)): str(g.value(t, POL.text)) for t in g.subjects(RDF.type, POL.Target)}
    assert goals == {goal["year"]: goal["text"] for goal in data["goals"]}
    assert str(g.value(doc, DCTERMS.source)) == data["document"]["source"]
    assert g.value(doc, DCTERMS.issued) == Literal("2017-05-11", datatype=XSD.date)
    opening = URIRef(f"{doc}/excerpt/opening")
    s, e = int(g.value(opening, POL.startOffset)), int(g.value(opening, POL.endOffset))
    assert text[s:e] == data["document"]["opening_text"]


def test_partial_document_conforms(outline):
    graphs, _ = outline
    result = validate(graphs.to_rdflib())
    assert result.conforms, result.text[:3000]


def test_partial_without_missing_part_is_rejected(outline):
    graphs, _ = outline
    g = graphs.to_rdflib()
    g.remove((graphs.iri, POL.missingPart, None))
    result = validate(g)
    assert not result.conforms
    assert any("pol:missingPart" in v["message"] for v in result.violations)


def test_outline_of_another_schema_is_a_clear_error(tmp_path):
    bad = tmp_path / "sources.json"
    bad.write_text(json.dumps([{"title": "x"}]), encoding="utf-8")
    with pytest.raises(KGError) as e:
        read_outline(bad)
    assert e.value.code == "K501"
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    st = open_store(None)
    reports = ingest_paths(st, [bad, broken, CORPUS / "SOURCES.json"])
    assert [r.status for r in reports] == ["failed"] * 3
    assert {r.error["code"] for r in reports} == {"K501"}
    assert all(r.error["path"] == r.path for r in reports)


def test_folders_take_outlines_but_not_other_json():
    found = {p.name for p in iter_inputs([CORPUS])}
    assert "guideline-2017-43.json" in found and "SOURCES.json" not in found


def test_outline_needs_a_title_and_key_tasks(outline):
    _, data = outline
    with pytest.raises(KeyError):
        outline_graphs({**data, "document": {}})


def test_corpus_store_has_the_national_document_and_conforms(store):
    assert store.contains_named_graph(ox.NamedNode(IRI))
    results = validate_store(store, [IRI])
    assert results[IRI].conforms, results[IRI].violations[:5]


def test_ingest_writes_the_comparison(store):
    assert store.contains_named_graph(ox.NamedNode(COMPARISON))
    g = to_rdflib(store, [COMPARISON])
    assert len(set(g.subjects(RDF.type, POL.Alignment))) == 8
    assert {str(o) for o in g.objects(None, POL.coverageStatus)} == {str(POL.Implemented)}
    assert len(set(g.subjects(RDF.type, POL.Coverage))) == 8
    assert not set(g.subjects(RDF.type, POL.LocalAddition))
    result = validate(g)
    assert result.conforms, result.text[:2000]


def _data(store) -> set[str]:
    return {str(q) for q in store if q.graph_name.value != str(ONTOLOGY_GRAPH)}


def test_ingest_order_does_not_matter_and_is_idempotent(tmp_path):
    a, b = open_store(tmp_path / "a"), open_store(tmp_path / "b")
    ingest_paths(a, [SEED, OUTLINE])
    ingest_paths(b, [OUTLINE])
    ingest_paths(b, [SEED])
    snapshot = _data(a)          # the ontology graph left out: its OWL lists are blank nodes
    assert snapshot == _data(b)
    ingest_paths(a, [OUTLINE, SEED])
    assert _data(a) == snapshot
    assert a.contains_named_graph(ox.NamedNode(COMPARISON))


def test_comparison_is_dropped_when_the_local_document_no_longer_implements(tmp_path):
    st = open_store(None)
    ingest_paths(st, [SEED, OUTLINE])
    assert st.contains_named_graph(ox.NamedNode(COMPARISON))
    text = SEED.read_text(encoding="utf-8")
    assert text.count("(国办发〔2017〕43号)") == 1
    edited = tmp_path / SEED.name
    edited.write_text(text.replace("(国办发〔2017〕43号)", ""), encoding="utf-8")
    reports = ingest_paths(st, [edited])
    assert reports[0].document == SEED_IRI and reports[0].status == "replaced"
    assert not st.contains_named_graph(ox.NamedNode(COMPARISON))


def test_outline_size_limit(monkeypatch):
    monkeypatch.setenv("POLICYKG_MAX_INPUT_BYTES", "100")
    reports = ingest_paths(open_store(None), [OUTLINE])
    assert reports[0].status == "failed" and reports[0].error["code"] == "E105"
