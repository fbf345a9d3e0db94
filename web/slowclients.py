"""Waitress against slow clients: a deadline for each request to arrive whole.

Waitress closes a connection only after ``channel_timeout`` seconds *without a byte*, so a
client sending one byte every two seconds kept its connection for ever, and 110 of them took
every one of waitress's 100 connections (RELIABILITY.md). ``DeadlineChannel`` closes a
connection whose request has been arriving for more than ``POLICYKG_REQUEST_TIMEOUT`` seconds
(checked at each byte that arrives; a connection that sends nothing at all is closed by
waitress's own ``channel_timeout``, set to the same value). A request whose body has arrived
is never cut: the deadline is for receiving, not for the answer.

``server_factory`` is given to ``waitress.serve`` (its ``_server`` argument): the server waitress
would make, with this channel class.
"""

from __future__ import annotations

import time

from waitress.server import BaseWSGIServer, create_server

from .server_errors import SecureChannel


class DeadlineChannel(SecureChannel):
    """Also a ``SecureChannel``: the answers waitress makes itself carry the security headers."""

    request_timeout = 20.0
    _begun = 0.0

    def received(self, data) -> bool:
        if data:
            now = time.monotonic()
            if self.request is None:               # these bytes start a new request
                self._begun = now
            elif now - self._begun > self.request_timeout:
                self.will_close = True             # still not whole: the connection is closed
                return False
        return super().received(data)


def server_factory(request_timeout: float):
    """A ``create_server`` whose connections use ``DeadlineChannel`` with ``request_timeout``."""
    channel = type("DeadlineChannel", (DeadlineChannel,), {"request_timeout": request_timeout})

    def create(app, **kw):
        server = create_server(app, **kw)
        servers = [server] if isinstance(server, BaseWSGIServer) else [
            s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
        for s in servers:
            s.channel_class = channel
        return server

    return create
