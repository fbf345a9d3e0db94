"""The thin web layer: home page, SPARQL endpoint basics, JSON stats, safe defaults."""

from __future__ import annotations

import json

ASK_TASK = "PREFIX pol: <https://w3id.org/policykg/ontology#> ASK { ?t a pol:Task }"


def test_home_lists_the_corpus(client):
    resp = client.get("/")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见" in page
    assert "国发〔2019〕3号" in page
    assert "Content-Security-Policy" in resp.headers


def test_sparql_get_post_and_formats(client):
    resp = client.get("/sparql", query_string={"query": ASK_TASK})
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    assert json.loads(resp.data)["boolean"] is True
    resp = client.post("/sparql", data=ASK_TASK, content_type="application/sparql-query",
                       headers={"Accept": "application/sparql-results+xml"})
    assert resp.mimetype == "application/sparql-results+xml"
    resp = client.post("/sparql", data={"query": "SELECT ?t WHERE { ?t a <https://w3id.org/policykg/ontology#Task> }",
                                        "format": "csv"})
    assert resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True).count("\n") == 1 + 8 + 21 + 16 + 6 + 8


def test_sparql_refuses_updates_and_outbound(client):
    resp = client.post("/sparql", data={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert resp.status_code == 403
    resp = client.get("/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert resp.status_code == 403
    assert json.loads(resp.data)["error"]["code"] == "K203"


def test_sparql_syntax_error_is_400_without_traceback(client):
    resp = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x "})
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert "K201" in body and "Traceback" not in body


def test_api_stats(client):
    data = client.get("/api/stats").get_json()
    assert data["documents"] == 5
    assert data["tasks"] == 8 + 21 + 16 + 6 + 8
