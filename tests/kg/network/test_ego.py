"""The agency neighbourhood picture (kg/network/ego.py) is the whole network's view of the agency,
read from the agency's tasks alone: checked against ``kg.network.agency_graph.agency_graph``."""

from __future__ import annotations

import pytest

from kg.network.agency_graph import agency_graph
from kg.network.ego import MAX_PARTNERS, neighbourhood


@pytest.fixture(scope="module")
def network(store):
    return agency_graph(store)


@pytest.mark.parametrize("key", ["ln/dost", "cn/customs", "cn/ndrc", "cn/most", "cn/mof"])
@pytest.mark.parametrize("max_partners", [MAX_PARTNERS, 5])
def test_the_picture_is_the_whole_network_seen_from_the_agency(store, network, key, max_partners):
    g = network
    assert key in g
    picture = neighbourhood(store, key, max_partners)
    partners = sorted(g[key], key=lambda n: (-g[key][n]["weight"], g.nodes[n]["label"]))
    nodes = picture["nodes"]
    assert nodes[0]["key"] == key and nodes[0]["centre"] and nodes[0]["label"] == g.nodes[key]["label"]
    shown = [n["key"] for n in nodes[1:]]
    assert shown == partners[:max_partners] and picture["hidden"] == max(0, len(partners) - max_partners)
    assert all(n["shared"] == g[key][n["key"]]["weight"] and n["label"] == g.nodes[n["key"]]["label"] for n in nodes[1:])
    at = {(n["x"], n["y"]): n["key"] for n in nodes}
    edges = {(at[(round(e["x1"], 1), round(e["y1"], 1))], at[(round(e["x2"], 1), round(e["y2"], 1))]): e["weight"]
             for e in picture["edges"]}
    expected = {(a, b): g[a][b]["weight"] for a in [key, *shown] for b in shown
                if (a < b or a == key) and a != b and g.has_edge(a, b)}
    assert edges == expected and any(a != key for a, _ in edges)      # partner-to-partner edges too


def test_an_agency_with_no_task_has_an_empty_picture(store):
    assert neighbourhood(store, "cn/nobody") == {"size": 640, "nodes": [], "edges": [], "hidden": 0}
