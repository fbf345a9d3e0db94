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
