"""Turn one ``DocumentExtraction`` into RDF: the document's own graph and its agency triples.

The document graph is named by the document IRI and holds everything about the document
(sections, tasks, measures, assignments, targets, citations, evidence). Agencies are shared
between documents, so their descriptions go to a separate graph (``AGENCIES_GRAPH``); the
store keeps that graph once, whatever number of documents name a body.
No blank nodes: every node has an IRI under the document, so re-ingesting gives the same triples.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from extraction.model import Agency, Assignment, DocumentExtraction, Provision, Section, Span
from extraction.outline import walk

from .namespaces import (
    AGENCY_CLASSES,
    BASE,
    LEVEL_TERMS,
    POL,
    ROLE_TERMS,
    SECTION_KINDS,
    agency_iri,
    document_iri,
    document_key,
)

INSTRUMENT = Namespace(BASE + "instrument/")   # the concept scheme of ontologies/instruments.ttl


@dataclass
class DocumentGraphs:
    iri: URIRef
    document: Graph        # goes into the named graph ``iri``
    agencies: Graph        # goes into the shared agencies graph


def _zh(value: str) -> Literal:
    return Literal(value, lang="zh")


def _offsets(g: Graph, node: URIRef, span: Span) -> None:
    g.add((node, POL.startOffset, Literal(span.start, datatype=XSD.integer)))
    g.add((node, POL.endOffset, Literal(span.end, datatype=XSD.integer)))


def describe_agency(g: Graph, agency: Agency, surface: str | None = None) -> URIRef:
    node = agency_iri(agency.key)
    g.add((node, RDF.type, ORG.Organization))
    g.add((node, RDF.type, AGENCY_CLASSES.get(agency.kind, AGENCY_CLASSES["unknown"])))
    g.add((node, SKOS.prefLabel, _zh(agency.pref_label)))
    g.add((node, POL.recognised, Literal(agency.recognised)))
    if agency.region:
        g.add((node, POL.region, Literal(agency.region)))
    if agency.counterpart:
        from extraction.gazetteer import default_gazetteer

        counterpart = default_gazetteer().get(agency.counterpart)
        if counterpart is not None:
            g.add((node, POL.counterpart, describe_agency(g, counterpart)))
    if surface and surface != agency.pref_label:
        g.add((node, SKOS.altLabel, _zh(surface)))
    return node


def document_graphs(ex: DocumentExtraction, source_bytes: bytes | None = None,
                    source_name: str | None = None) -> DocumentGraphs:
    meta = ex.metadata
    iri = document_iri(document_key(meta.identifier, meta.title, ex.text))
    g, ag = Graph(), Graph()
    g.add((iri, RDF.type, POL.PolicyDocument))
    g.add((iri, DCTERMS.title, _zh(meta.title or (source_name or "untitled"))))
    g.add((iri, POL.fullText, Literal(ex.text)))
    g.add((iri, DCTERMS["format"], Literal(ex.source.media_type)))
    g.add((iri, POL.sourceEncoding, Literal(ex.source.encoding)))
    if source_name:
        g.add((iri, POL.sourceFile, Literal(source_name)))
    if source_bytes is not None:
        g.add((iri, POL.sourceSha256, Literal(hashlib.sha256(source_bytes).hexdigest())))
    _metadata(g, ag, iri, ex)
    sections = {s.id: _section(g, iri, s) for s in walk(ex.sections)}
    for parent in walk(ex.sections):
        for child in parent.children:
            g.add((sections[child.id], DCTERMS.isPartOf, sections[parent.id]))
    for p in ex.provisions:
        _provision(g, ag, iri, p, ex.text, sections)
    _targets_citations(g, iri, ex)
    _instruments(g, iri, ex)
    return DocumentGraphs(iri, g, ag)


def _instruments(g: Graph, doc: URIRef, ex: DocumentExtraction) -> None:
    """One pol:InstrumentTag per (measure, sub-type), with its evidence words and offsets."""
    from extraction.instruments import SUBTYPES

    for t in ex.instruments:
        measure = URIRef(f"{doc}/{t.provision_kind}/{t.provision_ordinal}/measure/{t.measure_ordinal}")
        node = URIRef(f"{measure}/instrument/{t.rank}")
        g.add((measure, POL.hasInstrumentTag, node))
        g.add((node, RDF.type, POL.InstrumentTag))
        g.add((node, POL.instrumentType, INSTRUMENT[SUBTYPES[t.subtype][0]]))
        g.add((node, POL.instrumentScore, Literal(Decimal(repr(t.score)).normalize(), datatype=XSD.decimal)))
        g.add((node, POL.instrumentRank, Literal(t.rank, datatype=XSD.integer)))
        _offsets(g, node, Span(t.evidence[0].start, t.evidence[0].end))
        for i, ev in enumerate(t.evidence, 1):
            enode = URIRef(f"{node}/evidence/{i}")
            g.add((node, POL.evidenceWord, Literal(ev.word)))
            g.add((node, POL.hasEvidence, enode))
            g.add((enode, RDF.type, POL.InstrumentEvidence))
            g.add((enode, POL.evidenceWord, Literal(ev.word)))
            _offsets(g, enode, Span(ev.start, ev.end))


def _evidence(g: Graph, doc: URIRef, field: str, prop: URIRef, span: Span | None) -> None:
    if span is None:
        return
    node = URIRef(f"{doc}/evidence/{field}")
    g.add((node, RDF.type, POL.MetadataEvidence))
    g.add((node, POL.inDocument, doc))
    g.add((node, POL.evidenceFor, prop))
    _offsets(g, node, span)


def _metadata(g: Graph, ag: Graph, doc: URIRef, ex: DocumentExtraction) -> None:
    from extraction.gazetteer import default_gazetteer

    meta, gaz = ex.metadata, default_gazetteer()
    _evidence(g, doc, "title", DCTERMS.title, meta.title_span)
    if meta.identifier:
        g.add((doc, DCTERMS.identifier, Literal(meta.identifier)))
        _evidence(g, doc, "identifier", DCTERMS.identifier, meta.identifier_span)
    if meta.date:
        g.add((doc, DCTERMS.issued, Literal(meta.date, datatype=XSD.date)))
        _evidence(g, doc, "issued", DCTERMS.issued, meta.date_span)
    if meta.issuer:
        g.add((doc, POL.issuerName, _zh(meta.issuer)))
        publisher = gaz.resolve(meta.issuer, meta.region)
        if publisher is not None:
            g.add((doc, DCTERMS.publisher, describe_agency(ag, publisher, meta.issuer)))
        _evidence(g, doc, "publisher", DCTERMS.publisher, meta.issuer_span)
    if meta.level:
        g.add((doc, POL.adminLevel, LEVEL_TERMS[meta.level]))
    if meta.region:
        g.add((doc, POL.region, _zh(meta.region)))
    if meta.addressee_span:
        g.add((doc, POL.addresseeText, _zh(meta.addressee_span.of(ex.text))))
        _evidence(g, doc, "addressee", POL.addresseeText, meta.addressee_span)
        for mention in meta.addressees:
            agency = gaz.resolve(mention.surface, meta.region)
            if agency is not None and agency.recognised:
                g.add((doc, POL.addressee, describe_agency(ag, agency, mention.surface)))
    if meta.implements and meta.implements.identifier:
        target = document_iri(document_key(meta.implements.identifier, None, ""))
        g.add((doc, POL.implements, target))
        _evidence(g, doc, "implements", POL.implements, meta.implements.span)


def _section(g: Graph, doc: URIRef, s: Section) -> URIRef:
    node = URIRef(f"{doc}/section/{s.id}")
    g.add((node, RDF.type, POL.Section))
    g.add((node, POL.inDocument, doc))
    g.add((doc, POL.hasSection, node))
    g.add((node, POL.sectionKind, SECTION_KINDS[s.kind]))
    if s.heading:
        g.add((node, POL.label, Literal(s.heading.marker)))
        g.add((node, POL.number, Literal(s.heading.number, datatype=XSD.integer)))
        g.add((node, POL.level, Literal(s.heading.level, datatype=XSD.integer)))
        if s.heading.title:
            g.add((node, POL.title, _zh(s.heading.title)))
    _offsets(g, node, s.span)
    return node


def _assign(g: Graph, ag: Graph, owner: URIRef, holder: URIRef, a: Assignment, k: int) -> None:
    agency = describe_agency(ag, a.agency, a.surface)
    node = URIRef(f"{owner}/assignment/{k}")
    g.add((node, RDF.type, POL.ResponsibilityAssignment))
    g.add((node, POL.agency, agency))
    g.add((node, POL.role, ROLE_TERMS[a.role]))
    g.add((node, POL.assignmentOf, holder))
    g.add((node, POL.surfaceForm, _zh(a.surface)))
    g.add((node, POL.assignmentSource, Literal(a.source)))
    _offsets(g, node, a.span)
    g.add((holder, POL.hasAssignment, node))
    g.add((holder, POL.responsibleAgency, agency))
    if a.role == "lead":
        g.add((holder, POL.leadAgency, agency))


def _provision(g: Graph, ag: Graph, doc: URIRef, p: Provision, text: str, sections: dict) -> None:
    node = URIRef(f"{doc}/{p.kind}/{p.ordinal}")
    g.add((node, RDF.type, POL.Task if p.kind == "task" else POL.Safeguard))
    g.add((node, RDF.type, POL.Provision))
    g.add((node, POL.inDocument, doc))
    if p.kind == "task":
        g.add((doc, POL.hasTask, node))
    g.add((node, POL.ordinal, Literal(p.ordinal, datatype=XSD.integer)))
    g.add((node, POL.text, _zh(p.span.of(text))))
    if p.title:
        g.add((node, POL.title, _zh(p.title)))
    if p.section_id in sections:
        g.add((node, POL.inSection, sections[p.section_id]))
    _offsets(g, node, p.span)
    k = 0
    for k, a in enumerate(p.assignments, 1):
        _assign(g, ag, node, node, a, k)
    for j, m in enumerate(p.measures, 1):
        mnode = URIRef(f"{node}/measure/{j}")
        g.add((mnode, RDF.type, POL.Measure))
        g.add((mnode, POL.text, _zh(m.span.of(text))))
        g.add((mnode, POL.inTask, node))
        g.add((mnode, POL.ordinal, Literal(j, datatype=XSD.integer)))
        g.add((node, POL.hasMeasure, mnode))
        _offsets(g, mnode, m.span)
        for i, a in enumerate(m.assignments, 1):
            _assign(g, ag, mnode, mnode, a, i)


def _containing(ex: DocumentExtraction, doc: URIRef, span: Span) -> URIRef | None:
    for p in ex.provisions:
        if p.span.contains(span):
            return URIRef(f"{doc}/{p.kind}/{p.ordinal}")
    return None


def _targets_citations(g: Graph, doc: URIRef, ex: DocumentExtraction) -> None:
    for k, t in enumerate(ex.targets, 1):
        node = URIRef(f"{doc}/target/{k}")
        g.add((node, RDF.type, POL.Target))
        g.add((node, POL.inDocument, doc))
        g.add((node, POL.text, _zh(t.span.of(ex.text))))
        for prop, value, dtype in ((POL.year, t.year, XSD.integer), (POL.month, t.month, XSD.integer)):
            if value is not None:
                g.add((node, prop, Literal(value, datatype=dtype)))
        if t.value is not None:
            g.add((node, POL.value, Literal(Decimal(repr(t.value)).normalize(), datatype=XSD.decimal)))
        for prop, value in ((POL.indicator, t.indicator), (POL.unit, t.unit), (POL.comparator, t.comparator)):
            if value:
                g.add((node, prop, Literal(value)))
        if (holder := _containing(ex, doc, t.span)) is not None:
            g.add((node, POL.inProvision, holder))
        _offsets(g, node, t.span)
    for k, c in enumerate(ex.citations, 1):
        node = URIRef(f"{doc}/citation/{k}")
        g.add((node, RDF.type, POL.Citation))
        g.add((node, POL.inDocument, doc))
        if c.title:
            g.add((node, POL.citedTitle, _zh(c.title)))
        if c.identifier:
            g.add((node, POL.citedIdentifier, Literal(c.identifier)))
            cited = document_iri(document_key(c.identifier, None, ""))
            if cited != doc:
                g.add((node, POL.cites, cited))
                g.add((doc, DCTERMS.references, cited))
        _offsets(g, node, c.span)
    for k, prog in enumerate(ex.programmes, 1):
        node = URIRef(f"{doc}/programme/{k}")
        g.add((node, RDF.type, POL.ProgrammeMention))
        g.add((node, POL.inDocument, doc))
        g.add((node, POL.programmeName, _zh(prog.name)))
        if (holder := _containing(ex, doc, prog.span)) is not None:
            g.add((node, POL.inProvision, holder))
        _offsets(g, node, prog.span)
