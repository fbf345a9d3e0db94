"""Run the app with a production WSGI server (waitress), logging every request."""

from __future__ import annotations

import contextlib
import logging
import time

from kg import settings

log = logging.getLogger("policykg.access")


class RequestLog:
    """WSGI middleware: one log line per request (method, path, status, bytes, milliseconds)."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status_holder = {}

        def capture(status, headers, exc_info=None):
            status_holder["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()
            log.info("%s %s %s %s %.1fms", environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD"),
                     readable_path(environ), status_holder.get("status", "-"),
                     (time.perf_counter() - started) * 1000)


def readable_path(environ) -> str:
    """The request's path and query as a reader wrote them: WSGI hands the path over as latin-1
    code points of its UTF-8 bytes (/doc/å\x9b½… for /doc/国…), and the query percent-encoded.
    Control characters are escaped, so a path cannot forge a log line."""
    from urllib.parse import unquote

    path = environ.get("PATH_INFO", "")
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):     # not UTF-8 bytes: as given
        path = path.encode("latin-1").decode("utf-8")
    query = environ.get("QUERY_STRING", "")
    text = path + ("?" + unquote(query.replace("+", " "), errors="replace") if query else "")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def serve(store: str | None = None, host: str | None = None, port: int | None = None) -> None:
    import waitress

    from . import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app({"STORE": store or settings.get("POLICYKG_STORE")})
    host = host or settings.get("POLICYKG_HOST")
    port = port or settings.get("POLICYKG_PORT")
    log.info("serving on http://%s:%s/ (SPARQL endpoint: /sparql)", host, port)
    # Flask answers bodies over the limit with a JSON 413 (K208); waitress (which buffers a body
    # to disk before the app sees it) drops the connection only for bodies over 32 MiB
    waitress.serve(RequestLog(app), host=host, port=port, threads=settings.get("POLICYKG_THREADS"),
                   ident="policykg",
                   max_request_body_size=max(32 * 1024 * 1024, 2 * app.config["MAX_CONTENT_LENGTH"]))
