"""Every page through the Flask test client: content, links, escaping, and no scripts."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse

import pytest

SEED_KEY = None   # the seed has no 文号: its key is a hash of its title, looked up below


def _seed_url(client) -> str:
    home = client.get("/").get_data(as_text=True)
    m = re.search(r'href="(/doc/t-[0-9a-f]+)">辽宁省人民政府办公厅关于县域创新驱动发展的实施意见', home)
    assert m, "the home page links the seed document"
    return m.group(1)


@pytest.mark.parametrize("path", ["/", "/documents", "/search", "/search?q=科技特派员", "/query", "/doc/国发〔2019〕3号"])
def test_pages_render_without_scripts(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "<script" not in page.lower()
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert re.search(r"<title>[^<]+ · PolicyKG</title>", page)
    assert "https://" not in re.sub(r'(href|action)="https://w3id.org[^"]*"', "", page).split("<main>")[0]


def _results(page: str) -> int:
    """The number of results a (Chinese) search page says it found."""
    return int(re.search(r"共 (\d+) 条结果", page).group(1))


def test_search_finds_the_seed_measure_with_highlight(client):
    page = client.get("/search", query_string={"q": "科技特派员"}).get_data(as_text=True)
    assert "“科技特派员”共 2 条结果" in page
    assert "深入推行<mark>科技特派员</mark>制度" in page
    assert "引导创新创业人才集聚" in page
    assert "辽宁省科学技术厅" in page                 # the agencies of the task, full names


def test_search_by_agency_short_form(client):
    page = client.get("/search", query_string={"q": "省科技厅"}).get_data(as_text=True)
    assert _results(page) == 8   # the 8 seed tasks name 省科技厅


def test_search_facets_filter_and_paginate(client):
    first = client.get("/search", query_string={"q": "海关总署"}).get_data(as_text=True)
    total = _results(first)
    assert total > 20 and 'rel="next"' in first
    second = client.get("/search", query_string={"q": "海关总署", "page": 2}).get_data(as_text=True)
    assert "第 2 页" in second and 'rel="prev"' in second
    lead = client.get("/search", query_string={"q": "海关总署", "role": "lead"}).get_data(as_text=True)
    assert _results(lead) < total


@pytest.mark.parametrize("q", ["", "zzqqxx", "的", "\"*) OR 1=1 --", "NEAR(a b)", "《》"])
def test_empty_and_nonsense_queries_get_a_helpful_page(client, q):
    resp = client.get("/search", query_string={"q": q})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "检索文件" in page or "没有与" in page or "条结果" in page


def test_search_terms_are_escaped(client):
    page = client.get("/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_document_page_highlights_from_offsets(client):
    page = client.get("/doc/国发〔2019〕3号").get_data(as_text=True)
    assert "国发〔2019〕3号" in page and "2019-01-12" in page
    assert 'id="task-1"' in page and 'id="task-21"' in page
    # 税务总局 is the lead of task 1: highlighted as an agency link with the lead role
    assert re.search(r'<a class="m m-agency role-lead" href="/agency/cn/[^"]+" title="国家税务总局（牵头）">税务总局</a>', page)


def test_seed_document_page(client):
    page = client.get(_seed_url(client)).get_data(as_text=True)
    assert "辽宁省" in page and "<dd>省级</dd>" in page
    assert '<mark class="m m-programme" title="雪亮工程">“雪亮工程”</mark>' in page
    assert 'class="m m-citation"' in page
    assert page.count('class="provision task"') == 8


def test_unknown_document_is_404(client):
    assert client.get("/doc/国发〔1999〕99号").status_code == 404
    assert client.get("/doc/a<b>").status_code == 404


def test_query_page_runs_an_example_and_links_downloads(client):
    page = client.get("/query", query_string={"example": "01-co-responsibility", "run": 1}).get_data(as_text=True)
    assert "Which agencies share responsibility for each task?" in page
    assert "<table" in page and "推动特色优势产业转型升级" in page
    assert "format=csv" in page and "format=json" in page


def test_query_page_shows_errors_not_tracebacks(client):
    page = client.post("/query", data={"query": "SELECT ?x WHERE {"}).get_data(as_text=True)
    assert "K201" in page and "Traceback" not in page
    page = client.post("/query", data={"query": "DROP ALL"}).get_data(as_text=True)
    assert "K202" in page


def test_literals_with_markup_are_escaped_in_results(client):
    q = 'SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)>" AS ?x) }'
    page = client.post("/query", data={"query": q}).get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_agency_page_with_neighbourhood_picture(client):
    page = client.get("/agency/ln/dost").get_data(as_text=True)
    assert "<h1>辽宁省科学技术厅</h1>" in page
    assert "省科技厅" in page                              # the form the seed writes
    assert "参与任务（8）" in page and "牵头任务（0）" in page
    assert "<svg class=\"neighbourhood\"" in page and page.count("<circle") >= 10
    # 辽宁省各市人民政府 shares all 8 tasks with 辽宁省科学技术厅 (every seed task names both)
    assert '<title>辽宁省各市人民政府: 共同任务 8 项</title>' in page


def test_agency_page_by_short_form_and_lead(client):
    page = client.get("/agency/cn/customs").get_data(as_text=True)
    assert "<h1>海关总署</h1>" in page and "牵头任务（12）" in page


def test_unknown_agency_is_404(client):
    assert client.get("/agency/cn/no-such-body").status_code == 404


def _document_rows(page: str) -> list[str]:
    return re.findall(r'<td><a href="(/doc/[^"]+)">', page)


def test_home_lists_the_first_documents_and_links_the_full_list(client, monkeypatch):
    from web import pages

    every = _document_rows(client.get("/").get_data(as_text=True))
    assert len(every) == 5 and "另有" not in client.get("/").get_data(as_text=True)   # the corpus: 5 documents
    monkeypatch.setattr(pages, "HOME_DOCUMENTS", 2)
    home = client.get("/").get_data(as_text=True)
    assert _document_rows(home) == every[:2]
    assert "……另有 3 份" in home and 'href="/documents">全部 5 份文件</a>' in home


def test_the_document_list_pages_through_every_document(client, monkeypatch):
    from web import pages

    every = _document_rows(client.get("/documents").get_data(as_text=True))
    assert len(every) == 5 and every == _document_rows(client.get("/").get_data(as_text=True))
    monkeypatch.setattr(pages, "DOCUMENTS_PER_PAGE", 2)
    seen = []
    for n in (1, 2, 3):
        page = client.get("/documents", query_string={"page": n}).get_data(as_text=True)
        assert f"第 {n} 页，共 3 页" in page
        assert ('rel="next"' in page) == (n < 3) and ('rel="prev"' in page) == (n > 1)
        seen += _document_rows(page)
    assert seen == every
    for odd in ("0", "99", "x"):                  # out of range or not a number: the nearest page
        page = client.get("/documents", query_string={"page": odd}).get_data(as_text=True)
        assert _document_rows(page) == (every[4:] if odd == "99" else every[:2])


def test_bodies_in_text_order_with_the_lead_marked_and_the_note(client):
    page = client.get("/search", query_string={"q": "拓展两个市场"}).get_data(as_text=True)
    hit = page.split('<li class="hit">')[1]
    bodies = re.findall(r'<a class="agency role-(\w+)"[^>]*>([^<]+)</a>', hit)
    assert bodies[:3] == [("lead", "国家税务总局（牵头）"), ("participant", "财政部"), ("participant", "海关总署")]
    assert '<span class="note" title="原文写法">（税务总局、财政部、海关总署负责' in hit
    api = client.get("/api/tasks", query_string={"document": "国发〔2019〕3号"}).get_json()
    first = next(t for t in api["tasks"] if t["ordinal"] == 1)
    assert [a["label"] for a in first["agencies"]] == ["国家税务总局", "财政部", "海关总署"]


@pytest.mark.parametrize("key", ["国发[2019]3号", "国发［2019］3号", "https://w3id.org/policykg/doc/国发〔2019〕3号"])
def test_a_document_page_takes_brackets_and_the_full_iri(client, key):
    """Issue #17, defect 13: these gave 404 though every route takes them; they now lead to the
    document's own address."""
    resp = client.get("/doc/" + key)
    assert resp.status_code == 301
    assert urllib.parse.unquote(resp.headers["Location"]).endswith("/doc/国发〔2019〕3号")
    assert client.get(resp.headers["Location"]).status_code == 200
    assert client.get("/doc/国发[2019]999号").status_code == 404


