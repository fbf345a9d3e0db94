"""The endpoint lets no one in: abuse of a real `policykg serve` on loopback.

Extends tests/web/test_server.py (which covers SERVICE/LOAD by GET, a cartesian product by
GET, a 10 MB form body and application/sparql-update) without repeating it: every other way
to send SERVICE/LOAD/INSERT/DELETE, a huge result, invalid UTF-8, path traversal on every
route that serves files, XSS payloads in a document's text, search terms and SPARQL
literals (in headless Chromium), and the security headers on every route.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.ingest import ingest_paths
from kg.store.embedded import open_store

from ..conftest import DOC_3, DOC_121, ROOT, SEED
from ..kg.query.sparql_attacks import NAMED_IN_THE_ISSUE, variants
from .servers import running_server, untouched_listener

pytestmark = pytest.mark.server
XSS_DOC = "国办发〔2018〕999号"
SCRIPT = "<script>alert('xss-script')</script>"
IMG = "<img src=x onerror=alert('xss-img')>"
TASKS = "ASK { ?t a <https://w3id.org/policykg/ontology#Task> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server on a store holding the seed, 国发〔2019〕3号 and a copy of 国办发〔2018〕121号
    with XSS payloads in its text (as a .txt: the text is stored as written)."""
    folder = tmp_path_factory.mktemp("xss")
    text = DOC_121.read_text(encoding="utf-8").replace("国办发〔2018〕121号", XSS_DOC)
    lines = text.splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("（一）"))
    lines[k] = lines[k] + SCRIPT + IMG
    lines[k + 5] = IMG + lines[k + 5]
    (folder / "xss.txt").write_text("\n".join(lines), encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("abuse-store")
    st = open_store(store_dir)
    reports = ingest_paths(st, [SEED, DOC_3, folder / "xss.txt"])
    assert all(r.status == "loaded" for r in reports), reports
    st.flush()
    del st
    log = tmp_path_factory.mktemp("abuse-log") / "server.log"
    with running_server(store_dir, log, POLICYKG_QUERY_TIMEOUT="2", POLICYKG_QUERY_WORKERS="1",
                        POLICYKG_MAX_ROWS="500", POLICYKG_MAX_REQUEST_BYTES="1000000") as (base, port):
        yield base, port, log


def _raw(port: int, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
    """One request with the target sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for k, v in {"Accept": "application/json", **(headers or {})}.items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body is not None:
            conn.send(body)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _q(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def _count(port: int) -> int:
    status, _, body = _raw(port, "GET", _q(COUNT))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --- SERVICE / LOAD: every way in; nobody connects ----------------------------------------------

def test_service_and_load_by_every_route_never_connect(served):
    _, port, _ = served
    with untouched_listener() as listening_port:
        _every_route_refuses(port, f"http://127.0.0.1:{listening_port}")


def _every_route_refuses(port: int, target: str) -> None:
    queries = [
        f"select * where {{ service <{target}/sparql> {{ ?s ?p ?o }} }}",                   # lower case
        f"SELECT * WHERE {{ OPTIONAL {{ SeRvIcE SILENT <{target}/> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ #comment\n SERVICE\n<{target}/a> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{target}/>\nSELECT * WHERE {{ SERVICE x:q {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"LOAD <{target}/data.ttl>",
        f"LOAD SILENT <{target}/data.ttl> INTO GRAPH <urn:x>",
    ]
    glued = dict(variants(target))                    # what talked past the old regular expression
    queries += [glued[name] for name in (*NAMED_IN_THE_ISSUE, "service/cjk-prefix-glued/exists",
                                         "SERVICE/empty-prefix-glued/subquery", "SERVICE/pname-glued/describe")]
    for q in queries:
        for method, path, body, ctype in (
            ("GET", _q(q), None, None),
            ("POST", "/sparql", urllib.parse.urlencode({"query": q}).encode(), "application/x-www-form-urlencoded"),
            ("POST", "/sparql", q.encode(), "application/sparql-query"),
            ("POST", "/sparql", urllib.parse.urlencode({"update": q}).encode(), "application/x-www-form-urlencoded"),
            ("POST", "/sparql", q.encode(), "application/sparql-update"),
        ):
            status, _, out = _raw(port, method, path, body, {"Content-Type": ctype} if ctype else {})
            assert status in (400, 403), (q, method, ctype, status, out)
        status, _, out = _raw(port, "POST", "/query", urllib.parse.urlencode({"query": q}).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
        assert status == 400 and (b"K203" in out or b"K202" in out or b"K201" in out), (q, out[-500:])
        assert b"format=csv" not in out                # an error offers no download


# --- INSERT / DELETE ------------------------------------------------------------------------------

def test_updates_by_every_route_are_refused_and_change_nothing(served):
    _, port, _ = served
    before = _count(port)
    updates = ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
               "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "CLEAR ALL", "DROP ALL",
               "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>", "ADD <urn:a> TO <urn:b>",
               "PREFIX p: <urn:>\n# comment\ninsert data { p:a p:b p:c }"]
    for u in updates:
        for method, path, body, ctype in (
            ("GET", _q(u), None, None),
            ("GET", "/sparql?" + urllib.parse.urlencode({"update": u}), None, None),
            ("POST", "/sparql", u.encode(), "application/sparql-query"),
            ("POST", "/sparql", u.encode(), "application/sparql-update"),
            ("POST", "/sparql", urllib.parse.urlencode({"update": u}).encode(), "application/x-www-form-urlencoded"),
        ):
            status, _, out = _raw(port, method, path, body, {"Content-Type": ctype} if ctype else {})
            assert status in (400, 403), (u, method, status, out)
            assert json.loads(out)["error"]["code"] in ("K201", "K202"), out
        status, _, out = _raw(port, "POST", "/query", urllib.parse.urlencode({"query": u}).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
        assert status == 400 and (b"K202" in out or b"K201" in out), out[-300:]
    assert _count(port) == before


# --- runaway and huge queries ---------------------------------------------------------------------

def test_cartesian_product_by_post_and_page_is_stopped_and_server_answers(served):
    _, port, _ = served
    started = time.monotonic()
    status, _, body = _raw(port, "POST", "/sparql", CARTESIAN.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 503 and json.loads(body)["error"]["code"] == "K204"
    status, _, body = _raw(port, "POST", "/query", urllib.parse.urlencode({"query": CARTESIAN}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
    assert status == 503 and b"K204" in body
    assert time.monotonic() - started < 2 * 2 + 10
    started = time.monotonic()
    status, _, body = _raw(port, "GET", _q(TASKS))
    assert status == 200 and json.loads(body)["boolean"] is True
    assert time.monotonic() - started < 5


def test_huge_results_are_capped_and_signalled(served):
    _, port, _ = served
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        status, headers, body = _raw(port, "GET", _q("SELECT * WHERE { ?s ?p ?o }"), headers={"Accept": accept})
        assert status == 200
        assert headers["x-policykg-truncated"] == "true" and headers["x-policykg-row-limit"] == "500"
        if accept.endswith("json"):
            data = json.loads(body)
            assert len(data["results"]["bindings"]) == 500 and data["policykg"]["truncated"] is True
        elif accept == "text/csv":
            import csv
            import io

            assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == 501
    status, headers, body = _raw(port, "GET", _q("CONSTRUCT WHERE { ?s ?p ?o }"),
                                 headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["x-policykg-truncated"] == "true"
    assert len([ln for ln in body.decode("utf-8").splitlines() if ln.strip()]) <= 500


# --- request size ---------------------------------------------------------------------------------

def test_ten_megabyte_bodies_on_every_post_route_are_refused(served):
    _, port, _ = served
    big = b"x" * (10 * 1024 * 1024)
    for path, ctype, body in (("/sparql", "application/sparql-query", big),
                              ("/query", "application/x-www-form-urlencoded", b"query=" + big)):
        try:
            status, _, out = _raw(port, "POST", path, body, {"Content-Type": ctype})
        except (ConnectionResetError, BrokenPipeError):
            continue                                      # refused before the body was read
        assert status == 413, (path, status, out[:200])
    status, _, out = _raw(port, "GET", _q("ASK { FILTER(\"" + "x" * 1_100_000 + "\" != \"\") }"))
    assert status in (413, 414, 431), status
    assert _raw(port, "GET", _q(TASKS))[0] == 200


# --- invalid UTF-8 --------------------------------------------------------------------------------

@pytest.mark.parametrize("method,target,body,ctype", [
    ("GET", "/sparql?query=%FF%FE%80", None, None),
    ("GET", "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%C3%28%22%20%7D", None, None),
    ("POST", "/sparql", b"ASK { ?s ?p \"\xff\xfe\" }", "application/sparql-query"),
    ("POST", "/sparql", b"query=ASK%20%7B%7D%FF", "application/x-www-form-urlencoded"),
    ("POST", "/sparql", b"query=ASK { ?s ?p \"\xc3\x28\" }", "application/x-www-form-urlencoded"),
    ("GET", "/search?q=%FF%FE", None, None),
    ("GET", "/search?q=%E4%BD", None, None),
    ("GET", "/doc/%FF%FE", None, None),          # was a 500: ValueError from the IRI (web/pages.py)
    ("GET", "/doc/a%20b%3C%3E", None, None),
    ("GET", "/agency/%C3%28", None, None),
    ("GET", "/api/documents/%FF", None, None),
    ("GET", "/api/agencies/%FF", None, None),
    ("GET", "/api/path?from=%FF&to=%FE", None, None),
    ("GET", "/query?query=%FF&run=1", None, None),
    ("POST", "/query", b"query=%FF%FE", "application/x-www-form-urlencoded"),
])
def test_invalid_utf8_gets_a_clear_client_error_never_500(served, method, target, body, ctype):
    _, port, _ = served
    status, headers, out = _raw(port, method, target, body, {"Content-Type": ctype} if ctype else {})
    assert status < 500, (status, out[:300])
    assert b"Traceback" not in out
    if status >= 400 and headers.get("content-type", "").startswith("application/json"):
        assert json.loads(out)["error"]["code"]


# --- path traversal -------------------------------------------------------------------------------

TRAVERSALS = [
    "/static/../pyproject.toml", "/static/../../pyproject.toml", "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%5c..%5cpyproject.toml", "/static/....//....//pyproject.toml", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/..%252f..%252fpyproject.toml", "/static/%c0%ae%c0%ae/pyproject.toml",
    "/static/../web/__init__.py", "/static/../templates/base.html", "/static/style.css/../../__init__.py",
    "/doc/../../pyproject.toml", "/doc/..%2f..%2fpyproject.toml", "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/agency/..%2f..%2fetc/passwd", "/agency/../../pyproject.toml", "/agency/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/api/documents/..%2f..%2fpyproject.toml", "/api/agencies/..%2f..%2fetc%2fpasswd",
    "/../pyproject.toml", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
]
SECRETS = (b"[build-system]", b"root:x:0:0", b"create_app", b"{% block", b"import ")


def test_no_route_serves_a_file_outside_web_static(served):
    _, port, _ = served
    for target in TRAVERSALS:
        status, _, body = _raw(port, "GET", target, headers={"Accept": "*/*"})
        assert status != 500, target
        assert not any(s in body for s in SECRETS), (target, status, body[:200])
    status, headers, body = _raw(port, "GET", "/static/style.css", headers={"Accept": "*/*"})
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert body == (ROOT / "web" / "static" / "style.css").read_bytes()


# --- XSS: stored text, search terms, SPARQL literals ----------------------------------------------

def test_payloads_in_document_text_are_escaped_in_every_page(served):
    _, port, _ = served
    for target in ("/doc/" + urllib.parse.quote(XSS_DOC), "/search?q=" + urllib.parse.quote("体育竞赛"),
                   "/search?q=" + urllib.parse.quote(SCRIPT), "/search?q=" + urllib.parse.quote(IMG),
                   "/query?run=1&query=" + urllib.parse.quote('SELECT ?x WHERE { BIND("' + SCRIPT + IMG + '" AS ?x) }'),
                   "/query?run=1&query=" + urllib.parse.quote(
                       "SELECT ?t WHERE { ?d <https://w3id.org/policykg/ontology#fullText> ?t }")):
        status, headers, body = _raw(port, "GET", target, headers={"Accept": "text/html"})
        assert status == 200, target
        html = body.decode("utf-8")
        assert "<script" not in html.lower(), target
        assert not re.search(r"<img[^>]*onerror", html, re.I), target
        assert "'unsafe-inline'" not in headers["content-security-policy"]
    doc = _raw(port, "GET", "/doc/" + urllib.parse.quote(XSS_DOC), headers={"Accept": "text/html"})[2].decode()
    assert "&lt;script&gt;alert(" in doc and "&lt;img src=x onerror=alert(" in doc


@pytest.mark.browser
def test_no_payload_runs_in_chromium(served):
    from playwright.sync_api import sync_playwright

    from .test_browser import ARGS, CHROMIUM

    base, _, _ = served
    fired: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/doc/" + urllib.parse.quote(XSS_DOC))
            assert SCRIPT in page.inner_text("article.document")
            assert page.locator("article.document img").count() == 0
            page.goto(base + "/search?q=" + urllib.parse.quote("体育竞赛表演"))
            page.wait_for_selector("ol.hits")
            page.goto(base + "/search?q=" + urllib.parse.quote(IMG + SCRIPT))
            page.goto(base + "/query")
            page.fill("textarea[name=query]", 'SELECT ?x WHERE { BIND("' + SCRIPT + IMG + '" AS ?x) }')
            page.click("main button[type=submit]")
            page.wait_for_selector("table.results-table")
            assert SCRIPT in page.inner_text("table.results-table")
            assert page.locator("table.results-table img").count() == 0
            executed = page.evaluate("() => typeof window.__xss")      # a page script could set it
            assert executed == "undefined"
        finally:
            browser.close()
    assert fired == [], fired
    assert errors == [], errors


# --- security headers on every route --------------------------------------------------------------

ROUTES = ["/", "/search?q=" + urllib.parse.quote("科技"), "/doc/" + urllib.parse.quote("国发〔2019〕3号"),
          "/doc/nothing-here", "/agency/cn/customs", "/agency/nobody", "/query", "/query?example=01-co-responsibility",
          "/sparql", _q(TASKS), _q("SELECT"), "/api/documents", "/api/agencies", "/api/tasks", "/api/pairs",
          "/api/network?format=graphml", "/api/path?from=cn/customs&to=cn/mofcom", "/api/documents/none",
          "/static/style.css", "/static/missing.css", "/no/such/route", "/sparql?update=x"]


def test_security_headers_on_every_route(served):
    _, port, _ = served
    for target in ROUTES:
        for accept in ("text/html", "application/json"):
            status, h, _ = _raw(port, "GET", target, headers={"Accept": accept})
            assert status < 500, (target, status)
            csp = h.get("content-security-policy", "")
            assert csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, (target, csp)
            assert "frame-ancestors 'none'" in csp or h.get("x-frame-options") == "DENY", target
            assert h.get("x-frame-options") == "DENY", target
            assert h.get("x-content-type-options") == "nosniff", target
            assert h.get("referrer-policy") == "no-referrer", target
    status, h, _ = _raw(port, "POST", "/sparql", b"x" * 2_000_000, {"Content-Type": "application/sparql-query"})
    assert status == 413 and h.get("x-content-type-options") == "nosniff"


def _raw_bytes(port: int, request: bytes) -> tuple[int, dict[str, str]]:
    """Send ``request`` as it is (waitress answers it before the app sees it)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return int(head[0].split()[1]), {k.lower(): v.strip() for k, v in (ln.split(":", 1) for ln in head[1:])}


def _secure(h: dict[str, str]) -> bool:
    return (h.get("content-security-policy", "").startswith("default-src 'self'")
            and h.get("x-content-type-options") == "nosniff" and h.get("x-frame-options") == "DENY")


def test_errors_waitress_makes_itself_carry_the_security_headers(served):
    """Issue #17, defect 12: waitress's own 400 and 431 had no CSP, nosniff or X-Frame-Options."""
    _, port, _ = served
    status, h = _raw_bytes(port, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    assert status == 400 and _secure(h), h
    status, h = _raw_bytes(port, b"GET /search?q=" + b"a" * 1_200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 431 and _secure(h), h


def test_query_strings_up_to_the_request_limit_are_answered(served):
    """Issue #17, defect 12: query strings from 256 kB to 1 MB got 431 from waitress although the
    limit (POLICYKG_MAX_REQUEST_BYTES, 1 MB here) admits them; now the app answers them."""
    _, port, _ = served
    query = TASKS + " #" + "x" * 600_000
    status, h, body = _raw(port, "GET", _q(query))
    assert status == 200 and json.loads(body)["boolean"] is True
    status, h, body = _raw(port, "GET", _q(TASKS + " #" + "x" * 1_010_000))
    assert status in (413, 431) and _secure(h)           # over the limit: refused, with the headers
