"""The agency co-responsibility network (networkx) and its metrics.

Nodes are agencies (keyed by agency key, e.g. ``cn/customs``) responsible for at least one task;
an edge joins two agencies that share at least one task. Edge ``weight`` = number of shared
tasks, ``distance`` = 1 / weight (so strong ties are short), ``tasks`` = the shared task IRIs.

Metrics (``metrics``):

* ``degree`` (partners), ``weighted_degree`` (sum of edge weights);
* ``betweenness``: normalised betweenness with ``distance`` as the edge length;
* ``eigenvector``: weighted eigenvector centrality computed separately in each connected
  component (power iteration on A + I, so bipartite components converge), each component's
  vector scaled to unit Euclidean norm; isolated agencies get 0. Values compare agencies of
  one component, not across components (``component`` says which one: 0 = the largest);
* ``community``: Louvain (``nx.community.louvain_communities``, weight, seed ``LOUVAIN_SEED``),
  numbered 0, 1 … largest first; deterministic for a given store.
"""

from __future__ import annotations

import itertools

import networkx as nx

from ..errors import KGError
from .profiles import agency_summary, resolve_agency, task_agencies, task_ref

LOUVAIN_SEED = 42


def agency_graph(store, document: str | None = None, tasks: list[dict] | None = None) -> nx.Graph:
    """The network of the whole store, or of one document (文号, key or IRI)."""
    tasks = task_agencies(store, document) if tasks is None else tasks
    g = nx.Graph()
    for a in agency_summary(store, tasks=tasks):
        g.add_node(a["key"], label=a["label"], iri=a["iri"], kind=a["kind"] or "", region=a["region"] or "",
                   tasks=a["tasks"], led=a["led"])
    shared: dict[tuple[str, str], list[str]] = {}
    for t in tasks:
        for u, v in itertools.combinations(sorted(a["key"] for a in t["agencies"]), 2):
            shared.setdefault((u, v), []).append(t["iri"])
    # the edges in the order of their ends, not of the tasks: the metrics (Louvain's above all)
    # follow the order edges are added, and another reading of the same pairs
    # (kg.indexed.network: counted in SQL) must give the same figures
    for (u, v), iris in sorted(shared.items()):
        g.add_edge(u, v, tasks=iris, weight=len(iris), distance=1.0 / len(iris))
    return g


def components(g: nx.Graph) -> list[set]:
    """Connected components, largest first (ties: by smallest key)."""
    return sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))


def eigenvector(g: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality per connected component (see the module docstring)."""
    out: dict[str, float] = {}
    for comp in components(g):
        if len(comp) == 1:
            out.update(dict.fromkeys(comp, 0.0))
            continue
        out.update(nx.eigenvector_centrality(_ordered(g, comp), max_iter=10000, tol=1e-10, weight="weight"))
    return out


def _ordered(g: nx.Graph, nodes: set) -> nx.Graph:
    """The subgraph of ``nodes`` as a graph of its own, nodes and edges in sorted order.

    A subgraph view iterates a Python set, whose order changes with the process's hash seed,
    and the power iteration sums in that order: the same store gave centralities differing in
    the last digits from one process to the next (the service's query workers and the CLI)."""
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes))
    sub.add_weighted_edges_from(sorted((min(u, v), max(u, v), d["weight"])
                                       for u, v, d in g.edges(sorted(nodes), data=True)))
    return sub


def communities(g: nx.Graph) -> list[set]:
    """Louvain communities with a fixed seed, largest first (ties: by smallest key)."""
    found = nx.community.louvain_communities(g, weight="weight", seed=LOUVAIN_SEED) if len(g) else []
    return sorted(found, key=lambda c: (-len(c), min(c)))


def metrics(g: nx.Graph) -> dict[str, dict]:
    """Per agency key: degree, weighted_degree, betweenness, eigenvector, community, component."""
    between = nx.betweenness_centrality(g, weight="distance", normalized=True)
    eig = eigenvector(g)
    comm = {n: i for i, c in enumerate(communities(g)) for n in c}
    comp = {n: i for i, c in enumerate(components(g)) for n in c}
    return {n: {"degree": g.degree(n), "weighted_degree": g.degree(n, weight="weight"),
                "betweenness": between[n], "eigenvector": eig[n], "community": comm[n], "component": comp[n]}
            for n in g.nodes}


def with_metrics(g: nx.Graph) -> nx.Graph:
    """``g`` with every metric stored as a node attribute (in place; returns ``g``)."""
    for n, values in metrics(g).items():
        g.nodes[n].update(values)
    return g


def agencies_with_metrics(store, document: str | None = None) -> list[dict]:
    """Every agency with its task counts (tasks, led) and metrics, most tasks first."""
    g = with_metrics(agency_graph(store, document))
    rows = [{"key": n, **d} for n, d in g.nodes(data=True)]
    return sorted(rows, key=lambda r: (-r["tasks"], r["key"]))


def shortest_path(store, a: str, b: str, document: str | None = None) -> dict:
    """The strongest-tie shortest path (edge length = 1 / shared tasks) between two agencies,
    each named as in ``resolve_agency``: {source, target, length, distance, hops: [{source,
    target, source_label, target_label, weight, tasks [task refs]}]}. ``K404`` if not connected."""
    tasks = task_agencies(store, document)
    refs = {t["iri"]: task_ref(t) for t in tasks}
    g = agency_graph(store, tasks=tasks)
    src, dst = resolve_agency(store, a), resolve_agency(store, b)
    for agency in (src, dst):
        if agency["key"] not in g:
            raise KGError("K404", f"{src['label']} and {dst['label']} ({agency['label']} shares no task here)")
    try:
        nodes = nx.dijkstra_path(g, src["key"], dst["key"], weight="distance")
    except nx.NetworkXNoPath as e:
        raise KGError("K404", f"{src['label']} and {dst['label']}") from e
    hops = [{"source": u, "target": v, "source_label": g.nodes[u]["label"], "target_label": g.nodes[v]["label"],
             "weight": g[u][v]["weight"], "tasks": [refs[t] for t in g[u][v]["tasks"]]} for u, v in itertools.pairwise(nodes)]
    return {"source": src["key"], "target": dst["key"], "length": len(hops),
            "distance": sum(1.0 / h["weight"] for h in hops), "hops": hops}
