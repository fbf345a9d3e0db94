"""Agency continuity across the 2018 / 2023 reforms (kg/analytics/continuity.py, extraction/data/reforms.csv).

Expected values are the reform plans' own wording: 组建农业农村部，不再保留农业部; 省国税局 and 省地税局
merged into 国家税务总局辽宁省税务局 (2018-06-15); the seed (辽宁, 2017) names 省农委 (辽宁省农村经济委员会);
国办发〔2018〕128号 names 农业农村部.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal
from rdflib.namespace import ORG, XSD

from kg.analytics.continuity import (
    REFORMS_GRAPH,
    ReformDataError,
    load_reforms,
    parse_reforms,
    predecessors,
    reforms,
    reforms_graph,
)
from kg.query.sparql import rows, run_query

from ...conftest import ROOT

HEADER = "id,date,from,to,source,note\n"


def _by_id():
    return {r.id: r for r in reforms()}


def test_national_rows():
    r = _by_id()
    assert (r["cn/moa-mara"].original, r["cn/moa-mara"].resulting) == (("cn/moa",), ("cn/mara",))
    assert r["cn/moa-mara"].date == "2018-03-17" and "国务院机构改革方案" in r["cn/moa-mara"].source
    assert set(r["cn/samr"].original) == {"cn/saic", "cn/aqsiq", "cn/cfda"}
    assert set(r["cn/moc-cnta-mct"].original) == {"cn/moc", "cn/cnta"}
    assert r["cn/cbirc-nfra"].resulting == ("cn/nfra",) and r["cn/cbirc-nfra"].date.startswith("2023")


def test_provincial_templates_are_expanded_per_region():
    r = _by_id()
    assert r["ln/agri-committee-rural"].original == ("ln/agri-committee",)
    assert r["ln/agri-committee-rural"].resulting == ("ln/agri-rural",)
    assert set(r["ln/tax"].original) == {"ln/ntb", "ln/ltb"} and r["ln/tax"].date == "2018-06-15"
    assert set(r["ln/cbirc-branches"].original) == {"ln/cbrc", "ln/circ"}
    assert set(r["dl/cbirc-branches"].original) == {"dl/cbrc", "dl/circ"}    # 计划单列市 大连
    assert "js/env-ecology" in r and "gd/samr" in r


def test_following_a_body_both_ways():
    from kg.analytics.continuity import successors

    assert [(k, r.date[:4]) for r, k in successors("ln/cbrc")] == [("ln/cbirc", "2018"), ("ln/nfra", "2023")]
    assert {k for _, k in predecessors("cn/nfra")} == {"cn/cbirc", "cn/cbrc", "cn/circ"}
    assert [k for _, k in predecessors("cn/mara")] == ["cn/moa"]


def test_graph_terms():
    g = reforms_graph([_by_id()["ln/tax"]])
    ev = _by_id()["ln/tax"].iri
    assert (ev, ORG.originalOrganization, None) in g
    assert g.value(ev, ORG.resultingOrganization).endswith("agency/ln/tax")
    assert Literal("2018-06-15", datatype=XSD.date) in set(g.objects(ev, None))
    assert Literal("辽宁省国家税务局 + 辽宁省地方税务局 → 国家税务总局辽宁省税务局", lang="zh") in set(g.objects(ev, None))


def test_bad_data_is_refused():
    with pytest.raises(ReformDataError, match="not in the gazetteer"):
        parse_reforms(HEADER + "x,2018,cn/moa,cn/nope,src,\n")
    with pytest.raises(ReformDataError, match="date"):
        parse_reforms(HEADER + "x,18,cn/moa,cn/mara,src,\n")
    with pytest.raises(ReformDataError, match="no region"):
        parse_reforms(HEADER + "x,2018,{code}/nope,{code}/agri-rural,src,\n")


def test_loaded_once_and_only_when_changed():
    store = ox.Store()
    assert load_reforms(store) is True
    n = len(store)
    assert load_reforms(store) is False
    assert len(store) == n
    assert store.contains_named_graph(ox.NamedNode(str(REFORMS_GRAPH)))


def _select(store, query):
    header, body = rows(run_query(store, query))
    return [dict(zip(header, r, strict=True)) for r in body]


def test_seed_provincial_agriculture_committee_to_its_successor(store):
    found = _select(store, """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?after ?when WHERE {
          ?old skos:altLabel "省农委"@zh ; org:changedBy ?ev .
          ?ev org:resultingOrganization ?after ; <http://purl.org/dc/terms/date> ?when .
        }""")
    assert found == [{"after": "https://w3id.org/policykg/agency/ln/agri-rural", "when": "2018"}]


def test_reform_query_names_both_sides(store):
    text = (ROOT / "queries" / "31-agency-across-reform.rq").read_text(encoding="utf-8")
    got = {(r["reform"], r["side"], r["named"], r["document"]) for r in _select(store, text)}
    assert ("农业部 → 农业农村部", "after", "农业农村部",
            "国务院办公厅关于印发“无废城市”建设试点工作方案的通知") in got
    assert ("辽宁省农村经济委员会 → 辽宁省农业农村厅", "before", "辽宁省农村经济委员会",
            "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见") in got
    assert ("辽宁省国家税务局 + 辽宁省地方税务局 → 国家税务总局辽宁省税务局", "before", "辽宁省地方税务局",
            "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见") in got


def test_bad_reform_data_stops_ingest_with_K601(monkeypatch):
    from kg.analytics import continuity
    from kg.errors import KGError

    monkeypatch.setattr(continuity, "reforms_text", lambda: HEADER + "x,2018,cn/moa,cn/nope,src,\n")
    continuity.reforms.cache_clear()
    try:
        with pytest.raises(KGError) as e:
            load_reforms(ox.Store())
        assert e.value.code == "K601"
    finally:
        monkeypatch.undo()
        continuity.reforms.cache_clear()
    assert reforms()
