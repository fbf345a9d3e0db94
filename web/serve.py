"""Run the app with a production WSGI server (waitress), logging every request."""

from __future__ import annotations

import atexit
import contextlib
import logging
import signal
import threading
import time

from kg import lifecycle, settings

log = logging.getLogger("policykg.access")

GRACE = 3.0         # seconds the requests under way get after a stop signal, before the query workers end


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


def stop_on_signals(app) -> None:
    """SIGTERM, SIGINT and SIGHUP stop the service (README, "Stopping"): waitress's loop ends, so
    nothing more is accepted, and waitress waits (at most 5 s) for the requests under way.
    ``GRACE`` seconds after the signal the query workers are ended — one still running a query is
    terminated, then killed, and a request waiting for it is answered K205. At exit (however
    ``serve`` ended) the workers are ended, if that has not happened yet, and waited for."""
    runner = app.extensions["policykg_queries"]
    timers: list[threading.Timer] = []

    def stopping(signum: int) -> None:
        log.info("stopping (%s): no new requests; the query workers end in %g s", signal.Signals(signum).name, GRACE)
        timer = threading.Timer(GRACE, runner.close)
        timer.daemon = True                 # exit does not wait for it when every request ended sooner
        timer.start()
        timers.append(timer)

    def stopped() -> None:
        for timer in timers:
            timer.cancel()
        runner.close()                      # waits for the timer's close when that one is under way
        log.info("stopped: query workers ended")

    lifecycle.stop_on_signals(stopping)
    atexit.register(stopped)                # before the pool's own (atexit runs the last registered first)


def serve(store: str | None = None, host: str | None = None, port: int | None = None) -> None:
    import waitress

    from . import create_app
    from .slowclients import server_factory

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app({"STORE": store or settings.get("POLICYKG_STORE")})
    stop_on_signals(app)
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
                   # a query string may be as long as a body (POLICYKG_MAX_REQUEST_BYTES), plus 64 KiB of headers
                   max_request_header_size=app.config["MAX_CONTENT_LENGTH"] + 65536,
                   max_request_body_size=max(32 * 1024 * 1024, 2 * app.config["MAX_CONTENT_LENGTH"]),
                   connection_limit=settings.get("POLICYKG_CONNECTION_LIMIT"),
                   channel_timeout=request_timeout, cleanup_interval=max(1, int(request_timeout // 4)),
                   # slow requests cut (web/slowclients.py); waitress's own 400/413/431 carry the
                   # security headers too (web/server_errors.py)
                   clear_untrusted_proxy_headers=False, _server=server_factory(request_timeout))
