"""kg.workers.ordered when its caller stops taking answers half-way (an error, or SIGTERM in
``policykg ingest``): the items not started are dropped and the workers end at once, not after
the items they hold."""

from __future__ import annotations

import os
import time

from kg.workers import ordered

from ..processes import left_running, tree


def _slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_an_abandoned_run_ends_its_workers_at_once():
    before = {p.pid for p in tree(os.getpid())}
    run = ordered(_slow, [0, 60, 60, 60, 60], jobs=2)
    assert next(run) == (0, 0)
    workers = [p for p in tree(os.getpid()) if p.pid not in before and "spawn_main" in p.cmdline()]
    assert len(workers) == 2
    started = time.monotonic()
    run.close()                                   # what an exception in the caller's loop does
    assert time.monotonic() - started < 20        # not the 60 s the items held would take
    assert left_running(workers, within=5) == []


def test_a_run_taken_to_the_end_gives_every_answer_in_order():
    assert list(ordered(_slow, [0.2, 0, 0.1, 0], jobs=2)) == [(0.2, 0.2), (0, 0), (0.1, 0.1), (0, 0)]
