"""A partial national document from an outline (.json): metadata, opening, principles, goals and
key-task headings with one-line scopes, each field with its own source.

Such a document has no full text. Its ``pol:fullText`` is the *known text*: every verbatim field
of the outline, one per line, in document order (title, 文号, opening text, principles, goals,
then each key task's heading and scope). Every node built from a field carries offsets into that
text, exactly as for an extracted document, plus ``dcterms:source`` saying where the field came
from; the document says ``pol:isPartial true`` and lists ``pol:missingPart``. So the shapes of
ontologies/shapes.ttl hold unchanged, and ontologies/shapes-partial.ttl adds what a partial
document must also carry.

Outline schema (corpus/national/guideline-2017-43.json): ``document`` {title, identifier, issuer,
written, published, addressees, source, opening_text, opening_text_source}, ``principles``
{items, source}, ``goals`` [{year, text, source}], ``key_tasks`` {source, items [{n, heading,
scope}]}, ``not_available`` [str]. ``document.title`` and ``key_tasks.items`` are required.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..errors import KGError
from .build import DocumentGraphs, describe_agency
from .namespaces import GRAPH_SHAPE, LEVEL_TERMS, POL, document_iri, document_key
from .ntriples import Triples


def looks_like_outline(data: object) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("document"), dict)
            and isinstance(data.get("key_tasks"), dict))


def read_outline(path: Path) -> dict:
    """Parse and check an outline file; K501 when it is not one (with what is wrong): not JSON,
    nested too deeply, a field of the wrong type, a date that is not YYYY-MM-DD, or two key
    tasks with the same number (which would merge into one task)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise KGError("K501", f"{path}: {e}") from e
    except RecursionError as e:
        raise KGError("K501", f"{path}: nested too deeply to be an outline") from e
    if not looks_like_outline(data):
        raise KGError("K501", f"{path}: expected an object with 'document' and 'key_tasks'")
    problem = outline_problem(data)
    if problem:
        raise KGError("K501", f"{path}: {problem}")
    return data


_TEXTS = ("identifier", "issuer", "addressees", "source", "opening_text", "opening_text_source")


def _text(value: object, required: bool = False) -> bool:
    return isinstance(value, str) and bool(value.strip()) if required else value is None or isinstance(value, str)


def _number(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**6)


def outline_problem(data: dict) -> str | None:
    """What makes ``data`` (an object with ``document`` and ``key_tasks``) not a valid outline,
    or None (the schema is in the module docstring)."""
    d = data["document"]
    if not _text(d.get("title"), required=True):
        return "document.title is missing (or not text)"
    for key in _TEXTS:
        if not _text(d.get(key)):
            return f"document.{key} must be text"
    for key in ("written", "published"):
        if d.get(key) is not None:
            try:
                dt.date.fromisoformat(d[key])
            except (TypeError, ValueError):
                return f"document.{key} must be a date YYYY-MM-DD"
    principles = data.get("principles") or {}
    if not isinstance(principles, dict) or not _text(principles.get("source")) or not (
            isinstance(principles.get("items") or [], list) and all(_text(i, True) for i in principles.get("items") or [])):
        return "principles must be {items: [text], source: text}"
    goals = data.get("goals") or []
    if not isinstance(goals, list) or not all(
            isinstance(g, dict) and _text(g.get("text"), True) and _number(g.get("year")) and _text(g.get("source"))
            for g in goals):
        return "goals must be a list of {year: number, text: text, source: text}"
    if not isinstance(data.get("not_available") or [], list) or not all(
            _text(x, True) for x in data.get("not_available") or []):
        return "not_available must be a list of text"
    tasks = data["key_tasks"]
    items = tasks.get("items")
    if not _text(tasks.get("source")) or not isinstance(items, list) or not items or not all(
            isinstance(i, dict) and _text(i.get("heading"), True) and _text(i.get("scope")) and _number(i.get("n"))
            for i in items):
        return "key_tasks.items must be a non-empty list of {n: number, heading: text, scope: text}"
    numbers = [i.get("n") or k for k, i in enumerate(items, 1)]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        return f"key_tasks.items: task number {twice[0]} is given twice (two tasks would become one)"
    return None


