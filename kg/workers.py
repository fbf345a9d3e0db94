"""Run a function over a stream of items in worker processes, answers in input order.

Used by ingest (extraction in ``--jobs N`` workers) and by the comparisons an ingest computes
afterwards. Workers are spawned (not forked: the parent holds the store's RocksDB handle and
its threads). At most ``4 * jobs`` items are in flight — submitted, or finished and not yet
taken — so neither the items nor the answers pile up: memory does not grow with the input.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Outcome = Any                       # what ``fn`` returned, or the exception it (or its worker) raised


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

    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
        for item in items:
            window.append((item, None if here(item) else pool.submit(fn, item)))
            while len(window) >= limit or (window and window[0][1] is None):
                yield settle(window.popleft())
        while window:
            yield settle(window.popleft())
