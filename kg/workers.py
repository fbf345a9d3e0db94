"""Run a function over a stream of items in worker processes, answers in input order.

Used by ingest (extraction in ``--jobs N`` workers) and by the comparisons an ingest computes
afterwards. Workers are spawned (not forked: the parent holds the store's RocksDB handle and
its threads). At most ``4 * jobs`` items are in flight — submitted, or finished and not yet
taken — so neither the items nor the answers pile up: memory does not grow with the input.

The workers die with their parent (``kg.lifecycle.as_worker``). When the caller stops taking
answers before the end (an error, or ``kg.lifecycle.Stopped`` on SIGTERM), the items not
started are dropped and the workers are terminated at once, not left to finish the items they
hold.
"""

from __future__ import annotations

import collections
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import lifecycle

Outcome = Any                       # what ``fn`` returned, or the exception it (or its worker) raised
ABANDON_WAIT = 10.0                 # seconds to wait for the pool's thread once its workers are ended


def ordered(fn: Callable[[Any], Any], items: Iterable[Any], jobs: int,
            here: Callable[[Any], bool] = lambda item: False) -> Iterator[tuple[Any, Outcome]]:
    """``(item, fn(item))`` for every item, in input order, ``fn`` run in ``jobs`` worker
    processes. Items for which ``here`` is true are not sent (their outcome is None: the caller
    handles them, in order). ``fn`` must be a module-level function; an exception it raises, or
    a worker that died, is yielded as the outcome instead of being raised."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    window: collections.deque = collections.deque()
    limit = 4 * jobs

    def settle(entry) -> tuple[Any, Outcome]:
        item, future = entry
        if future is None:
            return item, None
        try:
            return item, future.result()
        except Exception as e:  # noqa: BLE001 - one item's failure is its outcome, not the batch's
            return item, e

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                               initializer=lifecycle.as_worker, initargs=(os.getpid(),))
    finished = False
    try:
        for item in items:
            window.append((item, None if here(item) else pool.submit(fn, item)))
            while len(window) >= limit or (window and window[0][1] is None):
                yield settle(window.popleft())
        while window:
            yield settle(window.popleft())
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _abandon(pool)


def _abandon(pool) -> None:
    """Drop the items not started and end the workers now (SIGTERM, then SIGKILL), waiting for
    each. ``ProcessPoolExecutor`` has no public way to end its workers before Python 3.14's
    ``terminate_workers``: its ``_processes`` are read (a dict of pid to process since 3.2)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    lifecycle.end(processes)
    # The pool's own thread sees its workers gone and ends, unless a worker was ended half-way
    # through sending a result: then it waits for the rest of that message for ever (CPython's
    # ProcessPoolExecutor). Waited for a while, then left behind; `policykg` leaves with os._exit
    # after such a stop (policykg.cli.run), since interpreter shutdown would join it.
    if manager is not None:
        manager.join(timeout=ABANDON_WAIT)
