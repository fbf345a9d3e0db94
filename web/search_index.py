"""The app's search index (kg.search: the items, the document catalog, each task's bodies): synced
with the store, read by many threads at once.

One connection writes: the syncs, under a lock. Each thread of the server reads through its own
read-only connection to the index file: SQLite in write-ahead-log mode lets readers run side by
side and beside the writer, each on the last committed state. With one shared connection behind
one lock, a reader's common-word search at 10^5 documents (6 s) made every other page reading the
index wait — the home page took 6.2 s instead of 3 ms (BENCHMARKS.md). An index in memory (beside
a store that is not a directory, or a directory that cannot be written) has no file to share: it
is read through the writer's connection, under its lock, as before.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from flask import current_app

from kg import search as fts
from kg.store.embedded import following

from .cache import REFRESH_SECONDS

SYNC_EVERY = 30.0      # seconds between syncs with a store that has no version (remote, in memory)
ANSWERS_KEPT = 256     # ``read`` answers kept until the next sync


class SearchIndex:
    """The index at ``path`` (or ``:memory:``) of ``store``, synced at start, then when the store's
    version changed (looked at most every ``REFRESH_SECONDS``); a store without a version every
    ``SYNC_EVERY`` seconds."""

    def __init__(self, path: str, store, version=lambda: None, timeout: float | None = None,
                 facet_time: float | None = None) -> None:
        self.path = path
        self.conn = fts.connect(path)                 # the writer's (and the reader's, in memory)
        self.store, self.version = store, version
        self.limits = {"timeout": timeout or None, "facet_time": facet_time or None}
        self.lock = threading.Lock()                  # the writer's connection
        self.kept = threading.Lock()                  # ``answers``
        self.readers = threading.local()
        self.answers: dict[tuple, object] = {}        # ``read`` answers since the last sync
        self.generation = 0                           # syncs so far: an answer read before one is not kept
        self.synced, self.synced_version = 0.0, None
        self.sync()

    def sync(self) -> None:
        with self.lock:
            version = self.version()
            # the store's lazy answers may meet a file an ingest's compaction deleted: the sync then
            # runs again on a reopened handle (it is safe to repeat: each document is its own write)
            following(self.store, lambda store: fts.sync(self.conn, store))
            with self.kept:
                self.answers.clear()
                self.generation += 1
            # the version the store's handle showed (kg.store.embedded.FollowingStore), if older
            self.synced, self.synced_version = time.monotonic(), getattr(self.store, "version", version)

    def _fresh(self) -> None:
        """Sync when the store changed: a store directory says when (its version, compared at most
        every ``REFRESH_SECONDS``); a store that does not (remote, in memory) is synced every
        ``SYNC_EVERY`` seconds. Nothing changed, nothing read: a sync compares every document."""
        age = time.monotonic() - self.synced
        if age <= REFRESH_SECONDS:
            return
        version = self.version()
        if (version is None and age > SYNC_EVERY) or (version is not None and version != self.synced_version):
            self.sync()

    def _reader(self) -> sqlite3.Connection | None:
        """This thread's read-only connection to the index file (None for an index in memory)."""
        if self.path == ":memory:":
            return None
        conn = getattr(self.readers, "conn", None)
        if conn is None:
            conn = self.readers.conn = sqlite3.connect(Path(self.path).resolve().as_uri() + "?mode=ro", uri=True)
        return conn

    def _on_index(self, fn, *args, **kwargs):
        conn = self._reader()
        if conn is not None:
            return fn(conn, *args, **kwargs)
        with self.lock:
            return fn(self.conn, *args, **kwargs)

    def search(self, *args) -> fts.Results:
        """``kg.search.search`` under the service's time limits (K215 over the search's own)."""
        self._fresh()
        return self._on_index(fts.search, *args, **self.limits)

    def read(self, fn, *args, keep: bool = True):
        """``fn(conn, *args)`` of kg.search (the catalog, the bodies) on the synced index, kept until
        the next sync (only a sync changes what it reads; at 100,000 documents a summary takes
        0.5 s) unless not to ``keep`` (a whole selection for a download: up to every document)."""
        self._fresh()
        if not keep:
            return self._on_index(fn, *args)
        key = (fn.__module__, fn.__qualname__, repr(args))
        with self.kept:
            if key in self.answers:
                return self.answers[key]
            generation = self.generation
        value = self._on_index(fn, *args)
        with self.kept:
            if generation == self.generation:         # not read from an index a sync has changed since
                if len(self.answers) >= ANSWERS_KEPT:
                    self.answers.pop(next(iter(self.answers)))
                self.answers[key] = value
        return value


def search_index() -> SearchIndex:
    """The running app's search index (its items and the document catalog)."""
    return current_app.extensions["policykg_search"]
