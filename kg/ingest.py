"""Ingest files into the store: read, extract, build the graph, replace it atomically.

The two steps in one process: ``kg.prepare`` extracts and builds each input (in ``jobs``
worker processes when > 1), ``kg.write`` writes each into the store and the search index in
input order and compares what was written. ``policykg extract`` / ``policykg load``
(kg/shards.py, kg/load.py) run the same two steps apart, through shard files.

One bad file never stops the others: each file gets a ``FileReport`` (loaded, replaced or
failed with an error code and message), and nothing of a failed file reaches the store.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from .prepare import (
    OUTLINE_SUFFIX,
    SUFFIXES,
    FileReport,
    Prepared,
    is_outline_input,
    iter_inputs,
    prepare_file,
    prepare_outline,
    prepared,
)
from .write import commit, write_documents

__all__ = ["OUTLINE_SUFFIX", "SUFFIXES", "FileReport", "Prepared", "commit", "ingest_file", "ingest_outline",
           "ingest_paths", "iter_inputs", "prepare_file", "prepare_outline", "prepared"]


def ingest_outline(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    """Load a document outline (.json) as a partial document; K501 if it is not one."""
    return commit(store, prepare_outline(path, max_bytes))


def ingest_file(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    if is_outline_input(path):
        return ingest_outline(store, path, max_bytes)
    return commit(store, prepare_file(path, max_bytes))


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
    "skipped", or "failed" for a folder that cannot be read: ``kg.prepare.iter_inputs``), as they
    are found; symbolic links out of a folder are followed only with ``follow_symlinks``."""
    left_out: deque[FileReport] = deque()
    return write_documents(store, prepared(paths, jobs, follow_symlinks, left_out.append), progress, jobs, bulk,
                           index, keep_reports, left_out)

