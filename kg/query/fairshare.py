"""A fair share of the query workers for every client, in the manner of public SPARQL services.

Each client (an address, named by the caller) has a budget of worker time: ``budget`` seconds
per minute, earned back continuously (a leaky bucket, as Wikidata's query service counts
"60 seconds of query time per 60 seconds"). A client whose use is over the budget is refused
at once (K211) and told when it may ask again; one that already has ``per_client`` jobs waiting
or running is refused too (K212). Both are the HTTP 429 of the service.

Server threads are few (POLICYKG_THREADS) and answer search and pages too, so only ``waiting``
threads may wait for (or hold) a long-lane worker and as many for the short lane; a job beyond
that is refused at once (K213, 503) instead of taking a thread that a search needs.

A client that has not run a long job (over ``short_seconds``) in the last ``LONG_MEMORY``
seconds may use the short lane of the pool (``kg.query.pool``): the worker kept free for
short queries. That is what keeps a trivial query fast while others loop queries that run to
the time limit.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from ..errors import KGError

WINDOW = 60.0                # the budget is per this many seconds
LONG_MEMORY = 300.0          # a client that ran a long job stays off the short lane this long
SWEEP_EVERY = 1000           # admissions between sweeps of forgotten clients


class Refused(KGError):
    """A job refused before it was sent to a worker; ``retry_after`` in whole seconds."""

    def __init__(self, code: str, detail: str, retry_after: int) -> None:
        super().__init__(code, detail)
        self.retry_after = retry_after


@dataclass
class _Client:
    used: float = 0.0        # worker seconds, decaying by budget/WINDOW per second
    at: float = 0.0          # when ``used`` was last brought up to date
    running: int = 0         # jobs waiting or running now
    long_until: float = 0.0  # off the short lane until then


class FairShare:
    def __init__(self, budget: float, per_client: int, waiting: int, short_seconds: float = 0.0,
                 clock=time.monotonic) -> None:
        self.budget, self.per_client, self.waiting = budget, per_client, waiting
        self.short_seconds, self.clock = short_seconds, clock
        self.rate = budget / WINDOW
        self._clients: dict[str, _Client] = {}
        self._in_lane = {True: 0, False: 0}
        self._lock = threading.Lock()
        self._admitted = 0

    def _client(self, key: str, now: float) -> _Client:
        c = self._clients.setdefault(key, _Client(at=now))
        c.used = max(0.0, c.used - (now - c.at) * self.rate)
        c.at = now
        return c

    def admit(self, key: str) -> Ticket:
        """A ticket for one job of ``key``, or ``Refused`` (K211, K212, K213)."""
        with self._lock:
            now = self.clock()
            c = self._client(key, now)
            if self.budget > 0 and c.used >= self.budget:
                wait = math.ceil((c.used - self.budget) / self.rate) + 1
                raise Refused("K211", f"{c.used:.1f} s used, {self.budget:g} s per {WINDOW:g} s; retry in {wait} s",
                              wait)
            if c.running >= self.per_client:
                raise Refused("K212", str(c.running), 1)
            short = self.short_seconds > 0 and now >= c.long_until
            if self._in_lane[short] >= self.waiting:
                raise Refused("K213", str(self._in_lane[short]), 1)
            c.running += 1
            self._in_lane[short] += 1
            self._admitted += 1
            if self._admitted % SWEEP_EVERY == 0:
                self._sweep(now)
            return Ticket(self, key, short)

    def _charge(self, key: str, seconds: float) -> None:
        with self._lock:
            now = self.clock()
            c = self._client(key, now)
            c.used += seconds
            if self.short_seconds > 0 and seconds >= self.short_seconds:
                c.long_until = now + LONG_MEMORY

    def _release(self, key: str, short: bool) -> None:
        with self._lock:
            self._clients[key].running -= 1
            self._in_lane[short] -= 1

    def _sweep(self, now: float) -> None:
        for key in [k for k, c in self._clients.items() if not c.running and now >= c.long_until
                    and c.used - (now - c.at) * self.rate <= 0]:
            del self._clients[key]

    def usage(self, key: str) -> float:
        """Worker seconds ``key`` has used, as counted against its budget now."""
        with self._lock:
            return self._client(key, self.clock()).used


class Ticket:
    """One admitted job: ``short`` says whether it may use the short lane; ``charge`` counts
    worker time against the client; ``close`` (or the ``with`` block) frees its place."""

    def __init__(self, share: FairShare, key: str, short: bool) -> None:
        self.share, self.key, self.short = share, key, short
        self._open = True

    def charge(self, seconds: float) -> None:
        self.share._charge(self.key, seconds)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.share._release(self.key, self.short)

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
