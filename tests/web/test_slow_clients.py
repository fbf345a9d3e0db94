"""Slow clients cannot take the service offline (web/slowclients.py, waitress settings in
web/serve.py): many connections each sending a request one byte a second, more than the
server's connection limit, and a normal request is still answered; the slow ones are closed."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from kg.ingest import ingest_paths
from kg.store.embedded import open_store

from ..conftest import SEED
from .servers import running_server

pytestmark = pytest.mark.server
SLOW = 60                 # three times the connection limit below


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("slow")
    st = open_store(store_dir)
    ingest_paths(st, [SEED])
    st.flush()
    del st
    log = tmp_path_factory.mktemp("log") / "server.log"
    with running_server(store_dir, log, POLICYKG_CONNECTION_LIMIT="20", POLICYKG_REQUEST_TIMEOUT="3") as (base, port):
        yield base, port


def _trickle(port: int, stop: threading.Event, closed: list) -> None:
    """Open a connection and send a request head one byte a second, never finishing it."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
    except OSError:
        closed.append("refused")
        return
    request = b"GET /search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 10_000
    try:
        for byte in request:
            if stop.is_set():
                return
            s.sendall(bytes([byte]))
            stop.wait(1.0)
        closed.append("never closed")
    except OSError:
        closed.append("closed")
    finally:
        s.close()


def test_slow_connections_do_not_take_the_service_offline(server):
    base, port = server
    stop, closed = threading.Event(), []
    slow = [threading.Thread(target=_trickle, args=(port, stop, closed), daemon=True) for _ in range(SLOW)]
    for t in slow:
        t.start()
    try:
        time.sleep(2.0)                             # every slow connection is open and trickling
        with urllib.request.urlopen(base + "/search?q=%E4%BA%BA%E6%89%8D", timeout=60) as resp:
            assert resp.status == 200 and "人才" in resp.read().decode("utf-8")
        with urllib.request.urlopen(base + "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=60) as resp:
            assert resp.status == 200
        deadline = time.monotonic() + 30            # the server closed the slow ones, not the test
        while len(closed) < 20 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert closed.count("closed") >= 20 and "never closed" not in closed
    finally:
        stop.set()
        for t in slow:
            t.join(5)
