"""One input file read, extracted and built into its graphs, not yet written anywhere.

The first step of every way in: ``policykg ingest`` writes what this makes into the store at
once (kg/write.py), ``policykg extract`` into shard files (kg/shards.py) that ``policykg load``
writes later. The same functions make both, so a document's graphs are the same either way.

A ``.json`` file is a document outline (kg/graph/national.py: a partial national document). In
folders only .json files holding an outline are taken (others, such as corpus/SOURCES.json, are
metadata); a .json named directly that is not an outline fails with K501.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extraction import reading
from extraction.errors import ExtractionError, warning
from extraction.pipeline import extract_decoded
from extraction.records import record_for

from . import settings
from .errors import KGError
from .graph.build import document_graphs
from .graph.national import load_outline, looks_like_outline
from .graph.ntriples import Triples
from .search import Rows, Words, document_words
from .workers import ordered

SUFFIXES = (".txt", ".html", ".htm")
OUTLINE_SUFFIX = ".json"


@dataclass
class FileReport:
    path: str
    status: str                          # loaded | replaced | unchanged (policykg load) | failed | skipped
    document: str | None = None          # document IRI
    title: str | None = None
    identifier: str | None = None
    triples: int = 0
    tasks: int = 0
    agencies: int = 0
    unrecognised: list[str] = field(default_factory=list)   # agency names not in the gazetteer
    error: dict | None = None
    provisions: int = 0                  # tasks, safeguard items, articles and table rows
    warnings: list[dict] = field(default_factory=list)      # {"code", "message"}: W201 no provision …

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Prepared:
    """A document extracted and built, not yet written.

    Made by ``prepare_file`` (in a worker process with ``jobs`` > 1) or read back from a shard
    (``kg.shards``), written by ``kg.write`` (always in the process that holds the store, in
    input order)."""

    path: str
    iri: str
    document: Triples
    agencies: Triples
    report: FileReport                   # status/triples filled in; the writer sets loaded|replaced
    words: Words = field(default_factory=dict)   # search tokens of its texts (kg.search.document_words)
    rows: Rows | None = None             # its search-index rows, when a shard holds them
    written: bool = False                # already in the store (a bulk loader of the store's own wrote it)


Skip = Callable[["FileReport"], None]


def iter_inputs(paths: Iterable[str | Path], follow_symlinks: bool = False,
                skipped: Skip | None = None) -> Iterator[Path]:
    """Files named directly (whatever their suffix: a wrong one is reported) and, in folders,
    every .txt/.html/.htm file and document outline (.json) below them, sorted.

    In folders, every path left out is handed to ``skipped`` as a report (``FileReport`` with
    status "skipped", or "failed" for a folder that cannot be read: K801): hidden files and
    folders and files of other kinds (K803), .json files that are valid JSON but no outline,
    such as SOURCES.json (K803), and symbolic links (K802) — a link to a file inside the folder
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
        report(_skip(e.filename, "K801", f"{e.filename} ({e.strerror})", "failed"))

    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=follow):
        here = Path(root)
        walked.add(here.resolve())
        keep = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith("."):
                report(_skip(sub, "K803", f"{sub}: a hidden folder"))
            elif sub.is_symlink() and not follow:
                report(_skip(sub, "K802", f"{sub} (a link to a folder)"))
            elif sub.is_symlink() and (sub.resolve() in walked or sub.resolve() in here.resolve().parents):
                report(_skip(sub, "K803", f"{sub}: a link to a folder already read"))
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
        return "K803", f"{path}: a hidden file"
    if path.is_symlink() and not follow and not path.resolve().is_relative_to(inside):
        return "K802", f"{path} (a link to {path.resolve()}, out of the folder)"
    lower = name.lower()
    if lower.endswith(SUFFIXES):
        return None
    if not lower.endswith(OUTLINE_SUFFIX):
        return "K803", f"{path}: not a .txt, .html, .htm or outline .json file"
    if _json_but_no_outline(path):
        return "K803", f"{path}: JSON, but not a document outline (metadata such as SOURCES.json)"
    return None


