"""The agency network, its metrics and its exports, on the real corpus and on small graphs whose
answers are worked out by hand. Expected values come from the person-read tables of
tests/extraction/test_tasks.py and from reading the texts, stated here as data."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math

import networkx as nx
import pytest

from kg.errors import KGError
from kg.network.agency_graph import (
    agencies_with_metrics,
    agency_graph,
    communities,
    components,
    eigenvector,
    metrics,
    shortest_path,
)
from kg.network.exports import CSV_COLUMNS, export_network
from kg.network.profiles import list_documents

from ...extraction.test_tasks import DOC3_TASKS, SEED_TASKS
from .test_profiles import DOC3, DOC3_FULL, SEED_TITLE

CITIES, DOST = "ln/city-governments", "ln/dost"   # 辽宁省各市人民政府, 辽宁省科学技术厅


def _seed(store):
    return next(d["key"] for d in list_documents(store) if d["title"] == SEED_TITLE)


def _doc3_expected_edges() -> dict[frozenset, int]:
    weights: dict[frozenset, int] = {}
    for _n, _title, responsible, _leads in DOC3_TASKS:
        for a, b in itertools.combinations(sorted(DOC3_FULL[s] for s in responsible), 2):
            weights[frozenset((a, b))] = weights.get(frozenset((a, b)), 0) + 1
    return weights


@pytest.fixture(scope="module")
def doc3(store):
    return agency_graph(store, DOC3)


@pytest.fixture(scope="module")
def seed(store):
    return agency_graph(store, _seed(store))


def test_doc3_graph_is_the_co_listed_names(doc3):
    assert {d["label"] for _, d in doc3.nodes(data=True)} == set(DOC3_FULL.values())
    label = nx.get_node_attributes(doc3, "label")
    got = {frozenset((label[u], label[v])): d["weight"] for u, v, d in doc3.edges(data=True)}
    assert got == _doc3_expected_edges()
    for _u, _v, d in doc3.edges(data=True):
        assert d["weight"] == len(d["tasks"]) and d["distance"] == pytest.approx(1 / d["weight"])


def test_doc3_degrees(doc3):
    """海关总署 is named in all 21 notes, so it is joined to each of the 12 other bodies; its
    weighted degree is the sum over tasks of (bodies named − 1) = 27."""
    m = metrics(doc3)
    assert m["cn/customs"]["degree"] == 12
    sizes = [len(row[2]) - 1 for row in DOC3_TASKS]
    assert m["cn/customs"]["weighted_degree"] == sum(sizes) == 27
    # 药监局 (task 9), 证监会 (task 20), 市场监管总局 (task 8) are named only with 海关总署
    for leaf in ("cn/nmpa", "cn/csrc", "cn/samr"):
        assert (m[leaf]["degree"], m[leaf]["weighted_degree"], m[leaf]["betweenness"]) == (1, 1, 0.0)


def test_doc3_weighted_betweenness_by_hand(doc3):
    """13 bodies, so 66 pairs without 海关总署. With edge length 1/shared tasks, six pairs are
    shorter direct than through 海关总署: 税务总局–财政部 (1/3 < 1/3+1/4), 商务部–工信部 (1/2 < 1/8+1/2),
    商务部–生态环境部 (1 < 1/8+1), 工信部–生态环境部 (1 < 1/2+1), 发展改革委–科技部 (1 < 1/3+1),
    文化和旅游部–文物局 (1 < 1+1); every other pair's one shortest path runs through 海关总署."""
    m = metrics(doc3)
    assert m["cn/customs"]["betweenness"] == pytest.approx(60 / 66)
    assert max(m, key=lambda n: m[n]["eigenvector"]) == "cn/customs"


def test_seed_hubs(seed):
    """各市人民政府 and 省科技厅 are in all eight (责任单位:…) lists of the seed: each is joined to
    every other body, they share 8 tasks, and every other body shares with each of them exactly
    the tasks it is named in — so the two are interchangeable and score the same on every metric."""
    names = set().union(*(row[2] for row in SEED_TASKS))
    assert len(seed) == len(names)
    assert seed[CITIES][DOST]["weight"] == 8
    m = metrics(seed)
    for hub in (CITIES, DOST):
        assert m[hub]["degree"] == len(seed) - 1
    for other in set(seed) - {CITIES, DOST}:
        assert seed[other][CITIES]["weight"] == seed[other][DOST]["weight"] == seed.nodes[other]["tasks"]
    for key in ("degree", "weighted_degree", "betweenness", "eigenvector"):
        assert m[CITIES][key] == pytest.approx(m[DOST][key])
    top = sorted(m, key=lambda n: -m[n]["betweenness"])[:2]
    assert set(top) == {CITIES, DOST}
    # weighted degree: the sum over tasks of (bodies named − 1) for a body in every task
    assert m[DOST]["weighted_degree"] == sum(len(row[2]) - 1 for row in SEED_TASKS)


def test_eigenvector_per_component_by_hand():
    """A triangle (each 1/√3), a single edge (each 1/√2) and an isolated node (0): no crash on a
    disconnected graph, each component normalised on its own."""
    g = nx.Graph()
    g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c")], weight=2)
    g.add_edge("x", "y", weight=5)
    g.add_node("z")
    e = eigenvector(g)
    for n in "abc":
        assert e[n] == pytest.approx(1 / math.sqrt(3), abs=1e-6)
    assert e["x"] == pytest.approx(1 / math.sqrt(2), abs=1e-6) and e["y"] == pytest.approx(e["x"])
    assert e["z"] == 0.0
    assert [len(c) for c in components(g)] == [3, 2, 1]


