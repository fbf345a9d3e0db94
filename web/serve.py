"""Run the app with a production WSGI server (waitress), logging every request."""

from __future__ import annotations

import logging
import time

from kg import settings

from .server_errors import create_server

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
                     environ.get("PATH_INFO"), status_holder.get("status", "-"),
                     (time.perf_counter() - started) * 1000)


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
                   # a query string may be as long as a body (POLICYKG_MAX_REQUEST_BYTES), plus 64 KiB of headers
                   max_request_header_size=app.config["MAX_CONTENT_LENGTH"] + 65536,
                   _server=create_server,          # waitress's own 400/413/431 get the security headers too
                   max_request_body_size=max(32 * 1024 * 1024, 2 * app.config["MAX_CONTENT_LENGTH"]))
