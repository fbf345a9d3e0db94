"""Turn one ``DocumentExtraction`` into RDF: the document's own graph and its agency triples.

The document graph is named by the document IRI and holds everything about the document
(sections, tasks, measures, assignments, targets, citations, evidence). Agencies are shared
between documents, so their descriptions go to a separate graph (``AGENCIES_GRAPH``); the
store keeps that graph once, whatever number of documents name a body.
No blank nodes: every node has an IRI under the document, so re-ingesting gives the same triples.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib import namespace as rdfns

from extraction.model import DocumentExtraction, Provision, Section, Span
from extraction.outline import walk

from . import namespaces as ns
from .namespaces import document_iri, document_key
from .ntriples import Triples, Vocabulary, any_uri, date, decimal, integer, iri, string, zh
from .responsibility import assignments, describe_agency

POL, DCTERMS, RDF = (Vocabulary(v) for v in (ns.POL, rdfns.DCTERMS, rdfns.RDF))
INSTRUMENT = Vocabulary(ns.INSTRUMENT)
_LEVELS = {k: iri(v) for k, v in ns.LEVEL_TERMS.items()}
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]{1,2000}")      # a page address worth a link; nothing else
_ORIGIN_PROPERTIES = {"title": POL.titleOrigin, "identifier": POL.identifierOrigin, "issuer": POL.issuerOrigin,
                      "date": POL.dateOrigin, "region": POL.regionOrigin}
_SECTION_KINDS = {k: iri(v) for k, v in ns.SECTION_KINDS.items()}
_PROVISION_CLASSES = {"task": POL.Task, "safeguard": POL.Safeguard, "article": POL.Article,
                      "tablerow": POL.TableRow, "general": POL.GeneralItem}


@dataclass
class DocumentGraphs:
    iri: URIRef
    document: Triples      # goes into the named graph ``iri``
    agencies: Triples      # goes into the shared agencies graph

    def to_rdflib(self) -> Graph:
        """Both graphs in one rdflib ``Graph`` (for validation and tests)."""
        return self.agencies.to_rdflib(self.document.to_rdflib())


def _offsets(g: Triples, node: str, span: Span) -> None:
    g.add(node, POL.startOffset, integer(span.start))
    g.add(node, POL.endOffset, integer(span.end))


def document_graphs(ex: DocumentExtraction, source_bytes: bytes | None = None,
                    source_name: str | None = None) -> DocumentGraphs:
    """The document's graph and its agency triples. Node IRIs are the document IRI plus a path
    (``…/task/3/measure/2``); ``base`` below is that IRI as text, ``doc`` its N-Triples form."""
    meta = ex.metadata
    doc_iri = document_iri(document_key(meta.identifier, meta.title, ex.text))
    base, doc = str(doc_iri), iri(str(doc_iri))
    g, ag = Triples(), Triples()
    g.add(doc, RDF.type, POL.PolicyDocument)
    g.add(doc, POL.graphShape, integer(ns.GRAPH_SHAPE))
    g.add(doc, DCTERMS.title, zh(meta.title or (source_name or "untitled")))
    g.add(doc, POL.fullText, string(ex.text))
    g.add(doc, DCTERMS["format"], string(ex.source.media_type))
    g.add(doc, POL.sourceEncoding, string(ex.source.encoding))
    if source_name:
        g.add(doc, POL.sourceFile, string(source_name))
    if source_bytes is not None:
        g.add(doc, POL.sourceSha256, string(hashlib.sha256(source_bytes).hexdigest()))
    if (record := ex.source.record) is not None and record.url and _WEB_ADDRESS.fullmatch(record.url):
        g.add(doc, POL.sourcePage, any_uri(record.url))
    _metadata(g, ag, base, ex)
    sections = {s.id: _section(g, base, s) for s in walk(ex.sections)}
    for parent in walk(ex.sections):
        for child in parent.children:
            g.add(sections[child.id], DCTERMS.isPartOf, sections[parent.id])
    mentions: dict[tuple, str] = {}
    for p in ex.provisions:
        _provision(g, ag, base, p, ex.text, sections, mentions)
    _targets_citations(g, base, ex)
    _instruments(g, base, ex)
    return DocumentGraphs(doc_iri, g, ag)


def _instruments(g: Triples, base: str, ex: DocumentExtraction) -> None:
    """One pol:InstrumentTag per (measure, sub-type): its type, score, rank and every occurrence of
    its evidence as offsets in one literal (``pol:evidenceSpans`` "12-14 30-32", in the order the
    rules found them): the words are the text at those offsets, stated nowhere else."""
    from extraction.instruments import SUBTYPES

    for t in ex.instruments:
        measure_path = f"{base}/{t.provision_kind}/{t.provision_ordinal}/measure/{t.measure_ordinal}"
        node = iri(f"{measure_path}/instrument/{t.rank}")
        g.add(iri(measure_path), POL.hasInstrumentTag, node)
        g.add(node, RDF.type, POL.InstrumentTag)
        g.add(node, POL.instrumentType, INSTRUMENT[SUBTYPES[t.subtype][0]])
        g.add(node, POL.instrumentScore, decimal(t.score))
        g.add(node, POL.instrumentRank, integer(t.rank))
        g.add(node, POL.evidenceSpans, string(" ".join(f"{ev.start}-{ev.end}" for ev in t.evidence)))


def _evidence(g: Triples, base: str, field: str, prop: str, span: Span | None) -> None:
    if span is None:
        return
    node = iri(f"{base}/evidence/{field}")
    g.add(node, RDF.type, POL.MetadataEvidence)
    g.add(node, POL.inDocument, iri(base))
    g.add(node, POL.evidenceFor, prop)
    _offsets(g, node, span)


def _metadata(g: Triples, ag: Triples, base: str, ex: DocumentExtraction) -> None:
    from extraction.gazetteer import default_gazetteer

    meta, gaz, doc = ex.metadata, default_gazetteer(), iri(base)
    _evidence(g, base, "title", DCTERMS.title, meta.title_span)
    for field_, origin in sorted(meta.origins.items()):    # a field the text does not state: where it came from
        if field_ in _ORIGIN_PROPERTIES:
            g.add(doc, _ORIGIN_PROPERTIES[field_], string(origin))
    if meta.genre:
        g.add(doc, POL.genre, zh(meta.genre))
        _evidence(g, base, "genre", POL.genre, meta.genre_span)
    if meta.attached_genre:
        g.add(doc, POL.attachedGenre, zh(meta.attached_genre))
    for issued in meta.issued_titles:                  # derived from the title: its evidence is the title's
        g.add(doc, POL.issuedTitle, zh(issued))
    if meta.identifier:
        g.add(doc, DCTERMS.identifier, string(meta.identifier))
        _evidence(g, base, "identifier", DCTERMS.identifier, meta.identifier_span)
    if meta.date:
        g.add(doc, DCTERMS.issued, date(meta.date))
        _evidence(g, base, "issued", DCTERMS.issued, meta.date_span)
    issuers = meta.issuers or ([meta.issuer] if meta.issuer else [])
    spans = meta.issuer_spans or [meta.issuer_span]
    if issuers:                                        # one name literal; one publisher per issuer
        g.add(doc, POL.issuerName, zh("、".join(issuers)))
    for k, name in enumerate(issuers):
        publisher = gaz.resolve(name, meta.region)
        if publisher is not None:
            g.add(doc, DCTERMS.publisher, describe_agency(ag, publisher, name))
        span = spans[k] if k < len(spans) else None
        _evidence(g, base, "publisher" if k == 0 else f"publisher/{k + 1}", DCTERMS.publisher, span)
    if meta.level:
        g.add(doc, POL.adminLevel, _LEVELS[meta.level])
    if meta.region:
        g.add(doc, POL.region, zh(meta.region))
    if meta.province and meta.province != meta.region:
        g.add(doc, POL.province, zh(meta.province))
    if meta.addressee_span:
        g.add(doc, POL.addresseeText, zh(meta.addressee_span.of(ex.text)))
        _evidence(g, base, "addressee", POL.addresseeText, meta.addressee_span)
        for mention in meta.addressees:
            agency = gaz.resolve(mention.surface, meta.region)
            if agency is not None and agency.recognised:
                g.add(doc, POL.addressee, describe_agency(ag, agency, mention.surface))
    if meta.implements and meta.implements.identifier:
        target = iri(document_iri(document_key(meta.implements.identifier, None, "")))
        g.add(doc, POL.implements, target)
        _evidence(g, base, "implements", POL.implements, meta.implements.span)


def _section(g: Triples, base: str, s: Section) -> str:
    node = iri(f"{base}/section/{s.id}")
    g.add(node, RDF.type, POL.Section)
    g.add(node, POL.inDocument, iri(base))
    g.add(node, POL.sectionKind, _SECTION_KINDS[s.kind])
    if s.heading:
        g.add(node, POL.label, string(s.heading.marker))
        g.add(node, POL.number, integer(s.heading.number))
        g.add(node, POL.level, integer(s.heading.level))
        if s.heading.title:
            g.add(node, POL.title, zh(s.heading.title))
    _offsets(g, node, s.span)
    return node


def _provision(g: Triples, ag: Triples, base: str, p: Provision, text: str, sections: dict,
               mentions: dict) -> None:
    path, doc = f"{base}/{p.kind}/{p.ordinal}", iri(base)
    node = iri(path)
    g.add(node, RDF.type, _PROVISION_CLASSES[p.kind])
    g.add(node, RDF.type, POL.Provision)
    if p.deadline:
        g.add(node, POL.deadline, zh(p.deadline))
    if p.restates:
        g.add(node, POL.restates, iri(f"{base}/{p.restates[0]}/{p.restates[1]}"))
    if p.kind == "article":                  # 第五十四条: its marker and number, as a section's
        g.add(node, POL.label, string(p.label or ""))
        g.add(node, POL.number, integer(p.number or 0))
    g.add(node, POL.inDocument, doc)
    g.add(node, POL.ordinal, integer(p.ordinal))
    g.add(node, POL.text, zh(p.span.of(text)))
    if p.title:
        g.add(node, POL.title, zh(p.title))
    if p.section_id in sections:
        g.add(node, POL.inSection, sections[p.section_id])
    _offsets(g, node, p.span)
    for j, m in enumerate(p.measures, 1):
        mnode = iri(f"{path}/measure/{j}")
        g.add(mnode, RDF.type, POL.Measure)
        g.add(mnode, POL.inTask, node)
        g.add(mnode, POL.ordinal, integer(j))
        _offsets(g, mnode, m.span)
    assignments(g, ag, base, path, p, mentions)


def _containing(ex: DocumentExtraction, base: str, span: Span) -> str | None:
    for p in ex.provisions:
        if p.span.contains(span):
            return iri(f"{base}/{p.kind}/{p.ordinal}")
    return None


def _targets_citations(g: Triples, base: str, ex: DocumentExtraction) -> None:
    doc = iri(base)
    for k, t in enumerate(ex.targets, 1):
        node = iri(f"{base}/target/{k}")
        g.add(node, RDF.type, POL.Target)
        g.add(node, POL.inDocument, doc)
        g.add(node, POL.text, zh(t.span.of(ex.text)))
        for prop, value in ((POL.year, t.year), (POL.month, t.month)):
            if value is not None:
                g.add(node, prop, integer(value))
        if t.value is not None:
            g.add(node, POL.value, decimal(t.value))
        for prop, value in ((POL.indicator, t.indicator), (POL.unit, t.unit), (POL.comparator, t.comparator)):
            if value:
                g.add(node, prop, string(value))
        if (holder := _containing(ex, base, t.span)) is not None:
            g.add(node, POL.inProvision, holder)
        _offsets(g, node, t.span)
    for k, c in enumerate(ex.citations, 1):
        node = iri(f"{base}/citation/{k}")
        g.add(node, RDF.type, POL.Citation)
        g.add(node, POL.inDocument, doc)
        if c.title:
            g.add(node, POL.citedTitle, zh(c.title))
        if c.identifier:
            g.add(node, POL.citedIdentifier, string(c.identifier))
            cited = iri(document_iri(document_key(c.identifier, None, "")))
            if cited != doc:
                g.add(node, POL.cites, cited)
                g.add(doc, DCTERMS.references, cited)
        _offsets(g, node, c.span)
    for k, prog in enumerate(ex.programmes, 1):
        node = iri(f"{base}/programme/{k}")
        g.add(node, RDF.type, POL.ProgrammeMention)
        g.add(node, POL.inDocument, doc)
        g.add(node, POL.programmeName, zh(prog.name))
        if (holder := _containing(ex, base, prog.span)) is not None:
            g.add(node, POL.inProvision, holder)
        _offsets(g, node, prog.span)
