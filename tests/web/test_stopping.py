"""Stopping `policykg serve` stops its query workers (issue #22): a real server on loopback runs a
query that would last for hours (a cartesian product over the corpus, with a time limit of 10
minutes); the server is then stopped with a signal (SIGTERM, SIGHUP: exit status 0) or killed
(SIGKILL), and no process of its tree — the server, its query workers, multiprocessing's
resource tracker — may be left running a few seconds later."""

from __future__ import annotations

import json
import signal
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ..processes import busy, left_running, tree
from .servers import server_process

pytestmark = pytest.mark.server
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SETTINGS = {"POLICYKG_QUERY_TIMEOUT": "600", "POLICYKG_QUERY_WORKERS": "2"}


def _ask(base: str, answers: list) -> None:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            answers.append((resp.status, resp.read()))
    except urllib.error.HTTPError as e:
        with e:
            answers.append((e.code, e.read()))
    except (urllib.error.URLError, ConnectionError) as e:
        answers.append((None, repr(e)))


@pytest.fixture
def served(store, store_dir, tmp_path):
    """A server on the corpus store, a thread waiting for the cartesian product, the server's
    process tree once a worker is busy with it, and the server's log."""
    store.flush()
    log = tmp_path / "server.log"
    with server_process(store_dir, log, **SETTINGS) as (base, proc):
        procs = tree(proc.pid)
        workers = [p for p in procs if "spawn_main" in p.cmdline()]
        assert len(workers) == 2, [p.cmdline() for p in procs]
        answers: list = []
        asker = threading.Thread(target=_ask, args=(base, answers))
        asker.start()
        assert busy(workers, cpu_seconds=1.0, within=60), "a worker runs the query"
        yield proc, procs, answers, asker, log
        asker.join(timeout=60)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_ends_the_server_and_every_worker(served, signum):
    proc, procs, answers, asker, log = served
    proc.send_signal(signum)
    assert proc.wait(timeout=60) == 0                   # a requested stop is not a failure
    assert left_running(procs, within=5) == []
    asker.join(timeout=60)
    status, body = answers[0]                          # the request under way was answered, not dropped
    assert status == 500 and json.loads(body)["error"] == {
        "code": "K205", "message": "query failed: the service is stopping"}
    text = log.read_text(errors="replace")
    assert f"stopping ({signal.Signals(signum).name})" in text and "stopped: query workers ended" in text


def test_workers_of_a_killed_server_exit_by_themselves(served):
    proc, procs, answers, asker, _log = served
    proc.kill()                                         # no handler runs: only the workers can notice
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert left_running(procs, within=5) == []
    asker.join(timeout=60)
    assert answers[0][0] is None                        # the connection was dropped with the server
