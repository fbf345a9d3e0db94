"""Chinese full-text search over tasks and measures: SQLite FTS5 over jieba tokens.

The index lives beside the store (``<store>.search.sqlite``) and is kept in step with it:
``sync`` compares each document graph's fingerprint (its source hash and triple count) with
the index and re-indexes only what changed, so an ingest interrupted between the store and
the index is repaired by the next ``sync`` (ingest and service start both call it).

Text is indexed as jieba "search mode" tokens (long words and their parts) so 科技特派员 and
特派员 both match; queries are cut the same way and every token must match. Ranking is BM25.
Highlighting and snippets are computed on the original text, never on the token column.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from extraction.nlp import search_tokens, tokens

from .graph.namespaces import AGENCIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from .store.embedded import document_graphs

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (doc TEXT PRIMARY KEY, fingerprint TEXT, title TEXT, identifier TEXT);
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, doc TEXT, kind TEXT, node TEXT, task TEXT,
    ordinal INTEGER, title TEXT, text TEXT, start INTEGER, year INTEGER);
CREATE TABLE IF NOT EXISTS item_agencies (item INTEGER, agency TEXT, label TEXT, role TEXT);
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
  UNION { ?node a pol:Measure ; pol:inTask ?task . ?task a pol:Task . BIND("measure" AS ?kind) }
  ?node pol:text ?text ; pol:startOffset ?start .
  OPTIONAL { ?node pol:ordinal ?ordinal }
  OPTIONAL { ?task pol:title ?title }
} }"""
_AGENCIES = """
SELECT ?node ?agency ?label ?r WHERE {
  GRAPH <{doc}> { ?a pol:assignmentOf ?node ; pol:agency ?agency ; pol:role ?r . }
  GRAPH <{agencies}> { ?agency skos:prefLabel ?label }
}"""
_NOTATIONS = "SELECT ?r ?role WHERE { GRAPH <{ontology}> { ?r skos:notation ?role } }"
_YEARS = "SELECT ?holder ?year WHERE { GRAPH <{doc}> { ?t a pol:Target ; pol:inProvision ?holder ; pol:year ?year } }"
_DOC = """
SELECT ?title ?id ?sha (COUNT(*) AS ?n) WHERE {
  ?doc dcterms:title ?title . OPTIONAL { ?doc dcterms:identifier ?id } OPTIONAL { ?doc pol:sourceSha256 ?sha }
  ?s ?p ?o } GROUP BY ?title ?id ?sha"""
_FACETS = {"doc": "items.doc", "agency": "item_agencies.agency", "role": "item_agencies.role",
           "year": "items.year", "kind": "items.kind"}


def index_path(store_path: str | Path) -> Path:
    """``<store>.search.sqlite`` beside a store directory; for a remote store (a URL) a file
    named by the URL's host and hash in POLICYKG_SEARCH_DIR ($XDG_DATA_HOME/policykg/search)."""
    from .store.remote import is_url

    if is_url(store_path):
        import hashlib
        from urllib.parse import urlsplit

        from . import settings

        folder = Path(settings.get("POLICYKG_SEARCH_DIR"))
        folder.mkdir(parents=True, exist_ok=True)
        host = re.sub(r"[^\w.-]+", "-", urlsplit(store_path).netloc)
        return folder / f"{host}-{hashlib.sha256(store_path.encode('utf-8')).hexdigest()[:16]}.search.sqlite"
    p = Path(store_path)
    return p.with_name(p.name + ".search.sqlite")


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating) the index. Write-ahead log: the service reads while an ingest writes, and a
    document's commit does not wait for the disk (``synchronous=NORMAL``; the index is derived
    data — what a crash loses, the next ``sync`` re-indexes)."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


def _rows(store, query: str, doc: str = ""):
    """Run one of the queries above with its graph names filled in."""
    filled = (query.replace("{doc}", doc).replace("{agencies}", str(AGENCIES_GRAPH))
              .replace("{ontology}", str(ONTOLOGY_GRAPH)))
    return store.query(filled, prefixes=PREFIXES)


def _fingerprint(store, doc: str) -> tuple[str, str, str | None]:
    for r in store.query(_DOC, prefixes=PREFIXES, default_graph=[ox.NamedNode(doc)]):
        sha = r["sha"].value if r["sha"] else ""
        return f"{sha}:{r['n'].value}", r["title"].value, r["id"].value if r["id"] else None
    return "", "", None


