"""A fair share of the query workers for every client, in the manner of public SPARQL services.

Each client (an address, named by the caller) has a budget of worker time: ``budget`` seconds
per minute, earned back continuously (a leaky bucket, as Wikidata's query service counts
"60 seconds of query time per 60 seconds"). A client whose use is over the budget is refused
at once (K211) and told when it may ask again; one that already has ``per_client`` jobs waiting
or running is refused too (K212). Both are the HTTP 429 of the service.

Server threads are few (POLICYKG_THREADS) and answer search and pages too, so only ``waiting``
threads may wait for (or hold) a long-lane worker and ``short_waiting`` (jobs of clients allowed
the short lane, which finish fast) for the short lane; a job beyond that is refused at once
(K213, 503) instead of taking a thread that a search needs.

A client that has not run a long job (over ``short_seconds``) in the last ``LONG_MEMORY``
seconds may use the short lane of the pool (``kg.query.pool``): the worker kept free for
short queries. That is what keeps a trivial query fast while others loop queries that run to
the time limit. A job that overruns the short lane costs that lane a worker (it is stopped and
replaced, which takes a few seconds), so while one did in the last ``GUARD`` seconds, a client
the service does not know yet — no short job in the last ``LONG_MEMORY`` seconds — waits for
the long lane: a crowd of new clients looping long queries is tried on the short lane one at
a time, not all at once. For the same reason they never take the short lane's last place
(they wait among the long lane's places instead).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from ..errors import KGError

WINDOW = 60.0                # the budget is per this many seconds
LONG_MEMORY = 300.0          # a client that ran a long job stays off the short lane this long
GUARD = 30.0                 # after a job overran the short lane, unknown clients keep off it this long
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
    known_until: float = 0.0  # ran a short job lately: the short lane stays open to it until then


class FairShare:
    def __init__(self, budget: float, per_client: int, waiting: int, short_seconds: float = 0.0,
                 clock=time.monotonic, short_waiting: int | None = None) -> None:
        self.budget, self.per_client, self.waiting = budget, per_client, waiting
        self.short_waiting = waiting if short_waiting is None else short_waiting
        self.short_seconds, self.clock = short_seconds, clock
        self.rate = budget / WINDOW
        self._clients: dict[str, _Client] = {}
        self._in_lane = {True: 0, False: 0}
        self._lock = threading.Lock()
        self._admitted = 0
        self._overran = -math.inf    # when a job last overran the short lane

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
            known = now < c.known_until
            short = self.short_seconds > 0 and now >= c.long_until and (known or now - self._overran >= GUARD)
            # the places: clients not known for short jobs may take all of the short lane's but
            # one; beyond the short lane's places a job waits in the long lane's (still allowed
            # the short worker)
            place = short and self._in_lane[True] < (self.short_waiting if known else max(1, self.short_waiting - 1))
            if not place and self._in_lane[False] >= self.waiting:
                raise Refused("K213", str(self._in_lane[False]), 1)
            c.running += 1
            self._in_lane[place] += 1
            self._admitted += 1
            if self._admitted % SWEEP_EVERY == 0:
                self._sweep(now)
            return Ticket(self, key, short, place)

    def _charge(self, key: str, seconds: float) -> None:
        with self._lock:
            now = self.clock()
            c = self._client(key, now)
            c.used += seconds
            if self.short_seconds > 0 and seconds >= self.short_seconds:
                c.long_until = now + LONG_MEMORY
            elif self.short_seconds > 0:
                c.known_until = now + LONG_MEMORY

    def _move(self, ticket: Ticket) -> None:
        with self._lock:
            self._overran = self.clock()
            if ticket.place:
                if self._in_lane[False] >= self.waiting:
                    raise Refused("K213", str(self._in_lane[False]), 1)
                self._in_lane[True] -= 1
                self._in_lane[False] += 1
                ticket.place = False
            ticket.short = False

    def _release(self, key: str, place: bool) -> None:
        with self._lock:
            self._clients[key].running -= 1
            self._in_lane[place] -= 1

    def _sweep(self, now: float) -> None:
        for key in [k for k, c in self._clients.items() if not c.running and now >= max(c.long_until, c.known_until)
                    and c.used - (now - c.at) * self.rate <= 0]:
            del self._clients[key]

    def usage(self, key: str) -> float:
        """Worker seconds ``key`` has used, as counted against its budget now."""
        with self._lock:
            return self._client(key, self.clock()).used


class Ticket:
    """One admitted job: ``short`` says whether it may use the short lane; ``charge`` counts
    worker time against the client; ``moved`` takes its place to the long lane; ``close`` (or
    the ``with`` block) frees its place."""

    def __init__(self, share: FairShare, key: str, short: bool, place: bool) -> None:
        self.share, self.key, self.short = share, key, short
        self.place = place               # which places it counts in: the short lane's (True) or the long's
        self._open = True

    def charge(self, seconds: float) -> None:
        self.share._charge(self.key, seconds)

    def moved(self) -> None:
        """The job left the short lane for the long one: its place moves with it (K213 when the
        long lane has no place)."""
        self.share._move(self)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.share._release(self.key, self.place)

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
