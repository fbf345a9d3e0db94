"""JSON API under /api/: stats, documents, tasks, agencies, the agency network.

Only turns HTTP into calls to kg functions, every one run in a query worker and kept in the
cache (web/cache.py). Errors are JSON {"error": {"code", "message"}}: 404 for an unknown
document, task or agency (K103, K403, K401) or when two agencies are not connected (K404); 400
for an ambiguous agency name (K402) or an unknown format (K301); 503 over a time or memory
limit (K204, K209, K214) or when no worker is free (K207, K213); 429 over the client's share.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from kg.errors import KGError
from kg.network import agency_graph as network
from kg.network import profiles
from kg.network.exports import export_network
from kg.query.stats import stats
from kg.search import catalog

from . import agency_answers
from .cache import cached
from .search_index import search_index
from .security import error_response, kg_error_response

bp = Blueprint("api", __name__)

_STATUS = {"K103": 404, "K401": 404, "K403": 404, "K404": 404, "K402": 400, "K301": 400,
           "K201": 400, "K202": 403, "K203": 403, "K204": 503, "K205": 500, "K207": 503, "K209": 503,
           "K211": 429, "K212": 429, "K213": 503, "K214": 503}
_EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "csv": "csv"}


def _document() -> str | None:
    return request.args.get("document") or None


@bp.errorhandler(KGError)
def kg_error(e: KGError) -> Response:
    return kg_error_response(e, _STATUS)


@bp.get("/stats")
def api_stats():
    return jsonify(cached(stats))


DOCUMENTS_LIMIT = 1000          # documents per /api/documents answer unless ?limit= says otherwise
DOCUMENTS_MAX = 10000
_DOCUMENT_FIELDS = ("iri", "key", "identifier", "title", "issued", "issuer", "level", "region", "tasks", "partial")


def _whole(name: str, default: int, lo: int, hi: int) -> int:
    value = request.args.get(name, str(default))
    if not value.isdigit() or not lo <= int(value) <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {value!r}")
    return int(value)


@bp.get("/documents")
def api_documents():
    """The documents of the catalog (kg/search/catalog.py), filtered by ``level``, ``region`` and
    ``year`` and sorted by ``sort`` as the document list is, ``limit`` of them from ``offset``;
    ``total`` counts them all and ``next`` is the address of the following ones (null at the end)."""
    try:
        limit = _whole("limit", DOCUMENTS_LIMIT, 1, DOCUMENTS_MAX)
        offset = _whole("offset", 0, 0, 10 ** 12)
    except ValueError as e:
        return error_response(400, "HTTP400", str(e))
    chosen = {k: request.args.get(k, "") for k in ("level", "region", "year")}
    sort = request.args.get("sort", "")
    rows, total = search_index().read(catalog.select, chosen, sort, offset, limit)
    following = None
    if offset + limit < total:
        following = url_for("api.api_documents", **{**request.args.to_dict(), "offset": offset + limit, "limit": limit})
    return jsonify({"documents": [{k: d[k] for k in _DOCUMENT_FIELDS} for d in rows], "total": total,
                    "offset": offset, "limit": limit, "next": following})


@bp.get("/documents/<path:doc_id>")
def api_document(doc_id: str):
    return jsonify(cached(profiles.document_detail, doc_id, document=True))


@bp.get("/tasks")
def api_tasks():
    """Co-responsibility per task; ``lead=none`` keeps the tasks that name no lead."""
    tasks = cached(profiles.task_agencies, _document())
    if request.args.get("lead") == "none":
        tasks = [t for t in tasks if not t["leads"]]
    return jsonify({"tasks": tasks})


@bp.get("/tasks/<path:doc_id>/<int:n>")
def api_task(doc_id: str, n: int):
    return jsonify(cached(profiles.task_detail, doc_id, n, document=True))


@bp.get("/agencies")
def api_agencies():
    return jsonify({"agencies": agency_answers.every_agency(_document())})


@bp.get("/agencies/<path:key>")
def api_agency(key: str):
    return jsonify(agency_answers.profile(key, _document()))


@bp.get("/pairs")
def api_pairs():
    return jsonify({"pairs": cached(profiles.agency_pairs, _document())})


@bp.get("/path")
def api_path():
    a, b = request.args.get("from"), request.args.get("to")
    if not a or not b:
        return error_response(400, "HTTP400", "give both agencies: /api/path?from=A&to=B")
    return jsonify(cached(network.shortest_path, a, b, _document()))


@bp.get("/network")
def api_network():
    fmt = request.args.get("format", "json")
    data, content_type = cached(export_network, fmt, _document())
    resp = Response(data, content_type=f"{content_type}; charset=utf-8")
    if fmt in _EXTENSIONS:
        resp.headers["Content-Disposition"] = f"attachment; filename=agency-network.{_EXTENSIONS[fmt]}"
    return resp
