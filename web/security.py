"""Safe defaults on every response: security headers, and errors as JSON or text without tracebacks."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.errors import MESSAGES, KGError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def wants_json() -> bool:
    """JSON unless the client prefers text (Accept: text/plain or text/html); always on /api/."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/sparql-results+json", "text/plain", "text/html"])
    return best is None or not best.startswith("text/")


def error_response(status: int, code: str, message: str, retry_after: int | None = None) -> Response:
    if wants_json():
        resp = jsonify({"error": {"code": code, "message": message}})
    else:
        resp = Response(f"{status} {code}: {message}\n", mimetype="text/plain")
    resp.status_code = status
    if retry_after is not None:
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def kg_error_response(e: KGError, statuses: dict[str, int]) -> Response:
    """A KGError as its HTTP status (400 when not listed), with Retry-After when the error
    says when to ask again (a refused job: kg.query.fairshare.Refused)."""
    return error_response(statuses.get(e.code, 400), e.code, e.message, getattr(e, "retry_after", None))


def install(app: Flask) -> None:
    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        if e.code == 413:
            return error_response(413, "K208", MESSAGES["K208"])
        return error_response(e.code or 500, f"HTTP{e.code}", e.description or e.name)

    @app.errorhandler(Exception)
    def internal_error(e: Exception) -> Response:
        app.logger.exception("internal error")
        return error_response(500, "HTTP500", "internal error (details are in the server log)")
