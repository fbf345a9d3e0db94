"""The agency neighbourhood picture (kg/network/ego.py) is the whole network's view of the agency,
read from the agency's tasks alone: checked against ``kg.network.agency_graph.agency_graph``."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.network.agency_graph import agency_graph
from kg.network.ego import ROW, layout, neighbourhood


@pytest.fixture(scope="module")
def network(store):
    return agency_graph(store)


@pytest.mark.parametrize("key", ["ln/dost", "cn/customs", "cn/ndrc", "cn/most", "cn/mof"])
@pytest.mark.parametrize("max_partners", [None, 5])
def test_the_picture_is_the_whole_network_seen_from_the_agency(store, network, key, max_partners):
    g = network
    assert key in g
    picture = neighbourhood(store, key, max_partners)
    partners = sorted(g[key], key=lambda n: (-g[key][n]["weight"], g.nodes[n]["label"]))
    nodes = picture["nodes"]
    assert nodes[0]["key"] == key and nodes[0]["centre"] and nodes[0]["label"] == g.nodes[key]["label"]
    shown = [n["key"] for n in nodes[1:]]
    assert shown == partners[:max_partners] and picture["hidden"] == len(partners) - len(shown)
    if max_partners is None:                                  # every partner, by default
        assert picture["hidden"] == 0 and len(shown) == len(partners)
    assert all(n["shared"] == g[key][n["key"]]["weight"] and n["label"] == g.nodes[n["key"]]["label"] for n in nodes[1:])
    at = {(n["x"], n["y"]): n["key"] for n in nodes}
    edges = {(at[(round(e["x1"], 1), round(e["y1"], 1))], at[(round(e["x2"], 1), round(e["y2"], 1))]): e["weight"]
             for e in picture["edges"]}
    expected = {(a, b): g[a][b]["weight"] for a in [key, *shown] for b in shown
                if (a < b or a == key) and a != b and g.has_edge(a, b)}
    assert edges == expected and any(a != key for a, _ in edges)      # partner-to-partner edges too


def test_an_agency_with_no_task_has_an_empty_picture(store):
    assert neighbourhood(store, "cn/nobody") == {"size": 640, "height": 640, "nodes": [], "edges": [], "hidden": 0}


def _box(n: dict) -> tuple[float, float, float, float]:
    """The label's box (12 px characters, 12 px high, the baseline at ly)."""
    width = 12 * (len(n["label"]) + 5)                         # the name and " (n)"
    left = n["lx"] - (width if n["anchor"] == "end" else width / 2 if n["anchor"] == "middle" else 0)
    return left, n["ly"] - 12, left + width, n["ly"]


@pytest.mark.parametrize("count", [*range(0, 41), 60, 100, 200])
def test_labels_never_overlap_and_every_partner_is_drawn(count):
    names = [f"p{i:03d}" for i in range(count)]
    labels = {n: "某某省某某某某厅" if i % 3 else "国家某某监督管理总局某某司" for i, n in enumerate(names)}
    labels["c"] = "中心机构"
    weight = Counter({n: 1 + i % 7 for i, n in enumerate(names)})
    picture = layout("c", names, weight, labels, {})
    nodes = picture["nodes"]
    assert [n["key"] for n in nodes[1:]] == names and picture["hidden"] == 0
    partners = nodes[1:]
    for side in ("start", "end"):
        column = sorted((n for n in partners if n["anchor"] == side), key=lambda n: n["ly"])
        assert all(b["ly"] - a["ly"] >= ROW for a, b in zip(column, column[1:], strict=False))
    boxes = [_box(n) for n in nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert all(n["ly"] <= picture["height"] for n in nodes)
