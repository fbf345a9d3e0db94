"""Querying the search index: hits with their bodies and notes, facets, highlights and snippets
on the original text (never on the token column)."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from dataclasses import dataclass, field

from extraction.nlp import tokens

from ..errors import KGError

_FACETS = {"doc": "hits.doc", "agency": "item_agencies.agency", "role": "item_agencies.role",
           "year": "hits.year", "kind": "hits.kind"}


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
    agencies: list[tuple[str, str, str]] = field(default_factory=list)   # (iri, label, role) in text order
    note: str | None = None                  # the responsibility note as written, e.g. （税务总局牵头，…）

    @property
    def anchor(self) -> str:
        """The id of the hit's provision on the document page (task-3, safeguard-1), "" for a passage."""
        if self.kind in ("task", "safeguard"):
            return f"{self.kind}-{self.ordinal}"
        if self.kind == "measure":
            kind, ordinal = self.task.rsplit("/", 2)[-2:]
            return f"{kind}-{ordinal}"
        return ""


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
    unfinished: list[str] = field(default_factory=list)   # facets not counted within the facet time


def query_terms(q: str) -> list[str]:
    """The tokens a query is matched by (punctuation and FTS syntax dropped)."""
    return [t for t in dict.fromkeys(tokens(q)) if re.search(r"[\w\u4e00-\u9fff]", t)]


_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|『([^』]+)』')


def query_phrases(q: str) -> list[str]:
    """The parts of the query in quotes, each to be found exactly as written."""
    return [p.strip() for m in _QUOTED.finditer(q) for p in m.groups() if p and p.strip()]


def query_words(q: str) -> list[str]:
    """The query as the reader wrote it: the quoted phrases and the other words (split at spaces
    and punctuation), longest first; these are what is highlighted when the text holds them whole."""
    rest = _QUOTED.sub(" ", q)
    words = [w for w in re.split(r"[\s,，、;；:：.。!！?？()（）《》<>\"'“”]+", rest) if w]
    return sorted(dict.fromkeys(query_phrases(q) + words), key=len, reverse=True)


def _match_expression(terms: list[str]) -> str:
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _conditions(filters: dict[str, str], skip: tuple[str, ...] = ()) -> tuple[list[str], list]:
    """SQL conditions on ``hits`` (the matches of the words, ``_match``) for the active filters
    but those in ``skip``.

    The agency and role filters name ONE assignment: an item is kept when a single row of
    ``item_agencies`` has both the agency and the role (海关总署 as lead), never when the agency
    takes part in one way and another body has the role."""
    where, params = [], []
    pair = [(k, filters[k]) for k in ("agency", "role") if k in filters and k not in skip]
    if pair:
        # per matching item, through the item index: the cost follows the matches
        where.append("EXISTS (SELECT 1 FROM item_agencies WHERE item = hits.id AND "
                     + " AND ".join(f"{k} = ?" for k, _ in pair) + ")")
        params += [v for _, v in pair]
    for key in ("doc", "year", "kind"):
        if key in filters and key not in skip:
            where.append(f"{_FACETS[key]} = ?")
            value = filters[key]
            params.append(_year(value) if key == "year" else value)
    return where, params


