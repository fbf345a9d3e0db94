"""Server-rendered pages for people who do not write SPARQL: home, search, document, query.

Only HTTP handling here; data comes from kg.search, and — computed in a query worker, through
the cache (web/cache.py) — from kg.docview, kg.network, kg.query.stats.
Every value reaches the page through Jinja's autoescaping; no page needs JavaScript.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kg import search as fts
from kg.docview import document_page
from kg.errors import KGError
from kg.graph.namespaces import DOC
from kg.network.profiles import agency_key, document_detail, resolve_document
from kg.query.pool import Job
from kg.search import catalog
from kg.settings import REPO_ROOT

from . import agency_answers, downloads, fairness
from .cache import cached
from .search_index import search_index

bp = Blueprint("pages", __name__)
EXAMPLES = ("科技特派员", "省科技厅", "海关总署", "无废城市", "体育赛事", "人才")
PER_PAGE = 20


def doc_key(iri: str) -> str:
    return iri[len(str(DOC)):] if iri.startswith(str(DOC)) else iri


@bp.app_template_filter("doc_url")
def doc_url(iri: str) -> str:
    return url_for("pages.document", key=doc_key(iri))


@bp.app_template_filter("agency_url")
def agency_url(iri: str) -> str:
    return url_for("pages.agency", key=agency_key(iri))


HOME_DOCUMENTS = 50        # documents listed on the home page; /documents lists them all, page by page
DOCUMENTS_PER_PAGE = 200
AGENCY_LISTED = 200        # tasks (led, shared) and documents an agency's page lists; downloads have all
BUSY = ("K207", "K209", "K211", "K212", "K213")   # no worker for now, or over a limit: say so, do not fail


def busy_message(reason: str) -> str:
    return _("The service is busy and could not answer in time; please try again in a moment (%(reason)s).",
             reason=reason)


@bp.get("/")
def home():
    """The corpus in figures and its first documents, from the search index's catalog (an indexed
    read however large the store: the same counts computed from the store read all of it)."""
    listed, total = search_index().read(catalog.select, {}, "", 0, HOME_DOCUMENTS)
    return render_template("home.html", stats=search_index().read(catalog.summary), documents=listed, total=total,
                           examples=EXAMPLES)


def _partial(docs) -> set[str]:
    """Those of ``docs`` known only in outline (marked in lists, pages and search results)."""
    return search_index().read(catalog.partial, tuple(sorted(set(docs))))


def select_documents(args, limit: int | None = None) -> tuple[list[dict], int, dict]:
    """The documents the list shows: filtered by level, region and year (of issue), sorted by one
    column (``sort``, ``-`` before it for descending; empty values last either way), from the
    catalog: a page of ``limit`` from ``args["page"]``, or all of them; their total; the listing."""
    chosen = {k: args.get(k, "") for k in ("level", "region", "year")}
    sort = args.get("sort", "")
    if sort.lstrip("-") not in catalog.SORTS:
        sort = ""
    listing = {"chosen": chosen, "sort": sort, "choices": search_index().read(catalog.choices)}
    if limit is None:
        rows, total = search_index().read(catalog.select, chosen, sort, keep=False)
        return rows, total, {**listing, "page": 1, "last": 1}
    total = search_index().read(catalog.select, chosen, sort, 0, 0)[1]
    last = max(1, -(-total // limit))
    try:
        page = min(last, max(1, int(args.get("page", "1"))))
    except ValueError:
        page = 1
    rows, total = search_index().read(catalog.select, chosen, sort, (page - 1) * limit, limit)
    return rows, total, {**listing, "page": page, "last": last}


@bp.get("/documents")
def documents():
    """Every document with 文号, title, issuer, date, level, region, tasks and the partial flag;
    filtered, sorted, ``DOCUMENTS_PER_PAGE`` a page, or the whole selection as CSV / XLSX."""
    fmt = downloads.wanted()
    if fmt:
        rows, _total, _listing = select_documents(request.args)
        return downloads.download("documents", *downloads.documents_table(rows), fmt)
    rows, total, listing = select_documents(request.args, DOCUMENTS_PER_PAGE)
    params = {k: v for k, v in {**listing["chosen"], "sort": listing["sort"]}.items() if v}

    def link(**changes) -> str:
        return url_for("pages.documents", **{k: v for k, v in {**params, **changes}.items() if v not in ("", None)})

    page = listing["page"]
    return render_template("documents.html", rows=rows, total=total, page=page, last=listing["last"],
                           first=(page - 1) * DOCUMENTS_PER_PAGE + 1, listing=listing, link=link,
                           sorts=catalog.SORTS)


def _search(*args) -> fts.Results:
    try:
        return search_index().search(*args)
    except KGError as e:
        if e.code != "K215":
            raise
        abort(503, description=_("The search matched too much of the corpus to be ranked in time; add a word, "
                                 "choose a filter or put a phrase in quotes (%(reason)s).",
                                 reason=f"{e.code} {e.message}"))


@bp.get("/search")
def search():
    q = request.args.get("q", "").strip()[:200]
    filters = {k: request.args.get(k, "") for k in ("doc", "agency", "role", "year", "kind")}
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    fmt = downloads.wanted()
    if fmt and q:                   # every result (up to SEARCH_ROWS), not one page
        results = _search(q, filters, 1, downloads.SEARCH_ROWS)
        return downloads.download(f"search-{q}", *downloads.search_table(results, _partial(h.doc for h in results.hits)),
                                  fmt)
    results = _search(q, filters, page, PER_PAGE) if q else None
    active = {k: v for k, v in filters.items() if v}

    def link(**changes) -> str:
        params = {"q": q, **active, **changes}
        return url_for("pages.search", **{k: v for k, v in params.items() if v not in ("", None)})

    return render_template("search.html", q=q, results=results, active=active, link=link, examples=EXAMPLES,
                           partial=_partial(h.doc for h in results.hits) if results and results.hits else set())


def _of_document(fn, *args):
    """``fn(store, *args)``, which reads one document, from a query worker under the query time
    limit (or the cache); over a limit, or no worker free: the site's 503 page saying why."""
    try:
        return cached(fn, *args, document=True)
    except KGError as e:
        if e.code in BUSY:
            abort(503, description=busy_message(f"{e.code} {e.message}"))
        if e.code in ("K204", "K214"):
            abort(503, description=_("This page could not be computed within the service's limits (%(reason)s).",
                                     reason=f"{e.code} {e.message}"))
        raise


