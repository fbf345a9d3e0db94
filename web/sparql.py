"""SPARQL endpoint at /sparql: GET ?query=, POST form or application/sparql-query. Read-only."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from kg.errors import KGError
from kg.sparql import run_query, serialize

from .security import error_response

bp = Blueprint("sparql", __name__)

_ACCEPT = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
_STATUS = {"K201": 400, "K202": 403, "K203": 403, "K204": 503, "K205": 500, "K301": 406}


def _query_text() -> str | None:
    if request.method == "POST":
        if request.mimetype == "application/sparql-query":
            return request.get_data(as_text=True)
        if request.mimetype == "application/sparql-update" or "update" in request.form:
            raise KGError("K202")
        return request.form.get("query")
    return request.args.get("query")


def _format(graph_result: bool) -> str:
    explicit = request.values.get("format")
    if explicit:
        return explicit
    best = request.accept_mimetypes.best_match(list(_ACCEPT))
    fmt = _ACCEPT.get(best or "", "")
    if graph_result:
        return fmt if fmt in ("ttl", "nt", "jsonld", "rdfxml") else "ttl"
    return fmt if fmt in ("json", "xml", "csv", "tsv") else "json"


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    try:
        query = _query_text()
        if not query:
            return error_response(400, "K201", "missing query parameter")
        result = run_query(current_app.extensions["policykg_store"], query,
                           request.values.getlist("default-graph-uri") or None,
                           request.values.getlist("named-graph-uri") or None)
        import pyoxigraph as ox

        body, content_type = serialize(result, _format(isinstance(result, ox.QueryTriples)))
    except KGError as e:
        return error_response(_STATUS.get(e.code, 400), e.code, e.message)
    return Response(body, content_type=f"{content_type}; charset=utf-8")
