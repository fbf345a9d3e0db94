"""The vocabulary (ontologies/policy.ttl), the SHACL shapes (ontologies/shapes.ttl) and kg.graph.validate.

The conforming graph is built by hand from the seed document's real text, so these tests do
not depend on the extraction pipeline or the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS, XSD

from kg.graph import validate as kv
from kg.graph.namespaces import (
    AGENCIES_GRAPH,
    AGENCY_CLASSES,
    LEVEL_TERMS,
    POL,
    ROLE_TERMS,
    SECTION_KINDS,
    agency_iri,
    document_iri,
    document_key,
)

SEED = Path(__file__).resolve().parents[3] / "corpus" / "liaoning-county-innovation.txt"
TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
TASK_HEADING = "(二)培育壮大科技型中小企业。"
NOTE = "(责任单位:省科技厅、"
MEASURE = "制定企业培育计划,培育一批科技“小巨人”企业。"

TERM_TABLES = {"ROLE_TERMS": ROLE_TERMS, "LEVEL_TERMS": LEVEL_TERMS,
               "AGENCY_CLASSES": AGENCY_CLASSES, "SECTION_KINDS": SECTION_KINDS}
SCHEMES = {"ROLE_TERMS": POL.ResponsibilityRoles, "LEVEL_TERMS": POL.AdministrativeLevels,
           "SECTION_KINDS": POL.SectionKinds}
DECLARED = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme}


# --------------------------------------------------------------------------------------------
# The vocabulary
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ont() -> Graph:
    return kv.ontology_graph()


def _langs(g: Graph, term, *props) -> set[str | None]:
    return {o.language for p in props for o in g.objects(term, p) if isinstance(o, Literal)}


def _pol_terms(g: Graph) -> set[URIRef]:
    return {t for t in g.all_nodes() if isinstance(t, URIRef) and t.startswith(str(POL))}


def test_ontology_header(ont):
    onto = URIRef("https://w3id.org/policykg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ont
    for prop in (OWL.versionInfo, OWL.versionIRI, DCTERMS.license, RDFS.seeAlso):
        assert ont.value(onto, prop) is not None, prop
    assert _langs(ont, onto, DCTERMS.title) >= {"zh", "en"}


@pytest.mark.parametrize("table", sorted(TERM_TABLES))
def test_every_term_of_the_namespace_tables_is_defined(ont, table):
    for key, term in TERM_TABLES[table].items():
        types = set(ont.objects(term, RDF.type))
        assert types & DECLARED, f"{table}[{key!r}] = {term} is not defined"
        assert _langs(ont, term, RDFS.label) >= {"zh", "en"}, term
        if table == "AGENCY_CLASSES":
            assert (term, RDFS.subClassOf, ORG.Organization) in ont, term
        else:
            assert (term, SKOS.inScheme, SCHEMES[table]) in ont, term
            assert str(ont.value(term, SKOS.notation)) == key, term


def test_every_pol_term_is_declared_labelled_and_explained(ont):
    terms = _pol_terms(ont)
    assert len(terms) > 80
    for term in terms:
        types = set(ont.objects(term, RDF.type))
        assert types & DECLARED, f"{term} is used but not declared"
        assert not {OWL.ObjectProperty, OWL.DatatypeProperty} <= types, term
        assert _langs(ont, term, RDFS.label) >= {"zh", "en"}, term
        assert _langs(ont, term, RDFS.comment, SKOS.definition) >= {"zh", "en"}, term


def test_domains_and_ranges_name_declared_classes(ont):
    known = {t for t in ont.subjects(RDF.type, OWL.Class)}
    for prop in (RDFS.domain, RDFS.range):
        for _, cls in ont.subject_objects(prop):
            if isinstance(cls, BNode):        # owl:unionOf / owl:oneOf
                members = ont.value(cls, OWL.unionOf)
                classes = list(ont.items(members)) if members is not None else []
            else:
                classes = [cls]
            for c in classes:
                assert c in known or str(c).startswith(str(XSD)), c


def test_every_pol_term_in_the_shapes_is_defined(ont):
    used = _pol_terms(kv.shapes_graph())
    assert used, "shapes.ttl uses no pol: term?"
    assert not {t for t in used if not set(ont.objects(t, RDF.type)) & DECLARED}


def test_ontology_dir_can_be_moved(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYKG_ONTOLOGY_DIR", str(tmp_path))
    assert kv.ontology_dir() == tmp_path
    monkeypatch.delenv("POLICYKG_ONTOLOGY_DIR")
    assert (kv.ontology_dir() / "policy.ttl").is_file()


# --------------------------------------------------------------------------------------------
# A conforming graph, by hand, from the seed document
# --------------------------------------------------------------------------------------------

TEXT = SEED.read_text(encoding="utf-8")
DOC = document_iri(document_key(None, TITLE, TEXT))
SECTION = URIRef(f"{DOC}/section/2")
SUBSECTION = URIRef(f"{DOC}/section/2.2")
TASK = URIRef(f"{DOC}/task/2")
MEASURE_IRI = URIRef(f"{TASK}/measure/9")
MENTION = URIRef(f"{DOC}/mention/1")
TARGET = URIRef(f"{DOC}/target/1")
CITATION = URIRef(f"{DOC}/citation/1")
PROGRAMME = URIRef(f"{DOC}/programme/1")
EVIDENCE = URIRef(f"{DOC}/evidence/title")
DOST = agency_iri("ln/dost")
MOST = agency_iri("cn/most")
GOV_OFFICE = agency_iri("ln/gov-office")


def _span(s: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(s, after)
    return start, start + len(s)


def _offsets(g: Graph, node, span: tuple[int, int]) -> None:
    g.add((node, POL.startOffset, Literal(span[0])))
    g.add((node, POL.endOffset, Literal(span[1])))


def build() -> Dataset:
    ds = Dataset()
    g = ds.graph(DOC)
    zh = lambda s: Literal(s, lang="zh")  # noqa: E731

    g.add((DOC, RDF.type, POL.PolicyDocument))
    g.add((DOC, POL.graphShape, Literal(2)))
    g.add((DOC, DCTERMS.title, zh(TITLE)))
    g.add((DOC, POL.fullText, Literal(TEXT)))
    g.add((DOC, DCTERMS.publisher, GOV_OFFICE))
    g.add((DOC, POL.issuerName, zh("辽宁省人民政府办公厅")))
    g.add((DOC, POL.adminLevel, POL.ProvincialLevel))
    g.add((DOC, POL.region, zh("辽宁省")))
    g.add((DOC, POL.addresseeText, zh("各市人民政府、省政府各厅委、各直属机构")))
    g.add((DOC, POL.implements, document_iri("国办发〔2017〕43号")))
    g.add((DOC, DCTERMS.references, document_iri("国办发〔2017〕43号")))
    g.add((DOC, DCTERMS["format"], Literal("text/plain")))
    g.add((DOC, POL.sourceEncoding, Literal("utf-8")))
    g.add((DOC, POL.sourceFile, Literal(SEED.name)))
    g.add((DOC, POL.sourceSha256, Literal("0" * 64)))
    g.add((DOC, POL.isPartial, Literal(False)))
    g.add((EVIDENCE, RDF.type, POL.MetadataEvidence))
    g.add((EVIDENCE, POL.inDocument, DOC))
    g.add((EVIDENCE, POL.evidenceFor, DCTERMS.title))
    _offsets(g, EVIDENCE, _span(TITLE))

    task_start = TEXT.index(TASK_HEADING)
    task_end = TEXT.index("\n", TEXT.index(NOTE))
    for node, label, number, level, start, end, title in (
        (SECTION, "二、", 2, 1, TEXT.index("二、重点任务"), TEXT.index("三、"), "重点任务"),
        (SUBSECTION, "(二)", 2, 2, task_start, task_end, "培育壮大科技型中小企业"),
    ):
        g.add((node, RDF.type, POL.Section))
        g.add((node, POL.inDocument, DOC))
        g.add((node, POL.label, Literal(label)))
        g.add((node, POL.number, Literal(number)))
        g.add((node, POL.level, Literal(level)))
        g.add((node, POL.title, zh(title)))
        g.add((node, POL.sectionKind, POL.KeyTasks))
        _offsets(g, node, (start, end))
    g.add((SUBSECTION, DCTERMS.isPartOf, SECTION))

    g.add((TASK, RDF.type, POL.Task))            # typed pol:Task only: the Provision shape still applies
    g.add((TASK, POL.inDocument, DOC))
    g.add((TASK, POL.inSection, SUBSECTION))
    g.add((TASK, POL.ordinal, Literal(2)))
    g.add((TASK, POL.title, zh("培育壮大科技型中小企业")))
    g.add((TASK, POL.text, zh(TEXT[task_start:task_end])))
    g.add((TASK, POL.responsibleAgency, DOST))
    g.add((TASK, POL.inChargeAgency, DOST))
    _offsets(g, TASK, (task_start, task_end))

    g.add((MEASURE_IRI, RDF.type, POL.Measure))
    g.add((MEASURE_IRI, POL.inTask, TASK))
    g.add((MEASURE_IRI, POL.ordinal, Literal(9)))
    _offsets(g, MEASURE_IRI, _span(MEASURE, task_start))

    g.add((MENTION, RDF.type, POL.AgencyMention))
    g.add((MENTION, POL.agency, DOST))
    g.add((MENTION, POL.role, POL.ResponsibleRole))
    g.add((MENTION, POL.mentionIn, TASK))
    g.add((MENTION, POL.surfaceForm, zh("省科技厅")))
    g.add((MENTION, POL.assignmentSource, Literal("note")))
    _offsets(g, MENTION, _span("省科技厅", TEXT.index(NOTE)))

    g.add((TARGET, RDF.type, POL.Target))
    g.add((TARGET, POL.inDocument, DOC))
    g.add((TARGET, POL.text, zh("到2020年,我省县域创新驱动发展环境显著改善")))
    g.add((TARGET, POL.year, Literal(2020)))
    g.add((TARGET, POL.value, Literal(Decimal("2.5"))))
    g.add((TARGET, POL.comparator, Literal(">=")))
    _offsets(g, TARGET, _span("到2020年,我省县域创新驱动发展环境显著改善"))

    g.add((CITATION, RDF.type, POL.Citation))
    g.add((CITATION, POL.inDocument, DOC))
    g.add((CITATION, POL.citedTitle, zh("国务院办公厅关于县域创新驱动发展的若干意见")))
    g.add((CITATION, POL.citedIdentifier, Literal("国办发〔2017〕43号")))
    g.add((CITATION, POL.cites, document_iri("国办发〔2017〕43号")))
    _offsets(g, CITATION, _span("《国务院办公厅关于县域创新驱动发展的若干意见》(国办发〔2017〕43号)"))

    g.add((PROGRAMME, RDF.type, POL.ProgrammeMention))
    g.add((PROGRAMME, POL.inDocument, DOC))
    g.add((PROGRAMME, POL.programmeName, zh("科普惠农兴村计划")))
    _offsets(g, PROGRAMME, _span("科普惠农兴村计划"))

    a = ds.graph(AGENCIES_GRAPH)
    for node, cls, pref, region in (
        (DOST, POL.ProvincialAgency, "辽宁省科学技术厅", "辽宁省"),
        (GOV_OFFICE, POL.ProvincialAgency, "辽宁省人民政府办公厅", "辽宁省"),
        (MOST, POL.CentralAgency, "中华人民共和国科学技术部", None),
    ):
        a.add((node, RDF.type, ORG.Organization))
        a.add((node, RDF.type, cls))
        a.add((node, SKOS.prefLabel, zh(pref)))
        a.add((node, POL.recognised, Literal(True)))
        if region:
            a.add((node, POL.region, Literal(region)))
    a.add((DOST, SKOS.altLabel, zh("省科技厅")))
    a.add((DOST, POL.counterpart, MOST))
    return ds


def test_the_fixture_quotes_the_seed_document():
    g = build().graph(DOC)
    assert TITLE in TEXT
    task_text = str(g.value(TASK, POL.text))
    assert task_text.startswith(TASK_HEADING) and "省科技厅" in task_text
    start, end = (g.value(MENTION, p).toPython() for p in (POL.startOffset, POL.endOffset))
    assert TEXT[start:end] == "省科技厅"


def test_the_hand_built_graph_conforms():
    ds = build()
    before = len(ds)
    result = kv.validate(ds)
    assert result.conforms, result.text
    assert result.violations == []
    assert "Conforms: True" in result.text
    assert len(ds) == before        # validation works on a copy


def test_a_graph_validates_like_the_dataset_it_came_from():
    union = Graph()
    for s, p, o, _ in build().quads((None, None, None, None)):
        union.add((s, p, o))
    assert kv.validate(union).conforms
    union.remove((DOC, DCTERMS.title, None))
    assert not kv.validate(union).conforms


# --------------------------------------------------------------------------------------------
# Variants that still conform: other literal forms the shapes accept
# --------------------------------------------------------------------------------------------

def _set(node, prop, value) -> Callable[[Dataset], None]:
    def change(ds: Dataset) -> None:
        for g in ds.graphs():
            g.remove((node, prop, None))
        graph = AGENCIES_GRAPH if str(node).startswith("https://w3id.org/policykg/agency/") else DOC
        ds.graph(graph).add((node, prop, value))
    return change


def _drop(node, prop, value=None) -> Callable[[Dataset], None]:
    def change(ds: Dataset) -> None:
        for g in ds.graphs():
            g.remove((node, prop, value))
    return change


def _add(node, prop, value) -> Callable[[Dataset], None]:
    def change(ds: Dataset) -> None:
        graph = AGENCIES_GRAPH if str(node).startswith("https://w3id.org/policykg/agency/") else DOC
        ds.graph(graph).add((node, prop, value))
    return change


def _both(*changes: Callable[[Dataset], None]) -> Callable[[Dataset], None]:
    def change(ds: Dataset) -> None:
        for c in changes:
            c(ds)
    return change


ACCEPTED = {
    "plain title": _set(DOC, DCTERMS.title, Literal(TITLE)),
    "title typed xsd:string": _set(DOC, DCTERMS.title, Literal(TITLE, datatype=XSD.string)),
    "empty span": _set(MENTION, POL.endOffset, Literal(_span("省科技厅", TEXT.index(NOTE))[0])),
    "source typed xsd:string": _set(MENTION, POL.assignmentSource, Literal("text", datatype=XSD.string)),
    "lead agency": _both(_add(TASK, POL.leadAgency, DOST), _set(MENTION, POL.role, POL.LeadRole)),
    "unrecognised agency": _both(_drop(MOST, RDF.type, POL.CentralAgency),
                                 _add(MOST, RDF.type, POL.UnrecognisedAgency),
                                 _set(MOST, POL.recognised, Literal(False))),
    "date issued": _add(DOC, DCTERMS.issued, Literal("2017-12-29", datatype=XSD.date)),
    "citation by identifier only": _drop(CITATION, POL.citedTitle),
    "missing part in English": _add(DOC, POL.missingPart, Literal("full text of each key task", lang="en")),
}


@pytest.mark.parametrize("change", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_variants(change):
    ds = build()
    change(ds)
    result = kv.validate(ds)
    assert result.conforms, result.text


# --------------------------------------------------------------------------------------------
# Broken variants: each fails on the expected node, path and message
# --------------------------------------------------------------------------------------------

ANY_PATH = object()      # a property shape whose path is a SHACL path expression (a blank node)

BROKEN = {
    "missing title": (_drop(DOC, DCTERMS.title), DOC, DCTERMS.title,
                      "exactly one dcterms:title"),
    "two titles": (_add(DOC, DCTERMS.title, Literal("另一个标题", lang="zh")), DOC, DCTERMS.title,
                   "exactly one dcterms:title"),
    "English title": (_set(DOC, DCTERMS.title, Literal("Opinions", lang="en")), DOC, DCTERMS.title,
                      "exactly one dcterms:title"),
    "missing full text": (_drop(DOC, POL.fullText), DOC, POL.fullText, "exactly one pol:fullText"),
    "task without pol:inDocument": (_drop(TASK, POL.inDocument), TASK, POL.inDocument,
                                    "provision must have exactly one pol:inDocument"),
    "task without text": (_drop(TASK, POL.text), TASK, POL.text, "exactly one pol:text"),
    "ordinal as string": (_set(TASK, POL.ordinal, Literal("2")), TASK, POL.ordinal, "pol:ordinal"),
    "role outside the scheme": (_set(MENTION, POL.role, POL.OwnerRole), MENTION, POL.role,
                                "pol:role from pol:ResponsibilityRoles"),
    "role is a level": (_set(MENTION, POL.role, POL.NationalLevel), MENTION, POL.role,
                        "pol:role from pol:ResponsibilityRoles"),
    "two roles": (_add(MENTION, POL.role, POL.LeadRole), MENTION, POL.role,
                  "exactly one pol:role"),
    "assignment to a non-agency": (_set(MENTION, POL.agency, URIRef("https://example.org/x")),
                                   MENTION, POL.agency, "pol:agency, an org:Organization"),
    "mention in a section": (_set(MENTION, POL.mentionIn, SECTION), MENTION,
                             POL.mentionIn, "pol:Provision or pol:Measure"),
    "mention in nothing": (_drop(MENTION, POL.mentionIn), MENTION, POL.mentionIn,
                           "pol:mentionIn at least one"),
    "role property to a non-agency": (_add(TASK, POL.participantAgency, URIRef("https://example.org/x")),
                                      TASK, ANY_PATH, "must point to an org:Organization"),
    "old graph shape": (_set(DOC, POL.graphShape, Literal(1)), DOC, POL.graphShape, "pol:graphShape, 2"),
    "unknown assignment source": (_set(MENTION, POL.assignmentSource, Literal("guess")), MENTION,
                                  POL.assignmentSource, "pol:assignmentSource must be one of"),
    "agency with two prefLabels": (_add(DOST, SKOS.prefLabel, Literal("省科技厅", lang="zh")), DOST,
                                   SKOS.prefLabel, "exactly one skos:prefLabel"),
    "agency prefLabel without language": (_set(DOST, SKOS.prefLabel, Literal("辽宁省科学技术厅")), DOST,
                                          SKOS.prefLabel, "exactly one skos:prefLabel"),
    "agency of no agency class": (_drop(DOST, RDF.type, POL.ProvincialAgency), DOST, RDF.type,
                                  "typed with one of the agency classes"),
    "agency typed by subclass only, no prefLabel": (
        _both(_drop(DOST, RDF.type, ORG.Organization), _drop(DOST, SKOS.prefLabel)),
        DOST, SKOS.prefLabel, "exactly one skos:prefLabel"),
    "agency without pol:recognised": (_drop(DOST, POL.recognised), DOST, POL.recognised,
                                      "exactly one pol:recognised"),
    "unrecognised agency marked recognised": (_add(DOST, RDF.type, POL.UnrecognisedAgency), DOST,
                                              POL.recognised, "must have pol:recognised false"),
    "startOffset > endOffset": (_set(MENTION, POL.startOffset, Literal(5000)), MENTION,
                                POL.startOffset, "must not be greater than pol:endOffset"),
    "negative offset": (_set(EVIDENCE, POL.startOffset, Literal(-1)), EVIDENCE, POL.startOffset,
                        "integer >= 0"),
    "offset typed xsd:nonNegativeInteger": (
        _set(TASK, POL.endOffset, Literal(str(_span(TASK_HEADING)[1]), datatype=XSD.nonNegativeInteger)),
        TASK, POL.endOffset, "an xsd:integer >= 0"),
    "offset missing": (_drop(TASK, POL.endOffset), TASK, POL.endOffset, "exactly one pol:endOffset"),
    "measure without pol:inTask": (_drop(MEASURE_IRI, POL.inTask), MEASURE_IRI, POL.inTask,
                                   "exactly one pol:inTask"),
    "measure with a text of its own": (_add(MEASURE_IRI, POL.text, Literal("加快科技型中小企业发展", lang="zh")),
                                       MEASURE_IRI, POL.text, "A measure has no pol:text"),
    "measure in a section": (_set(MEASURE_IRI, POL.inTask, SECTION), MEASURE_IRI, POL.inTask,
                             "exactly one pol:inTask"),
    "admin level outside the scheme": (_set(DOC, POL.adminLevel, POL.KeyTasks), DOC, POL.adminLevel,
                                       "pol:adminLevel must be one concept"),
    "section kind outside the scheme": (_set(SECTION, POL.sectionKind, POL.LeadRole), SECTION,
                                        POL.sectionKind, "pol:sectionKind must be one concept"),
    "section level 0": (_set(SECTION, POL.level, Literal(0)), SECTION, POL.level, "pol:level"),
    "date as string": (_add(DOC, DCTERMS.issued, Literal("2017-12-29")), DOC, DCTERMS.issued,
                       "dcterms:issued, an xsd:date"),
    "bad sha256": (_set(DOC, POL.sourceSha256, Literal("abc")), DOC, POL.sourceSha256,
                   "64 lower-case hexadecimal"),
    "implements a literal": (_set(DOC, POL.implements, Literal("国办发〔2017〕43号")), DOC,
                             POL.implements, "pol:implements must be a document IRI"),
    "citation with neither title nor identifier": (
        _both(_drop(CITATION, POL.citedTitle), _drop(CITATION, POL.citedIdentifier)),
        CITATION, None, "pol:citedTitle or pol:citedIdentifier"),
    "target month 13": (_add(TARGET, POL.month, Literal(13)), TARGET, POL.month, "pol:month"),
    "target value as float": (_set(TARGET, POL.value, Literal(2.5)), TARGET, POL.value, "xsd:decimal"),
    "unknown comparator": (_set(TARGET, POL.comparator, Literal("以上")), TARGET, POL.comparator,
                           "pol:comparator must be one of"),
    "programme without a name": (_drop(PROGRAMME, POL.programmeName), PROGRAMME, POL.programmeName,
                                 "exactly one pol:programmeName"),
    "evidence for a literal": (_set(EVIDENCE, POL.evidenceFor, Literal("title")), EVIDENCE,
                               POL.evidenceFor, "pol:evidenceFor"),
}


@pytest.mark.parametrize(("change", "focus", "path", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_variants(change, focus, path, message):
    ds = build()
    change(ds)
    result = kv.validate(ds)
    assert not result.conforms
    hits = [v for v in result.violations
            if v["focus_node"] == str(focus) and (path is ANY_PATH or v["path"] == (str(path) if path else None))
            and message in v["message"]]
    assert hits, result.text
    assert all(v["severity"] == "Violation" for v in result.violations)
    assert {v["focus_node"] for v in result.violations} == {str(focus)}, result.violations
    assert all(v["shape"].startswith("https://w3id.org/policykg/shapes#") for v in result.violations)


def test_violation_records_are_plain_strings():
    ds = build()
    _set(MENTION, POL.startOffset, Literal(5000))(ds)
    (v,) = kv.validate(ds).violations
    assert v == {
        "focus_node": str(MENTION),
        "path": str(POL.startOffset),
        "value": "5000",
        "message": "pol:startOffset must not be greater than pol:endOffset.",
        "severity": "Violation",
        "shape": "https://w3id.org/policykg/shapes#OffsetsShape",
        "component": "LessThanOrEqualsConstraintComponent",
    }


@pytest.mark.parametrize("inference", ["none", "rdfs", "owlrl"])
def test_inference_modes(inference):
    ds = build()
    assert kv.validate(ds, inference=inference).conforms
    _drop(MEASURE_IRI, POL.inTask)(ds)
    assert not kv.validate(ds, inference=inference).conforms