def _where(filters: dict[str, str], skip: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> tuple[str, list]:
    where, params = _conditions(filters, skip)
    where += list(extra)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _match(conn: sqlite3.Connection, match: tuple[str, list[str]]) -> None:
    """The temporary table ``hits`` of every item the words match, with its rank: the tokens of
    the unquoted words (FTS) and each quoted phrase as written (a phrase is not matched by its
    tokens: cut out of its context, it may cut a word the text's tokens keep whole). The full-text
    match is evaluated once; the count, the page and every facet read this table."""
    expression, phrases = match
    exact = ["(instr(items.text, ?) > 0 OR instr(coalesce(items.title, ''), ?) > 0)"] * len(phrases)
    exact_params = [x for p in phrases for x in (p, p)]
    conn.execute("DROP TABLE IF EXISTS temp.hits")
    columns = "items.id AS id, items.doc AS doc, items.year AS year, items.kind AS kind, items.start AS start"
    if not expression:           # phrases only: read the items (no token to look up)
        sql, params = f"SELECT {columns}, 0.0 AS rank FROM items WHERE " + " AND ".join(exact), exact_params
    else:
        sql = (f"SELECT {columns}, bm25(items_fts) AS rank FROM items_fts JOIN items ON items.id = items_fts.rowid "
               "WHERE " + " AND ".join(["items_fts MATCH ?", *exact]))
        params = [expression, *exact_params]
    conn.execute(f"CREATE TEMP TABLE hits AS {sql}", params)


CHECK_EVERY = 20_000     # SQLite virtual-machine steps between two looks at the clock


@contextlib.contextmanager
def deadline(conn: sqlite3.Connection, seconds: float | None):
    """Interrupt what ``conn`` runs once ``seconds`` have passed (``sqlite3.OperationalError``)."""
    if not seconds:
        yield
        return
    end = time.monotonic() + seconds
    conn.set_progress_handler(lambda: time.monotonic() > end, CHECK_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def search(conn: sqlite3.Connection, q: str, filters: dict[str, str] | None = None,
           page: int = 1, per_page: int = 20, timeout: float | None = None,
           facet_time: float | None = None) -> Results:
    """One page of the items matching ``q`` under ``filters``, best first (BM25), with the facets.

    Within ``timeout`` seconds (None: no limit) or ``K215``: a search matching a large part of a
    10^5-document corpus is refused with a reason, not left running. The facets share
    ``facet_time`` seconds after that (cheapest first); those not counted by then are named in
    ``Results.unfinished`` and left empty (the hits are complete either way)."""
    q = q or ""
    phrases = query_phrases(q)
    terms = query_terms(_QUOTED.sub(" ", q))
    filters = {k: v for k, v in (filters or {}).items() if k in _FACETS and v}
    if not terms and not phrases:
        return Results(q, [], 0, [], {}, 1, per_page)
    match = (_match_expression(terms) if terms else "", phrases)
    words = query_words(q)
    try:
        with deadline(conn, timeout):
            _match(conn, match)
            chosen = "hits"
            if filters:          # the filters evaluated once too: the count, the page and the documents read them
                where, params = _where(filters)
                conn.execute("DROP TABLE IF EXISTS temp.chosen")
                conn.execute(f"CREATE TEMP TABLE chosen AS SELECT * FROM hits{where}", params)
                chosen = "chosen"
            total = conn.execute(f"SELECT COUNT(*) FROM {chosen}").fetchone()[0]
            page = max(1, min(page, max(1, -(-total // per_page))))
            rows = conn.execute(
                "SELECT items.id, items.kind, node, task, items.doc, docs.title, ordinal, items.title, text, items.start "
                f"FROM {chosen} AS hits JOIN items ON items.id = hits.id JOIN docs ON docs.doc = hits.doc "
                "ORDER BY hits.rank, hits.doc, hits.start LIMIT ? OFFSET ?", [per_page, (page - 1) * per_page]).fetchall()
            documents = conn.execute(f"SELECT COUNT(DISTINCT doc) FROM {chosen}").fetchone()[0]
        hits = []
        for item, kind, node, task, doc, doc_title, ordinal, title, text, start in rows:
            named = conn.execute(_NAMED, (item,)).fetchall()
            hits.append(Hit(kind, node, task, doc, doc_title, ordinal, title, text, start,
                            snippet(text, highlights(text, words)),
                            [(a, label, role) for a, label, role, _, _ in named], note_of(text, start, named)))
        facets, unfinished = _facets(conn, filters, facet_time, chosen)
    except sqlite3.OperationalError as e:
        if "interrupted" not in str(e):
            raise
        raise KGError("K215", f"{timeout:g}") from e
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.hits")
        conn.execute("DROP TABLE IF EXISTS temp.chosen")
    return Results(q, terms + phrases, total, hits, facets, page, per_page, documents, unfinished)


# an item's bodies in the order the text names them (each body's first mention), a role per line
_NAMED = """SELECT agency, label, role, MIN(start), MAX(end) FROM item_agencies WHERE item = ?
    GROUP BY agency, role ORDER BY MIN(start) IS NULL, MIN((SELECT MIN(start) FROM item_agencies x
    WHERE x.item = item_agencies.item AND x.agency = item_agencies.agency)), role = 'lead' DESC, label"""
_OPEN, _CLOSE = "（(", "）)"


def note_of(text: str, start: int, named: list[tuple]) -> str | None:
    """The responsibility note of an item as written: from the bracket before the first body named
    inside the item's text to the bracket after the last (（税务总局、财政部、海关总署按职责分工负责）).
    None when the item names no body in its own text (a measure inherits its task's bodies)."""
    spans = [(s - start, e - start) for *_, s, e in named
             if s is not None and e is not None and s >= start and e - start <= len(text)]
    if not spans:
        return None
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    left = max(text.rfind(c, 0, lo) for c in _OPEN)
    if left >= 0 and not any(c in text[left:lo] for c in _CLOSE):
        right = min((i for i in (text.find(c, hi) for c in _CLOSE) if i >= 0), default=-1)
        if right >= 0:
            return text[left:right + 1]
    return text[lo:hi]


def _year(value: str) -> int | str:
    """A year filter as the integer it names; anything else (``²``, 30 digits, ``abc``) stays
    text, which no year equals: no hits, not an error."""
    return int(value) if re.fullmatch(r"[0-9]{1,6}", str(value)) else str(value)


FACET_SIZE = 30          # documents and agencies listed per facet (the largest counts)


def _facets(conn, filters: dict[str, str], seconds: float | None,
            chosen: str = "hits") -> tuple[dict[str, list[tuple[str, str, int]]], list[str]]:
    """Each facet counted under the OTHER active filters (a facet's own value never narrows it),
    within ``seconds`` for them all; the facets not counted by then, in ``unfinished``. A facet
    none of whose own filters is active reads ``chosen`` (the hits under every filter, already
    evaluated); the others filter ``hits`` again.

    The agency facet keeps the role filter on the same assignment (and the role facet the agency
    filter): with role=lead, 海关总署 (12) counts the items 海关总署 leads."""
    def source(skip: tuple[str, ...], extra: tuple[str, ...] = ()) -> tuple[str, str, list]:
        if not any(k in filters for k in skip):
            return chosen, (" WHERE " + " AND ".join(extra)) if extra else "", []
        return ("hits", *_where(filters, skip, extra))

    def assigned(column: str, other: str) -> tuple[str, list]:
        extra = (f"{other} = ?",) if other in filters else ()
        table, where, params = source(("agency", "role"), extra)
        label = "label" if column == "agency" else "role"
        order, limit = ("3 DESC, 2", f" LIMIT {FACET_SIZE}") if column == "agency" else ("3 DESC", "")
        # CROSS JOIN: the hits first, each one's bodies by the item index. Left to choose, SQLite
        # (no statistics on a temporary table) read all of item_agencies — in the order of the
        # index on the agency once there was one — and looked each row up in the hits: seconds
        # at 10^5 documents however few the hits
        return (f"SELECT {column}, {label}, COUNT(DISTINCT item) FROM {table} AS hits CROSS JOIN item_agencies "
                f"ON item = hits.id{where} GROUP BY {column} ORDER BY {order}{limit}",
                params + ([filters[other]] if extra else []))

    def plain(facet: str, select: str, tail: str, extra: tuple[str, ...] = ()) -> tuple[str, list]:
        table, where, params = source((facet,), extra)
        return f"SELECT {select} FROM {table} AS hits{where} {tail}", params

    queries = {      # the cheapest first: a facet time too short for all leaves out the dearest
        "kind": plain("kind", "kind, kind, COUNT(*)", "GROUP BY kind ORDER BY 3 DESC"),
        "year": plain("year", "year, year, COUNT(*)", "GROUP BY year ORDER BY year", ("year IS NOT NULL",)),
        "doc": plain("doc", "hits.doc, (SELECT title FROM docs WHERE docs.doc = hits.doc) AS title, COUNT(*)",
                     f"GROUP BY hits.doc ORDER BY 3 DESC, 2 LIMIT {FACET_SIZE}"),
        "role": assigned("role", "agency"),
        "agency": assigned("agency", "role"),
    }
    out, unfinished = {}, []
    with deadline(conn, seconds):
        for name, (sql, params) in queries.items():
            if unfinished:
                unfinished.append(name)
                continue
            try:
                out[name] = [(str(a), str(b), c) for a, b, c in conn.execute(sql, params).fetchall()]
            except sqlite3.OperationalError as e:
                if "interrupted" not in str(e):
                    raise
                unfinished.append(name)
    return {name: out.get(name, []) for name in ("doc", "agency", "role", "year", "kind")}, unfinished


def highlights(text: str, words: list[str]) -> list[str]:
    """What to highlight in ``text`` for the query's ``words``: each word the text holds whole,
    and for a word it does not, those of its tokens it holds."""
    out: list[str] = []
    for w in words:
        out += [w] if w in text else [t for t in query_terms(w) if t in text]
    return list(dict.fromkeys(out))


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
