"""The comparison view: a local document beside the national document it implements.

Aligned tasks in rows (national order, with coverage), local additions, targets and
principles side by side, the local bodies with their national counterparts, and — when both
documents have a full text — the two texts with reused passages highlighted.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from kg.compare.report import compare, read_document
from kg.errors import KGError
from kg.network.profiles import list_documents

from . import downloads
from .cache import cached

bp = Blueprint("compare", __name__)
SELECT_MAX = 500          # documents offered as a list; with more, the form takes a 文号, key or title
BUSY = ("K207", "K209", "K211", "K212", "K213")     # no worker for now, or over a limit: 503 with the reason
STATUS_CLASS = {"implemented": "ok", "partly implemented": "partly", "missing": "missing"}


def _pieces(text: str, passages: list[dict], side: str) -> list[tuple[str, str | None]]:
    """The text cut into (piece, passage kind) following the passages' spans on ``side``."""
    spans = sorted((p[side][0], p[side][1], p["kind"]) for p in passages if p.get(side))
    out, pos = [], 0
    for start, end, kind in spans:
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], kind))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _choices() -> list[dict] | None:
    """The documents the form lists, or None (a text field instead) when there are more than
    ``SELECT_MAX`` or the list cannot be read now (over its time limit, no worker free)."""
    try:
        documents = cached(list_documents)
    except KGError as e:
        if e.code not in BUSY:
            raise
        return None
    return documents if len(documents) <= SELECT_MAX else None


@bp.get("/compare")
def compare_page():
    local, national = request.args.get("local", "").strip(), request.args.get("national", "").strip()
    documents = _choices()
    if not local:
        return render_template("compare.html", result=None, documents=documents, local=local, national=national)
    try:
        # a whole-document computation (40 s for two 565 kB documents): in a query worker, under
        # POLICYKG_SUMMARY_TIMEOUT (K209: 503), and kept for POLICYKG_CACHE_SECONDS
        result = cached(compare, local, national or None)
    except KGError as e:
        if e.code in ("K103", "K502"):
            abort(404, description=_("There is no document “%(key)s” in the store.", key=e.detail or local))
        if e.code in BUSY:
            abort(503, description=f"{e.code} {e.message}")
        raise
    fmt = downloads.wanted()
    if fmt:
        return downloads.download(f"compare-{result['local']['identifier'] or result['local']['title']}",
                                  *downloads.comparison_table(result), fmt)
    rows = []
    by_national = {}
    for a in result["alignments"]:
        by_national.setdefault(a["national_ordinal"], []).append(a)
    for c in result["coverage"]:
        rows.append({"coverage": c, "alignments": by_national.get(c["national_ordinal"], []),
                     "css": STATUS_CLASS.get(c["status"], "")})
    texts = None
    if result["reuse"]:
        loc = cached(read_document, result["local"]["document"])
        nat = cached(read_document, result["national"]["document"])
        texts = {"local": _pieces(loc.text, result["reuse"]["passages"], "local"),
                 "national": _pieces(nat.text, result["reuse"]["passages"], "national")}
    return render_template("compare.html", result=result, rows=rows, texts=texts, documents=documents,
                           local=local, national=national)