class _Text:
    """The known text, built line by line; ``add`` returns the (start, end) of the line."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, line: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(line)
        self.length += len(line)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def _node(g: Graph, node: URIRef, cls, doc: URIRef, span: tuple[int, int], source: str | None) -> URIRef:
    g.add((node, RDF.type, cls))
    g.add((node, POL.inDocument, doc))
    g.add((node, POL.startOffset, Literal(span[0], datatype=XSD.integer)))
    g.add((node, POL.endOffset, Literal(span[1], datatype=XSD.integer)))
    if source:
        g.add((node, DCTERMS.source, Literal(source)))
    return node


def outline_graphs(data: dict, source_bytes: bytes | None = None, source_name: str | None = None) -> DocumentGraphs:
    from extraction.gazetteer import default_gazetteer
    from extraction.metadata import issued_titles

    d = data["document"]
    title, identifier = d["title"].strip(), (d.get("identifier") or "").strip() or None
    doc = document_iri(document_key(identifier, title, ""))
    doc_source = d.get("source")
    g, ag, text = Graph(), Triples(), _Text()
    g.add((doc, RDF.type, POL.PolicyDocument))
    g.add((doc, POL.graphShape, Literal(GRAPH_SHAPE, datatype=XSD.integer)))
    g.add((doc, DCTERMS.title, Literal(title, lang="zh")))
    for issued in issued_titles(title):
        g.add((doc, POL.issuedTitle, Literal(issued, lang="zh")))
    g.add((doc, POL.isPartial, Literal(True)))
    for part in data.get("not_available") or []:
        g.add((doc, POL.missingPart, Literal(str(part), lang="en")))
    g.add((doc, DCTERMS["format"], Literal("application/json")))
    g.add((doc, POL.sourceEncoding, Literal("utf-8")))
    g.add((doc, POL.adminLevel, LEVEL_TERMS["national"]))
    if doc_source:
        g.add((doc, DCTERMS.source, Literal(doc_source)))
    if source_name:
        g.add((doc, POL.sourceFile, Literal(source_name)))
    if source_bytes is not None:
        g.add((doc, POL.sourceSha256, Literal(hashlib.sha256(source_bytes).hexdigest())))

    def evidence(field: str, prop, span) -> None:
        node = _node(g, URIRef(f"{doc}/evidence/{field}"), POL.MetadataEvidence, doc, span, doc_source)
        g.add((node, POL.evidenceFor, prop))

    evidence("title", DCTERMS.title, text.add(title))
    if identifier:
        g.add((doc, DCTERMS.identifier, Literal(identifier)))
        evidence("identifier", DCTERMS.identifier, text.add(identifier))
    if d.get("written"):
        g.add((doc, DCTERMS.issued, Literal(dt.date.fromisoformat(d["written"]), datatype=XSD.date)))
    if d.get("issuer"):
        g.add((doc, POL.issuerName, Literal(d["issuer"], lang="zh")))
        publisher = default_gazetteer().resolve(d["issuer"])
        if publisher is not None and publisher.recognised:
            g.add((doc, DCTERMS.publisher, URIRef(describe_agency(ag, publisher, d["issuer"])[1:-1])))
    if d.get("addressees"):
        g.add((doc, POL.addresseeText, Literal(d["addressees"], lang="zh")))
    if d.get("opening_text"):
        _node(g, URIRef(f"{doc}/excerpt/opening"), POL.Excerpt, doc, text.add(d["opening_text"]),
              d.get("opening_text_source") or doc_source)
    principles = data.get("principles") or {}
    for k, item in enumerate(principles.get("items") or [], 1):
        node = _node(g, URIRef(f"{doc}/principle/{k}"), POL.Principle, doc, text.add(item),
                     principles.get("source"))
        g.add((node, POL.statement, Literal(item, lang="zh")))
    for k, goal in enumerate(data.get("goals") or [], 1):
        node = _node(g, URIRef(f"{doc}/target/{k}"), POL.Target, doc, text.add(goal["text"]), goal.get("source"))
        g.add((node, POL.text, Literal(goal["text"], lang="zh")))
        if goal.get("year"):
            g.add((node, POL.year, Literal(int(goal["year"]), datatype=XSD.integer)))
    tasks = data["key_tasks"]
    for k, item in enumerate(tasks["items"], 1):
        n = int(item.get("n") or k)
        heading, scope = item["heading"].strip(), (item.get("scope") or "").strip()
        text.add(heading)
        span = text.add(scope or heading)
        node = _node(g, URIRef(f"{doc}/task/{n}"), POL.Task, doc, span, tasks.get("source"))
        g.add((node, RDF.type, POL.Provision))
        g.add((node, POL.ordinal, Literal(n, datatype=XSD.integer)))
        g.add((node, POL.title, Literal(heading, lang="zh")))
        g.add((node, POL.text, Literal(scope or heading, lang="zh")))
    g.add((doc, POL.fullText, Literal(text.text())))
    return DocumentGraphs(doc, Triples.from_rdflib(g), ag)


def load_outline(path: Path) -> tuple[DocumentGraphs, dict]:
    data = read_outline(path)
    return outline_graphs(data, path.read_bytes(), path.name), data
