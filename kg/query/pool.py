"""Run SPARQL queries, and functions that read the whole store, in worker processes that can be stopped.

pyoxigraph offers no way to cancel a running query from Python, so a time limit that only
stops waiting would leave the work running. Each worker is a separate process holding the
store open read-only (several processes may do that); when a query overruns, its worker is
killed and a fresh one takes its place, so the time limit really frees the CPU.

Each worker first takes away its own network (``kg.query.sandbox``: a seccomp filter, before the
store is opened): a query that got past the read-only guard still cannot open a connection.

A worker reopens the store when its version changed (``kg.store.embedded.store_version``: every
committed write changes it), so documents ingested while the service runs are visible to the
next query.

The same workers run ``Call``s: a kg function of the store (the home page's counts, the agency
network, profiles, paths) that reads every document and may run for many seconds on a large
store. It gets its own, longer time limit (POLICYKG_SUMMARY_TIMEOUT, error K209); its answer
comes back pickled. A call asked with ``document=True`` reads one document (the document page,
a document's or a task's detail) and has the query time limit instead (K204).

Each worker's memory is limited too (POLICYKG_WORKER_MEMORY, ``kg.query.memory``): a query
that needs more stops with K214 and its worker is replaced.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from .. import lifecycle
from ..errors import KGError
from ..store.memcopy import CopyingStore
from .memory import died_of_memory, out_of_memory
from .results import Payload, write
from .sparql import run_query


@dataclass(frozen=True)
class Job:
    query: str
    select_format: str
    graph_format: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_bytes: int | None = None             # the answer's size limit (None: none), cut while it is written


@dataclass(frozen=True)
class Call:
    """``function(store, *args)``: a module-level function named by module and name."""

    module: str
    name: str
    args: tuple = ()

    @classmethod
    def of(cls, fn, *args) -> Call:
        return cls(fn.__module__, fn.__qualname__, args)

    def __call__(self, store) -> Any:
        import importlib

        return getattr(importlib.import_module(self.module), self.name)(store, *self.args)


def execute(store, job: Job) -> Payload:
    """Evaluate and serialise one job on an open store (used in workers and inline)."""
    import pyoxigraph as ox

    result = run_query(store, job.query, list(job.default_graphs) or None, list(job.named_graphs) or None)
    fmt = job.graph_format if isinstance(result, ox.QueryTriples) else job.select_format
    return write(result, fmt, job.max_rows, {"limit": job.max_rows}, job.max_bytes)


def _execute_following(store, job: Job | Call) -> Any:
    """Run a job or call on a FollowingStore, again on a freshly opened handle when it hit a file
    the writer deleted (``kg.store.embedded.following``; results are read fully inside
    ``execute`` or the function)."""
    from ..store.embedded import following

    return following(store, lambda st: job(st) if isinstance(job, Call) else execute(st, job))


def _worker_main(path: str, conn, memory_quads: int = 0, sandbox: bool = True, parent: int = 0,
                 delay: float = 0.0, memory_mib: int = 0) -> None:
    from ..lifecycle import as_worker
    from ..store.embedded import FollowingStore
    from ..store.memcopy import CopyingStore
    from .memory import limit_memory
    from .sandbox import deny_network

    if parent:
        as_worker(parent)                           # dies with the service, even by SIGKILL; before the filter
    limit_memory(memory_mib)
    refused = None
    if sandbox:
        try:
            deny_network()                          # before the store is opened or any thread starts
        except KGError as e:
            refused = e                             # every job is answered with the reason (K210)
    store = CopyingStore(path, memory_quads, delay=delay) if memory_quads > 0 else FollowingStore(path)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            if refused is not None:
                raise refused
            started = time.monotonic()
            payload = _execute_following(store, job)
            took = time.monotonic() - started       # the caller holds the answer to its time limit
        except MemoryError:
            _out_of_memory(conn, memory_mib)
            return
        except KGError as e:
            conn.send(("error", e.code, e.detail))
            continue
        except Exception as e:  # noqa: BLE001 - reported to the caller as K205, never a crash
            conn.send(("error", "K205", f"{type(e).__name__}: {e}"))
            continue
        if isinstance(job, Call):
            try:
                conn.send(("value", took, payload))
            except MemoryError:
                _out_of_memory(conn, memory_mib)
                return
            except Exception as e:  # noqa: BLE001 - an answer that cannot be pickled
                conn.send(("error", "K205", f"{type(e).__name__}: {e}"))
            continue
        conn.send(("ok", took, *payload.header()))
        conn.send_bytes(payload.body)               # the body as it is: no pickling, no copy


def _out_of_memory(conn, memory_mib: int) -> None:
    """Say K214; the worker then exits (a fresh one replaces it: ``QueryPool._on``)."""
    e = out_of_memory(memory_mib)
    with contextlib.suppress(Exception):
        conn.send(("error", e.code, e.detail))


REPLACEMENT_DELAY = 60.0     # seconds a worker that replaces a killed one answers from disk before copying


class _Worker:
    def __init__(self, ctx, path: str, memory_quads: int = 0, sandbox: bool = True, delay: float = 0.0,
                 memory_mib: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main,
                                   args=(path, child, memory_quads, sandbox, os.getpid(), delay, memory_mib),
                                   daemon=True)
        lifecycle.start(self.process)               # from a thread that outlives any request (kg.lifecycle)
        child.close()
        self.used = False
        self._closing = threading.Lock()

    def close(self) -> None:
        """Close this side of the pipe, once: the pool's close and a request's replacement of the
        same ended worker may both get here, and a second ``os.close`` of the number could close
        whatever file took it since (seen as EBADF under load)."""
        with self._closing:
            if not self.conn.closed:
                self.conn.close()

    def ask_to_stop(self) -> None:
        """An idle worker exits on this at once; a busy one after its job."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)

    def exitcode(self, wait: float = 1.0) -> int | None:
        """How the process ended (waiting at most ``wait`` seconds for it to end); None if it runs."""
        self.process.join(wait)
        return self.process.exitcode

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.ask_to_stop()
        lifecycle.end([self.process], wait=5.0)
        self.close()


