"""An agency's tasks, partners and documents read from the search index.

The index holds, per task, every body its notes name (``item_agencies``: the mentions in the task
and in its measures, with their roles) — exactly the task's ``pol:responsibleAgency`` bodies in
graph shape 2, where each of those comes from a mention (kg/graph/responsibility.py). So an
agency's profile (``kg.network.profiles.agency_profile``), the picture of its neighbourhood
(``kg.network.ego``) and the whole network can be read here — put in those shapes by
``kg.indexed`` — instead of from the store: for a national body named in a third of 100,000
documents the store's answer ran past its 60 s limit (BENCHMARKS.md, "An agency's page at
100,000 documents"). The answers are the same (tests/kg/test_indexed.py compares them on the
corpus and the real documents).

They read ``task_bodies``: one row per task and body (its roles there, its label), keyed by the
body and by the task. ``item_agencies`` alone would not do: a national body is named in millions
of its rows (every measure of every task it shares), and reading those to keep the tasks took
most of 20 s for a picture at 10^5 documents. ``write`` adds a document's rows with its items;
an index written before the table existed is filled once by ``sync`` (``fill``), and says so in
``filled``; until then ``ready`` is false and the callers read the store.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter

from ..graph.namespaces import agency_key as _key

SCHEMA = """
CREATE TABLE IF NOT EXISTS task_bodies (agency TEXT, item INTEGER, roles TEXT, label TEXT,
    PRIMARY KEY (agency, item)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS task_bodies_item ON task_bodies(item, agency);
CREATE TABLE IF NOT EXISTS filled (name TEXT PRIMARY KEY);
"""
FILLED = "task_bodies"


def ready(conn: sqlite3.Connection) -> bool:
    """Whether ``task_bodies`` holds every task of the index (else read the store)."""
    return conn.execute("SELECT 1 FROM filled WHERE name = ?", (FILLED,)).fetchone() is not None


def mark_filled(conn: sqlite3.Connection) -> None:
    """Say ``task_bodies`` is complete (a new, empty index: every document's rows come with it)."""
    with conn:
        conn.execute("INSERT OR IGNORE INTO filled VALUES (?)", (FILLED,))


def write(conn: sqlite3.Connection, item: int, agencies: list[tuple]) -> None:
    """A task's rows (inside the caller's transaction): ``agencies`` as ``item_agencies`` holds
    them, (agency, label, role, start, end)."""
    bodies: dict[str, tuple[set, str]] = {}
    for agency, label, role, *_ in agencies:
        bodies.setdefault(agency, (set(), label))[0].add(role)
    conn.executemany("INSERT OR REPLACE INTO task_bodies VALUES (?,?,?,?)",
                     [(a, item, ",".join(sorted(roles)), label) for a, (roles, label) in bodies.items()])


def delete(conn: sqlite3.Connection, items: list[int]) -> None:
    conn.executemany("DELETE FROM task_bodies WHERE item = ?", [(i,) for i in items])


def fill(conn: sqlite3.Connection) -> bool:
    """Fill ``task_bodies`` from the index's own rows, once (an index written before it existed):
    one pass over the tasks' ``item_agencies``, each task written as ``write`` writes it. Whether
    it was filled now."""
    if ready(conn):
        return False
    rows = conn.execute("SELECT ia.item, ia.agency, ia.label, ia.role FROM items i "
                        "JOIN item_agencies ia ON ia.item = i.id WHERE i.kind = 'task' ORDER BY ia.item")
    with conn:
        conn.execute("DELETE FROM task_bodies")
        for item, named in itertools.groupby(rows, key=lambda r: r[0]):     # read as written, not held
            write(conn, item, [r[1:] for r in named])
        conn.execute("INSERT OR IGNORE INTO filled VALUES (?)", (FILLED,))
    return True


# the tasks the agency shares, with its roles in each, and the document's 文号 and title
_TASKS = """
SELECT i.id, i.node, i.doc, i.ordinal, i.title, c.identifier, c.title, tb.roles
FROM task_bodies tb JOIN items i ON i.id = tb.item LEFT JOIN catalog c ON c.doc = i.doc WHERE tb.agency = ?"""
# the other bodies of those tasks, with the tasks each shares
_PARTNERS = """
SELECT other.agency, min(other.label), count(*) FROM task_bodies mine
JOIN task_bodies other ON other.item = mine.item AND other.agency != mine.agency
WHERE mine.agency = ? GROUP BY other.agency"""


def task_rows(conn: sqlite3.Connection, agency_iri: str) -> list[tuple]:
    """The tasks naming the agency: (item, task IRI, document IRI, ordinal, title, the document's
    文号 and title, the agency's roles there joined by commas), in the order of task_agencies
    (文号, document, ordinal)."""
    rows = conn.execute(_TASKS, (agency_iri,)).fetchall()
    return sorted(rows, key=lambda r: (r[5] or "", r[2], r[3] or 0))


def partners(conn: sqlite3.Connection, agency_iri: str) -> tuple[Counter, dict[str, str]]:
    """Tasks the agency shares with each other body (by key), and those bodies' labels."""
    weight, labels = Counter(), {}
    for a, label, n in conn.execute(_PARTNERS, (agency_iri,)):
        weight[_key(a)], labels[_key(a)] = n, label
    return weight, labels


def has_task(conn: sqlite3.Connection, agency_iri: str) -> bool:
    return conn.execute("SELECT 1 FROM task_bodies WHERE agency = ? LIMIT 1", (agency_iri,)).fetchone() is not None


def shared(conn: sqlite3.Connection, iris: dict[str, str]) -> dict[tuple[str, str], int]:
    """Tasks shared by each pair of the bodies ``iris`` (IRI -> key), pairs as (smaller, larger) keys."""
    if len(iris) < 2:
        return {}
    marks = ", ".join("?" * len(iris))
    q = f"""SELECT a.agency, b.agency, count(*) FROM task_bodies a JOIN task_bodies b ON b.item = a.item
      WHERE a.agency IN ({marks}) AND b.agency IN ({marks}) AND a.agency < b.agency GROUP BY a.agency, b.agency"""
    out = {}
    for a, b, n in conn.execute(q, [*iris, *iris]):
        ka, kb = iris[a], iris[b]
        out[(min(ka, kb), max(ka, kb))] = n
    return out


_SUMMARY = "SELECT agency, count(*), sum(instr(roles, 'lead') > 0) FROM task_bodies GROUP BY agency"
_PAIRS = """SELECT a.agency, b.agency, count(*) FROM task_bodies a JOIN task_bodies b ON b.item = a.item
    AND a.agency < b.agency GROUP BY a.agency, b.agency"""


def summary(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """Every body naming a task: (key, tasks, tasks it leads)."""
    return [(_key(a), n, led) for a, n, led in conn.execute(_SUMMARY)]


def pairs(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """Every pair of bodies sharing a task: (key, key, tasks shared), the smaller key first."""
    return [(min(_key(a), _key(b)), max(_key(a), _key(b)), n) for a, b, n in conn.execute(_PAIRS)]


def within(conn: sqlite3.Connection, seconds: float | None, fn, *args):
    """``fn(conn, *args)``, interrupted after ``seconds`` (None or 0: no limit) with ``K209`` — the
    whole-store answers' limit, POLICYKG_SUMMARY_TIMEOUT, as when they were computed in a worker."""
    from ..errors import KGError
    from .query import deadline

    try:
        with deadline(conn, seconds):
            return fn(conn, *args)
    except sqlite3.OperationalError as e:
        if "interrupted" not in str(e):
            raise
        raise KGError("K209", f"{seconds:g}") from e
