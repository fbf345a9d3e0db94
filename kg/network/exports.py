"""Exports of the agency network: GraphML, GEXF (Gephi), CSV edge list, JSON (node-link).

Every node carries: label, iri, kind, region (strings; "" when unknown), tasks, led, degree,
weighted_degree, community, component (integers), betweenness, eigenvector (floats). Every
edge carries: weight (integer, shared tasks), distance (float, 1 / weight), tasks (string:
the shared task IRIs separated by one space — GraphML and GEXF take no lists; in JSON it is a
list). CSV is UTF-8 *with* a BOM so that Excel opens the Chinese names correctly; R
(``read.csv(fileEncoding = "UTF-8-BOM")``, readr), Stata 14+ and pandas (``encoding="utf-8-sig"``)
read it too.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

from ..errors import KGError
from .agency_graph import agency_graph, with_metrics

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv",
    "json": "application/json",
}
CSV_COLUMNS = ["source", "target", "source_label", "target_label", "weight", "tasks"]


def _flat(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all str, int or float (what GraphML and GEXF writers accept)."""
    out = nx.Graph()
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: ("" if v is None else v) for k, v in d.items()})
    for u, v, d in g.edges(data=True):
        out.add_edge(u, v, **{k: (" ".join(x) if isinstance(x, list) else x) for k, x in d.items()})
    return out


def to_graphml(g: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_flat(g), buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(g: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(_flat(g), buf, encoding="utf-8")
    return buf.getvalue()


def to_csv(g: nx.Graph) -> bytes:
    """Edge list, heaviest first; source < target; tasks separated by one space."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    edges = sorted(((min(u, v), max(u, v), d) for u, v, d in g.edges(data=True)),
                   key=lambda e: (-e[2]["weight"], e[0], e[1]))
    for u, v, d in edges:
        w.writerow([u, v, g.nodes[u]["label"], g.nodes[v]["label"], d["weight"], " ".join(d["tasks"])])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json_data(g: nx.Graph) -> dict:
    """networkx node-link data: {directed, multigraph, graph, nodes: [{id, …}], links: [{source, target, …}]}."""
    return nx.node_link_data(g, edges="links")


def to_json(g: nx.Graph) -> bytes:
    return json.dumps(to_json_data(g), ensure_ascii=False, indent=1).encode("utf-8")


_WRITERS = {"graphml": to_graphml, "gexf": to_gexf, "csv": to_csv, "json": to_json}


def export_network(store, fmt: str, document: str | None = None) -> tuple[bytes, str]:
    """The network of the store (or of one document) with its metrics, as (bytes, content type)."""
    if fmt not in _WRITERS:
        raise KGError("K301", fmt)
    g = with_metrics(agency_graph(store, document))
    return _WRITERS[fmt](g), FORMATS[fmt]
