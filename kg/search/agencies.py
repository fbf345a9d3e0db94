"""An agency's tasks, partners and documents read from the search index.

The index holds, per task, every body its notes name (``item_agencies``: the mentions in the task
and in its measures, with their roles) — exactly the task's ``pol:responsibleAgency`` bodies in
graph shape 2, where each of those comes from a mention (kg/graph/responsibility.py). So an
agency's profile (``kg.network.profiles.agency_profile``) and the picture of its neighbourhood
(``kg.network.ego``) can be read here, from an index on the agency, instead of from the store:
for a national body named in a third of 100,000 documents the store's answer ran past its 60 s
limit (BENCHMARKS.md, "The pages at 100,000 documents"), the index's is a few indexed reads.
The answers are the same (tests/kg/search/test_agencies.py compares them on the corpus).

``item_agencies_agency`` is created by ``ensure`` (called by ``sync``): on an index written
before it, once, reading the table through (minutes at 10^5 documents, like the catalog's fill).
Until then ``ready`` is false and the callers read the store.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from ..graph.namespaces import AGENCY

NAME = "item_agencies_agency"
INDEX = f"CREATE INDEX IF NOT EXISTS {NAME} ON item_agencies(agency, item)"


def ready(conn: sqlite3.Connection) -> bool:
    """Whether the index on the agency column exists (else read the store)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (NAME,)).fetchone() is not None


def ensure(conn: sqlite3.Connection) -> bool:
    """Create the index on the agency column if it is missing; whether it was created."""
    if ready(conn):
        return False
    with conn:
        conn.execute(INDEX)
    return True


def _key(iri: str) -> str:
    return iri[len(str(AGENCY)):] if iri.startswith(str(AGENCY)) else iri


# the tasks the agency shares, with its roles in each, and the document's 文号 and title
_TASKS = """
SELECT i.id, i.node, i.doc, i.ordinal, i.title, c.identifier, c.title, group_concat(DISTINCT ia.role)
FROM item_agencies ia JOIN items i ON i.id = ia.item LEFT JOIN catalog c ON c.doc = i.doc
WHERE ia.agency = ? AND i.kind = 'task' GROUP BY i.id"""
# the other bodies of those tasks, counted once per task
_PARTNERS = """
SELECT other.agency, min(other.label), count(DISTINCT other.item)
FROM item_agencies mine JOIN items i ON i.id = mine.item AND i.kind = 'task'
JOIN item_agencies other ON other.item = mine.item AND other.agency != mine.agency
WHERE mine.agency = ? GROUP BY other.agency"""


def profile(conn: sqlite3.Connection, agency: dict) -> dict:
    """``agency`` (as ``kg.network.profiles.resolve_agency`` gives it) with ``led``,
    ``participated``, ``partners`` and ``documents`` as ``agency_profile`` gives them."""
    rows = conn.execute(_TASKS, (agency["iri"],)).fetchall()
    rows.sort(key=lambda r: (r[5] or "", r[2], r[3] or 0))      # as task_agencies: 文号, document, ordinal
    led, participated, docs = [], [], {}
    for _, node, doc, ordinal, title, identifier, doc_title, roles in rows:
        ref = {"iri": node, "document": doc, "identifier": identifier, "ordinal": ordinal, "title": title}
        mine = sorted(set(roles.split(",")))
        if "lead" in mine:
            led.append(ref)
        else:
            participated.append({**ref, "roles": mine})
        entry = docs.setdefault(doc, {"iri": doc, "identifier": identifier, "tasks": 0, "title": doc_title})
        entry["tasks"] += 1
    partners = sorted(((_key(a), label, n) for a, label, n in conn.execute(_PARTNERS, (agency["iri"],))),
                      key=lambda p: (-p[2], p[0]))
    return {**agency, "led": led, "participated": participated,
            "partners": [{"key": k, "label": label, "shared_tasks": n} for k, label, n in partners],
            "documents": [{k: d[k] for k in ("iri", "identifier", "tasks", "title")} for d in docs.values()]}


def partners(conn: sqlite3.Connection, agency_iri: str) -> tuple[Counter, dict[str, str]]:
    """Tasks the agency shares with each other body (by key), and those bodies' labels."""
    weight, labels = Counter(), {}
    for a, label, n in conn.execute(_PARTNERS, (agency_iri,)):
        weight[_key(a)], labels[_key(a)] = n, label
    return weight, labels


def has_task(conn: sqlite3.Connection, agency_iri: str) -> bool:
    return conn.execute("SELECT 1 FROM item_agencies ia JOIN items i ON i.id = ia.item AND i.kind = 'task' "
                        "WHERE ia.agency = ? LIMIT 1", (agency_iri,)).fetchone() is not None


def shared(conn: sqlite3.Connection, iris: dict[str, str]) -> dict[tuple[str, str], int]:
    """Tasks shared by each pair of the bodies ``iris`` (IRI -> key), pairs as (smaller, larger) keys."""
    if len(iris) < 2:
        return {}
    marks = ", ".join("?" * len(iris))
    q = f"""SELECT a.agency, b.agency, count(DISTINCT a.item) FROM item_agencies a
      JOIN items i ON i.id = a.item AND i.kind = 'task' JOIN item_agencies b ON b.item = a.item
      WHERE a.agency IN ({marks}) AND b.agency IN ({marks}) AND a.agency < b.agency GROUP BY a.agency, b.agency"""
    out = {}
    for a, b, n in conn.execute(q, [*iris, *iris]):
        ka, kb = iris[a], iris[b]
        out[(min(ka, kb), max(ka, kb))] = n
    return out


def neighbourhood(conn: sqlite3.Connection, agency: dict) -> dict:
    """``kg.network.ego.neighbourhood`` of ``agency`` (as ``resolve_agency`` gives it), read from the index."""
    from ..network.ego import empty, picture

    weight, labels = partners(conn, agency["iri"])
    if not weight and not has_task(conn, agency["iri"]):
        return empty()
    labels[agency["key"]] = agency["label"]
    iri = {k: str(AGENCY) + k if "://" not in k else k for k in weight}
    return picture(agency["key"], weight, labels, lambda shown: shared(conn, {iri[k]: k for k in shown}))
