"""The JSON API: documents, tasks, agencies, pairs, path, network exports; status codes,
content types, field names and 404s. Expected values are read from the texts (see
tests/extraction/test_tasks.py)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import networkx as nx
import pytest

from ..extraction.test_tasks import DOC3_TASKS
from ..kg.network.test_profiles import CUSTOMS_LEADS, CUSTOMS_MOFCOM, DOC3, DOC3_FULL, SEED_TITLE

DOC_FIELDS = {"iri", "key", "identifier", "title", "issued", "issuer", "level", "region", "tasks", "partial"}
TASK_FIELDS = {"iri", "document", "identifier", "ordinal", "title", "agencies", "leads"}
AGENCY_FIELDS = {"key", "iri", "label", "kind", "region", "tasks", "led", "degree", "weighted_degree",
                 "betweenness", "eigenvector", "community", "component"}
PROFILE_FIELDS = {"key", "iri", "label", "alt_labels", "kind", "region", "led", "participated", "partners",
                  "documents"}


def _json(resp, status=200):
    assert resp.status_code == status, resp.data[:300]
    assert resp.mimetype == "application/json"
    return json.loads(resp.data)


def _error(resp, status, code):
    body = _json(resp, status)
    assert set(body["error"]) == {"code", "message"} and body["error"]["code"] == code


def test_documents(client):
    docs = _json(client.get("/api/documents"))["documents"]
    assert all(set(d) == DOC_FIELDS for d in docs)
    by_id = {d["identifier"]: d for d in docs}
    assert by_id[DOC3]["tasks"] == 21 and by_id["国办发〔2018〕128号"]["tasks"] == 6
    assert any(d["title"] == SEED_TITLE and d["identifier"] is None for d in docs)
    assert [d["identifier"] for d in docs if d["partial"]] == ["国办发〔2017〕43号"]      # known only in outline


@pytest.mark.parametrize("doc_id", [DOC3, quote(DOC3), "国发[2019]3号"])
def test_document_by_wenhao(client, doc_id):
    d = _json(client.get(f"/api/documents/{doc_id}"))
    assert set(d) == DOC_FIELDS | {"sections", "tasks"}
    assert d["identifier"] == DOC3
    assert set(d["sections"][0]) == {"iri", "number", "label", "title", "level", "kind", "parent"}
    assert d["sections"][0]["title"] == "指导思想"
    assert [t["title"] for t in d["tasks"]] == [row[1] for row in DOC3_TASKS]
    assert set(d["tasks"][0]) == TASK_FIELDS | {"section"}
    assert set(d["tasks"][0]["agencies"][0]) == {"key", "label", "roles"}


def test_document_by_key(client):
    seed = next(d for d in _json(client.get("/api/documents"))["documents"] if d["title"] == SEED_TITLE)
    d = _json(client.get(f"/api/documents/{seed['key']}"))
    assert d["title"] == SEED_TITLE and len(d["tasks"]) == 8


def test_unknown_document_task_agency_are_404(client):
    _error(client.get("/api/documents/国发〔2099〕1号"), 404, "K103")
    _error(client.get("/api/tasks/国发〔2099〕1号/1"), 404, "K103")
    _error(client.get(f"/api/tasks/{DOC3}/99"), 404, "K403")
    _error(client.get("/api/agencies/cn/nothing"), 404, "K401")
    _error(client.get("/api/agencies", query_string={"document": "国发〔2099〕1号"}), 404, "K103")
    _error(client.get("/api/network", query_string={"document": "国发〔2099〕1号"}), 404, "K103")


def test_task(client):
    t = _json(client.get(f"/api/tasks/{DOC3}/3"))
    assert set(t) == TASK_FIELDS | {"text", "section", "measures"}
    assert t["title"] == "释放企业产能" and t["leads"] == ["cn/customs"]
    assert [a["label"] for a in t["agencies"]] == ["海关总署", "商务部"]
    assert set(t["measures"][0]) == {"ordinal", "text", "agencies", "leads", "inherited"}
    # its one note closes the task: the measure's bodies are the task's, inherited (stated once, on the task)
    assert t["measures"][0]["agencies"] == t["measures"][0]["inherited"] == sorted(a["key"] for a in t["agencies"])


def test_tasks_without_lead(client):
    tasks = _json(client.get("/api/tasks", query_string={"document": "国办发〔2018〕128号", "lead": "none"}))["tasks"]
    assert [t["ordinal"] for t in tasks] == [2, 3, 4, 5, 6]      # only task 1 writes 牵头
    tasks = _json(client.get("/api/tasks", query_string={"document": DOC3}))["tasks"]
    assert len(tasks) == 21 and all(len(t["leads"]) == 1 for t in tasks)


def test_agencies(client):
    rows = _json(client.get("/api/agencies", query_string={"document": DOC3}))["agencies"]
    assert all(set(r) == AGENCY_FIELDS for r in rows)
    assert {r["label"] for r in rows} == set(DOC3_FULL.values())
    assert (rows[0]["label"], rows[0]["tasks"], rows[0]["led"], rows[0]["degree"]) == ("海关总署", 21, 12, 12)


@pytest.mark.parametrize("name", ["cn/customs", "海关总署", quote("海关总署")])
def test_agency_profile(client, name):
    p = _json(client.get(f"/api/agencies/{name}", query_string={"document": DOC3}))
    assert set(p) == PROFILE_FIELDS
    assert [t["ordinal"] for t in p["led"]] == CUSTOMS_LEADS
    assert set(p["partners"][0]) == {"key", "label", "shared_tasks"}
    assert p["partners"][0] == {"key": "cn/mofcom", "label": "商务部", "shared_tasks": len(CUSTOMS_MOFCOM)}
    assert set(p["participated"][0]) == {"iri", "document", "identifier", "ordinal", "title", "roles"}


def test_pairs_and_path(client):
    pairs = _json(client.get("/api/pairs", query_string={"document": DOC3}))["pairs"]
    assert set(pairs[0]) == {"source", "target", "source_label", "target_label", "weight", "tasks"}
    assert (pairs[0]["source_label"], pairs[0]["target_label"], pairs[0]["weight"]) == ("海关总署", "商务部", 8)
    p = _json(client.get("/api/path", query_string={"from": "药监局", "to": "证监会"}))
    assert set(p) == {"source", "target", "length", "distance", "hops"}
    assert [h["target_label"] for h in p["hops"]] == ["海关总署", "中国证券监督管理委员会"]
    _error(client.get("/api/path", query_string={"from": "省科技厅", "to": "海关总署"}), 404, "K404")
    _error(client.get("/api/path", query_string={"from": "省科技厅"}), 400, "HTTP400")


def test_network_formats(client):
    d = _json(client.get("/api/network", query_string={"document": DOC3}))
    assert len(nx.node_link_graph(d, edges="links")) == len(DOC3_FULL)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        resp = client.get("/api/network", query_string={"format": fmt, "document": DOC3})
        assert resp.status_code == 200 and resp.mimetype == f"application/{fmt}+xml"
        assert f"agency-network.{fmt}" in resp.headers["Content-Disposition"]
        assert read(io.BytesIO(resp.data)).nodes["cn/customs"]["degree"] == 12
    resp = client.get("/api/network", query_string={"format": "csv", "document": DOC3})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0] == ["source", "target", "source_label", "target_label", "weight", "tasks"]
    _error(client.get("/api/network", query_string={"format": "pajek"}), 400, "K301")


def test_the_whole_store_agency_answers_read_the_index_and_keep_its_limit(store, client, monkeypatch):
    """Without ?document= the agency answers come from the search index (kg/search/agencies.py),
    equal to the store's; an index read over POLICYKG_SUMMARY_TIMEOUT is stopped: 503, K209."""
    from kg.network.agency_graph import agencies_with_metrics
    from kg.network.profiles import agency_profile
    from kg.search import query
    from web import create_app

    assert _json(client.get("/api/agencies"))["agencies"] == json.loads(json.dumps(agencies_with_metrics(store)))
    assert _json(client.get("/api/agencies/cn/customs")) == json.loads(json.dumps(agency_profile(store, "cn/customs")))
    limited = create_app({"STORE": store, "TESTING": True, "SUMMARY_TIMEOUT": 5}).test_client()
    ticks = iter(range(10**9))
    monkeypatch.setattr(query.time, "monotonic", lambda: float(next(ticks)))     # a second each look
    monkeypatch.setattr(query, "CHECK_EVERY", 10)
    resp = limited.get("/api/agencies")
    assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "K209"
    page = limited.get("/agency/cn/customs", headers={"Accept": "text/html"})
    assert page.status_code == 503 and "K209" in page.get_data(as_text=True)
