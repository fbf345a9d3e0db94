"""The security headers on the answers waitress makes itself.

Waitress answers some requests before the app sees them — a request line or headers it cannot
parse (400), headers over ``max_request_header_size`` (431), a body over
``max_request_body_size`` (413) — and a WSGI middleware never sees those answers. Its channel
makes them with the class named by ``error_task_class``; ``create_server`` gives waitress a
channel whose error task adds ``web.security.HEADERS`` (CSP, nosniff, X-Frame-Options,
Referrer-Policy), as every answer of the app has.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.server import create_server as waitress_server
from waitress.task import ErrorTask

from .security import HEADERS


class SecureErrorTask(ErrorTask):
    def execute(self) -> None:
        self.response_headers.extend(HEADERS)
        super().execute()


class SecureChannel(HTTPChannel):
    error_task_class = SecureErrorTask


def create_server(app, **kwargs):
    """``waitress.create_server`` whose servers answer their own errors with the security headers
    (given to ``waitress.serve`` as ``_server``)."""
    server = waitress_server(app, **kwargs)
    for each in (server, *getattr(server, "map", {}).values()):     # one server, or one per address
        if isinstance(each, BaseWSGIServer):
            each.channel_class = SecureChannel
    return server
