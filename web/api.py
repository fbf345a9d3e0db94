"""JSON API under /api/: stats, documents, tasks, agencies, the agency network.

Only turns HTTP into calls to kg functions, every one run in a query worker and kept in the
cache (web/cache.py). Errors are JSON {"error": {"code", "message"}}: 404 for an unknown
document, task or agency (K103, K403, K401) or when two agencies are not connected (K404); 400
for an ambiguous agency name (K402) or an unknown format (K301); 503 over a time or memory
limit (K204, K209, K214) or when no worker is free (K207, K213); 429 over the client's share.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from kg.errors import KGError
from kg.network import agency_graph as network
from kg.network import profiles
from kg.network.exports import export_network
from kg.query.stats import stats

from .cache import cached
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


@bp.get("/documents")
def api_documents():
    return jsonify({"documents": cached(profiles.list_documents)})


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
    return jsonify({"agencies": cached(network.agencies_with_metrics, _document())})


@bp.get("/agencies/<path:key>")
def api_agency(key: str):
    return jsonify(cached(profiles.agency_profile, key, _document()))


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