Words = dict[str, list[str]]            # a text of the document -> its search tokens


def document_words(extraction) -> Words:
    """The search tokens of the texts a document's index rows are made of (task titles and texts,
    measure texts), computed where the document is extracted: in ``ingest --jobs N`` that is a
    worker process, so the writer does not spend the segmentation time too.

    The rows are still read from the store (``index_document``); these are only the tokens of
    texts it will meet, looked up by the text itself — a text missing here is cut there."""
    text = extraction.text
    texts = []
    for p in extraction.tasks:
        texts += [p.title or "", p.span.of(text), *(m.span.of(text) for m in p.measures)]
    return {t: search_tokens(t) for t in texts if t}


def _words(text: str, known: Words | None) -> list[str]:
    hit = known.get(text) if known else None
    return search_tokens(text) if hit is None else hit


def index_document(conn: sqlite3.Connection, store, doc: str,
                   described: tuple[str, str, str | None] | None = None, words: Words | None = None) -> int:
    """(Re)index one document graph; returns the number of items indexed. ``described`` is the
    document's ``_fingerprint`` when the caller has it already, ``words`` its ``document_words``.

    A task's title and text are cut separately: the same tokens as cutting them joined by a
    space (jieba never joins across whitespace), so the words of each text are looked up alone."""
    fingerprint, title, identifier = described or _fingerprint(store, doc)
    roles = {r["r"].value: r["role"].value for r in _rows(store, _NOTATIONS)}
    with conn:
        _delete(conn, doc)
        years = {r["holder"].value: int(r["year"].value) for r in _rows(store, _YEARS, doc)}
        agencies: dict[str, list[tuple[str, str, str]]] = {}
        for r in _rows(store, _AGENCIES, doc):
            if r["r"].value in roles:
                agencies.setdefault(r["node"].value, []).append(
                    (r["agency"].value, r["label"].value, roles[r["r"].value]))
        n = 0
        for r in _rows(store, _ITEMS, doc):
            node, task = r["node"].value, r["task"].value
            text = r["text"].value
            cur = conn.execute(
                "INSERT INTO items (doc, kind, node, task, ordinal, title, text, start, year) VALUES (?,?,?,?,?,?,?,?,?)",
                (doc, r["kind"].value, node, task, int(r["ordinal"].value) if r["ordinal"] else None,
                 r["title"].value if r["title"] else None, text, int(r["start"].value), years.get(task)))
            item = cur.lastrowid
            title_words = _words(r["title"].value, words) if r["title"] and r["kind"].value == "task" else []
            conn.execute("INSERT INTO items_fts (rowid, words) VALUES (?, ?)",
                         (item, " ".join(title_words + _words(text, words))))
            conn.executemany("INSERT INTO item_agencies VALUES (?,?,?,?)",
                             [(item, *a) for a in set(agencies.get(node, []) + agencies.get(task, []))])
            n += 1
        conn.execute("INSERT OR REPLACE INTO docs VALUES (?,?,?,?)", (doc, fingerprint, title, identifier))
    return n


def _delete(conn: sqlite3.Connection, doc: str) -> None:
    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE doc = ?", (doc,))]
    conn.executemany("DELETE FROM items_fts WHERE rowid = ?", [(i,) for i in ids])
    conn.executemany("DELETE FROM item_agencies WHERE item = ?", [(i,) for i in ids])
    conn.execute("DELETE FROM items WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM docs WHERE doc = ?", (doc,))


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
        with conn:
            _delete(conn, doc)
        changed["removed"] += 1
    return changed


@dataclass
class Hit:
    kind: str
    node: str
    task: str
    doc: str
    doc_title: str
    ordinal: int | None
    title: str | None
    text: str
    start: int
    snippet: list[tuple[str, bool]]          # (text, highlighted) pieces of the original text
    agencies: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Results:
    query: str
    terms: list[str]
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, str, int]]]   # facet -> (value, label, count), the largest first
    page: int
    per_page: int
    documents: int = 0                               # documents with a hit (the facet lists FACET_SIZE)


def query_terms(q: str) -> list[str]:
    """The tokens a query is matched by (punctuation and FTS syntax dropped)."""
    return [t for t in dict.fromkeys(tokens(q)) if re.search(r"[\w\u4e00-\u9fff]", t)]


