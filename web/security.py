"""Safe defaults on every response: security headers, and errors as JSON or text without tracebacks."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from i18n import N_
from kg.errors import MESSAGES, KGError

HEADINGS = {400: N_("Bad request"), 404: N_("Not found"), 405: N_("Method not allowed"),
            413: N_("Request too large"), 429: N_("Too many requests"), 500: N_("Internal error"),
            503: N_("Busy: please try again shortly")}
DEFAULT_MESSAGES = {404: N_("There is no page at this address."), 400: N_("The request could not be understood."),
                    405: N_("This address does not accept this kind of request.")}

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


def wants_page() -> bool:
    """A browser (text/html preferred to JSON and plain text): the error is a page of the site."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "text/plain"])
    return best == "text/html" and not request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, retry_after: int | None = None) -> Response:
    if wants_json():
        resp = jsonify({"error": {"code": code, "message": message}})
    elif wants_page():
        heading = _(HEADINGS.get(status, N_("Error")))
        resp = Response(render_template("error.html", status=status, code=code, heading=heading, message=message),
                        mimetype="text/html")
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
        for name, value in HEADERS:
            resp.headers.setdefault(name, value)
        return resp

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        if e.code == 413:
            return error_response(413, "K208", MESSAGES["K208"])
        message = e.description or e.name
        if message == type(e).description and e.code in DEFAULT_MESSAGES:     # werkzeug's own sentence
            message = _(DEFAULT_MESSAGES[e.code])
        return error_response(e.code or 500, f"HTTP{e.code}", message)

    @app.errorhandler(Exception)
    def internal_error(e: Exception) -> Response:
        app.logger.exception("internal error")
        return error_response(500, "HTTP500", _("internal error (details are in the server log)"))
