"""The picture of an agency's neighbourhood: the agency in the middle, its co-responsible
partners on a circle (most shared tasks first), edges weighted by shared tasks. Plain
coordinates for an SVG; web/ draws it."""

from __future__ import annotations

import math

from .namespaces import AGENCY
from .network import agency_graph

SIZE = 640
MAX_PARTNERS = 24


def neighbourhood(store, key: str, max_partners: int = MAX_PARTNERS) -> dict:
    g = agency_graph(store)
    centre = str(AGENCY[key]) if str(AGENCY[key]) in g else key
    if centre not in g:
        return {"size": SIZE, "nodes": [], "edges": [], "hidden": 0}
    partners = sorted(g[centre], key=lambda n: (-g[centre][n]["weight"], g.nodes[n].get("label", n)))
    shown, hidden = partners[:max_partners], max(0, len(partners) - max_partners)
    mid, radius = SIZE / 2, SIZE / 2 - 110
    pos = {centre: (mid, mid)}
    for i, n in enumerate(shown):
        angle = 2 * math.pi * i / max(1, len(shown)) - math.pi / 2
        pos[n] = (mid + radius * math.cos(angle), mid + radius * math.sin(angle))
    top = max((g[centre][n]["weight"] for n in shown), default=1)
    edges = []
    for a in [centre, *shown]:
        for b in shown:
            if (a < b or a == centre) and a != b and g.has_edge(a, b):
                w = g[a][b]["weight"]
                edges.append({"x1": pos[a][0], "y1": pos[a][1], "x2": pos[b][0], "y2": pos[b][1], "weight": w,
                              "width": round(1 + 5 * w / top, 2), "spoke": a == centre})
    nodes = [{"key": _key(n), "label": g.nodes[n].get("label", n), "x": round(x, 1), "y": round(y, 1),
              "centre": n == centre, "shared": 0 if n == centre else g[centre][n]["weight"],
              "anchor": "middle" if n == centre else ("start" if x >= mid else "end")}
             for n, (x, y) in pos.items()]
    return {"size": SIZE, "nodes": nodes, "edges": edges, "hidden": hidden}


def _key(node: str) -> str:
    return node[len(str(AGENCY)):] if node.startswith(str(AGENCY)) else node