@pytest.mark.parametrize("year", ["²", "9" * 30, "-1", "二〇一九"])
def test_a_year_filter_that_is_no_year_finds_nothing_and_is_no_error(client, year):
    """Issue #17, defect 8: ``year=²`` and a 30-digit year were 500s."""
    resp = client.get("/search", query_string={"q": "科技", "year": year})
    assert resp.status_code == 200
    assert client.get("/search", query_string={"q": "科技"}).status_code == 200


def test_a_document_page_says_where_metadata_came_from(tmp_path):
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store
    from web import create_app

    from ..conftest import DATA

    # the 赣 page comes with its crawl record (tests/data/real/SOURCES.json), the notice without one
    for name in ("国航天〔2020〕4号.txt", "赣府厅发〔2020〕6号.txt"):
        shutil.copy(DATA / "real" / name, tmp_path / name)
    records = json.loads((DATA / "real" / "SOURCES.json").read_text(encoding="utf-8"))
    (tmp_path / "SOURCES.json").write_text(json.dumps({"赣府厅发〔2020〕6号": records["赣府厅发〔2020〕6号"]}),
                                           encoding="utf-8")
    st = open_store(tmp_path / "store")
    ingest_paths(st, [tmp_path / "国航天〔2020〕4号.txt", tmp_path / "赣府厅发〔2020〕6号.txt"])
    client = create_app({"STORE": st, "TESTING": True}).test_client()
    listing = client.get("/documents").get_data(as_text=True)
    keys = sorted(set(re.findall(r'href="/doc/([^"?#]+)"', listing)))
    pages = {k: client.get(f"/doc/{k}").get_data(as_text=True) for k in keys}
    notice = next(p for p in pages.values() if "月球样品管理办法" in p)
    assert "<h1>国家航天局关于印发《月球样品管理办法》的通知</h1>" in notice
    assert '<p class="origin">正文未载标题：此标题据正文首句推断。</p>' in notice
    opinion = next(p for p in pages.values() if "婴幼儿照护" in p)
    assert "<h1>江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见</h1>" in opinion
    assert '<p class="origin">标题：取自采集时的网页记录</p>' in opinion
    assert '赣府厅发〔2020〕6号 <span class="origin">（取自采集时的网页记录）</span>' in opinion
    assert '江西省人民政府办公厅 <span class="origin">（取自采集时的网页记录）</span>' in opinion
    assert ('<a class="source-page" href="http://www.jiangxi.gov.cn/art/2020/2/26/art_4975_1510362.html" '
            'rel="noopener noreferrer nofollow">') in opinion
    assert "据正文推断" not in opinion and "正文未载标题" not in opinion
    english = client.get(f"/doc/{next(k for k, p in pages.items() if p is notice)}?lang=en").get_data(as_text=True)
    assert '<p class="origin">The text has no title line: this title is inferred from its first sentence.</p>' in english


