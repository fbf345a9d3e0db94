"""Building the search index: one row per item a reader reads (tasks, measures, safeguards,
passages), its jieba search tokens, its bodies and years, written beside the store and kept in
step with it (``sync``). See the package's docstring for what is indexed and how it is found."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from extraction.nlp import search_tokens
from extraction.segment import span_search_tokens

from ..graph.namespaces import AGENCIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from ..passages import of_extraction, passages
from ..query.documents import catalog_rows
from ..store.embedded import document_graphs
from . import agencies, catalog

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (doc TEXT PRIMARY KEY, fingerprint TEXT, title TEXT, identifier TEXT);
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, doc TEXT, kind TEXT, node TEXT, task TEXT,
    ordinal INTEGER, title TEXT, text TEXT, start INTEGER, year INTEGER);
CREATE TABLE IF NOT EXISTS item_agencies (item INTEGER, agency TEXT, label TEXT, role TEXT, start INTEGER, end INTEGER);
CREATE INDEX IF NOT EXISTS item_agencies_item ON item_agencies(item);
CREATE INDEX IF NOT EXISTS items_doc ON items(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(words, tokenize='unicode61');
"""
# Each query reads one document graph (GRAPH <doc>, filled in by ``_rows``); agency labels come
# from the shared agencies graph and role notations from the ontology graph, looked up by IRI:
# scoping every pattern to its graph keeps the cost per document flat as the store grows.
_ITEMS = """
SELECT ?node ?kind ?task ?ordinal ?title ?text ?start WHERE { GRAPH <{doc}> {
  { ?node a pol:Task . BIND("task" AS ?kind) BIND(?node AS ?task) }
  UNION { ?node a pol:Safeguard . BIND("safeguard" AS ?kind) BIND(?node AS ?task) }
  UNION { ?node a pol:Measure ; pol:inTask ?task . BIND("measure" AS ?kind) }
  ?node pol:startOffset ?start ; pol:endOffset ?end .
  OPTIONAL { ?node pol:text ?own }
  <{doc}> pol:fullText ?full .                    # a measure's text is the document's at its offsets
  BIND(COALESCE(?own, SUBSTR(?full, ?start + 1, ?end - ?start)) AS ?text)
  OPTIONAL { ?node pol:ordinal ?ordinal }
  OPTIONAL { ?task pol:title ?title }
} }"""
# the mentions of each item: those in it, and those in a measure of it (no property path: a
# zero-or-one path with both ends open costs a scan; the labels are read apart, by IRI)
_AGENCIES = """
SELECT ?node ?agency ?r ?start ?end WHERE { GRAPH <{doc}> {
  { ?a pol:mentionIn ?node } UNION { ?a pol:mentionIn ?measure . ?measure pol:inTask ?node }
  ?a pol:agency ?agency ; pol:role ?r . OPTIONAL { ?a pol:startOffset ?start ; pol:endOffset ?end } } }"""
_LABELS = "SELECT ?agency ?label WHERE { GRAPH <{agencies}> { VALUES ?agency { {iris} } ?agency skos:prefLabel ?label } }"
_NOTATIONS = "SELECT ?r ?role WHERE { GRAPH <{ontology}> { ?r skos:notation ?role } }"
_YEARS = """SELECT ?holder ?year ?start WHERE { GRAPH <{doc}> { ?t a pol:Target ; pol:year ?year .
  OPTIONAL { ?t pol:inProvision ?holder FILTER NOT EXISTS { ?holder a pol:GeneralItem } }   # its passage's
  OPTIONAL { ?t pol:startOffset ?start } } }"""
# what kg/passages.py cuts the rest of the text by: the full text, the provisions, the sections
_FULLTEXT = "SELECT ?text WHERE { GRAPH <{doc}> { <{doc}> pol:fullText ?text } }"
_SPANS = """SELECT ?s ?e ?provision ?kind ?title WHERE { GRAPH <{doc}> {
  { ?x a pol:Provision ; pol:startOffset ?s ; pol:endOffset ?e . BIND(true AS ?provision)
    FILTER NOT EXISTS { ?x a pol:GeneralItem } }   # the general part's text is searched paragraph by paragraph
  UNION { ?x a pol:Section ; pol:startOffset ?s ; pol:endOffset ?e . OPTIONAL { ?x pol:sectionKind ?kind }
          OPTIONAL { ?x pol:title ?title } } } }"""
