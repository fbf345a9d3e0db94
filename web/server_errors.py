"""The security headers on the answers waitress makes itself.

Waitress answers some requests before the app sees them — a request line or headers it cannot
parse (400), headers over ``max_request_header_size`` (431), a body over
``max_request_body_size`` (413) — and a WSGI middleware never sees those answers. Its channel
makes them with the class named by ``error_task_class``; ``SecureChannel``'s error task adds
``web.security.HEADERS`` (CSP, nosniff, X-Frame-Options, Referrer-Policy), as every answer of the
app has. The server ``policykg serve`` runs uses it through ``web.slowclients.DeadlineChannel``.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from .security import HEADERS


class SecureErrorTask(ErrorTask):
    def execute(self) -> None:
        self.response_headers.extend(HEADERS)
        super().execute()


class SecureChannel(HTTPChannel):
    error_task_class = SecureErrorTask
