"""The SPARQL editor's errors: a readable message with line:column, the offending line marked,
HTTP 400, and no download links for a query that cannot run."""

from __future__ import annotations

import re

import pytest

from web.pages import syntax_error


@pytest.mark.parametrize(("query", "line"), [
    ("SELECT ?x WHERE {\n  ?x ?p\n}", 3),
    ("PREFIX pol: <https://w3id.org/policykg/ontology#>\nSELECT * WHERE { ?t a pol:Task . FILTR(?t) }", 2),
    ("SELECT ?x WHERE { ?x a <bad iri> }", 1),
])
def test_a_syntax_error_names_its_line_and_column_and_marks_the_line(client, query, line):
    import pyoxigraph as ox

    with pytest.raises(SyntaxError) as parser:            # the position the parser gives
        ox.Store().query(query)
    reported = re.search(r"at (\d+):(\d+)", str(parser.value))
    assert int(reported.group(1)) == line
    column = int(reported.group(2))
    resp = client.post("/query", data={"query": query})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert f"查询第 {line} 行第 {column} 列有错误" in page and "K201" in page
    bad = re.search(r'<span class="bad-line">\s*(\d+) \| ([^<]*)</span>', page)
    assert bad and int(bad.group(1)) == line
    assert bad.group(2) == query.splitlines()[line - 1].replace("<", "&lt;").replace(">", "&gt;")
    caret = re.search(r'<span class="caret">( *)\^</span>', page)
    assert caret and len(caret.group(1)) == 6 + column - 1
    assert "format=csv" not in page and "format=json" not in page        # nothing to download
    assert "expected" not in page.split('role="alert"')[1].split("</p>")[0]   # the parser's words folded away
    assert "<summary>解析器原文</summary>" in page


def test_a_refused_update_is_400_and_a_good_query_still_offers_downloads(client):
    resp = client.post("/query", data={"query": "DROP ALL"})
    assert resp.status_code == 400 and "K202" in resp.get_data(as_text=True)
    page = client.post("/query", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}).get_data(as_text=True)
    assert "format=csv" in page and "format=json" in page


def test_english_error_and_positions_from_the_message():
    assert syntax_error("a\nb\nc", "SPARQL syntax error: error at 2:1: expected x")["line"] == 2
    assert syntax_error("a", "no position here")["line"] is None
    ctx = syntax_error("1\n2\n3\n4\n5\n6", "error at 4:2: x")["context"]
    assert [c["number"] for c in ctx] == [2, 3, 4, 5, 6] and [c["bad"] for c in ctx].index(True) == 2


def test_example_descriptions_are_whole(client):
    page = client.get("/query").get_data(as_text=True)
    assert "the lead(s) where the document names one (牵头, 会同, 列第一位者为牵头单位)." in page
