"""Start a real `policykg serve` process on loopback for a test, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(store_dir: Path, log: Path, **settings: str):
    """Yield (base URL, port) of a waitress server on ``store_dir``; ``settings`` are
    POLICYKG_* environment variables (e.g. POLICYKG_QUERY_TIMEOUT="2")."""
    with server_process(store_dir, log, **settings) as (base, _proc):
        yield base, int(base.rpartition(":")[2])


@contextlib.contextmanager
def server_process(store_dir: Path, log: Path, **settings: str):
    """Yield (base URL, the ``subprocess.Popen``) of a waitress server on ``store_dir``, answering;
    afterwards it is stopped (SIGTERM) unless it has exited already."""
    port = free_port()
    env = dict(os.environ, **settings)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--store", str(store_dir),
                                 "--host", "127.0.0.1", "--port", str(port)], stdout=out, stderr=out, env=env,
                                cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/sparql", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("server did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.2)
    try:
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def untouched_listener():
    """A listening socket of the test's own on loopback; yields its port and fails the test if
    anything connected to it by the end of the block."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    try:
        yield listener.getsockname()[1]
        time.sleep(0.5)
        with pytest.raises(BlockingIOError):
            listener.accept()                  # nobody ever connected
    finally:
        listener.close()
