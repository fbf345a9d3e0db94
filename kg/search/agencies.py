"""An agency's tasks, partners and documents read from the search index.

The index holds, per task, every body its notes name (``item_agencies``: the mentions in the task
and in its measures, with their roles) — exactly the task's ``pol:responsibleAgency`` bodies in
graph shape 2, where each of those comes from a mention (kg/graph/responsibility.py). So an
agency's profile (``kg.network.profiles.agency_profile``) and the picture of its neighbourhood
(``kg.network.ego``) can be read here instead of from the store: for a national body named in a
third of 100,000 documents the store's answer ran past its 60 s limit (BENCHMARKS.md, "The pages
at 100,000 documents"). The answers are the same (tests/kg/search/test_agencies.py compares them
on the corpus and the real documents).

They read ``task_bodies``: one row per task and body (its roles there, its label), keyed by the
body and by the task. ``item_agencies`` alone would not do: a national body is named in millions
of its rows (every measure of every task it shares), and reading those to keep the tasks took
most of 20 s for a picture at 10^5 documents. ``write`` adds a document's rows with its items;
an index written before the table existed is filled once by ``sync`` (``fill``), and says so in
``filled``; until then ``ready`` is false and the callers read the store.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from ..graph.namespaces import AGENCY
from ..network.profiles import agency_key as _key

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
    one pass over ``item_agencies``. Whether it was filled now."""
    if ready(conn):
        return False
    with conn:
        conn.execute("DELETE FROM task_bodies")
        conn.execute("""INSERT INTO task_bodies SELECT ia.agency, ia.item, group_concat(DISTINCT ia.role), min(ia.label)
            FROM items i JOIN item_agencies ia ON ia.item = i.id WHERE i.kind = 'task' GROUP BY ia.agency, ia.item""")
        # group_concat's order is SQLite's: the roles sorted as ``write`` sorts them
        for agency, item, roles in conn.execute("SELECT agency, item, roles FROM task_bodies").fetchall():
            ordered = ",".join(sorted(roles.split(",")))
            if ordered != roles:
                conn.execute("UPDATE task_bodies SET roles = ? WHERE agency = ? AND item = ?", (ordered, agency, item))
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


def profile(conn: sqlite3.Connection, agency: dict) -> dict:
    """``agency`` (as ``kg.network.profiles.resolve_agency`` gives it) with ``led``,
    ``participated``, ``partners`` and ``documents`` as ``agency_profile`` gives them."""
    rows = conn.execute(_TASKS, (agency["iri"],)).fetchall()
    rows.sort(key=lambda r: (r[5] or "", r[2], r[3] or 0))      # as task_agencies: 文号, document, ordinal
    led, participated, docs = [], [], {}
    for _, node, doc, ordinal, title, identifier, doc_title, roles in rows:
        ref = {"iri": node, "document": doc, "identifier": identifier, "ordinal": ordinal, "title": title}
        mine = roles.split(",")
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


def neighbourhood(conn: sqlite3.Connection, agency: dict) -> dict:
    """``kg.network.ego.neighbourhood`` of ``agency`` (as ``resolve_agency`` gives it), read from the index."""
    from ..network.ego import empty, picture

    weight, labels = partners(conn, agency["iri"])
    if not weight and not has_task(conn, agency["iri"]):
        return empty()
    labels[agency["key"]] = agency["label"]
    iri = {k: str(AGENCY) + k if "://" not in k else k for k in weight}
    return picture(agency["key"], weight, labels, lambda shown: shared(conn, {iri[k]: k for k in shown}))


_SUMMARY = "SELECT agency, count(*), sum(instr(roles, 'lead') > 0) FROM task_bodies GROUP BY agency"
_PAIRS = """SELECT a.agency, b.agency, count(*) FROM task_bodies a JOIN task_bodies b ON b.item = a.item
    AND a.agency < b.agency GROUP BY a.agency, b.agency"""


def network(conn: sqlite3.Connection, info: dict[str, dict]):
    """``kg.network.agency_graph.agency_graph`` of the whole store read from the index, ``info``
    being ``kg.network.profiles.agency_info``: the same nodes, attributes and edge weights, in the
    same order, but without each edge's list of tasks (at 10^5 documents, millions of IRIs)."""
    import networkx as nx

    g = nx.Graph()
    counted = [(_key(a), n, led) for a, n, led in conn.execute(_SUMMARY)]
    for key, n, led in sorted(counted, key=lambda r: (-r[1], r[0])):          # as agency_summary
        a = info.get(key, {})
        g.add_node(key, label=a.get("label", key), iri=a.get("iri", str(AGENCY) + key), kind=a.get("kind") or "",
                   region=a.get("region") or "", tasks=n, led=led)
    for u, v, n in sorted((min(_key(a), _key(b)), max(_key(a), _key(b)), n) for a, b, n in conn.execute(_PAIRS)):
        g.add_edge(u, v, weight=n, distance=1.0 / n)
    return g


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


def agencies_with_metrics(conn: sqlite3.Connection, info: dict[str, dict]) -> list[dict]:
    """``kg.network.agency_graph.agencies_with_metrics`` of the whole store, read from the index."""
    from ..network.agency_graph import with_metrics

    rows = [{"key": n, **d} for n, d in with_metrics(network(conn, info)).nodes(data=True)]
    return sorted(rows, key=lambda r: (-r["tasks"], r["key"]))
