"""Ingest files into the store: read, extract, build the graph, replace it atomically.

One bad file never stops the others: each file gets a ``FileReport`` (loaded, replaced or
failed with an error code and message), and nothing of a failed file reaches the store.

A ``.json`` file is a document outline (kg/national.py: a partial national document). In
folders only .json files holding an outline are taken (others, such as corpus/SOURCES.json, are
metadata); a .json named directly that is not an outline fails with K501. After loading, every
document in the store that implements a document also present is compared with it
(kg/comparison_graph.py) when either was loaded in this batch.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from extraction import reading
from extraction.errors import ExtractionError
from extraction.pipeline import extract_decoded

from . import settings
from .build import document_graphs
from .comparison_graph import compare_implemented
from .continuity import load_reforms
from .errors import KGError
from .national import load_outline, looks_like_outline
from .store import load_ontology, replace_document
from .validate import ontology_files

SUFFIXES = (".txt", ".html", ".htm")
OUTLINE_SUFFIX = ".json"


@dataclass
class FileReport:
    path: str
    status: str                          # loaded | replaced | failed
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


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly (whatever their suffix: a wrong one is reported) and, in folders,
    every .txt/.html/.htm file below them, sorted, hidden files skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    lower = name.lower()
                    if lower.endswith(SUFFIXES) or (lower.endswith(OUTLINE_SUFFIX) and _is_outline(Path(root) / name)):
                        yield Path(root) / name
        else:
            yield path


def _is_outline(path: Path) -> bool:
    try:
        return looks_like_outline(json.loads(path.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError, ValueError):
        return False


def ingest_outline(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    """Load a document outline (.json) as a partial document; K501 if it is not one."""
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        if (size := path.stat().st_size) > max_bytes:
            raise ExtractionError("E105", str(size), path=str(path))
        graphs, data = load_outline(path)
        existed = store.contains_named_graph(ox.NamedNode(str(graphs.iri)))
        replace_document(store, graphs.iri, graphs.document, graphs.agencies)
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


def _compare_loaded(store: ox.Store, reports: list[FileReport]) -> None:
    """Compare each implementing pair touched by this batch (see the module docstring).

    The documents are already safely in the store; a comparison that fails is logged and
    left out, never allowed to turn a good ingest into a failed one."""
    loaded = [r.document for r in reports if r.status != "failed"]
    if not loaded:
        return
    try:
        compare_implemented(store, loaded)
    except Exception:  # noqa: BLE001
        logging.getLogger("policykg.ingest").exception("comparison after ingest failed; documents are loaded")


@dataclass
class Prepared:
    """A document extracted and turned into its replacing SPARQL Update, not yet written.

    Made by ``prepare_file`` (in a worker process with ``jobs`` > 1), written by ``commit``
    (always in the process that holds the store, in input order)."""

    path: str
    iri: str
    update: str                          # kg.store.replace_graph_update text
    report: FileReport                   # status/triples filled in; ``commit`` sets loaded|replaced


def prepare_file(path: Path, max_bytes: int | None = None) -> Prepared | FileReport:
    """Read, extract and build the graph of one .txt/.html file; a failed report on error."""
    from .store import replace_graph_update

    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        decoded = reading.read_path(path, max_bytes=max_bytes)
        extraction = extract_decoded(decoded)
        graphs = document_graphs(extraction, source_bytes=path.read_bytes(), source_name=path.name)
        update = replace_graph_update(graphs.iri, graphs.document, graphs.agencies)
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
    return Prepared(str(path), str(graphs.iri), update, report)


def _internal_error(path, e: Exception) -> FileReport:
    return FileReport(str(path), "failed",
                      error={"code": "E999", "message": f"internal error: {type(e).__name__}: {e}",
                             "path": str(path), "offset": None})


def commit(store: ox.Store, prepared: Prepared | FileReport) -> FileReport:
    """Write a prepared document (one transaction, as ``replace_document``)."""
    if isinstance(prepared, FileReport):
        return prepared
    try:
        existed = store.contains_named_graph(ox.NamedNode(prepared.iri))
        store.update(prepared.update)
    except Exception as e:  # noqa: BLE001
        return _internal_error(prepared.path, e)
    prepared.report.status = "replaced" if existed else "loaded"
    return prepared.report


def ingest_file(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    if path.suffix.lower() == OUTLINE_SUFFIX and path.is_file():
        return ingest_outline(store, path, max_bytes)
    return commit(store, prepare_file(path, max_bytes))


def _is_outline_input(path: Path) -> bool:
    return path.suffix.lower() == OUTLINE_SUFFIX and path.is_file()


def _prepare_in_worker(path: str) -> Prepared | FileReport:
    return prepare_file(Path(path))


def _parallel(store: ox.Store, paths: Iterable[Path], jobs: int) -> Iterator[FileReport]:
    """Extract in ``jobs`` worker processes (spawn), write in this process in input order.

    At most ``4 * jobs`` documents are in flight (submitted or finished but not yet written),
    so memory does not grow with the corpus. Outlines (.json) are written here, in order."""
    import collections
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    window: collections.deque = collections.deque()
    limit = 4 * jobs

    def settle(item) -> FileReport:
        path, future = item
        if future is None:
            return ingest_outline(store, path)
        try:
            prepared = future.result()
        except Exception as e:  # noqa: BLE001 - a dead worker fails its file, not the batch
            prepared = _internal_error(path, e)
        return commit(store, prepared)

    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
        for path in paths:
            path = Path(path)
            future = None if _is_outline_input(path) else pool.submit(_prepare_in_worker, str(path))
            window.append((path, future))
            while len(window) >= limit or (window and window[0][1] is None):
                yield settle(window.popleft())
        while window:
            yield settle(window.popleft())


def ingest_paths(store: ox.Store, paths: Iterable[str | Path],
                 progress: Callable[[FileReport], None] | None = None, jobs: int = 1) -> list[FileReport]:
    """Ingest every input; ``jobs`` > 1 extracts in that many worker processes. The store is
    written in input order either way, so the reports and the resulting store are the same."""
    load_ontology(store, ontology_files())
    load_reforms(store)                     # the shared graph of the 2018 (and 2023) reforms
    reports = []
    inputs = iter_inputs(paths)
    stream = (ingest_file(store, path) for path in inputs) if jobs <= 1 else _parallel(store, inputs, jobs)
    for report in stream:
        reports.append(report)
        if progress:
            progress(report)
    _compare_loaded(store, reports)
    store.flush()
    return reports
