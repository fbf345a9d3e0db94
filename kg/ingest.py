"""Ingest files into the store: read, extract, build the graph, replace it atomically.

One bad file never stops the others: each file gets a ``FileReport`` (loaded, replaced or
failed with an error code and message), and nothing of a failed file reaches the store.
"""

from __future__ import annotations

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
from .store import load_ontology, replace_document
from .validate import ontology_files

SUFFIXES = (".txt", ".html", ".htm")


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
                    if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                        yield Path(root) / name
        else:
            yield path


def ingest_file(store: ox.Store, path: Path, max_bytes: int | None = None) -> FileReport:
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        decoded = reading.read_path(path, max_bytes=max_bytes)
        extraction = extract_decoded(decoded)
        graphs = document_graphs(extraction, source_bytes=path.read_bytes(), source_name=path.name)
        existed = store.contains_named_graph(ox.NamedNode(str(graphs.iri)))
        replace_document(store, graphs.iri, graphs.document, graphs.agencies)
    except ExtractionError as e:
        return FileReport(str(path), "failed", error=e.to_dict())
    except Exception as e:  # noqa: BLE001 - a crash on one file must not stop the batch
        return FileReport(str(path), "failed",
                          error={"code": "E999", "message": f"internal error: {type(e).__name__}: {e}",
                                 "path": str(path), "offset": None})
    agencies = {a.agency for p in extraction.provisions for a in p.assignments}
    return FileReport(
        str(path), "replaced" if existed else "loaded", str(graphs.iri), extraction.metadata.title,
        extraction.metadata.identifier, len(graphs.document), len(extraction.tasks), len(agencies),
        sorted({a.pref_label for a in agencies if not a.recognised}),
    )


def ingest_paths(store: ox.Store, paths: Iterable[str | Path],
                 progress: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    load_ontology(store, ontology_files())
    reports = []
    for path in iter_inputs(paths):
        report = ingest_file(store, path)
        reports.append(report)
        if progress:
            progress(report)
    store.flush()
    return reports
