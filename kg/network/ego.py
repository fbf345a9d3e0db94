"""The picture of an agency's neighbourhood: the agency in the middle, every co-responsible
partner on a circle (most shared tasks first) with its label in a column beside the circle,
edges weighted by shared tasks. Plain coordinates for an SVG; web/ draws it."""

from __future__ import annotations

import math
from collections import Counter

from ..graph.namespaces import key_iri
from ..graph.ntriples import iri as nt_iri
from ..query.sparql import run_query
from .profiles import agency_key, agency_labels

SIZE = 640
MAX_PARTNERS = None        # every partner is drawn (labels never overlap: see ``layout``)
ROW = 16                   # vertical distance between two labels of a column (font: 12)
GAP = 30                   # from the circle to the label columns


def neighbourhood(store, key: str, max_partners: int | None = MAX_PARTNERS) -> dict:
    """The picture of ``key``'s neighbourhood in the whole store's network (``kg.network.agency_graph``).

    Read by two counts — tasks shared with the agency, and tasks shared by each pair of the
    partners shown — not by building the whole network: the same picture, 1–2 s instead of
    20–25 s at 10M triples. (``kg.indexed.neighbourhood`` reads the same counts from the
    search index.)"""
    centre = agency_key(key)
    weight = _partners(store, centre)
    if not weight and not _has_task(store, centre):
        return empty()
    return picture(centre, weight, agency_labels(store), lambda shown: _shared(store, shown), max_partners)


def empty() -> dict:
    """The picture of an agency with no task."""
    return {"size": SIZE, "height": SIZE, "nodes": [], "edges": [], "hidden": 0}


def picture(centre: str, weight: Counter, labels: dict[str, str], shared, max_partners: int | None = MAX_PARTNERS,
            ) -> dict:
    """The picture of ``centre`` (which has a task) with its partners' ``weight`` (tasks shared
    with it) and ``shared(shown)``, the tasks shared by each pair of the partners shown."""
    partners = sorted(weight, key=lambda n: (-weight[n], labels.get(n, n)))
    shown = partners if max_partners is None else partners[:max_partners]
    return layout(centre, shown, weight, labels, shared(shown), hidden=len(partners) - len(shown))


def layout(centre: str, shown: list[str], weight: Counter, labels: dict[str, str],
           shared: dict[tuple[str, str], int], hidden: int = 0) -> dict:
    """Coordinates: the centre in the middle, the partners on a circle, and each partner's label in
    a column beside the circle (right half to the right, left half to the left) at the height of
    its node, pushed down to keep ``ROW`` between labels, with a leader line from node to label.
    Labels of one column never share a row and the columns never meet, at any partner count; the
    picture grows taller when a column needs it."""
    def edge(a: str, b: str) -> int:
        return weight[b] if a == centre else shared.get((min(a, b), max(a, b)), 0)

    mid, radius = SIZE / 2, SIZE / 2 - 110
    pos = {centre: (mid, mid)}
    for i, n in enumerate(shown):
        angle = 2 * math.pi * i / max(1, len(shown)) - math.pi / 2
        pos[n] = (mid + radius * math.cos(angle), mid + radius * math.sin(angle))
    label_at: dict[str, tuple[float, float, str]] = {}
    for right in (True, False):
        column = sorted((n for n in shown if (pos[n][0] >= mid) == right), key=lambda n: (pos[n][1], n))
        y = -math.inf
        for n in column:
            y = max(math.ceil(pos[n][1] + 4), y + ROW)     # whole pixels: the gap stays exact
            label_at[n] = (mid + radius + GAP if right else mid - radius - GAP, y, "start" if right else "end")
    height = max([SIZE, *(ly + 20 for _, ly, _ in label_at.values())])
    top = max((weight[n] for n in shown), default=1)
    edges = []
    for a in [centre, *shown]:
        for b in shown:
            if (a < b or a == centre) and a != b and (w := edge(a, b)):
                edges.append({"x1": pos[a][0], "y1": pos[a][1], "x2": pos[b][0], "y2": pos[b][1], "weight": w,
                              "width": round(1 + 5 * w / top, 2), "spoke": a == centre})
    nodes = []
    for n, (x, y) in pos.items():
        lx, ly, anchor = label_at.get(n, (x, y + 28, "middle"))
        nodes.append({"key": n, "label": labels.get(n, n), "x": round(x, 1), "y": round(y, 1),
                      "lx": round(lx, 1), "ly": round(ly, 1), "centre": n == centre,
                      "shared": 0 if n == centre else weight[n], "anchor": anchor})
    return {"size": SIZE, "height": round(height, 1), "nodes": nodes, "edges": edges, "hidden": hidden}


def _partners(store, centre: str) -> Counter:
    """Tasks ``centre`` shares with each other agency."""
    me = nt_iri(key_iri(centre))
    q = f"""SELECT ?b (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t pol:responsibleAgency {me} . ?t pol:responsibleAgency ?b .
      ?t a pol:Task . FILTER(?b != {me}) }} GROUP BY ?b"""
    return Counter({agency_key(r["b"].value): int(r["n"].value) for r in run_query(store, q)})


def _has_task(store, centre: str) -> bool:
    return bool(run_query(store, f"ASK {{ ?t pol:responsibleAgency {nt_iri(key_iri(centre))} ; a pol:Task }}"))


def _shared(store, keys: list[str]) -> dict[tuple[str, str], int]:
    """Tasks shared by each pair of ``keys`` (anywhere in the store), pairs as (smaller, larger)."""
    if len(keys) < 2:
        return {}
    iris = {key_iri(k): k for k in keys}
    values = " ".join(nt_iri(i) for i in iris)
    q = f"""SELECT ?a ?b (COUNT(DISTINCT ?t) AS ?n) WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}
      ?t pol:responsibleAgency ?a . ?t pol:responsibleAgency ?b . ?t a pol:Task . FILTER(?a != ?b)
    }} GROUP BY ?a ?b"""
    out = {}
    for r in run_query(store, q):
        a, b = iris[r["a"].value], iris[r["b"].value]
        out[(min(a, b), max(a, b))] = int(r["n"].value)
    return out
