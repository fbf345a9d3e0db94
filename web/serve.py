"""Run the app with a production WSGI server (waitress), logging every request."""

from __future__ import annotations

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
                     environ.get("PATH_INFO"), status_holder.get("status", "-"),
                     (time.perf_counter() - started) * 1000)


def serve(store: str | None = None, host: str | None = None, port: int | None = None) -> None:
    import waitress

    from . import create_app
    from .slowclients import server_factory

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app({"STORE": store or settings.get("POLICYKG_STORE")})
    host = host or settings.get("POLICYKG_HOST")
    port = port or settings.get("POLICYKG_PORT")
    log.info("serving on http://%s:%s/ (SPARQL endpoint: /sparql)", host, port)
    # Flask answers bodies over the limit with a JSON 413 (K208); waitress (which buffers a body
    # to disk before the app sees it) drops the connection only for bodies over 32 MiB.
    # Slow clients (web/slowclients.py): a request must arrive whole within POLICYKG_REQUEST_TIMEOUT
    # seconds, a silent connection is closed after as long (checked every few seconds), and
    # connections beyond POLICYKG_CONNECTION_LIMIT wait in the listen backlog. X-Forwarded-For is
    # left in place for web/fairness.py, which believes it only from POLICYKG_TRUSTED_PROXY.
    request_timeout = settings.get("POLICYKG_REQUEST_TIMEOUT")
    waitress.serve(RequestLog(app), host=host, port=port, threads=settings.get("POLICYKG_THREADS"),
                   ident="policykg",
                   max_request_body_size=max(32 * 1024 * 1024, 2 * app.config["MAX_CONTENT_LENGTH"]),
                   connection_limit=settings.get("POLICYKG_CONNECTION_LIMIT"),
                   channel_timeout=request_timeout, cleanup_interval=max(1, int(request_timeout // 4)),
                   clear_untrusted_proxy_headers=False, _server=server_factory(request_timeout))
