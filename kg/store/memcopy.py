"""An in-memory copy of an on-disk store, for the service's query workers.

Oxigraph answers the same query 5–12× faster from its in-memory store than from RocksDB
(every index lookup is a B-tree step instead of a RocksDB seek: BENCHMARKS.md, "Queries from
memory"). A query worker therefore keeps a copy of a small store in memory and answers from
it while the copy is current:

* the copy is built in a background thread (``Store.dump`` and ``Store.bulk_load`` release the
  GIL), so the worker answers from disk meanwhile and no query waits for it;
* it is built only when the store has not changed for ``QUIET`` seconds (not while
  ``policykg ingest`` is writing), and only for a store of at most ``max_quads`` quads
  (``POLICYKG_MEMORY_COPY_QUADS``; about 620 bytes of memory per quad in each worker);
* it belongs to one version of the store (``kg.store.embedded.store_version``, which every
  committed write changes, as for ``FollowingStore``): once the store changes, the copy is
  dropped at once and the worker answers from disk until a new copy of the new version is
  ready. An answer therefore never comes from an older state of the store than the disk
  handle would give;
* a worker started to replace one killed at the time limit waits ``delay`` seconds before it
  copies (``kg.query.pool``: ``REPLACEMENT_DELAY``): a client that keeps sending queries over
  the limit then costs a fresh process each time, not a fresh copy (13 s of CPU at 659k quads).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .embedded import FollowingStore, StoreVersion, store_version

log = logging.getLogger(__name__)

QUIET = 2.0          # seconds without a change to the store's directory before copying it


MAX_BYTES_PER_QUAD = 2000      # on disk a quad takes 200-400 bytes (BENCHMARKS.md): far more is no small store


def _bytes(folder: Path) -> int:
    total = 0
    for f in folder.iterdir():
        with contextlib.suppress(OSError):          # a file the writer removed meanwhile
            total += f.stat().st_size
    return total


def copy_store(path: str, max_quads: int) -> ox.Store | None:
    """A fresh in-memory ``Store`` with every quad of the store at ``path``, or None when it
    holds more than ``max_quads`` (or its files are over ``MAX_BYTES_PER_QUAD`` per quad allowed). Read through a ``FollowingStore``, which opens again when
    a compaction of the writer removed a file under it; the quads go through a temporary
    N-Quads file (in the system's temporary folder, removed at once) rather than one bytes
    object, so that the copy's peak memory is the copy's own."""
    # a store whose files are far larger than such a copy could come from is not counted: ``len``
    # reads every quad (24 s at 130M quads, minutes from a cold disk), and each worker did it at
    # start and again whenever it was replaced
    if _bytes(Path(path)) > max_quads * MAX_BYTES_PER_QUAD:
        return None
    source = FollowingStore(path)
    if len(source) > max_quads:
        return None
    with tempfile.TemporaryDirectory(prefix="policykg-copy-") as tmp:
        dump = Path(tmp) / "store.nq"
        source.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        del source
        copy = ox.Store()
        copy.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return copy


def _lower_priority() -> None:
    """Run the calling thread (only it, on Linux) at the lowest CPU priority: a worker replaced
    after a query over the time limit copies the store again, and that must not slow the other
    workers' queries."""
    import os

    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class CopyingStore:
    """Behaves like the ``FollowingStore`` it wraps, answering from an in-memory copy when one
    of the current version is ready (see the module's docstring)."""

    def __init__(self, path: str | Path, max_quads: int, quiet: float = QUIET, delay: float = 0.0) -> None:
        self.disk = FollowingStore(path)
        self.path, self.max_quads, self.quiet = str(path), max_quads, quiet
        self._not_before = time.monotonic() + delay     # no copy before then (a replacement worker)
        self._copy: tuple[StoreVersion, ox.Store] | None = None
        self._refused: StoreVersion | None = None         # the version found too large (or failing) to copy
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._current()

    # -- which store answers ---------------------------------------------------------------

    def _current(self) -> Any:
        version = store_version(self.path)
        copy = self._copy
        if copy is not None and copy[0] == version:
            return copy[1]
        if copy is not None:
            self._copy = None                      # stale: let it go before building another
        self._start(version)
        return self.disk

    def serving(self) -> str:
        """"memory" when the next call is answered from the copy, else "disk"."""
        return "memory" if self._current() is not self.disk else "disk"

    def wait_ready(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until a copy is answering; for tests and benchmarks."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.serving() == "memory":
                return True
            time.sleep(0.05)
        return False

    # -- building the copy ----------------------------------------------------------------

    def _start(self, version: StoreVersion) -> None:
        if self.max_quads <= 0 or self._refused == version:
            return
        if time.time_ns() - version.changed < self.quiet * 1e9 or time.monotonic() < self._not_before:
            return                                 # being written (wait until it is quiet), or delayed
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._build, args=(version,), daemon=True,
                                            name="policykg-memory-copy")
            self._thread.start()

    def _build(self, version: StoreVersion) -> None:
        _lower_priority()
        try:
            copy = copy_store(self.path, self.max_quads)
        except Exception as e:  # noqa: BLE001 - the worker goes on answering from disk
            log.warning("no in-memory copy of %s: %s: %s", self.path, type(e).__name__, e)
            self._refused = version
            return
        if copy is None:
            log.info("no in-memory copy of %s: more than %d quads", self.path, self.max_quads)
            self._refused = version
        elif store_version(self.path) == version:       # not changed while copying
            self._copy = (version, copy)

    # -- the Store interface ----------------------------------------------------------------

    def forget(self) -> None:
        """Drop the disk handle after a stale-file error (``kg.query.pool._execute_following``)."""
        self.disk.forget()

    def __getattr__(self, name: str):
        store = self._current()
        return getattr(store, name)

    def __len__(self) -> int:
        return len(self._current())

    def __iter__(self):
        return iter(self._current())

