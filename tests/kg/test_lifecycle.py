"""kg.lifecycle: workers die with their parent; a worker started from a thread that then ends
lives on when ``start`` started it (and is killed by the kernel when that thread started it);
``end`` terminates, then kills; stop signals raise ``Stopped`` once."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from kg import lifecycle
from kg.workers import ordered

from ..conftest import ROOT


def _probe(_item) -> tuple[int, bool]:
    return lifecycle.parent_death_signal(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _sleeper(parent: int, ready, ignore_term: bool = False) -> None:
    lifecycle.as_worker(parent)
    if ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.send("ready")
    time.sleep(60)


def _started(start, ignore_term: bool = False) -> mp.Process:
    """A sleeping worker started with ``start``, once it has set itself up."""
    ctx = mp.get_context("spawn")
    ready, child_end = ctx.Pipe()
    process = ctx.Process(target=_sleeper, args=(os.getpid(), child_end, ignore_term), daemon=True)
    start(process)
    assert ready.poll(60) and ready.recv() == "ready"
    return process


def test_a_pool_worker_dies_with_its_parent_and_leaves_ctrl_c_to_it():
    [(_, (death, ignores_sigint))] = list(ordered(_probe, [None], jobs=1))
    assert death == signal.SIGKILL and ignores_sigint
    assert lifecycle.parent_death_signal() == 0           # this process asked for nothing


def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    code = "from kg.lifecycle import as_worker; as_worker(1); print('still here')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1 and "still here" not in done.stdout


def _started_from_a_thread_that_ends(start) -> mp.Process:
    """A worker started from a thread that ends once the worker asked to die with its parent."""
    started = []
    thread = threading.Thread(target=lambda: started.append(_started(start)))
    thread.start()
    thread.join()
    return started[0]


def test_a_worker_started_by_start_outlives_the_thread_that_asked_for_it():
    plain = _started_from_a_thread_that_ends(lambda p: p.start())
    kept = _started_from_a_thread_that_ends(lifecycle.start)
    try:
        # the kernel takes the thread that forked for the parent: plain dies with its thread
        plain.join(timeout=30)
        assert plain.exitcode == -signal.SIGKILL
        time.sleep(1.0)
        assert kept.is_alive()
    finally:
        lifecycle.end([plain, kept])
    assert kept.exitcode == -signal.SIGTERM


def test_end_kills_what_sigterm_does_not_end():
    stubborn = _started(lifecycle.start, ignore_term=True)
    started = time.monotonic()
    lifecycle.end([stubborn], grace=0.5)
    assert stubborn.exitcode == -signal.SIGKILL
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("signum", lifecycle.STOP_SIGNALS)
def test_a_stop_signal_raises_stopped_once(signum):
    code = textwrap.dedent(f"""
        import os, signal
        from kg.lifecycle import Stopped, stop_on_signals
        seen = []
        stop_on_signals(seen.append)
        try:
            os.kill(os.getpid(), {int(signum)})
            signal.sigtimedwait([], 0.1)
        except Stopped as e:
            print("stopped", e.name, seen)
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            os.kill(os.getpid(), s)                    # ignored now: the stopping is under way
        print("still running")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [f"stopped {signal.Signals(signum).name} [{int(signum)}]",
                                           "still running"]
