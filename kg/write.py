"""Write prepared documents into a store and the search index, in input order.

The second step of ``policykg ingest`` (documents straight from ``kg.prepare``) and of
``policykg load`` (documents read back from shards, ``kg.shards``): one writer for both, so a
store loaded from shards is the store an ingest makes.

* each document in ONE transaction (``commit``), or new documents by the bulk loader
  (``BulkWriter``: faster, not crash-safe);
* each document written is indexed for search at once: from the rows its shard holds, else
  read back from the store with the tokens its worker computed;
* then every document in the store that implements a document also present is compared with
  it (kg/compare/graph.py) when either was written in this batch.

One bad document never stops the others: each gets a ``FileReport`` (loaded, replaced,
unchanged or failed with an error code), and nothing of a failed document reaches the store.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from . import settings
from .analytics.continuity import load_reforms
from .compare.graph import compare_implemented
from .errors import KGError
from .graph.validate import ontology_files
from .prepare import FileReport, Item, Prepared, internal_error, prepare_outline
from .search import Words, index_document, write_rows
from .store.embedded import bulk_write, document_nquads, load_ontology, replace_document

TRIM_EVERY = 25           # documents between two ``trim_heap`` calls
# Seconds between two flushes of the store during an ingest. A reader (the service) follows each
# committed write by opening the store again (kg.store.embedded.FollowingStore), and an open
# replays the write-ahead log of whatever is not flushed yet: without these flushes the log grew
# to 260 MB in 20 documents and every reopen took seconds (a query over its time limit).
FLUSH_EVERY = 1.0


def commit(store: ox.Store, prepared: Prepared | FileReport) -> FileReport:
    """Write a prepared document in one transaction (``kg.store.embedded.replace_document``)."""
    if isinstance(prepared, FileReport):
        return prepared
    try:
        existed = replace_document(store, prepared.iri, prepared.document, prepared.agencies)
    except Exception as e:  # noqa: BLE001
        return internal_error(prepared.path, e)
    prepared.report.status = "replaced" if existed else "loaded"
    return prepared.report


class BulkWriter:
    """``--bulk``: new documents are gathered and written by Oxigraph's bulk loader,
    ``batch`` at a time; documents already in the store (or named twice in one batch) go
    through ``commit`` as usual. Not crash-safe — see ``kg.store.embedded.bulk_write``."""

    def __init__(self, store: ox.Store, batch: int) -> None:
        self.store, self.batch = store, max(1, batch)
        self.pending: list[Prepared] = []
        self.iris: set[str] = set()

    def write(self, prepared: Prepared | FileReport) -> list[FileReport]:
        if isinstance(prepared, FileReport):
            return [*self.flush(), prepared]
        if prepared.iri in self.iris or self.store.contains_named_graph(ox.NamedNode(prepared.iri)):
            return [*self.flush(), commit(self.store, prepared)]
        self.pending.append(prepared)
        self.iris.add(prepared.iri)
        return self.flush() if len(self.pending) >= self.batch else []

    def flush(self) -> list[FileReport]:
        pending, self.pending, self.iris = self.pending, [], set()
        try:
            bulk_write(self.store, [document_nquads(p.iri, p.document, p.agencies) for p in pending])
        except Exception as e:  # noqa: BLE001 - report every document of the batch as failed
            return [internal_error(p.path, e) for p in pending]
        return [p.report for p in pending]


def trim_heap() -> None:
    """Give freed heap memory back to the operating system (glibc only; elsewhere a no-op).

    Without it, glibc keeps what the store's writer threads and the document builder freed:
    ingesting 1,000 documents grew to 2.4 GB of RSS with 1 MiB of live Python objects;
    with it the RSS stays flat (BENCHMARKS.md, "Memory")."""
    global _malloc_trim
    if _malloc_trim is None:
        import ctypes

        try:
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def _index(index: sqlite3.Connection, store: ox.Store, report: FileReport, words: Words | None,
           rows) -> None:
    """Index a document just written. A failure is logged, not reported: the document is in the
    store, and the next ``kg.search.sync`` (which the commands run next) indexes it."""
    try:
        if rows is not None:
            write_rows(index, rows)
        else:
            index_document(index, store, report.document, words=words)
    except Exception:  # noqa: BLE001
        logging.getLogger("policykg.write").exception("search index of %s failed; the next sync repairs it",
                                                      report.document)


def _compare_loaded(store: ox.Store, loaded: list[str], jobs: int = 1) -> None:
    """Compare each implementing pair touched by this batch (``loaded``: the IRIs of the
    documents written; see the module docstring).

    The documents are already safely in the store; a comparison that fails is logged and
    left out, never allowed to turn a good ingest into a failed one."""
    if not loaded:
        return
    try:
        compare_implemented(store, loaded, jobs)
    except Exception:  # noqa: BLE001
        logging.getLogger("policykg.write").exception("comparison after the write failed; documents are loaded")


def write_outline(store: ox.Store, path) -> FileReport:
    """Read an outline and write it (the writer reads outlines itself: they are small)."""
    return commit(store, prepare_outline(path))


def write_documents(store: ox.Store, items: Iterable[Item],
                    progress: Callable[[FileReport], None] | None = None, jobs: int = 1,
                    bulk: bool = False, index: sqlite3.Connection | None = None,
                    keep_reports: bool = True, left_out: deque | None = None) -> list[FileReport]:
    """Write every item (``kg.prepare.Item``) in input order, each indexed as it is written
    when ``index`` is given, then compare what was written (``jobs`` processes).
    ``bulk`` writes new documents with the bulk loader (BulkWriter). An item that is a
    ``FileReport`` is passed on as it is (failed, or unchanged); a ``Prepared`` already
    ``written`` is only indexed and compared.

    Returns every item's report, in input order; with ``keep_reports=False`` an empty list,
    each report going only to ``progress`` as it is made (so a write of any size holds no
    report: only the IRI of each document written, for the comparisons that follow). Reports in
    ``left_out`` (paths the walk over the folders left out: ``kg.prepare.iter_inputs``) are passed
    on before the next written one, as they are found."""
    load_ontology(store, ontology_files())
    load_reforms(store)                     # the shared graph of the 2018 (and 2023) reforms
    writer = BulkWriter(store, settings.get("POLICYKG_BULK_BATCH")) if bulk else None
    words: dict[str, tuple[Words, object]] = {}     # documents handed to the writer, not yet indexed

    flushed = [time.monotonic()]

    def write(path, item: Prepared | FileReport | None) -> list[FileReport]:
        if item is None:
            written = [*(writer.flush() if writer else []), write_outline(store, path)]
        elif isinstance(item, Prepared) and item.written:
            written = [*(writer.flush() if writer else []), item.report]
        else:
            written = writer.write(item) if writer else [commit(store, item)]
        if time.monotonic() - flushed[0] > FLUSH_EVERY:
            flush(store)
            flushed[0] = time.monotonic()
        return written

    reports: list[FileReport] = []
    loaded: list[str] = []                  # the documents written, for the comparisons

    def done(written: list[FileReport]) -> None:
        while left_out:
            tell(left_out.popleft())
        for report in written:
            known, rows = words.pop(report.document, (None, None)) if report.document else (None, None)
            if report.status in ("loaded", "replaced"):
                loaded.append(report.document)
                if index is not None:
                    _index(index, store, report, known, rows)
            tell(report)

    def tell(report: FileReport) -> None:
        if keep_reports:
            reports.append(report)
        if progress:
            progress(report)

    # The store's writes run in one thread of their own, in input order: Oxigraph lets go of
    # the GIL while it writes, so the next documents are extracted (and the last ones indexed)
    # meanwhile. Transactional: one write in flight at most, each its own transaction. Bulk:
    # up to a batch of documents may wait while the previous batch is bulk-loaded.
    depth = writer.batch + 1 if writer else 1
    in_flight: deque[Future] = deque()
    writer_thread = ThreadPoolExecutor(1, thread_name_prefix="policykg-writer")
    try:
        for n, (path, item) in enumerate(items, 1):
            if index is not None and isinstance(item, Prepared):
                words[item.iri] = (item.words, item.rows)
            in_flight.append(writer_thread.submit(write, path, item))
            while in_flight and (len(in_flight) > depth or in_flight[0].done()):
                done(in_flight.popleft().result())
            if n % TRIM_EVERY == 0:
                trim_heap()
        while in_flight:
            done(in_flight.popleft().result())
    finally:                # on an error, Ctrl-C or SIGTERM: the write under way ends, queued ones are dropped
        close = getattr(items, "close", None)   # and the extraction workers are ended now (kg.workers),
        if close is not None:                   # not when the generator is collected
            close()
        writer_thread.shutdown(wait=True, cancel_futures=True)
    done(writer.flush() if writer else [])
    _compare_loaded(store, loaded, jobs)
    flush(store)
    return reports


def flush(store: ox.Store) -> None:
    """Write the store's memory tables to disk; K106 when the disk refuses (full, read-only):
    every document reported written is committed already and stays whole (RELIABILITY.md)."""
    try:
        store.flush()
    except (OSError, RuntimeError) as e:
        raise KGError("K106", f"{type(e).__name__}: {e}") from e
