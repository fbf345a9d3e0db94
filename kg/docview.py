"""What a document page shows: metadata, outline, provisions, and the marks to highlight in
its text (from the stored offsets). Plain, picklable data: the service computes ``document_page``
in a query worker (``kg.query.pool``, under the query time limit) and web/ turns it into HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import KGError
from .graph.namespaces import AGENCIES_GRAPH, DOC, ONTOLOGY_GRAPH, PREFIXES

_META = """
SELECT ?p ?o ?label WHERE { ?doc ?p ?o . FILTER(?p != pol:fullText)
  OPTIONAL { ?o skos:prefLabel ?label FILTER(LANG(?label) != "en") } }"""
_SECTIONS = """
SELECT ?s ?label ?title ?level ?kind ?start ?end WHERE {
  ?s a pol:Section ; pol:inDocument ?doc ; pol:startOffset ?start ; pol:endOffset ?end ; pol:sectionKind ?k .
  ?k skos:notation ?kind .
  OPTIONAL { ?s pol:label ?label } OPTIONAL { ?s pol:title ?title } OPTIONAL { ?s pol:level ?level }
} ORDER BY ?start"""
_KIND = {"Task": "task", "Safeguard": "safeguard", "Article": "article", "GeneralItem": "general",
         "TableRow": "tablerow"}
_PROVISIONS = """
SELECT ?p ?cls ?ordinal ?title ?start ?end WHERE {
  ?p a pol:Provision ; a ?cls ; pol:inDocument ?doc ; pol:ordinal ?ordinal ; pol:startOffset ?start ;
     pol:endOffset ?end . FILTER(?cls IN (pol:Task, pol:Safeguard, pol:Article, pol:GeneralItem, pol:TableRow))
  OPTIONAL { ?p pol:title ?title }
} ORDER BY ?start"""
_MARKS = """
SELECT ?kind ?start ?end ?agency ?label ?role ?holder WHERE {
  { ?a a pol:AgencyMention ; pol:agency ?agency ; pol:role ?r ; pol:startOffset ?start ; pol:endOffset ?end ;
       OPTIONAL { ?a pol:assignmentSource ?src }
    FILTER(!BOUND(?src) || ?src != "declaration") ?r skos:notation ?role . ?agency skos:prefLabel ?label . BIND("agency" AS ?kind) }
  UNION { ?t a pol:Target ; pol:inDocument ?doc ; pol:startOffset ?start ; pol:endOffset ?end .
          OPTIONAL { ?t pol:indicator ?label } BIND("target" AS ?kind) }
  UNION { ?c a pol:Citation ; pol:inDocument ?doc ; pol:startOffset ?start ; pol:endOffset ?end .
          OPTIONAL { ?c pol:citedIdentifier ?label } BIND("citation" AS ?kind) }
  UNION { ?c a pol:ProgrammeMention ; pol:inDocument ?doc ; pol:startOffset ?start ; pol:endOffset ?end .
          ?c pol:programmeName ?label BIND("programme" AS ?kind) }
}"""


@dataclass
class Mark:
    start: int
    end: int
    kind: str                 # agency | target | citation | programme
    label: str = ""
    agency: str | None = None
    role: str | None = None


@dataclass
class DocumentView:
    iri: str
    key: str
    text: str
    meta: dict[str, list[tuple[str, str | None]]]      # property -> [(value, label)]
    sections: list[dict] = field(default_factory=list)
    provisions: list[dict] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')


def _q(store, query: str, doc: str):
    """Run ``query`` on one document graph (plus agencies and ontology), ?doc bound to it."""
    graphs = [ox.NamedNode(doc), ox.NamedNode(str(AGENCIES_GRAPH)), ox.NamedNode(str(ONTOLOGY_GRAPH))]
    return store.query(query.replace("?doc", f"<{doc}>"), prefixes=PREFIXES, default_graph=graphs)


def _v(term):
    return None if term is None else term.value


def document_view(store, key: str) -> DocumentView:
    if not key or _NOT_IN_IRI.search(key):
        raise KGError("K103", key)
    iri = str(DOC) + key
    if not store.contains_named_graph(ox.NamedNode(iri)):
        raise KGError("K103", key)
    text = next(iter(_q(store, "SELECT ?t WHERE { ?doc pol:fullText ?t }", iri)), None)
    view = DocumentView(iri, key, text["t"].value if text else "", {})
    local = lambda uri: uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]  # noqa: E731
    for r in _q(store, _META, iri):
        view.meta.setdefault(local(r["p"].value), []).append((r["o"].value, _v(r["label"])))
    view.sections = [{"iri": r["s"].value, "label": _v(r["label"]), "title": _v(r["title"]),
                      "level": int(r["level"].value) if r["level"] else 1, "kind": r["kind"].value,
                      "start": int(r["start"].value), "end": int(r["end"].value)} for r in _q(store, _SECTIONS, iri)]
    view.provisions = [{"iri": r["p"].value, "kind": _KIND[local(r["cls"].value)],
                        "ordinal": int(r["ordinal"].value), "title": _v(r["title"]),
                        "start": int(r["start"].value), "end": int(r["end"].value)}
                       for r in _q(store, _PROVISIONS, iri)]
    view.marks = sorted({(int(r["start"].value), int(r["end"].value), r["kind"].value, _v(r["label"]) or "",
                          _v(r["agency"]), _v(r["role"])) for r in _q(store, _MARKS, iri)})
    view.marks = [Mark(*m) for m in view.marks]
    return view


def segments(text: str, marks: list[Mark], start: int = 0, end: int | None = None) -> list[tuple[str, Mark | None]]:
    """Split text[start:end] into plain and marked pieces; overlapping marks: the first wins."""
    end = len(text) if end is None else end
    out: list[tuple[str, Mark | None]] = []
    pos = start
    for m in sorted((m for m in marks if start <= m.start < end), key=lambda m: (m.start, -(m.end - m.start))):
        if m.start < pos:
            continue
        if m.start > pos:
            out.append((text[pos:m.start], None))
        stop = min(m.end, end)
        out.append((text[m.start:stop], m))
        pos = stop
    if pos < end:
        out.append((text[pos:end], None))
    return out


Block = tuple[dict | None, list[tuple[str, Mark | None]]]


@dataclass
class DocumentPage:
    """What the document page shows, computed where the store is read (a query worker) and
    sent back pickled: the view's metadata, outline and provisions, and its text as ``blocks``
    — (provision, or None for text outside provisions; its pieces as ``segments`` cuts them) in
    reading order, which hold the whole text and its marks."""

    iri: str
    key: str
    meta: dict[str, list[tuple[str, str | None]]]
    sections: list[dict]
    provisions: list[dict]
    blocks: list[Block]


def text_blocks(view: DocumentView) -> list[Block]:
    """The text cut at its provisions (a provision inside one already cut is not cut again)."""
    blocks: list[Block] = []
    pos = 0
    for p in view.provisions:
        if p["start"] < pos:
            continue
        if p["start"] > pos:
            blocks.append((None, segments(view.text, view.marks, pos, p["start"])))
        blocks.append((p, segments(view.text, view.marks, p["start"], p["end"])))
        pos = p["end"]
    blocks.append((None, segments(view.text, view.marks, pos, len(view.text))))
    return blocks


def document_page(store, key: str) -> DocumentPage:
    """The page of the document ``key``; ``K103`` when there is none (also for a key that
    cannot be part of an IRI)."""
    try:
        view = document_view(store, key)
    except ValueError as e:                  # %FF and the like: not a key of any document
        raise KGError("K103", key) from e
    return DocumentPage(view.iri, view.key, view.meta, view.sections, view.provisions, text_blocks(view))
