"""Ingest files into the store: read, extract, build the graph, replace it atomically.

One bad file never stops the others: each file gets a ``FileReport`` (loaded, replaced or
failed with an error code and message), and nothing of a failed file reaches the store.

A ``.json`` file is a document outline (kg/graph/national.py: a partial national document). In
folders only .json files holding an outline are taken (others, such as corpus/SOURCES.json, are
metadata); a .json named directly that is not an outline fails with K501. After loading, every
document in the store that implements a document also present is compared with it
(kg/compare/graph.py) when either was loaded in this batch.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from extraction import reading
from extraction.errors import ExtractionError
from extraction.pipeline import extract_decoded

from . import settings
from .analytics.continuity import load_reforms
from .compare.graph import compare_implemented
from .errors import KGError
from .graph.build import document_graphs
from .graph.national import load_outline, looks_like_outline
from .graph.ntriples import Triples
from .graph.validate import ontology_files
from .search import Words, document_words, index_document
from .store.embedded import bulk_write, document_nquads, load_ontology, replace_document
from .workers import ordered

SUFFIXES = (".txt", ".html", ".htm")
OUTLINE_SUFFIX = ".json"


@dataclass
class FileReport:
    path: str
    status: str                          # loaded | replaced | failed | skipped (a path left out: iter_inputs)
    document: str | None = None          # document IRI
    title: str | None = None
    identifier: str | None = None
    triples: int = 0
    tasks: int = 0
    agencies: int = 0
    unrecognised: list[str] = field(default_factory=list)   # agency names not in the gazetteer
    error: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)


Skip = Callable[["FileReport"], None]


def iter_inputs(paths: Iterable[str | Path], follow_symlinks: bool = False,
                skipped: Skip | None = None) -> Iterator[Path]:
    """Files named directly (whatever their suffix: a wrong one is reported) and, in folders,
    every .txt/.html/.htm file and document outline (.json) below them, sorted.

    In folders, every path left out is handed to ``skipped`` as a report (``FileReport`` with
    status "skipped", or "failed" for a folder that cannot be read: K701): hidden files and
    folders and files of other kinds (K703), .json files that are valid JSON but no outline,
    such as SOURCES.json (K703), and symbolic links (K702) — a link to a file inside the folder
    is read, a link leading out of it (to /etc/passwd, say) or to a folder is not followed
    unless ``follow_symlinks``. A .json that is not valid JSON is taken, and fails with K501."""
    report = skipped or (lambda r: None)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, follow_symlinks, report)
        else:
            yield path


def _skip(path: str | Path, code: str, detail: str, status: str = "skipped") -> FileReport:
    return FileReport(str(path), status, error={**KGError(code, detail).to_dict(), "path": str(path), "offset": None})


def _walk(top: Path, follow: bool, report: Skip) -> Iterator[Path]:
    inside = top.resolve()
    walked: set[Path] = set()

    def unreadable(e: OSError) -> None:
        report(_skip(e.filename, "K701", f"{e.filename} ({e.strerror})", "failed"))

    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=follow):
        here = Path(root)
        walked.add(here.resolve())
        keep = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith("."):
                report(_skip(sub, "K703", f"{sub}: a hidden folder"))
            elif sub.is_symlink() and not follow:
                report(_skip(sub, "K702", f"{sub} (a link to a folder)"))
            elif sub.is_symlink() and (sub.resolve() in walked or sub.resolve() in here.resolve().parents):
                report(_skip(sub, "K703", f"{sub}: a link to a folder already read"))
            else:
                keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            path = here / name
            reason = _left_out(path, name, inside, follow)
            if reason:
                report(_skip(path, *reason))
            else:
                yield path


def _left_out(path: Path, name: str, inside: Path, follow: bool) -> tuple[str, str] | None:
    """Why a file found in a folder is not ingested (code, detail), or None."""
    if name.startswith("."):
        return "K703", f"{path}: a hidden file"
    if path.is_symlink() and not follow and not path.resolve().is_relative_to(inside):
        return "K702", f"{path} (a link to {path.resolve()}, out of the folder)"
    lower = name.lower()
    if lower.endswith(SUFFIXES):
        return None
    if not lower.endswith(OUTLINE_SUFFIX):
        return "K703", f"{path}: not a .txt, .html, .htm or outline .json file"
    if _json_but_no_outline(path):
        return "K703", f"{path}: JSON, but not a document outline (metadata such as SOURCES.json)"
    return None


def _json_but_no_outline(path: Path) -> bool:
    """True for a file that is valid JSON but no outline; an outline, or a file that cannot be
    read or parsed (a truncated outline: ``ingest_outline`` reports why, K501), is False."""
    try:
        return not looks_like_outline(json.loads(path.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False


def ingest_outline(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    """Load a document outline (.json) as a partial document; K501 if it is not one."""
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        if (size := path.stat().st_size) > max_bytes:
            raise ExtractionError("E105", str(size), path=str(path))
        graphs, data = load_outline(path)
        existed = replace_document(store, graphs.iri, graphs.document, graphs.agencies)
    except KGError as e:
        return FileReport(str(path), "failed", error={**e.to_dict(), "path": str(path), "offset": None})
    except ExtractionError as e:
        return FileReport(str(path), "failed", error=e.to_dict())
    except Exception as e:  # noqa: BLE001 - a crash on one file must not stop the batch
        return FileReport(str(path), "failed",
                          error={"code": "E999", "message": f"internal error: {type(e).__name__}: {e}",
                                 "path": str(path), "offset": None})
    doc = data["document"]
    return FileReport(str(path), "replaced" if existed else "loaded", str(graphs.iri), doc["title"],
                      doc.get("identifier"), len(graphs.document), len(data["key_tasks"]["items"]))


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
        logging.getLogger("policykg.ingest").exception("comparison after ingest failed; documents are loaded")


@dataclass
class Prepared:
    """A document extracted and built, not yet written.

    Made by ``prepare_file`` (in a worker process with ``jobs`` > 1), written by ``commit``
    (always in the process that holds the store, in input order)."""

    path: str
    iri: str
    document: Triples
    agencies: Triples
    report: FileReport                   # status/triples filled in; ``commit`` sets loaded|replaced
    words: Words = field(default_factory=dict)   # search tokens of its texts (kg.search.document_words)


def prepare_file(path: Path, max_bytes: int | None = None) -> Prepared | FileReport:
    """Read, extract and build the graph of one .txt/.html file; a failed report on error."""
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        decoded = reading.read_path(path, max_bytes=max_bytes)
        extraction = extract_decoded(decoded)
        graphs = document_graphs(extraction, source_bytes=path.read_bytes(), source_name=path.name)
    except ExtractionError as e:
        return FileReport(str(path), "failed", error=e.to_dict())
    except Exception as e:  # noqa: BLE001 - a crash on one file must not stop the batch
        return _internal_error(path, e)
    agencies = {a.agency for p in extraction.provisions for a in p.assignments}
    report = FileReport(
        str(path), "loaded", str(graphs.iri), extraction.metadata.title,
        extraction.metadata.identifier, len(graphs.document), len(extraction.tasks), len(agencies),
        sorted({a.pref_label for a in agencies if not a.recognised}),
    )
    return Prepared(str(path), str(graphs.iri), graphs.document, graphs.agencies, report, document_words(extraction))


def _internal_error(path, e: Exception) -> FileReport:
    return FileReport(str(path), "failed",
                      error={"code": "E999", "message": f"internal error: {type(e).__name__}: {e}",
                             "path": str(path), "offset": None})


def commit(store: ox.Store, prepared: Prepared | FileReport) -> FileReport:
    """Write a prepared document in one transaction (``kg.store.embedded.replace_document``)."""
    if isinstance(prepared, FileReport):
        return prepared
    try:
        existed = replace_document(store, prepared.iri, prepared.document, prepared.agencies)
    except Exception as e:  # noqa: BLE001
        return _internal_error(prepared.path, e)
    prepared.report.status = "replaced" if existed else "loaded"
    return prepared.report


class BulkWriter:
    """``ingest --bulk``: new documents are gathered and written by Oxigraph's bulk loader,
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
            return [_internal_error(p.path, e) for p in pending]
        return [p.report for p in pending]


