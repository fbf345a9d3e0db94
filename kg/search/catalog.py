"""The document catalog: one row per document of the store (its metadata and counts,
``kg.query.documents.catalog_rows``) and the bodies it names, kept in the search index beside
the items and in step with the store by the same ``sync``.

The document list, the home page and ``/api/documents`` read it: filtering, sorting and paging
10^5 documents is an indexed SQLite query of milliseconds, where the same list computed from the
store is a whole-store aggregation (131 s at 100,000 documents, BENCHMARKS.md). An index written
before the catalog existed gets it filled by the next ``sync``, from the store, ``BATCH``
documents per query (about 2 ms a document), without re-indexing its items.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ..query.documents import catalog_rows

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (doc TEXT PRIMARY KEY, key TEXT, identifier TEXT, title TEXT, issued TEXT,
    issuer TEXT, level TEXT, region TEXT, tasks INTEGER, measures INTEGER, targets INTEGER, triples INTEGER,
    partial INTEGER);
CREATE INDEX IF NOT EXISTS catalog_listing ON catalog(identifier, title, doc);
CREATE INDEX IF NOT EXISTS catalog_issued ON catalog(issued);
CREATE INDEX IF NOT EXISTS catalog_region ON catalog(region);
CREATE INDEX IF NOT EXISTS catalog_level ON catalog(level);
CREATE TABLE IF NOT EXISTS doc_agencies (agency TEXT, doc TEXT, PRIMARY KEY (agency, doc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_agencies_doc ON doc_agencies(doc);
"""
COLUMNS = ("doc", "key", "identifier", "title", "issued", "issuer", "level", "region", "tasks", "measures",
           "targets", "triples", "partial")
SORTS = ("identifier", "title", "issuer", "issued", "level", "region", "tasks")
BATCH = 500
# the store's own order (``describe``: ORDER BY ?id ?title, an unbound 文号 first — as SQLite puts
# NULL first), read from the index ``catalog_listing``: the first page needs no sort
_ORDER = "identifier, title, doc"


def write(conn: sqlite3.Connection, row: dict, agencies: set[str]) -> None:
    """One document's catalog row and bodies (inside the caller's transaction)."""
    conn.execute(f"INSERT OR REPLACE INTO catalog ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                 _values(row))
    conn.execute("DELETE FROM doc_agencies WHERE doc = ?", (row["iri"],))
    conn.executemany("INSERT OR IGNORE INTO doc_agencies VALUES (?, ?)", [(a, row["iri"]) for a in sorted(agencies)])


def _values(row: dict) -> tuple:
    return (row["iri"], row["key"], row["identifier"], row["title"], row["issued"], row["issuer"], row["level"],
            row["region"], row["tasks"], row["measures"], row["targets"], row["triples"], int(row["partial"]))


def delete(conn: sqlite3.Connection, doc: str) -> None:
    conn.execute("DELETE FROM catalog WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM doc_agencies WHERE doc = ?", (doc,))


def fill(conn: sqlite3.Connection, store, progress: Callable[[int, int], None] | None = None) -> int:
    """Catalog the indexed documents the catalog lacks (an index written before it existed, or a
    shard written by ``policykg extract`` before it did): their rows read from the store in batches,
    their bodies from the index's own items. Returns how many were filled."""
    missing = [d for (d,) in conn.execute("SELECT doc FROM docs WHERE doc NOT IN (SELECT doc FROM catalog) "
                                          "ORDER BY doc")]
    for n in range(0, len(missing), BATCH):
        batch = missing[n:n + BATCH]
        found = {r["iri"]: r for r in catalog_rows(store, batch)}
        with conn:
            for doc in batch:
                if doc in found:
                    named = {a for (a,) in conn.execute(
                        "SELECT DISTINCT agency FROM item_agencies JOIN items ON items.id = item_agencies.item "
                        "WHERE items.doc = ?", (doc,))}
                    write(conn, found[doc], named)
        if progress:
            progress(min(n + BATCH, len(missing)), len(missing))
    return len(missing)


def _where(chosen: dict[str, str]) -> tuple[str, list]:
    where, params = [], []
    if chosen.get("level"):
        where.append("level = ?")
        params.append(chosen["level"])
    if chosen.get("region"):
        where.append("region = ?")
        params.append(chosen["region"])
    if chosen.get("year"):
        where.append("substr(coalesce(issued, ''), 1, length(?)) = ?")
        params += [chosen["year"], chosen["year"]]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def select(conn: sqlite3.Connection, chosen: dict[str, str], sort: str = "", offset: int = 0,
           limit: int | None = None) -> tuple[list[dict], int]:
    """The documents with the ``chosen`` level, region and year (of issue; any may be empty),
    sorted by one column of ``SORTS`` (``-`` before it: descending; empty values last either way,
    ties in the store's order), ``limit`` of them from ``offset`` (all without a limit); and how
    many there are in all."""
    where, params = _where(chosen)
    column = sort.lstrip("-")
    order = _ORDER
    if column in SORTS:
        order = (f"({column} IS NULL OR {column} = ''), {column}{' DESC' if sort.startswith('-') else ''}, "
                 + _ORDER)
    total = conn.execute(f"SELECT COUNT(*) FROM catalog{where}", params).fetchone()[0]
    page = f" LIMIT {int(limit)} OFFSET {max(0, int(offset))}" if limit is not None else ""
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM catalog{where} ORDER BY {order}{page}", params)
    return [_document(r) for r in rows], total


def _document(r: tuple) -> dict:
    d = dict(zip(COLUMNS, r, strict=True))
    d["iri"] = d.pop("doc")
    d["partial"] = bool(d["partial"])
    return d


def choices(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The levels, regions and years (newest first) a document of the catalog has."""
    def distinct(sql: str) -> list[str]:
        return [v for (v,) in conn.execute(sql) if v]

    return {"level": distinct("SELECT DISTINCT level FROM catalog ORDER BY level"),
            "region": distinct("SELECT DISTINCT region FROM catalog ORDER BY region"),
            "year": distinct("SELECT DISTINCT substr(issued, 1, 4) AS y FROM catalog WHERE issued != '' "
                             "ORDER BY y DESC")}


def summary(conn: sqlite3.Connection) -> dict[str, int]:
    """What the home page counts: documents, tasks, measures, targets, the triples of the document
    graphs, and the bodies named."""
    documents, tasks, measures, targets, triples = conn.execute(
        "SELECT COUNT(*), TOTAL(tasks), TOTAL(measures), TOTAL(targets), TOTAL(triples) FROM catalog").fetchone()
    agencies = conn.execute("SELECT COUNT(*) FROM (SELECT DISTINCT agency FROM doc_agencies)").fetchone()[0]
    return {"documents": documents, "tasks": int(tasks), "measures": int(measures), "targets": int(targets),
            "triples": int(triples), "agencies": agencies}


def partial(conn: sqlite3.Connection, docs: list[str] | set[str]) -> set[str]:
    """Those of ``docs`` known only in outline."""
    wanted = sorted(set(docs))
    found: set[str] = set()
    for n in range(0, len(wanted), BATCH):
        batch = wanted[n:n + BATCH]
        found |= {d for (d,) in conn.execute(
            f"SELECT doc FROM catalog WHERE partial AND doc IN ({', '.join('?' * len(batch))})", batch)}
    return found
