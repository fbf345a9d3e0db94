"""SPARQL 1.1 Protocol at /sparql: read-only, limited, negotiated.

GET ?query=, POST application/x-www-form-urlencoded (query=), POST application/sparql-query;
default-graph-uri / named-graph-uri honoured; GET with no query returns the Service
Description. Evaluation happens in kg.query.pool workers (killed at the time limit).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from kg.errors import KGError
from kg.query.description import DESCRIBED_GRAPHS, service_description
from kg.query.pool import Job
from kg.store.embedded import document_graphs

from . import fairness
from .security import kg_error_response

bp = Blueprint("sparql", __name__)

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "ttl": "ttl", "turtle": "ttl",
                  "nt": "nt", "ntriples": "nt", "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml"}
_GRAPH_FOR_SELECT = {"json": "jsonld", "xml": "rdfxml", "csv": "ttl", "tsv": "nt"}
_SELECT_FOR_GRAPH = {"ttl": "json", "nt": "tsv", "jsonld": "json", "rdfxml": "xml"}
EXPOSED = ("X-PolicyKG-Truncated", "X-PolicyKG-Truncated-By", "X-PolicyKG-Row-Limit", "X-PolicyKG-Byte-Limit",
           "X-PolicyKG-Rows", "Retry-After")
STATUS = {"K104": 502, "K105": 502, "K201": 400, "K202": 403, "K203": 403, "K204": 503, "K205": 500, "K207": 503, "K208": 413, "K301": 400,
          "K211": 429, "K212": 429, "K213": 503, "K214": 503}


def _query_text() -> str | None:
    if request.method == "POST":
        if request.mimetype == "application/sparql-update" or "update" in request.form:
            raise KGError("K202")
        if request.mimetype == "application/sparql-query":
            return request.get_data(as_text=True)
        return request.form.get("query")
    if "update" in request.args:
        raise KGError("K202")
    return request.args.get("query")


def _formats() -> tuple[str, str]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE) from format= or Accept."""
    explicit = request.values.get("format")
    if explicit:
        fmt = FORMAT_ALIASES.get(explicit.lower())
        if fmt is None:
            raise KGError("K301", explicit)
        if fmt in _GRAPH_FOR_SELECT:
            return fmt, _GRAPH_FOR_SELECT[fmt]
        return _SELECT_FOR_GRAPH[fmt], fmt
    accept = request.accept_mimetypes
    select = SELECT_TYPES.get(accept.best_match(list(SELECT_TYPES)) or "", "json")
    graph = GRAPH_TYPES.get(accept.best_match(list(GRAPH_TYPES)) or "", "ttl")
    return select, graph


def _description() -> Response:
    cfg = current_app.config
    limits = (f"Read-only. Time limit {cfg['QUERY_TIMEOUT']:g} s per query; at most {cfg['MAX_ROWS']} result rows "
              f"and {cfg['MAX_RESULT_BYTES']} bytes (a cut is signalled by the X-PolicyKG-Truncated header); "
              f"request bodies up to "
              f"{cfg['MAX_CONTENT_LENGTH']} bytes. SERVICE and LOAD are refused.")
    graphs = document_graphs(current_app.extensions["policykg_store"], DESCRIBED_GRAPHS + 1)
    graph = service_description(request.base_url, graphs, limits)
    _, fmt = _formats()
    rdflib_format = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
    content_type = {v: k for k, v in GRAPH_TYPES.items() if k != "text/plain"}[fmt]
    return Response(graph.serialize(format=rdflib_format), content_type=f"{content_type}; charset=utf-8")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    try:
        query = _query_text()
        if query is None and request.method == "GET":
            return _description()
        if not query or not query.strip():
            raise KGError("K201", "the request has no query (use the query parameter)")
        if len(query.encode("utf-8")) > current_app.config["MAX_CONTENT_LENGTH"]:
            raise KGError("K208")
        select_format, graph_format = _formats()
        job = Job(query, select_format, graph_format, current_app.config["MAX_ROWS"],
                  tuple(request.values.getlist("default-graph-uri")),
                  tuple(request.values.getlist("named-graph-uri")), current_app.config["MAX_RESULT_BYTES"])
        payload = fairness.run(job)
    except KGError as e:
        return kg_error_response(e, STATUS)
    resp = Response(payload.body, content_type=f"{payload.content_type}; charset=utf-8")
    resp.headers["X-PolicyKG-Row-Limit"] = str(payload.limit)
    resp.headers["X-PolicyKG-Truncated"] = "true" if payload.truncated else "false"
    if payload.max_bytes is not None:
        resp.headers["X-PolicyKG-Byte-Limit"] = str(payload.max_bytes)
    if payload.cut:
        resp.headers["X-PolicyKG-Truncated-By"] = payload.cut            # "rows" or "bytes"
    if payload.rows is not None:
        resp.headers["X-PolicyKG-Rows"] = str(payload.rows)
    resp.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
    return resp