def ingest_file(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    if _is_outline_input(path):
        return ingest_outline(store, path, max_bytes)
    return commit(store, prepare_file(path, max_bytes))


def _is_outline_input(path: Path) -> bool:
    return path.suffix.lower() == OUTLINE_SUFFIX and path.is_file()


Item = tuple[Path, "Prepared | FileReport | None"]      # None: an outline, read by the writer


def _serial(paths: Iterable[Path]) -> Iterator[Item]:
    for path in paths:
        yield path, None if _is_outline_input(path) else prepare_file(path)


def _parallel(paths: Iterable[Path], jobs: int) -> Iterator[Item]:
    """Extract in ``jobs`` worker processes (kg/workers.py), in input order; outlines are read
    by the writer. A worker that raised or died fails its file, not the batch."""
    for path, outcome in ordered(prepare_file, (Path(p) for p in paths), jobs, here=_is_outline_input):
        yield path, _internal_error(path, outcome) if isinstance(outcome, Exception) else outcome


def prepared(paths: Iterable[str | Path], jobs: int = 1, follow_symlinks: bool = False,
             skipped: Skip | None = None) -> Iterator[Item]:
    """Every input extracted and built, in input order (``jobs`` worker processes when > 1),
    not yet written: what ``ingest_paths`` writes, and what the benchmark's ``extract`` mode
    measures without a store. Paths left out go to ``skipped`` (``iter_inputs``)."""
    inputs = iter_inputs(paths, follow_symlinks, skipped)
    return _serial(inputs) if jobs <= 1 else _parallel(inputs, jobs)


TRIM_EVERY = 25           # documents between two ``trim_heap`` calls
# Seconds between two flushes of the store during an ingest. A reader (the service) follows each
# committed write by opening the store again (kg.store.embedded.FollowingStore), and an open
# replays the write-ahead log of whatever is not flushed yet: without these flushes the log grew
# to 260 MB in 20 documents and every reopen took seconds (a query over its time limit).
FLUSH_EVERY = 1.0


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


def _index(index: sqlite3.Connection, store: ox.Store, report: FileReport, words: Words | None) -> None:
    """Index a document just written. A failure is logged, not reported: the document is in the
    store, and the next ``kg.search.sync`` (which ``policykg ingest`` runs next) indexes it."""
    try:
        index_document(index, store, report.document, words=words)
    except Exception:  # noqa: BLE001
        logging.getLogger("policykg.ingest").exception("search index of %s failed; the next sync repairs it",
                                                       report.document)


def ingest_paths(store: ox.Store, paths: Iterable[str | Path],
                 progress: Callable[[FileReport], None] | None = None, jobs: int = 1,
                 bulk: bool = False, index: sqlite3.Connection | None = None,
                 keep_reports: bool = True, follow_symlinks: bool = False) -> list[FileReport]:
    """Ingest every input; ``jobs`` > 1 extracts in that many worker processes. The store is
    written in input order either way, so the reports and the resulting store are the same.
    ``bulk`` writes new documents with the bulk loader (faster, not crash-safe: BulkWriter).
    With ``index`` (``kg.search.connect``) each document written is indexed for search at once,
    with the tokens its worker computed.

    Returns every input's report, in input order; with ``keep_reports=False`` an empty list,
    each report going only to ``progress`` as it is made (``policykg ingest`` does this, so an
    ingest of any size holds no report: only the IRI of each document written, for the
    comparisons that follow). Paths found in folders and left out are reported too (status
    "skipped", or "failed" for a folder that cannot be read: ``iter_inputs``), as they are found.
    """
    load_ontology(store, ontology_files())
    load_reforms(store)                     # the shared graph of the 2018 (and 2023) reforms
    writer = BulkWriter(store, settings.get("POLICYKG_BULK_BATCH")) if bulk else None
    words: dict[str, Words] = {}            # documents handed to the writer, not yet indexed

    flushed = [time.monotonic()]

    def write(path: Path, item: Prepared | FileReport | None) -> list[FileReport]:
        if item is None:
            written = [*(writer.flush() if writer else []), ingest_outline(store, path)]
        else:
            written = writer.write(item) if writer else [commit(store, item)]
        if time.monotonic() - flushed[0] > FLUSH_EVERY:
            flush(store)
            flushed[0] = time.monotonic()
        return written

    reports: list[FileReport] = []
    loaded: list[str] = []                  # the documents written, for the comparisons

    left_out: deque[FileReport] = deque()      # from the walk over the folders, not written

    def done(written: list[FileReport]) -> None:
        while left_out:
            tell(left_out.popleft())
        for report in written:
            known = words.pop(report.document, None) if report.document else None
            if report.status != "failed":
                loaded.append(report.document)
                if index is not None:
                    _index(index, store, report, known)
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
        for n, (path, item) in enumerate(prepared(paths, jobs, follow_symlinks, left_out.append), 1):
            if index is not None and isinstance(item, Prepared):
                words[item.iri] = item.words
            in_flight.append(writer_thread.submit(write, path, item))
            while in_flight and (len(in_flight) > depth or in_flight[0].done()):
                done(in_flight.popleft().result())
            if n % TRIM_EVERY == 0:
                trim_heap()
        while in_flight:
            done(in_flight.popleft().result())
    finally:                # on an error or Ctrl-C: the write under way ends, queued ones are dropped
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
