"""Shard files: extraction written down, to be loaded into a store later (``policykg extract``).

An output directory holds ``manifest.json`` and, in ``shards/``, per shard of at most
``shard_size`` inputs (the inputs in ``kg.prepare.iter_inputs`` order, cut in runs):

* ``NNNNNN.nq`` — the documents' N-Quads: each document's graph, then its agency triples in
  the shared agencies graph, exactly what ``policykg ingest`` writes for it;
* ``NNNNNN.search.jsonl`` — per document written, its search-index rows (``kg.search.document_rows``,
  computed in a scratch store holding the document and the ontology);
* ``NNNNNN.reports.jsonl`` — per input, its ingest report (``kg.prepare.FileReport``);
* ``NNNNNN.json`` — the shard's manifest, written last: per input its path, source SHA-256,
  status, document IRI, fingerprint (source hash and triple count, as the search index keeps
  it) and where its graphs are in the .nq file; counts and versions.

Every file is written to a temporary name and renamed, so a shard is whole or absent (its
manifest marks it done), whoever writes it and however often: a task that Dask runs again
after a worker died writes the same bytes. A shard whose manifest lists the same inputs with
the same source hashes (and the same format and versions) is not written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from .graph.namespaces import AGENCIES_GRAPH
from .graph.ntriples import Triples
from .graph.validate import ontology_files
from .prepare import FileReport, Item, Prepared, internal_error, iter_inputs, prepare_any
from .search import document_rows
from .store.embedded import load_ontology
from .workers import ordered

FORMAT = 1
SHARDS = "shards"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Shard:
    index: int
    paths: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.index:06d}"


def plan(paths: Iterable[str | Path], shard_size: int) -> list[Shard]:
    """The inputs cut into shards of ``shard_size`` (the same inputs give the same shards)."""
    inputs = [str(p) for p in iter_inputs(paths)]
    size = max(1, shard_size)
    return [Shard(i, tuple(inputs[k:k + size])) for i, k in enumerate(range(0, len(inputs), size))]


def versions() -> dict[str, str]:
    """What the outputs depend on besides the inputs: a change re-extracts every shard."""
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"format": str(FORMAT), "policykg": version("policykg"), "pyoxigraph": version("pyoxigraph"),
            "jieba": version("jieba"), "python": platform.python_version()}


def source_sha256(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def shard_path(out: str | Path, name: str, suffix: str) -> Path:
    return Path(out) / SHARDS / f"{name}{suffix}"


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all: a temporary file beside it, synced, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


_scratch: ox.Store | None = None


def _scratch_rows(prepared: Prepared, nquads: bytes) -> tuple[dict, int]:
    """The document's search-index rows and triple count, read from an in-memory store that
    holds the ontology (kept between documents) and this document only."""
    global _scratch
    if _scratch is None:
        _scratch = ox.Store()
        load_ontology(_scratch, ontology_files())
    graph = ox.NamedNode(prepared.iri)
    _scratch.load(nquads, format=ox.RdfFormat.N_QUADS)
    try:
        rows = document_rows(_scratch, prepared.iri, words=prepared.words)
        return rows, sum(1 for _ in _scratch.quads_for_pattern(None, None, None, graph))
    finally:
        _scratch.remove_graph(graph)
        _scratch.remove_graph(ox.NamedNode(str(AGENCIES_GRAPH)))


def _sorted_nquads(triples: Triples, graph: str) -> bytes:
    """A graph's N-Quads, lines sorted: the same bytes whatever order it was built in (an
    outline is built with rdflib, whose order changes from one process to the next)."""
    return "".join(sorted(triples.nquads(graph).splitlines(keepends=True))).encode("utf-8")


def _summary(manifest: dict, skipped: bool) -> dict:
    """What a shard task hands back: small (counts and the failed inputs' reports only)."""
    failed = [d["report"] for d in manifest["documents"] if d["status"] == "failed"]
    return {"shard": manifest["shard"], "skipped": skipped, "counts": manifest["counts"], "failed": failed}


def extract_shard(shard: Shard, out: str) -> dict:
    """Extract one shard's inputs into its files under ``out`` (see the module docstring), or
    nothing when its manifest shows the same inputs, hashes and versions. Returns a summary:
    the shard's counts and its failed inputs' reports. Runs anywhere ``out`` is reachable: in
    this process, a worker process, a Dask worker."""
    shas = [source_sha256(p) for p in shard.paths]
    here = versions()
    old = read_manifest(shard_path(out, shard.name, ".json"))
    if old and old.get("versions") == here and \
            [(d["path"], d["sha256"]) for d in old["documents"]] == list(zip(shard.paths, shas, strict=True)):
        return _summary(old, skipped=True)
    nq, search, reports, documents = bytearray(), [], [], []
    for path, sha in zip(shard.paths, shas, strict=True):
        try:
            item = prepare_any(Path(path))
        except Exception as e:  # noqa: BLE001 - prepare_* report their own errors; this is a last guard
            item = internal_error(path, e)
        entry = {"path": path, "sha256": sha}
        if isinstance(item, FileReport):
            report = item
            entry.update(status="failed", iri=None, fingerprint=None)
        else:
            report = item.report
            graph, agencies = _sorted_nquads(item.document, item.iri), _sorted_nquads(item.agencies, str(AGENCIES_GRAPH))
            rows, triples = _scratch_rows(item, graph + agencies)
            start = len(nq)
            nq += graph + agencies
            entry.update(status=report.status, iri=item.iri, fingerprint=rows["fingerprint"],
                         document=[start, start + len(graph)], agencies=[start + len(graph), len(nq)],
                         triples=triples)
            search.append(json.dumps(rows, ensure_ascii=False))
        reports.append(json.dumps(report.to_dict(), ensure_ascii=False))
        documents.append({**entry, "report": report.to_dict()})
    written = [d for d in documents if d["status"] != "failed"]
    manifest = {"format": FORMAT, "shard": shard.name, "versions": here,
                "counts": {"inputs": len(documents), "documents": len(written),
                           "failed": len(documents) - len(written),
                           "triples": sum(d["triples"] for d in written)},
                "documents": documents}
    write_atomically(shard_path(out, shard.name, ".nq"), bytes(nq))
    write_atomically(shard_path(out, shard.name, ".search.jsonl"), "".join(s + "\n" for s in search).encode("utf-8"))
    write_atomically(shard_path(out, shard.name, ".reports.jsonl"), "".join(r + "\n" for r in reports).encode("utf-8"))
    write_atomically(shard_path(out, shard.name, ".json"),
                     json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return _summary(manifest, skipped=False)


Mapper = Callable[[Callable[[Shard], dict], list[Shard]], Iterator[dict]]


def local_mapper(jobs: int) -> Mapper:
    """Shards run in this process (``jobs`` 1) or in ``jobs`` worker processes (kg/workers.py);
    a worker that raised or died is raised here (the shard is not done; run again)."""
    def run(fn, shards):
        if jobs <= 1:
            yield from map(fn, shards)
            return
        for shard, outcome in ordered(fn, shards, jobs):
            if isinstance(outcome, Exception):
                raise RuntimeError(f"shard {shard.name} failed: {outcome}") from outcome
            yield outcome
    return run


def extract(paths: Iterable[str | Path], out: str | Path, shard_size: int = 100,
            mapper: Mapper | None = None, progress: Callable[[dict], None] | None = None,
            only: int | None = None) -> dict:
    """Extract every input into shards under ``out`` (each shard by ``extract_shard``, run by
    ``mapper``: this process by default, worker processes, or a Dask cluster, kg/cluster.py),
    then write ``manifest.json`` and remove shard files the plan no longer has. ``only``: the
    one shard of that number (a cluster that runs a command per shard); no manifest then.
    Returns the manifest (or the one shard's summary)."""
    out = Path(out)
    shards = plan(paths, shard_size)
    fn = partial(extract_shard, out=str(out))
    if only is not None:
        if not 0 <= only < len(shards):
            raise IndexError(f"shard {only} of {len(shards)}")
        summary = fn(shards[only])
        if progress:
            progress(summary)
        return summary
    counts = {"inputs": 0, "documents": 0, "failed": 0, "triples": 0}
    for summary in (mapper or local_mapper(1))(fn, shards):
        for key in counts:
            counts[key] += summary["counts"][key]
        if progress:
            progress(summary)
    manifest = {"format": FORMAT, "versions": versions(), "shard_size": shard_size,
                "shards": [s.name for s in shards], "counts": counts}
    write_atomically(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    keep = {s.name for s in shards}
    for stale in (out / SHARDS).glob("[0-9]*.*"):
        if stale.name.split(".", 1)[0] not in keep:
            stale.unlink()
    return manifest


def shard_names(out: str | Path) -> list[str]:
    """The shards to load: those ``manifest.json`` lists, or (shards written one command each,
    no manifest) every shard with a manifest of its own."""
    manifest = read_manifest(Path(out) / MANIFEST)
    if manifest is not None:
        return manifest["shards"]
    return sorted(p.name[:-5] for p in (Path(out) / SHARDS).glob("[0-9]*.json"))


def _triples(lines: bytes, graph: str) -> Triples:
    tail = f" <{graph}> ."
    return Triples(line[:-len(tail)] + " ." for line in lines.decode("utf-8").splitlines())


def read_shard(out: str | Path, name: str) -> tuple[dict, Iterator[Item]]:
    """A shard's manifest and its inputs as ``kg.prepare`` items (a ``Prepared`` with its
    search rows per document, the failed report per failed input), in input order."""
    manifest = read_manifest(shard_path(out, name, ".json"))
    if manifest is None:
        raise FileNotFoundError(f"{shard_path(out, name, '.json')}: shard not extracted (or not whole)")
    data = shard_path(out, name, ".nq").read_bytes()

    def items() -> Iterator[Item]:
        with shard_path(out, name, ".search.jsonl").open(encoding="utf-8") as rows:
            for d in manifest["documents"]:
                report = FileReport(**d["report"])
                if d["status"] == "failed":
                    yield Path(d["path"]), report
                    continue
                (a, b), (c, e) = d["document"], d["agencies"]
                yield Path(d["path"]), Prepared(d["path"], d["iri"], _triples(data[a:b], d["iri"]),
                                                _triples(data[c:e], str(AGENCIES_GRAPH)), report,
                                                rows=json.loads(next(rows)))
    return manifest, items()