@bp.get("/doc/<path:key>")
def document(key: str):
    try:
        page = _of_document(document_page, key)
    except KGError as e:               # only K103 is a missing document (a failed worker, K205, is not)
        if e.code != "K103":
            raise
        try:                           # a 文号 written otherwise ([] or ［］), an IRI or the exact title: to its page
            found = _of_document(resolve_document, key)
        except KGError as not_found:   # K103, or a key no query can hold (K201: %FF)
            if not_found.code not in ("K103", "K201"):
                raise
            abort(404, description=_("There is no document “%(key)s” in the store.", key=key))
        return redirect(url_for("pages.document", key=found["key"], **request.args), 301)
    fmt = downloads.wanted()
    if fmt:
        detail = _of_document(document_detail, page.iri)
        return downloads.download(detail["identifier"] or detail["key"], *downloads.task_bodies_table(detail), fmt)
    return render_template("document.html", view=page, blocks=page.blocks)


@bp.get("/agency/<path:key>")
def agency(key: str):
    try:
        profile = agency_answers.profile(key)
        picture = agency_answers.picture(profile)
    except KGError as e:
        if e.code in BUSY:
            abort(503, description=busy_message(f"{e.code} {e.message}"))
        abort(404, description=_("There is no agency “%(key)s” in the store.", key=key))
    fmt = downloads.wanted()
    if fmt:
        return downloads.download(profile["label"], *downloads.agency_tasks_table(profile), fmt)
    return render_template("agency.html", p=profile, picture=picture, listed=AGENCY_LISTED)


def example_queries() -> list[dict]:
    """queries/*.rq with their leading comment block as the description (never cut mid-sentence)."""
    out = []
    for path in sorted((Path(REPO_ROOT) / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        head = []
        for ln in text.splitlines():
            if not ln.startswith("#"):
                break
            head.append(ln[1:].strip())
        out.append({"name": path.stem, "title": " ".join(head) or path.stem, "text": text})
    return out


_POSITION = re.compile(r"\b(?:error )?at (\d+):(\d+)")


def syntax_error(text: str, message: str) -> dict:
    """A query's syntax error for the page: the message, line:column and the lines around it."""
    found = _POSITION.search(message)
    lines = text.splitlines() or [""]
    if not found:
        return {"message": message, "line": None, "column": None, "context": []}
    line, column = int(found.group(1)), int(found.group(2))
    line = min(max(line, 1), len(lines))
    context = [{"number": n, "text": lines[n - 1], "bad": n == line}
               for n in range(max(1, line - 2), min(len(lines), line + 2) + 1)]
    return {"message": message, "line": line, "column": column, "context": context}


PAGE_ROWS, PAGE_BYTES = 1000, 1_000_000     # the most of an answer the /query page renders


@bp.route("/query", methods=["GET", "POST"])
def query_page():
    examples = example_queries()
    chosen = request.values.get("example")
    text = request.values.get("query") or next((e["text"] for e in examples if e["name"] == chosen), "")
    table, error, truncated, status = None, None, None, 200
    if text and (request.method == "POST" or request.args.get("run")):
        try:
            # the page is rendered in the server process: it shows a bounded part of the answer
            # (cut in the worker), and links to the whole of it from /sparql
            rows = min(PAGE_ROWS, current_app.config["MAX_ROWS"])
            size = min(PAGE_BYTES, current_app.config["MAX_RESULT_BYTES"])
            payload = fairness.run(Job(text, "json", "nt", rows, max_bytes=size))
            if payload.truncated:
                truncated = _("this page shows at most %(rows)s rows and %(kb)s kB: cut here (%(cut)s); "
                              "the download links give more", rows=rows, kb=size // 1000, cut=payload.cut)
            table = _table(payload)
        except KGError as e:
            error = syntax_error(text, e.message) if e.code == "K201" else {
                "message": e.message, "line": None, "column": None, "context": []}
            error["code"] = e.code
            status = 503 if e.code in (*BUSY, "K204", "K214") else 400
    return render_template("query.html", examples=examples, text=text, table=table, error=error,
                           truncated=truncated, chosen=chosen), status


def _table(payload) -> dict:
    if payload.content_type == "application/n-triples":
        lines = payload.body.decode("utf-8").splitlines()
        return {"head": ["triple"], "rows": [[{"value": ln}] for ln in lines]}
    data = json.loads(payload.body)
    if "boolean" in data:
        return {"head": ["ask"], "rows": [[{"value": str(data["boolean"]).lower()}]]}
    head = data["head"]["vars"]
    return {"head": head, "rows": [[b.get(v, {"value": ""}) for v in head] for b in data["results"]["bindings"]]}
