"""The agency answers of ``kg.network`` read from the search index instead of the store.

``kg.search.agencies`` keeps a table of each task's bodies in the index and reads it; this module
puts what it reads in the shapes ``kg.network`` gives from the store — an agency's profile
(``profiles.agency_profile``), the picture of its neighbourhood (``ego.neighbourhood``), the
whole network and its metrics (``agency_graph``) — so the service can serve them from the index
at 10^5 documents, where the store's answers ran past their limits. The same answers: the tests
(tests/kg/test_indexed.py) compare them with the store's on the corpus and on the real documents.
"""

from __future__ import annotations

import sqlite3

import networkx as nx

from .graph.namespaces import key_iri
from .network.agency_graph import with_metrics
from .network.ego import empty, picture
from .search import agencies


def profile(conn: sqlite3.Connection, agency: dict) -> dict:
    """``agency`` (as ``kg.network.profiles.resolve_agency`` gives it) with ``led``,
    ``participated``, ``partners`` and ``documents`` as ``agency_profile`` gives them."""
    led, participated, docs = [], [], {}
    for _, node, doc, ordinal, title, identifier, doc_title, roles in agencies.task_rows(conn, agency["iri"]):
        ref = {"iri": node, "document": doc, "identifier": identifier, "ordinal": ordinal, "title": title}
        mine = roles.split(",")
        if "lead" in mine:
            led.append(ref)
        else:
            participated.append({**ref, "roles": mine})
        entry = docs.setdefault(doc, {"iri": doc, "identifier": identifier, "tasks": 0, "title": doc_title})
        entry["tasks"] += 1
    weight, labels = agencies.partners(conn, agency["iri"])
    return {**agency, "led": led, "participated": participated,
            "partners": [{"key": k, "label": labels[k], "shared_tasks": n}
                         for k, n in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))],
            "documents": list(docs.values())}


def neighbourhood(conn: sqlite3.Connection, agency: dict) -> dict:
    """``kg.network.ego.neighbourhood`` of ``agency`` (as ``resolve_agency`` gives it)."""
    weight, labels = agencies.partners(conn, agency["iri"])
    if not weight and not agencies.has_task(conn, agency["iri"]):
        return empty()
    labels[agency["key"]] = agency["label"]
    return picture(agency["key"], weight, labels, lambda shown: agencies.shared(conn, {key_iri(k): k for k in shown}))


def network(conn: sqlite3.Connection, info: dict[str, dict]) -> nx.Graph:
    """``kg.network.agency_graph.agency_graph`` of the whole store, ``info`` being
    ``kg.network.profiles.agency_info``: the same nodes, attributes and edge weights in the same
    order, but without each edge's list of tasks (at 10^5 documents, millions of IRIs)."""
    g = nx.Graph()
    for key, n, led in sorted(agencies.summary(conn), key=lambda r: (-r[1], r[0])):     # as agency_summary
        a = info.get(key, {})
        g.add_node(key, label=a.get("label", key), iri=a.get("iri", key_iri(key)), kind=a.get("kind") or "",
                   region=a.get("region") or "", tasks=n, led=led)
    for u, v, n in sorted(agencies.pairs(conn)):
        g.add_edge(u, v, weight=n, distance=1.0 / n)
    return g


def agencies_with_metrics(conn: sqlite3.Connection, info: dict[str, dict]) -> list[dict]:
    """``kg.network.agency_graph.agencies_with_metrics`` of the whole store."""
    rows = [{"key": n, **d} for n, d in with_metrics(network(conn, info)).nodes(data=True)]
    return sorted(rows, key=lambda r: (-r["tasks"], r["key"]))