def _match_expression(terms: list[str]) -> str:
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def search(conn: sqlite3.Connection, q: str, filters: dict[str, str] | None = None,
           page: int = 1, per_page: int = 20) -> Results:
    terms = query_terms(q or "")
    filters = {k: v for k, v in (filters or {}).items() if k in _FACETS and v}
    if not terms:
        return Results(q, [], 0, [], {}, 1, per_page)
    where, params = ["items_fts MATCH ?"], [_match_expression(terms)]
    for key, value in filters.items():
        if key in ("agency", "role"):
            # per matching item, through the item index: the cost follows the matches, where
            # ``IN (SELECT item … WHERE role = ?)`` scanned every assignment of the corpus (7 times)
            where.append(f"EXISTS (SELECT 1 FROM item_agencies WHERE item = items.id AND {key} = ?)")
        else:
            where.append(f"{_FACETS[key]} = ?")
        params.append(_year(value) if key == "year" else value)
    base = "FROM items_fts JOIN items ON items.id = items_fts.rowid WHERE " + " AND ".join(where)
    total = conn.execute("SELECT COUNT(*) " + base, params).fetchone()[0]
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = conn.execute(
        "SELECT items.id, kind, node, task, items.doc, docs.title, ordinal, items.title, text, start "
        + base.replace("WHERE", "JOIN docs ON docs.doc = items.doc WHERE", 1)
        + " ORDER BY bm25(items_fts), items.doc, start LIMIT ? OFFSET ?",
        params + [per_page, (page - 1) * per_page]).fetchall()
    hits = []
    for item, kind, node, task, doc, doc_title, ordinal, title, text, start in rows:
        agencies = sorted(set(conn.execute("SELECT agency, label, role FROM item_agencies WHERE item = ?", (item,))))
        hits.append(Hit(kind, node, task, doc, doc_title, ordinal, title, text, start, snippet(text, terms), agencies))
    documents = conn.execute(f"SELECT COUNT(DISTINCT items.doc) {base}", params).fetchone()[0]
    return Results(q, terms, total, hits, _facets(conn, base, params), page, per_page, documents)


def _year(value: str) -> int | str:
    """A year filter as the integer it names; anything else (``²``, 30 digits, ``abc``) stays
    text, which no year equals: no hits, not an error."""
    return int(value) if re.fullmatch(r"[0-9]{1,6}", str(value)) else str(value)


FACET_SIZE = 30          # documents and agencies listed per facet (the largest counts)


def _facets(conn, base: str, params: list) -> dict[str, list[tuple[str, str, int]]]:
    ids = f"SELECT items.id {base}"
    out = {
        "doc": conn.execute(f"SELECT items.doc, docs.title, COUNT(*) FROM items JOIN docs ON docs.doc = items.doc "
                            f"WHERE items.id IN ({ids}) GROUP BY items.doc ORDER BY 3 DESC, 2 LIMIT {FACET_SIZE}",
                            params).fetchall(),
        "agency": conn.execute(f"SELECT agency, label, COUNT(DISTINCT item) FROM item_agencies WHERE item IN ({ids}) "
                               f"GROUP BY agency ORDER BY 3 DESC, 2 LIMIT {FACET_SIZE}", params).fetchall(),
        "role": conn.execute(f"SELECT role, role, COUNT(DISTINCT item) FROM item_agencies WHERE item IN ({ids}) "
                             f"GROUP BY role ORDER BY 3 DESC", params).fetchall(),
        "year": conn.execute(f"SELECT year, year, COUNT(*) FROM items WHERE id IN ({ids}) AND year IS NOT NULL "
                             f"GROUP BY year ORDER BY year", params).fetchall(),
    }
    return {k: [(str(a), str(b), c) for a, b, c in v] for k, v in out.items()}


def snippet(text: str, terms: list[str], width: int = 160) -> list[tuple[str, bool]]:
    """A window of ``text`` around the first match, split into (piece, is_match) parts."""
    if not terms:
        return [(text[:width], False)]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    first = pattern.search(text)
    lo = max(0, (first.start() if first else 0) - width // 3)
    hi = min(len(text), lo + width)
    window = text[lo:hi]
    pieces: list[tuple[str, bool]] = [("…", False)] if lo else []
    pos = 0
    for m in pattern.finditer(window):
        if m.start() > pos:
            pieces.append((window[pos:m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    pieces.append((window[pos:], False))
    if hi < len(text):
        pieces.append(("…", False))
    return [p for p in pieces if p[0]]
