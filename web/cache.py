"""Answers computed over the whole store, kept for a short time.

The home page's counts, the agency network, profiles and paths read every document of the
store: about a second each at 1M triples, ten at 10M. Without a cache each page view paid that
again, and many at once could keep every thread busy. ``StoreCache`` keeps each answer for
``POLICYKG_CACHE_SECONDS``, but no longer than ``REFRESH_SECONDS`` once the store changed (every
committed write changes its version, ``kg.store.embedded.store_version``; an answer remembers the
version it was computed on), so pages, the API and SPARQL agree on what the store holds within
``REFRESH_SECONDS`` of an ingest's write; one computation at a time per key — requests arriving meanwhile wait
for it and share the answer instead of starting their own — and at most ``size`` answers,
least recently used dropped first. ``seconds=0`` turns it off.

The computation itself runs through the app's query runner (``kg.query.pool``): in a worker
process stopped after POLICYKG_SUMMARY_TIMEOUT for a store on disk, so a store too large for
these answers costs one worker for that long, not a thread of the service without end. The
answers that read one whole document (the document page, a document's or a task's detail) go the
same way with the query time limit (``cached(..., document=True)``: K204). Those outcomes (K209,
K204), and a worker's memory limit (K214), are kept like an answer — the same computation would
overrun again — so requests in the next ``seconds`` are told at once. Other errors are not kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from kg.errors import KGError
from kg.store.embedded import REFRESH

KEPT_ERRORS = ("K204", "K209", "K214")   # over a time or memory limit: asking again at once would overrun again
REFRESH_SECONDS = REFRESH        # the longest an answer outlives a change of the store (pages, search index too)



class StoreCache:
    def __init__(self, seconds: float, size: int = 128) -> None:
        self.seconds, self.size = seconds, size
        self._answers: OrderedDict[Hashable, tuple[float, Hashable, Any]] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any], version: Callable[[], Hashable] = lambda: None) -> Any:
        """``compute()``'s answer, from the cache when it is fresh: younger than ``seconds``, and
        computed on the store's current ``version()`` or less than ``REFRESH_SECONDS`` ago."""
        if self.seconds <= 0:
            return compute()
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:                         # one computation per key; the others wait for it
            now = version()                # before computing: a change meanwhile makes the answer stale
            with self._guard:
                hit = self._answers.get(key)
                if hit is not None and self._fresh(hit, now):
                    self._answers.move_to_end(key)
                    if isinstance(hit[2], KGError):
                        raise hit[2]
                    return hit[2]
            try:
                value = compute()
            except KGError as e:
                if e.code not in KEPT_ERRORS:
                    self._forget(key)
                    raise
                value = e
            except BaseException:
                self._forget(key)
                raise
            with self._guard:
                self._answers[key] = (time.monotonic(), now, value)
                self._answers.move_to_end(key)
                while len(self._answers) > self.size:
                    old, _ = self._answers.popitem(last=False)
                    self._locks.pop(old, None)
            if isinstance(value, KGError):
                raise value
            return value

    def _fresh(self, hit: tuple[float, Hashable, Any], version: Hashable) -> bool:
        age = time.monotonic() - hit[0]
        return age < self.seconds and (hit[1] == version or age < REFRESH_SECONDS)

    def _forget(self, key: Hashable) -> None:
        with self._guard:
            if key not in self._answers:
                self._locks.pop(key, None)     # failed keys are not remembered at all


def cached(fn: Callable[..., Any], *args: Hashable, document: bool = False) -> Any:
    """``fn(store, *args)`` run by the app's query runner (a worker, under the time limit — the
    query's when ``fn`` reads one ``document`` — counted against the asking client's share:
    web/fairness.py), from the app's cache when computed less than its time ago (a cached answer
    needs no worker and no share)."""
    from flask import current_app

    from . import fairness

    cache: StoreCache = current_app.extensions["policykg_cache"]
    return cache.get((fn.__module__, fn.__qualname__, *args), lambda: fairness.call(fn, *args, document=document),
                     current_app.extensions["policykg_version"])