def _json_but_no_outline(path: Path) -> bool:
    """True for a file that is valid JSON but no outline; an outline, or a file that cannot be
    read or parsed (a truncated outline: ``prepare_outline`` reports why, K501), is False."""
    try:
        return not looks_like_outline(json.loads(path.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False


def is_outline_input(path: Path) -> bool:
    return path.suffix.lower() == OUTLINE_SUFFIX and path.is_file()


def internal_error(path, e: Exception) -> FileReport:
    return FileReport(str(path), "failed",
                      error={"code": "E999", "message": f"internal error: {type(e).__name__}: {e}",
                             "path": str(path), "offset": None})


def prepare_outline(path: Path, max_bytes: int | None = None) -> Prepared | FileReport:
    """Read a document outline (.json) as a partial document; K501 if it is not one."""
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    try:
        if (size := path.stat().st_size) > max_bytes:
            raise ExtractionError("E105", str(size), path=str(path))
        graphs, data = load_outline(path)
    except KGError as e:
        return FileReport(str(path), "failed", error={**e.to_dict(), "path": str(path), "offset": None})
    except ExtractionError as e:
        return FileReport(str(path), "failed", error=e.to_dict())
    except Exception as e:  # noqa: BLE001 - a crash on one file must not stop the batch
        return internal_error(path, e)
    doc = data["document"]
    report = FileReport(str(path), "loaded", str(graphs.iri), doc["title"], doc.get("identifier"),
                        len(graphs.document), len(data["key_tasks"]["items"]))
    return Prepared(str(path), str(graphs.iri), graphs.document, graphs.agencies, report)


def prepare_file(path: Path, max_bytes: int | None = None) -> Prepared | FileReport:
    """Read, extract and build the graph of one .txt/.html file; a failed report on error."""
    max_bytes = max_bytes or settings.get("POLICYKG_MAX_INPUT_BYTES")
    warnings = []
    try:
        decoded = reading.read_path(path, max_bytes=max_bytes)
        try:
            decoded = dataclasses.replace(decoded, record=record_for(path, settings.get("POLICYKG_RECORDS_FILE")))
        except ExtractionError as e:          # the records file is broken: the text is still loaded
            warnings.append(warning("W202", f"{e.path}: {e.detail}"))
        extraction = extract_decoded(decoded)
        graphs = document_graphs(extraction, source_bytes=path.read_bytes(), source_name=path.name)
    except ExtractionError as e:
        return FileReport(str(path), "failed", error=e.to_dict())
    except Exception as e:  # noqa: BLE001 - a crash on one file must not stop the batch
        return internal_error(path, e)
    agencies = {a.agency for p in extraction.provisions for a in p.assignments}
    report = FileReport(
        str(path), "loaded", str(graphs.iri), extraction.metadata.title,
        extraction.metadata.identifier, len(graphs.document), len(extraction.tasks), len(agencies),
        sorted({a.pref_label for a in agencies if not a.recognised}),
        provisions=len(extraction.provisions), warnings=[warning(code) for code in extraction.warnings] + warnings,
    )
    return Prepared(str(path), str(graphs.iri), graphs.document, graphs.agencies, report, document_words(extraction))


def prepare_any(path: Path) -> Prepared | FileReport:
    """``prepare_outline`` for an outline, else ``prepare_file``."""
    return prepare_outline(path) if is_outline_input(path) else prepare_file(path)


Item = tuple[Path, "Prepared | FileReport | None"]      # None: an outline, read by the writer


def _serial(paths: Iterable[Path]) -> Iterator[Item]:
    for path in paths:
        yield path, None if is_outline_input(path) else prepare_file(path)


def _parallel(paths: Iterable[Path], jobs: int) -> Iterator[Item]:
    """Extract in ``jobs`` worker processes (kg/workers.py), in input order; outlines are read
    by the writer. A worker that raised or died fails its file, not the batch."""
    for path, outcome in ordered(prepare_file, (Path(p) for p in paths), jobs, here=is_outline_input):
        yield path, internal_error(path, outcome) if isinstance(outcome, Exception) else outcome


def prepared(paths: Iterable[str | Path], jobs: int = 1, follow_symlinks: bool = False,
             skipped: Skip | None = None) -> Iterator[Item]:
    """Every input extracted and built, in input order (``jobs`` worker processes when > 1),
    not yet written: what ``ingest_paths`` writes, and what the benchmark's ``extract`` mode
    measures without a store. Paths left out go to ``skipped`` (``iter_inputs``)."""
    inputs = iter_inputs(paths, follow_symlinks, skipped)
    return _serial(inputs) if jobs <= 1 else _parallel(inputs, jobs)
