"""Load a shard directory (``policykg extract``) into a store and its search index.

Each document goes through the writer ``policykg ingest`` uses (``kg.write``): one
transaction per document, or with ``bulk`` the bulk loader for new documents — Oxigraph's
for the embedded store; Virtuoso's own (``kg.store.virtuoso``) for a remote Virtuoso store
when POLICYKG_VIRTUOSO_SQL is set and a whole shard is new or changed, else SPARQL Update /
the Graph Store Protocol (``kg.store.remote``). The search index gets the rows the shard
holds, and what was written is compared (as after an ingest).

Running it again writes nothing twice: a document whose graph in the store has the shard's
fingerprint (source hash and triple count) is ``unchanged`` and skipped; one whose graph
differs (another version, or a bulk load cut short) is replaced whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import settings
from .errors import KGError
from .prepare import FileReport, Item, Prepared
from .search import fingerprints
from .shards import MANIFEST, SHARDS, read_manifest, read_shard, shard_names, shard_path
from .store import virtuoso
from .store.remote import RemoteStore
from .write import write_documents

VIRTUOSO_GROUP = 20          # shards per run of Virtuoso's bulk loader (one checkpoint each)


def repeated(out: Path, names: list[str]) -> dict[str, str]:
    """Documents that more than one input of the directory gives (the same document as .txt and
    .html, say), each with the fingerprint of its last input: the one an ingest leaves."""
    last: dict[str, str] = {}
    twice: set[str] = set()
    for name in names:
        manifest = read_manifest(shard_path(out, name, ".json")) or {"documents": []}
        for d in manifest["documents"]:
            if d["iri"] is not None:
                if d["iri"] in last:
                    twice.add(d["iri"])
                last[d["iri"]] = d["fingerprint"]
    return {iri: last[iri] for iri in twice}


def _shard_items(store, out: Path, name: str, bulk_remote: bool, twice: dict[str, str]) -> list[Item]:
    """A shard's items, those the store already holds as they are turned into ``unchanged``
    reports (a document given by several inputs: as its last input gives it); with
    ``bulk_remote`` and every document of the shard to write, none given twice, the shard's .nq
    is marked for Virtuoso's bulk loader (documents to replace are dropped first)."""
    try:
        _, items = read_shard(out, name)
        items = list(items)
    except (FileNotFoundError, ValueError) as e:
        raise KGError("K702", f"{name} ({e})") from e
    docs = [item.iri for _, item in items if isinstance(item, Prepared)]
    held = fingerprints(store, docs)
    out_items: list[Item] = []
    for path, item in items:
        if isinstance(item, Prepared) and held.get(item.iri) == twice.get(item.iri, item.rows["fingerprint"]):
            item = FileReport(**{**item.report.to_dict(), "status": "unchanged"})
        out_items.append((path, item))
    to_write = [item for _, item in out_items if isinstance(item, Prepared)]
    if bulk_remote and to_write and len(to_write) == len(docs) and not any(d in twice for d in docs):
        replaced = [p.iri for p in to_write if p.iri in held]
        if replaced:
            store.update(" ;\n".join(f"DROP SILENT GRAPH <{iri}>" for iri in replaced))
        for p in to_write:
            p.written = True
            p.report.status = "replaced" if p.iri in held else "loaded"
    return out_items


def shard_items(store, out: str | Path, bulk: bool = False) -> Iterator[Item]:
    """Every input of the shard directory ``out``, shard by shard, as ``kg.write`` items."""
    out = Path(out).resolve()
    if not (out / MANIFEST).is_file() and not list((out / SHARDS).glob("[0-9]*.json")):
        raise KGError("K701", str(out))
    names = shard_names(out)
    bulk_remote = bulk and isinstance(store, RemoteStore) and bool(settings.get("POLICYKG_VIRTUOSO_SQL"))
    group = VIRTUOSO_GROUP if bulk_remote else 1
    twice = repeated(out, names)
    for k in range(0, len(names), group):
        batch = [(name, _shard_items(store, out, name, bulk_remote, twice)) for name in names[k:k + group]]
        files = [shard_path(out, name, ".nq") for name, items in batch
                 if any(isinstance(i, Prepared) and i.written for _, i in items)]
        virtuoso.bulk_load(files)
        for _, items in batch:
            yield from items


def load_shards(store: ox.Store, out: str | Path, progress: Callable[[FileReport], None] | None = None,
                bulk: bool = False, index: sqlite3.Connection | None = None,
                keep_reports: bool = True) -> list[FileReport]:
    """Write the shard directory ``out`` into ``store`` and ``index`` (see the module
    docstring); the reports as ``kg.ingest.ingest_paths`` gives them (``unchanged`` for a
    document already there as it is)."""
    return write_documents(store, shard_items(store, out, bulk), progress, 1, bulk, index, keep_reports)