def test_a_search_over_the_services_limits_says_so_in_chinese(store, monkeypatch):
    """K215 is a 503 page saying what to do; facets not counted in time are named beside complete hits."""
    import itertools

    from kg.search import query
    from web import create_app

    ticks = itertools.count()
    monkeypatch.setattr(query.time, "monotonic", lambda: float(next(ticks)))
    monkeypatch.setattr(query, "CHECK_EVERY", 50)
    slow = create_app({"STORE": store, "TESTING": True, "SEARCH_TIMEOUT": 0.5}).test_client()
    refused = slow.get("/search", query_string={"q": "发展"}, headers={"Accept": "text/html"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 503 and "K215" in text and "请增加检索词" in text
    facets = create_app({"STORE": store, "TESTING": True, "SEARCH_TIMEOUT": 0, "SEARCH_FACET_TIME": 0.5}).test_client()
    page = facets.get("/search", query_string={"q": "科技", "role": "lead"}).get_data(as_text=True)
    assert page.count("未统计：结果太多，未能在时限内统计") == 5 and '<li class="hit">' in page
    assert '<strong>牵头</strong> <a href="/search?q=%E7%A7%91%E6%8A%80"' in page       # the active filter can go


def test_an_agency_page_lists_a_bounded_number_of_tasks_and_documents(client, monkeypatch):
    """At 100,000 documents a provincial body shares 5,801 tasks in 2,679 documents: the page lists
    the first ones and says how many more there are; the downloads have all of them."""
    from web import pages

    whole = client.get("/agency/cn/customs").get_data(as_text=True)
    shared = whole.split("<h2>", 3)[2]
    n = shared.count("<li>")
    assert n > 3 and "另有" not in whole
    monkeypatch.setattr(pages, "AGENCY_LISTED", 2)
    cut = client.get("/agency/cn/customs").get_data(as_text=True)
    assert cut.split("<h2>", 3)[2].count("<li>") == 2
    assert f"……另有 {n - 2} 项（全部见上方 CSV 或 Excel 下载）" in cut
    csv_rows = client.get("/agency/cn/customs?format=csv").get_data(as_text=True).strip().splitlines()
    assert len(csv_rows) - 1 >= n