_DOC = """
SELECT ?title ?id ?sha (COUNT(*) AS ?n) WHERE {
  ?doc dcterms:title ?title . OPTIONAL { ?doc dcterms:identifier ?id } OPTIONAL { ?doc pol:sourceSha256 ?sha }
  ?s ?p ?o } GROUP BY ?title ?id ?sha"""


def index_path(store_path: str | Path) -> Path:
    """``<store>.search.sqlite`` beside a store directory; for a remote store (a URL) a file
    named by the URL's host and hash in POLICYKG_SEARCH_DIR ($XDG_DATA_HOME/policykg/search)."""
    from ..store.remote import is_url

    if is_url(store_path):
        import hashlib
        from urllib.parse import urlsplit

        from .. import settings

        folder = Path(settings.get("POLICYKG_SEARCH_DIR"))
        folder.mkdir(parents=True, exist_ok=True)
        host = re.sub(r"[^\w.-]+", "-", urlsplit(store_path).netloc)
        return folder / f"{host}-{hashlib.sha256(store_path.encode('utf-8')).hexdigest()[:16]}.search.sqlite"
    p = Path(store_path)
    return p.with_name(p.name + ".search.sqlite")


SCHEMA_VERSION = 3      # 2: where each body is named (item_agencies.start/end); 3: safeguards, passages


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating) the index. Write-ahead log: the service reads while an ingest writes, and a
    document's commit does not wait for the disk (``synchronous=NORMAL``; the index is derived
    data — what a crash loses, the next ``sync`` re-indexes). An index of an older layout is
    emptied: the next ``sync`` fills it again."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        with conn:
            for table in ("items_fts", "item_agencies", "items", "docs", "catalog", "doc_agencies", "task_bodies",
                          "filled"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.executescript(SCHEMA + catalog.SCHEMA + agencies.SCHEMA)
    if conn.execute("SELECT 1 FROM items LIMIT 1").fetchone() is None:
        agencies.mark_filled(conn)   # a new index has every task's bodies from the start; an older one from ``sync``
    return conn


def _rows(store, query: str, doc: str = ""):
    """Run one of the queries above with its graph names filled in."""
    filled = (query.replace("{doc}", doc).replace("{agencies}", str(AGENCIES_GRAPH))
              .replace("{ontology}", str(ONTOLOGY_GRAPH)))
    return store.query(filled, prefixes=PREFIXES)


_FINGERPRINTS = """
SELECT ?g ?sha (COUNT(*) AS ?n) WHERE {
  VALUES ?g { {graphs} } GRAPH ?g { ?s ?p ?o } OPTIONAL { GRAPH ?g { ?g pol:sourceSha256 ?sha } }
} GROUP BY ?g ?sha"""


def fingerprints(store, docs: list[str]) -> dict[str, str]:
    """The fingerprint (as ``_fingerprint``: source hash and triple count) of each of ``docs``
    the store holds, in one query; documents not in the store are left out."""
    if not docs:
        return {}
    query = _FINGERPRINTS.replace("{graphs}", " ".join(f"<{d}>" for d in dict.fromkeys(docs)))
    return {r["g"].value: f"{r['sha'].value if r['sha'] else ''}:{r['n'].value}"
            for r in store.query(query, prefixes=PREFIXES)}


def _fingerprint(store, doc: str) -> tuple[str, str, str | None]:
    for r in store.query(_DOC, prefixes=PREFIXES, default_graph=[ox.NamedNode(doc)]):
        sha = r["sha"].value if r["sha"] else ""
        return f"{sha}:{r['n'].value}", r["title"].value, r["id"].value if r["id"] else None
    return "", "", None


Words = dict[str, list[str]]            # a text of the document -> its search tokens


def document_words(extraction) -> Words:
    """The search tokens of the texts a document's index rows are made of (provision titles and
    texts, measure texts, the passages of the rest of the text), computed where the document is extracted: in ``ingest --jobs N`` that is a
    worker process, so the writer does not spend the segmentation time too.

    The rows are still read from the store (``index_document``); these are only the tokens of
    texts it will meet, looked up by the text itself — a text missing here is cut there."""
    text = extraction.text
    words: Words = {}

    def title(t: str | None) -> None:
        if t and t not in words:
            words[t] = search_tokens(t)

    def span(start: int, end: int) -> None:      # a span of the text: read from its pieces
        t = text[start:end]
        if t and t not in words:
            words[t] = span_search_tokens(text, start, end)

    for p in extraction.provisions:
        title(p.title)
        span(p.span.start, p.span.end)
        for m in p.measures:
            span(m.span.start, m.span.end)
    rest = of_extraction(extraction)
    for x in rest:
        title(x.title)
    for x in rest:
        span(x.start, x.end)
    return words


def _words(text: str, known: Words | None) -> list[str]:
    hit = known.get(text) if known else None
    return search_tokens(text) if hit is None else hit


Rows = dict          # a document's index rows (``document_rows``): JSON-ready, written by ``write_rows``


def document_rows(store, doc: str, described: tuple[str, str, str | None] | None = None,
                  words: Words | None = None) -> Rows:
    """What the index holds for one document graph, read from ``store``: its fingerprint, title
    and identifier, and per task, measure, safeguard or passage (``kg.passages``: the opening
    text, the general requirements, the rest) its columns, its search tokens and its agencies
    with their offsets (so they are listed in the text's own order). ``described`` is the
    document's ``_fingerprint`` when the caller has it already, ``words`` its
    ``document_words``. ``policykg extract`` computes these where it extracts (in a scratch store
    holding the document and the ontology) and ``policykg load`` writes them.

    A task's title and text are cut separately: the same tokens as cutting them joined by a
    space (jieba never joins across whitespace), so the words of each text are looked up alone."""
    fingerprint, title, identifier = described or _fingerprint(store, doc)
    roles = {r["r"].value: r["role"].value for r in _rows(store, _NOTATIONS)}
    dated = [(r["holder"].value if r["holder"] else None, int(r["start"].value) if r["start"] else None,
              int(r["year"].value)) for r in _rows(store, _YEARS, doc)]
    years = {holder: year for holder, _, year in dated if holder}
    agencies: dict[str, list[tuple]] = {}
    named = [r for r in _rows(store, _AGENCIES, doc) if r["r"].value in roles]
    iris = {r["agency"].value for r in named}
    labels = {r["agency"].value: r["label"].value
              for r in _rows(store, _LABELS.replace("{iris}", " ".join(f"<{i}>" for i in sorted(iris))))} if iris else {}
    for r in named:
        if r["agency"].value in labels:
            agencies.setdefault(r["node"].value, []).append(
                (r["agency"].value, labels[r["agency"].value], roles[r["r"].value],
                 int(r["start"].value) if r["start"] else None, int(r["end"].value) if r["end"] else None))
    items = []
    for r in _rows(store, _ITEMS, doc):
        node, task, kind, text = r["node"].value, r["task"].value, r["kind"].value, r["text"].value
        item_title = r["title"].value if r["title"] else None
        title_words = _words(item_title, words) if item_title and kind != "measure" else []
        items.append({
            "kind": kind, "node": node, "task": task,
            "ordinal": int(r["ordinal"].value) if r["ordinal"] else None, "title": item_title,
            "text": text, "start": int(r["start"].value), "year": years.get(task),
            "words": " ".join(title_words + _words(text, words)),
            "agencies": sorted(set(agencies.get(node, []) + agencies.get(task, [])), key=_by_offset),
        })
    for x in _passages(store, doc):
        node = f"{doc}#passage-{x.start}"
        title_words = _words(x.title, words) if x.title else []
        items.append({
            "kind": x.kind, "node": node, "task": node, "ordinal": None, "title": x.title, "text": x.text,
            "start": x.start,
            "year": next((y for holder, at, y in dated if holder is None and at is not None and x.start <= at < x.end),
                         None),
            "words": " ".join(title_words + _words(x.text, words)), "agencies": [],
        })
    items.sort(key=lambda it: (it["start"], it["kind"] != "task", it["node"]))     # the same order every time
    return {"doc": doc, "fingerprint": fingerprint, "title": title, "identifier": identifier, "items": items,
            "catalog": next(iter(catalog_rows(store, [doc])), None)}


def _by_offset(agency: tuple) -> tuple:
    """Where the note names the agency first (unknown offsets last), then the agency and role."""
    return (agency[3] is None, agency[3] or 0, agency[0], agency[2])


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction holding the index's write lock from its start (BEGIN IMMEDIATE), so
    that what it reads before writing (a document's item ids) cannot change under it: the service
    and a ``policykg ingest`` beside it may index the same document at once. With a deferred
    transaction the other writer could add items between the read and the delete, whose search
    rows then stayed behind and made a later insert fail (CI, test_store_changes)."""
    conn.execute("BEGIN IMMEDIATE")
    with conn:
        yield conn


def write_rows(conn: sqlite3.Connection, rows: Rows) -> int:
    """Replace one document's rows in the index (one transaction); the number of items."""
    doc = rows["doc"]
    with writing(conn):
        _delete(conn, doc)
        for it in rows["items"]:
            cur = conn.execute(
                "INSERT INTO items (doc, kind, node, task, ordinal, title, text, start, year) VALUES (?,?,?,?,?,?,?,?,?)",
                (doc, it["kind"], it["node"], it["task"], it["ordinal"], it["title"], it["text"], it["start"],
                 it["year"]))
            item = cur.lastrowid
            conn.execute("INSERT INTO items_fts (rowid, words) VALUES (?, ?)", (item, it["words"]))
            conn.executemany("INSERT INTO item_agencies VALUES (?,?,?,?,?,?)",
                             [(item, *a) for a in it["agencies"]])
            if it["kind"] == "task":
                agencies.write(conn, item, it["agencies"])
        conn.execute("INSERT OR REPLACE INTO docs VALUES (?,?,?,?)",
                     (doc, rows["fingerprint"], rows["title"], rows["identifier"]))
        if rows.get("catalog"):      # rows written by an older ``policykg extract`` have none: ``sync`` fills it
            catalog.write(conn, rows["catalog"], {a[0] for it in rows["items"] for a in it["agencies"]})
    return len(rows["items"])


def index_document(conn: sqlite3.Connection, store, doc: str,
                   described: tuple[str, str, str | None] | None = None, words: Words | None = None) -> int:
    """(Re)index one document graph (``document_rows`` then ``write_rows``); returns the number
    of items indexed."""
    return write_rows(conn, document_rows(store, doc, described, words))


@dataclass(frozen=True)
class _Passage:
    start: int
    end: int
    kind: str
    title: str | None
    text: str


def _passages(store, doc: str) -> list[_Passage]:
    """The passages of the document's text outside its provisions (kg/passages.py), read from the store."""
    full = next((r["text"].value for r in _rows(store, _FULLTEXT, doc)), None)
    if not full:
        return []
    provisions, sections = [], []
    for r in _rows(store, _SPANS, doc):
        span = (int(r["s"].value), int(r["e"].value))
        if r["provision"]:
            provisions.append(span)
        else:
            general = bool(r["kind"]) and r["kind"].value.endswith("#GeneralRequirements")
            sections.append((*span, general, r["title"].value if r["title"] else None))
    return [_Passage(x.start, x.end, x.kind, x.title, full[x.start:x.end])
            for x in passages(full, provisions, sections)]


def _delete(conn: sqlite3.Connection, doc: str) -> None:
    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE doc = ?", (doc,))]
    conn.executemany("DELETE FROM items_fts WHERE rowid = ?", [(i,) for i in ids])
    conn.executemany("DELETE FROM item_agencies WHERE item = ?", [(i,) for i in ids])
    agencies.delete(conn, ids)
    conn.execute("DELETE FROM items WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM docs WHERE doc = ?", (doc,))
    catalog.delete(conn, doc)


_SHAS = "SELECT ?g ?sha WHERE { GRAPH ?g { ?g pol:sourceSha256 ?sha } }"


def sync(conn: sqlite3.Connection, store, written: Iterable[str] = ()) -> dict[str, int]:
    """Bring the index in step with the store: index new or changed documents, drop removed ones.

    Documents are compared by source hash, read for the whole store in one query, so a sync
    costs little however many documents there are (the service runs one every 30 s). Only a
    document that is new to the index, whose source hash changed, or that is in ``written``
    (an ingest just wrote it: the same source may give other triples after an upgrade, or a
    bulk load may have been cut short) is read in full and compared by hash and triple count;
    the ``written`` ones are re-indexed in any case."""
    in_store = set(document_graphs(store))
    shas = {r["g"].value: r["sha"].value for r in _rows(store, _SHAS)}
    known = dict(conn.execute("SELECT doc, fingerprint FROM docs"))
    forced = set(written)
    changed = {"indexed": 0, "removed": 0}
    for doc in sorted(in_store):
        old = known.get(doc)
        if old is not None and doc not in forced and old.split(":", 1)[0] == shas.get(doc, ""):
            continue
        described = _fingerprint(store, doc)
        if doc in forced or old != described[0]:
            index_document(conn, store, doc, described)
            changed["indexed"] += 1
    for doc in set(known) - in_store:
        with writing(conn):
            _delete(conn, doc)
        changed["removed"] += 1
    filled = catalog.fill(conn, store)        # an index older than its catalog, once
    if filled:
        changed["catalogued"] = filled
    if agencies.fill(conn):                  # an index older than its table of each task's bodies, once
        changed["task_bodies"] = 1
    return changed
