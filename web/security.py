"""Safe defaults on every response: security headers, and errors as JSON or text without tracebacks."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.errors import MESSAGES

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
           ("Referrer-Policy", "no-referrer"))       # on every response; web/server_errors.py adds them to waitress's


def wants_json() -> bool:
    """JSON unless the client prefers text (Accept: text/plain or text/html); always on /api/."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/sparql-results+json", "text/plain", "text/html"])
    return best is None or not best.startswith("text/")


def error_response(status: int, code: str, message: str) -> Response:
    if wants_json():
        resp = jsonify({"error": {"code": code, "message": message}})
    else:
        resp = Response(f"{status} {code}: {message}\n", mimetype="text/plain")
    resp.status_code = status
    return resp


def install(app: Flask) -> None:
    @app.after_request
    def headers(resp: Response) -> Response:
        for name, value in HEADERS:
            resp.headers.setdefault(name, value)
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
