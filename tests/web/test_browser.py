"""End to end in a real headless Chromium (Debian's chromium, driven by Playwright with its
executable path; no browser download). Each test saves a screenshot under tests/artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .test_server import server  # noqa: F401 - the real waitress server fixture

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (apt-get install chromium)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert errors == [], errors                 # no script errors, no CSP violations


def test_search_and_open_a_result(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/")
    page.fill("input[name=q]", "科技特派员")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.hits")
    assert "共 2 条结果" in page.inner_text("p.count")
    assert page.locator("ol.hits mark").first.inner_text() in ("科技特派员", "科技")
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.click("ol.hits a.hit-title >> nth=0")
    page.wait_for_selector("article.document")
    assert "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见" in page.inner_text("h1")
    assert page.locator("#task-3").is_visible()
    page.screenshot(path=str(ARTIFACTS / "document.png"))


def test_open_an_agency(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/doc/国发〔2019〕3号")
    page.click("#task-1 a.m-agency >> nth=0")
    page.wait_for_selector("svg.neighbourhood")
    assert page.inner_text("h1") == "国家税务总局"
    assert page.locator("svg.neighbourhood circle").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "agency.png"), full_page=True)


def test_run_an_example_query(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/query")
    page.click('a[href*="example=01-co-responsibility"]')
    page.wait_for_selector("table.results-table, .query-error")
    assert page.locator(".query-error").count() == 0, page.inner_text(".query-error")
    assert "推动特色优势产业转型升级" in page.inner_text("table.results-table")
    page.click("main button[type=submit]")
    page.wait_for_selector("table.results-table")
    page.screenshot(path=str(ARTIFACTS / "query.png"), full_page=True)


def test_xss_payload_in_search_is_inert(server, page):  # noqa: F811
    base, _ = server
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    page.goto(base + "/search?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    page.goto(base + "/query")
    page.fill("textarea[name=query]", 'SELECT ?x WHERE { BIND("<script>alert(2)</script>" AS ?x) }')
    page.click("main button[type=submit]")
    page.wait_for_selector("table.results-table, .query-error")
    assert fired == []
    assert "<script>alert(2)</script>" in page.inner_text("table.results-table")


CUSTOMS = "https://w3id.org/policykg/agency/cn/customs"
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


@pytest.fixture(scope="module")
def expected():
    """The answers the served store (the seed and 国发〔2019〕3号) must give, from kg.search itself."""
    from kg import search
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store

    from ..conftest import DOC_3, SEED

    st = open_store(None)
    ingest_paths(st, [SEED, DOC_3])
    conn = search.connect(":memory:")
    search.sync(conn, st)
    return conn


def _count(page) -> int:
    import re

    return int(re.search(r"共 (\d+) 条结果", page.inner_text("p.count")).group(1))


def _facet(page, facet: str, shown: str) -> int:
    item = page.locator(f"ul.facet-{facet} li", has_text=shown).first
    return int(item.locator("span.n").inner_text())


def test_language_switch_is_remembered(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/")
    assert page.inner_text("main h1") == "政策文件知识图谱" and page.get_attribute("html", "lang") == "zh-CN"
    page.screenshot(path=str(ARTIFACTS / "home-zh.png"), full_page=True)
    page.click("a.lang-switch")
    page.wait_for_selector('html[lang="en"]')
    assert page.inner_text("main h1") == "Knowledge graph of policy documents"
    page.click("nav >> text=Documents")
    assert page.inner_text("main h1") == "Documents"                    # remembered by the cookie
    page.click("a.lang-switch")
    page.wait_for_selector('html[lang="zh-CN"]')
    assert page.inner_text("main h1") == "文件列表"


def test_an_english_browser_gets_english(server, browser):  # noqa: F811
    base, _ = server
    context = browser.new_context(locale="en-US")
    pg = context.new_page()
    pg.goto(base + "/search?q=海关总署")
    assert "results for" in pg.inner_text("p.count") and pg.inner_text("a.lang-switch") == "中文"
    assert "lead" in pg.inner_text("ul.facet-role")
    context.close()


def test_filter_counts_combine_on_one_assignment(server, page, expected):  # noqa: F811
    from kg import search

    base, _ = server
    page.goto(base + "/search?q=海关总署")
    assert _count(page) == search.search(expected, "海关总署").total
    page.click("ul.facet-agency li >> text=海关总署")
    page.wait_for_selector("ul.facet-agency strong")
    as_customs = search.search(expected, "海关总署", {"agency": CUSTOMS}, per_page=500)
    assert _count(page) == as_customs.total
    lead_facet = _facet(page, "role", "牵头")
    truth = search.search(expected, "海关总署", {"agency": CUSTOMS, "role": "lead"}, per_page=500)
    assert lead_facet == truth.total < as_customs.total
    page.click("ul.facet-role li >> text=牵头")
    page.wait_for_selector("ul.facet-role strong")
    assert _count(page) == lead_facet
    # every listed hit names 海关总署 as lead
    for hit in page.locator("li.hit").all()[:20]:
        assert "海关总署（牵头）" in hit.inner_text()
    assert _facet(page, "agency", "海关总署") == lead_facet            # the agency facet counts under role=lead
    page.screenshot(path=str(DOCS / "screenshot-search.png"), full_page=False)


def test_error_pages_are_pages_of_the_site(server, browser):  # noqa: F811
    base, log = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    resp = page.goto(base + "/doc/国发〔1999〕99号")
    assert resp.status == 404 and page.inner_text("main h1") == "未找到"
    assert "库中没有文件“国发〔1999〕99号”" in page.inner_text("main")
    page.fill("header input[name=q]", "海关总署")
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("ol.hits")
    resp = page.goto(base + "/no/such/page")
    assert resp.status == 404 and page.locator("header form.searchbox").is_visible()
    page.goto(base + "/query")
    page.fill("textarea[name=query]", "SELECT ?x WHERE {\n  ?x ?p\n}")
    with page.expect_response(lambda r: r.url.endswith("/query")) as answer:
        page.click("main button[type=submit]")
    assert answer.value.status == 400
    page.wait_for_selector(".query-error")
    assert "查询第 3 行" in page.inner_text(".query-error") and page.locator(".bad-line").is_visible()
    assert page.locator("a:has-text('CSV')").count() == 0
    page.screenshot(path=str(ARTIFACTS / "query-error.png"), full_page=True)
    assert "/doc/国发〔1999〕99号" in log.read_text(encoding="utf-8")         # the log reads as written
    context.close()
    # only the statuses asked for, no script error or CSP violation
    assert sorted(errors) == sorted(f"Failed to load resource: the server responded with a status of {s}"
                                    for s in ("404 (NOT FOUND)", "404 (NOT FOUND)", "400 (BAD REQUEST)")), errors


def test_the_network_picture_lists_every_partner(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/agency/cn/customs")
    page.wait_for_selector("svg.neighbourhood")
    partners = page.locator("table.partners tbody tr").count()
    assert partners > 5 and page.locator("svg.neighbourhood circle").count() == partners + 1
    boxes = [t.bounding_box() for t in page.locator("svg.neighbourhood text").all()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
                     or a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5)
            assert apart, (a, b)
    page.screenshot(path=str(DOCS / "screenshot-agency.png"), full_page=False)


def test_documents_list_marks_and_downloads(server, page):  # noqa: F811
    base, _ = server
    page.goto(base + "/documents?sort=-issued")
    rows = page.locator("table.documents tbody tr")
    assert rows.count() == 2 and "国发〔2019〕3号" in rows.nth(0).inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('Excel')")
    assert download.value.suggested_filename == "documents.xlsx"
