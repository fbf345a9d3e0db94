"""Server-rendered pages for people who do not write SPARQL: home, search, document, query.

Only HTTP handling here; data comes from kg.search, kg.docview, kg.query.stats and the query pool.
Every value reaches the page through Jinja's autoescaping; no page needs JavaScript.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, url_for

from kg import search as fts
from kg.docview import document_view, segments
from kg.errors import KGError
from kg.graph.namespaces import DOC
from kg.network.ego import neighbourhood
from kg.network.profiles import agency_key, agency_profile
from kg.query.pool import Job
from kg.query.stats import stats
from kg.settings import REPO_ROOT

from . import fairness
from .cache import cached

bp = Blueprint("pages", __name__)
EXAMPLES = ("科技特派员", "省科技厅", "海关总署", "无废城市", "体育赛事", "人才")
PER_PAGE = 20
_SYNC_EVERY = 30.0


class SearchIndex:
    """The app's full-text index, synced with the store at start and then at most every 30 s."""

    def __init__(self, path: str, store) -> None:
        self.conn = fts.connect(path)
        self.store = store
        self.lock = threading.Lock()
        self.synced = 0.0
        self.sync()

    def sync(self) -> None:
        with self.lock:
            fts.sync(self.conn, self.store)
            self.synced = time.monotonic()

    def search(self, *args, **kwargs) -> fts.Results:
        if time.monotonic() - self.synced > _SYNC_EVERY:
            self.sync()
        with self.lock:
            return fts.search(self.conn, *args, **kwargs)


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
BUSY = ("K207", "K209", "K211", "K212", "K213")   # no worker for now, or over a limit: say so, do not fail


def _store():
    return current_app.extensions["policykg_store"]


def _counts() -> tuple[dict | None, str | None]:
    """The whole-store counts, or why they are not available now (K207/K209)."""
    try:
        return cached(stats), None
    except KGError as e:
        if e.code not in BUSY:
            raise
        return None, f"{e.code} {e.message}"


@bp.get("/")
def home():
    counts, unavailable = _counts()
    return render_template("home.html", stats=counts, unavailable=unavailable, examples=EXAMPLES,
                           listed=HOME_DOCUMENTS)


@bp.get("/documents")
def documents():
    """Every document of the store, ``DOCUMENTS_PER_PAGE`` a page (the home page lists the first)."""
    counts, unavailable = _counts()
    if unavailable:
        abort(503, description=unavailable)
    total = len(counts["per_document"])
    last = max(1, -(-total // DOCUMENTS_PER_PAGE))
    try:
        page = min(last, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        page = 1
    start = (page - 1) * DOCUMENTS_PER_PAGE
    return render_template("documents.html", rows=counts["per_document"][start:start + DOCUMENTS_PER_PAGE],
                           total=total, page=page, last=last, first=start + 1)


@bp.get("/search")
def search():
    q = request.args.get("q", "").strip()[:200]
    filters = {k: request.args.get(k, "") for k in ("doc", "agency", "role", "year", "kind")}
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    results = current_app.extensions["policykg_search"].search(q, filters, page, PER_PAGE) if q else None
    active = {k: v for k, v in filters.items() if v}

    def link(**changes) -> str:
        params = {"q": q, **active, **changes}
        return url_for("pages.search", **{k: v for k, v in params.items() if v not in ("", None)})

    return render_template("search.html", q=q, results=results, active=active, link=link, examples=EXAMPLES)


@bp.get("/doc/<path:key>")
def document(key: str):
    try:
        view = document_view(_store(), key)
    except (KGError, ValueError):      # ValueError: a key that cannot be part of an IRI (%FF, space, <)
        abort(404, description=f"no document {key!r} in the store")
    blocks, pos = [], 0
    for p in view.provisions:
        if p["start"] < pos:
            continue
        if p["start"] > pos:
            blocks.append((None, segments(view.text, view.marks, pos, p["start"])))
        blocks.append((p, segments(view.text, view.marks, p["start"], p["end"])))
        pos = p["end"]
    blocks.append((None, segments(view.text, view.marks, pos, len(view.text))))
    return render_template("document.html", view=view, blocks=blocks)


@bp.get("/agency/<path:key>")
def agency(key: str):
    try:
        profile = cached(agency_profile, key)
        picture = cached(neighbourhood, profile["key"])
    except KGError as e:
        if e.code in BUSY:
            abort(503, description=f"{e.code} {e.message}")
        abort(404, description=f"no agency {key!r} in the store")
    return render_template("agency.html", p=profile, picture=picture)


def example_queries() -> list[dict]:
    out = []
    for path in sorted((Path(REPO_ROOT) / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")), path.stem)
        out.append({"name": path.stem, "title": first, "text": text})
    return out


PAGE_ROWS, PAGE_BYTES = 1000, 1_000_000     # the most of an answer the /query page renders


@bp.route("/query", methods=["GET", "POST"])
def query_page():
    examples = example_queries()
    chosen = request.values.get("example")
    text = request.values.get("query") or next((e["text"] for e in examples if e["name"] == chosen), "")
    table, error, truncated = None, None, None
    if text and (request.method == "POST" or request.args.get("run")):
        try:
            # the page is rendered in the server process: it shows a bounded part of the answer
            # (cut in the worker), and links to the whole of it from /sparql
            rows = min(PAGE_ROWS, current_app.config["MAX_ROWS"])
            size = min(PAGE_BYTES, current_app.config["MAX_RESULT_BYTES"])
            payload = fairness.run(Job(text, "json", "nt", rows, max_bytes=size))
            if payload.truncated:
                truncated = (f"this page shows at most {rows} rows and {size // 1000} kB: cut here "
                             f"({payload.cut}); the download links give more")
            table = _table(payload)
        except KGError as e:
            error = f"{e.code} {e.message}"
    return render_template("query.html", examples=examples, text=text, table=table, error=error,
                           truncated=truncated, chosen=chosen)


def _table(payload) -> dict:
    if payload.content_type == "application/n-triples":
        lines = payload.body.decode("utf-8").splitlines()
        return {"head": ["triple"], "rows": [[{"value": ln}] for ln in lines]}
    data = json.loads(payload.body)
    if "boolean" in data:
        return {"head": ["ask"], "rows": [[{"value": str(data["boolean"]).lower()}]]}
    head = data["head"]["vars"]
    return {"head": head, "rows": [[b.get(v, {"value": ""}) for v in head] for b in data["results"]["bindings"]]}