def test_louvain_two_cliques_by_hand():
    """Two 4-cliques of weight 3 joined by one edge of weight 1 are two communities."""
    g = nx.Graph()
    for group in ("abcd", "wxyz"):
        g.add_edges_from(itertools.combinations(group, 2), weight=3)
    g.add_edge("d", "w", weight=1)
    assert sorted(sorted(c) for c in communities(g)) == [list("abcd"), list("wxyz")]


def test_whole_store_components_and_communities(store):
    """The seed's bodies are all Liaoning (or Liaoning branches) and no national document names
    them: the store's network has separate parts, metrics still run, communities never span parts
    and are the same on every run."""
    g = agency_graph(store)
    m = metrics(g)
    assert m[DOST]["component"] != m["cn/customs"]["component"]
    assert all(g.nodes[n]["label"] for n in g)
    first = communities(g)
    assert first == communities(g)
    assert sorted(n for c in first for n in c) == sorted(g)
    for c in first:
        assert len({m[n]["component"] for n in c}) == 1
    for comp in components(g):
        if len(comp) > 1:
            assert math.fsum(m[n]["eigenvector"] ** 2 for n in comp) == pytest.approx(1.0)


def test_agencies_with_metrics(store):
    rows = agencies_with_metrics(store, DOC3)
    assert rows[0]["key"] == "cn/customs" and rows[0]["tasks"] == 21 and rows[0]["led"] == 12
    mofcom = next(r for r in rows if r["label"] == "商务部")
    assert (mofcom["tasks"], mofcom["led"]) == (8, 4)     # leads 4, 14, 15, 18


def test_shortest_path_with_shared_tasks(store):
    """药监局 is named only in 国发〔2019〕3号 task 9 (with 海关总署); 海关总署 and 证监会 share task 20."""
    for doc in (DOC3, None):
        p = shortest_path(store, "药监局", "证监会", doc)
        assert (p["source"], p["target"], p["length"]) == ("cn/nmpa", "cn/csrc", 2)
        assert [(h["source_label"], h["target_label"]) for h in p["hops"]] == \
            [("国家药品监督管理局", "海关总署"), ("海关总署", "中国证券监督管理委员会")]
        assert [[(t["ordinal"], t["title"]) for t in h["tasks"]] for h in p["hops"]] == \
            [[(9, "支持医疗设备研发")], [(20, "支持期货交割")]]


def test_no_path_between_separate_parts(store):
    with pytest.raises(KGError) as e:
        shortest_path(store, "省科技厅", "海关总署")
    assert e.value.code == "K404"
    with pytest.raises(KGError) as e:
        shortest_path(store, "省科技厅", "海关总署", DOC3)       # 省科技厅 is not in 国发〔2019〕3号
    assert e.value.code == "K404"


def test_graphml_and_gexf_parse_back(store):
    expected = _doc3_expected_edges()
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        data, content_type = export_network(store, fmt, DOC3)
        assert content_type == f"application/{fmt}+xml"
        g = read(io.BytesIO(data))
        assert len(g) == len(DOC3_FULL) and g.number_of_edges() == len(expected)
        node = g.nodes["cn/customs"]
        assert node["label"] == "海关总署" and node["degree"] == 12 and node["tasks"] == 21
        assert node["betweenness"] == pytest.approx(60 / 66)
        edge = g["cn/customs"]["cn/mofcom"]
        assert int(edge["weight"]) == 8
        assert sorted(int(t.rsplit("/", 1)[1]) for t in edge["tasks"].split(" ")) == [3, 4, 6, 14, 15, 18, 19, 21]


def test_csv_edge_list(store):
    data, content_type = export_network(store, "csv", DOC3)
    assert content_type == "text/csv" and data.startswith(b"\xef\xbb\xbf")     # UTF-8 BOM for Excel
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS
    got = {frozenset((r["source_label"], r["target_label"])): int(r["weight"]) for r in rows}
    assert got == _doc3_expected_edges()
    assert (rows[0]["source_label"], rows[0]["target_label"], rows[0]["weight"]) == ("海关总署", "商务部", "8")
    assert all(len(r["tasks"].split(" ")) == int(r["weight"]) for r in rows)


def test_json_node_link(store):
    data, content_type = export_network(store, "json", DOC3)
    assert content_type == "application/json"
    d = json.loads(data)
    assert set(d) >= {"nodes", "links"}
    g = nx.node_link_graph(d, edges="links")
    assert len(g) == len(DOC3_FULL)
    assert len(g["cn/customs"]["cn/mofcom"]["tasks"]) == 8


def test_unknown_format(store):
    with pytest.raises(KGError) as e:
        export_network(store, "pajek")
    assert e.value.code == "K301"


def test_whole_store_exports(store):
    """Every attribute is of a type the writers accept on the whole store too."""
    g = agency_graph(store)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = read(io.BytesIO(export_network(store, fmt)[0]))
        assert len(back) == len(g) and back.number_of_edges() == g.number_of_edges()


def test_metrics_are_the_same_in_every_process(store, store_dir):
    """Python's set order changes with the hash seed; the metrics (sums over the network) must not.
    Two processes with different seeds give the same metrics, to the last digit."""
    import os
    import subprocess
    import sys

    store.flush()
    script = ("import json, sys; from kg.store.embedded import open_store; from kg.network.agency_graph import agencies_with_metrics; "
              "print(json.dumps(agencies_with_metrics(open_store(sys.argv[1], read_only=True))))")
    runs = [subprocess.run([sys.executable, "-c", script, str(store_dir)], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert json.loads(runs[0]) == json.loads(runs[1]) == json.loads(json.dumps(agencies_with_metrics(store)))