def _stopping() -> KGError:
    return KGError("K205", "the service is stopping")


LONG, SHORT = "long", "short"
STARTUP_SECONDS = 120.0      # the longest a new worker is waited for before it joins the idle ones


def _started(store) -> bool:
    """A new worker's first call (``QueryPool._welcome``): the store is opened."""
    store.query("ASK {}")
    return True


class _IdleWorkers:
    """Idle workers by lane, the one that ran last first: under light load it takes every query,
    with warm caches. A worker that has not run a query yet (it may still be starting) goes last."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._lanes: dict[str, collections.deque] = {LONG: collections.deque(), SHORT: collections.deque()}

    def put(self, worker: _Worker) -> None:
        with self._ready:
            lane = self._lanes[getattr(worker, "lane", LONG)]
            if worker.used:
                lane.append(worker)
            else:
                lane.appendleft(worker)
            self._ready.notify_all()

    def get(self, lanes: tuple[str, ...] = (LONG,), timeout: float | None = None) -> _Worker:
        """An idle worker of the first of ``lanes`` that has one, waiting at most ``timeout``
        (queue.Empty after that)."""
        with self._ready:
            if not self._ready.wait_for(lambda: any(self._lanes[lane] for lane in lanes), timeout):
                raise queue.Empty
            return next(self._lanes[lane] for lane in lanes if self._lanes[lane]).pop()


class QueryPool:
    """A fixed number of worker processes; ``run`` waits at most ``timeout`` seconds for a query,
    ``call`` at most ``call_timeout`` for a function of the whole store. With ``memory_quads``
    each worker answers from an in-memory copy of a store of at most that many quads
    (``kg.store.memcopy``). With ``sandbox`` (the default) the workers cannot open a network connection
    (``kg.query.sandbox``); a timeout of None waits as long as it takes.

    With ``short_seconds`` > 0 and two workers or more, one worker is the short lane: a job
    asked with ``short=True`` (the caller decides who may: ``kg.query.fairshare``) takes a long-lane
    worker if one is idle, else the short-lane one, where it may run ``short_seconds``; one that
    runs longer is stopped there (the worker is replaced) and runs again on the long lane. Jobs
    asked without ``short`` wait for the long lane only, so long queries can never occupy every
    worker. ``charge(seconds)``, when given, is told the worker time each job used; ``moved()``
    that a job leaves the short lane for the long one.

    With ``memory_mib`` > 0 each worker may allocate at most that many MiB (``kg.query.memory``):
    a job needing more fails with K214 and its worker is replaced."""

    def __init__(self, store_path: str, workers: int = 2, timeout: float | None = 10.0,
                 call_timeout: float | None = 60.0, memory_quads: int = 0, sandbox: bool = True,
                 short_seconds: float = 0.0, memory_mib: int = 0) -> None:
        self.path, self.timeout, self.call_timeout = str(store_path), timeout, call_timeout
        self.memory_quads, self.sandbox, self.memory_mib = memory_quads, sandbox, memory_mib
        self.replacement_delay = REPLACEMENT_DELAY
        self.short_seconds = short_seconds if workers >= 2 else 0.0
        self._ctx = mp.get_context("spawn")
        self._idle = _IdleWorkers()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._closing = threading.Lock()            # a second close waits for the first to end
        workers = max(1, workers)
        for i in range(workers):
            self._add(SHORT if self.short_seconds > 0 and i == workers - 1 else LONG)
        atexit.register(self.close)

    def _add(self, lane: str = LONG, delay: float = 0.0) -> None:
        worker = _Worker(self._ctx, self.path, self.memory_quads, self.sandbox, delay, self.memory_mib)
        worker.lane = lane
        with self._lock:
            if not self._closed:
                self._all.append(worker)
                threading.Thread(target=self._welcome, args=(worker,), daemon=True,
                                 name="policykg-worker-start").start()
                return
        worker.stop()                               # the pool was closed while this one started

    def _welcome(self, worker: _Worker) -> None:
        """Make ``worker`` idle once it has started and opened the store (``_started``), so that
        no job's time limit counts a worker's start (seconds: Python, pyoxigraph, rdflib; more on
        a busy machine). One that stopped joins anyway (its first job finds out and replaces it);
        one that does not answer in ``STARTUP_SECONDS`` is replaced."""
        try:
            worker.conn.send(Call.of(_started))
            if not worker.conn.poll(STARTUP_SECONDS):
                with self._lock:
                    if worker not in self._all:          # the pool was closed meanwhile
                        return
                self._replace(worker)
                return
            worker.conn.recv()
        except (EOFError, OSError):
            pass
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            closed = self._closed
        worker.stop(kill=True)
        # a killed worker's copy dies with it; its replacement copies only after REPLACEMENT_DELAY
        # seconds, so a client sending query after query over the time limit does not make every
        # replacement rebuild the copy (13 s of CPU at 659k quads: issue #17)
        if not closed:
            self._add(worker.lane, self.replacement_delay)

    def run(self, job: Job, *, short: bool = False, charge=None, moved=None) -> Payload:
        # the read-only guard (kg.query.sparql.check_query) runs in the worker, under the time limit and
        # the sandbox: parsing a large query costs the server process nothing
        return self._ask(job, self.timeout, "K204", short, charge, moved)

    def call(self, fn, *args, short: bool = False, charge=None, moved=None, document: bool = False) -> Any:
        """``fn(store, *args)`` in a worker; K209 when it runs over ``call_timeout``, or — with
        ``document`` (it reads one document) — K204 when it runs over the query time limit."""
        if document:
            return self._ask(Call.of(fn, *args), self.timeout, "K204", short, charge, moved)
        return self._ask(Call.of(fn, *args), self.call_timeout, "K209", short, charge, moved)

    def _take(self, lanes: tuple[str, ...]) -> _Worker:
        """An idle worker of ``lanes`` (waiting at most the query time limit for one: K207)."""
        try:
            return self._idle.get(lanes, timeout=self.timeout)
        except queue.Empty as e:
            raise KGError("K207", f"{self.timeout:g}") from e

    def _ask(self, job: Job | Call, timeout: float, overrun: str, short: bool = False, charge=None,
             moved=None) -> Any:
        """Send ``job`` to an idle worker and wait at most ``timeout`` for its answer (``overrun``
        when it does not come); a short job overrunning the short lane runs again on the long one
        (``moved()`` is called first: it may refuse by raising)."""
        if self._closed:
            raise _stopping()
        if short and self.short_seconds > 0:
            worker = self._take((LONG, SHORT))
            if worker.lane == SHORT and (timeout is None or timeout > self.short_seconds):
                try:
                    return self._on(worker, job, self.short_seconds, overrun, charge, late_ok=True)
                except KGError as e:
                    if e.code != overrun:
                        raise
                # too long for the short lane: its worker was replaced; the long lane runs it
                if moved is not None:
                    moved()
            else:
                return self._on(worker, job, timeout, overrun, charge)
        return self._on(self._take((LONG,)), job, timeout, overrun, charge)

    def _on(self, worker: _Worker, job: Job | Call, timeout: float, overrun: str, charge=None,
            late_ok: bool = False) -> Any:
        worker.used = True
        started = time.monotonic()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise KGError(overrun, f"{timeout:g}")
            reply: Any = worker.conn.recv()
            if reply[0] == "ok":
                body = worker.conn.recv_bytes()
        except (EOFError, BrokenPipeError, OSError) as e:
            exitcode = worker.exitcode()
            self._replace(worker)
            if self._closed:
                raise _stopping() from e
            if died_of_memory(exitcode, self.memory_mib):
                raise out_of_memory(self.memory_mib) from e
            raise KGError("K205", "the query worker stopped unexpectedly") from e
        finally:
            if charge is not None:
                charge(time.monotonic() - started)
        if reply[0] == "error" and reply[1] == "K214":
            self._replace(worker)                   # it exits after saying so
        else:
            self._idle.put(worker)
        if reply[0] in ("ok", "value") and not late_ok and timeout is not None and reply[1] > timeout:
            # computed in longer than the limit, but answered before this thread looked (it was
            # not scheduled for a while): the limit is the worker's time, so the answer is refused
            # as if it had been stopped — the same outcome on a busy machine as on an idle one
            # (the short lane's limit only keeps that lane free: a late answer there is taken)
            raise KGError(overrun, f"{timeout:g}")
        if reply[0] == "ok":
            return Payload(body, *reply[2:])
        if reply[0] == "value":
            return reply[2]
        raise KGError(reply[1], reply[2])

    def close(self, wait: float = 1.0) -> None:
        """Stop every worker and start no more (a query asked for after this fails with K205):
        idle workers exit at once; one still running a job is given ``wait`` seconds, then
        terminated (SIGTERM), then killed; all are waited for. The service calls this when it is
        asked to stop (web/serve.py), and it runs at exit."""
        with self._closing:
            with self._lock:
                self._closed = True
                workers, self._all = self._all, []
            for worker in workers:
                worker.ask_to_stop()
            lifecycle.end([w.process for w in workers], wait=wait)
            for worker in workers:
                worker.close()


def query_once(store: str, query: str, fmt: str = "json", timeout: float | None = None) -> tuple[bytes, str]:
    """One query as ``policykg query`` runs it: ``(body, content type)``. On an embedded store the query
    is evaluated in a sandboxed worker process (so it can neither open a connection nor outlive
    ``timeout``, nor grow past POLICYKG_WORKER_MEMORY); a remote store is asked directly (after the read-only guard)."""
    from .. import settings
    from ..store.embedded import open_store
    from ..store.remote import is_url

    select_format = "json" if fmt == "table" else fmt
    graph_format = fmt if fmt in ("ttl", "nt", "jsonld") else "ttl"
    if is_url(store):
        payload = execute(open_store(store, read_only=True), Job(query, select_format, graph_format, _NO_LIMIT))
        return payload.body, payload.content_type
    open_store(store, read_only=True)               # K101/K102 here, with the path, not from the worker
    pool = QueryPool(store, workers=1, timeout=timeout, call_timeout=timeout,
                     sandbox=bool(settings.get("POLICYKG_QUERY_SANDBOX")),
                     memory_mib=settings.get("POLICYKG_WORKER_MEMORY"))
    try:
        payload = pool.run(Job(query, select_format, graph_format, _NO_LIMIT))
    finally:
        pool.close()
    return payload.body, payload.content_type


_NO_LIMIT = 2**62


def _charged(charge, fn, *args) -> Any:
    started = time.monotonic()
    try:
        return fn(*args)
    finally:
        if charge is not None:
            charge(time.monotonic() - started)


class InlineRunner:
    """Same interface, in the calling thread, for an in-memory store (no enforced time limit)."""

    def __init__(self, store) -> None:
        self.store = store

    def run(self, job: Job, *, short: bool = False, charge=None, moved=None) -> Payload:
        return _charged(charge, execute, self.store, job)

    def call(self, fn, *args, short: bool = False, charge=None, moved=None, document: bool = False) -> Any:
        return _charged(charge, fn, self.store, *args)

    def close(self) -> None:
        pass


def wait_serving(store, timeout: float) -> str:
    """As a ``QueryPool.call``: wait until the worker answers from its copy (at most ``timeout``
    seconds); "memory", "disk" (no copy by then, or copies turned off)."""
    if isinstance(store, CopyingStore):
        store.wait_ready(timeout)
        return store.serving()
    return "disk"


def wait_pool(pool, workers: int, timeout: float) -> list[str]:
    """Each of a pool's ``workers`` waits for its copy at the same time (so that every worker,
    not one of them twice, gets a call); what each answers from afterwards."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(lambda _: pool.call(wait_serving, timeout), range(workers)))
