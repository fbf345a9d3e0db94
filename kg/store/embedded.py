"""The default store: embedded Oxigraph (pyoxigraph) on disk, one named graph per document.

* ``replace_document`` writes a document's graph together with its agency triples in ONE
  transaction, so a reader or a crash sees the old document or the new one, never half of
  either: a new document is one ``Store.load`` of N-Quads (parsed in Rust, the fastest
  transactional write), a document already there is dropped and inserted by one SPARQL Update.
* ``bulk_write`` is the non-transactional fast path for a first load (``ingest --bulk``).
* Queries use the union of all graphs as the default graph (like Fuseki's unionDefaultGraph),
  so plain patterns find everything and ``GRAPH ?g`` still names a document's graph.
  Oxigraph's union does not merge equal triples held in two graphs, so shared resources
  (agency descriptions, the ontology) are kept in exactly one graph each.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from ..errors import KGError
from ..graph.namespaces import AGENCIES_GRAPH, DOC, ONTOLOGY_GRAPH, POL
from ..graph.ntriples import Triples


def open_store(path: str | Path | None, read_only: bool = False) -> ox.Store:
    """Open (creating if needed) the store at ``path``; ``None`` gives an in-memory store, an
    http(s):// URL a remote SPARQL store (``kg.store.remote.RemoteStore``)."""
    if path is None:
        return ox.Store()
    from .remote import RemoteStore, is_url

    if is_url(path):
        return RemoteStore.from_settings(path, read_only=read_only)
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        Path(path).mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as e:
        raise KGError("K101", f"{path} ({e})") from e


def _ntriples(graph: Graph | Triples) -> str:
    if isinstance(graph, Triples):
        return graph.ntriples()
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def replace_graph_update(graph_iri: URIRef, graph: Graph | Triples, shared: Graph | Triples | None = None) -> str:
    """The SPARQL Update text that atomically replaces ``graph_iri`` (and adds ``shared``)."""
    parts = [f"DROP SILENT GRAPH <{graph_iri}> ;",
             f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{_ntriples(graph)}}}"]
    if shared is not None and len(shared):
        parts.append(f"GRAPH <{AGENCIES_GRAPH}> {{\n{_ntriples(shared)}}}")
    parts.append("}")
    return "\n".join(parts)


def document_nquads(graph_iri: URIRef | str, graph: Triples, agencies: Triples) -> bytes:
    """A document's graph and its agency triples as one N-Quads text."""
    return (graph.nquads(str(graph_iri)) + agencies.nquads(str(AGENCIES_GRAPH))).encode("utf-8")


def replace_document(store: ox.Store, graph_iri: URIRef | str, graph: Graph | Triples,
                     agencies: Graph | Triples) -> bool:
    """Write one document's graph and add its agencies, in a single transaction; True when it
    replaced a graph already there."""
    existed = store.contains_named_graph(ox.NamedNode(str(graph_iri)))
    if existed or not isinstance(graph, Triples) or not isinstance(agencies, Triples):
        store.update(replace_graph_update(graph_iri, graph, agencies))
    else:
        store.load(document_nquads(graph_iri, graph, agencies), format=ox.RdfFormat.N_QUADS)
    return existed


def bulk_write(store: ox.Store, nquads: list[bytes]) -> None:
    """Write new documents with Oxigraph's bulk loader: several times faster than ``load``, but
    NOT a transaction — a crash can leave part of the batch. ``ingest --bulk`` uses it for
    documents not yet in the store only; running the same ingest again replaces any such
    partial document with the whole one."""
    if nquads:
        store.bulk_load(b"".join(nquads), format=ox.RdfFormat.N_QUADS)


def load_ontology(store: ox.Store, ontology_files: list[Path]) -> bool:
    """Load the ontology files into their graph unless these exact files are already there.

    Their combined SHA-256 is kept in the graph: OWL lists are blank nodes, which would get
    new labels on every reload, so reloading unchanged files would change the store.
    """
    blobs = [Path(f).read_bytes() for f in ontology_files]
    digest = hashlib.sha256(b"\0".join(blobs)).hexdigest()
    marker = f"<{ONTOLOGY_GRAPH}> <{POL.sourceSha256}> \"{digest}\""
    if store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {marker} }} }}"):
        return False
    graph = Graph()
    for data in blobs:
        graph.parse(data=data, format="turtle")
    graph.add((ONTOLOGY_GRAPH, POL.sourceSha256, Literal(digest)))
    store.update(replace_graph_update(ONTOLOGY_GRAPH, graph))
    return True


def remove_document(store: ox.Store, graph_iri: URIRef) -> bool:
    node = ox.NamedNode(str(graph_iri))
    if not store.contains_named_graph(node):
        return False
    store.update(f"DROP GRAPH <{graph_iri}>")
    return True


def document_graphs(store: ox.Store, limit: int | None = None) -> list[str]:
    """IRIs of the document graphs: those named by a document IRI (``doc/…``); the shared
    graphs and derived ones (``graph/comparison/…``) are left out. Sorted; with ``limit``, the
    first ``limit`` the store lists (not sorted first: at 10^5 graphs reading all takes seconds)."""
    shared = {str(AGENCIES_GRAPH), str(ONTOLOGY_GRAPH)}
    found = (g.value for g in store.named_graphs() if g.value not in shared and g.value.startswith(str(DOC)))
    if limit is not None:
        return sorted(itertools.islice(found, limit))
    return sorted(found)


def graph_triples(store: ox.Store, graph_iri: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))


def to_rdflib(store: ox.Store, graph_iris: list[str]) -> Graph:
    """Copy some graphs of the store into one rdflib Graph (for validation and tests)."""
    data = b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
                    for g in graph_iris)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


REFRESH = 1.0          # seconds: how far behind the last committed write the service's pages may be
_STALE = ("Corruption", "No such file", "IO error")
STALE_ATTEMPTS = 5     # reopen this many times at most when the writer deleted a file under us


def _stale_text(message: str) -> bool:
    return any(s in message for s in _STALE)


def _stale(error: Exception) -> bool:
    if isinstance(error, KGError):          # opening the store raced with the writer (K101), or a query did (K205)
        return error.code in ("K101", "K205") and _stale_text(error.detail)
    return isinstance(error, (OSError, RuntimeError)) and _stale_text(str(error))


def following(store, fn, *args, attempts: int = STALE_ATTEMPTS):
    """``fn(store, *args)`` for a ``FollowingStore`` that another process writes: when it hits a
    file the writer's compaction deleted — as it opens the store, or while it reads a lazy
    answer (``named_graphs``, query results), which the store's own retry does not cover — it
    runs again on a freshly opened handle, up to ``attempts`` times, a little later each time
    (once was not enough under a running ingest: RELIABILITY.md). ``fn`` must read what it needs
    fully and be safe to run again. A store without ``forget`` (in memory, remote) runs it once."""
    import time

    for attempt in range(attempts):
        try:
            return fn(store, *args)
        except (KGError, OSError, RuntimeError) as e:
            if attempt == attempts - 1 or not _stale(e) or not hasattr(store, "forget"):
                raise
        store.forget()
        time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


class StoreVersion(NamedTuple):
    """What a reader compares to know whether the store changed (``store_version``)."""

    changed: int               # when it last changed (ns since the epoch): the latest of the stamps below
    stamps: tuple              # the directory's mtime, then (name, size) of each write-ahead log


def store_version(path: str | Path) -> StoreVersion:
    """The version of a store directory that its readers follow.

    Every committed write changes it, in the same step as the commit: a transaction
    (``replace_document``, ``load``, ``update``) is committed by appending its record to
    RocksDB's write-ahead log (``NNNNNN.log``), and that append is what makes it durable and
    visible to a store opened afterwards, so the log's size grows exactly when a write is
    committed; a bulk load, a flush or a compaction adds or removes files, which changes the
    directory's modification time. The directory's mtime alone (the version before) missed
    every transaction: a transaction only appends to the log, and pages and the API went on
    answering from a handle opened before it. Because the stamp is the commit itself, no
    separate "version" write can be lost to a killed ingest: what was committed before the
    kill has already changed the log, and a half-written record (which RocksDB drops on open)
    changes the version once more, harmlessly. Costs one ``scandir`` of the store directory."""
    directory = os.stat(path).st_mtime_ns
    latest, logs = directory, []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.name.endswith(".log") and entry.name[:-4].isdigit():
                try:
                    stat = entry.stat()
                except FileNotFoundError:          # removed by the writer meanwhile: the mtime says so
                    continue
                logs.append((entry.name, stat.st_size))
                latest = max(latest, stat.st_mtime_ns)
    return StoreVersion(latest, (directory, *sorted(logs)))


class FollowingStore:
    """A read-only view of a store that another process (``policykg ingest``) may be writing.

    A read-only RocksDB handle is a snapshot of the files at open time; when the writer
    compacts, files it deleted vanish under the reader ("Corruption … No such file"). This
    proxy reopens the store at the first call after its version (``store_version``) changed,
    i.e. after every committed write, and once more when a call hits a vanished file, then
    behaves like the ``pyoxigraph.Store`` it wraps.
    """

    def __init__(self, path: str | Path, refresh: float = 0.0) -> None:
        import threading

        self.path, self.refresh = str(path), refresh
        self._version: StoreVersion | None = None
        self._store: ox.Store | None = None
        self._checked = 0.0                 # when the version was last compared (time.monotonic)
        self._lock = threading.Lock()       # one thread reopens; the others go on with the open handle
        self._current()

    @property
    def version(self) -> StoreVersion | None:
        """The version of the store the open handle shows (None before the first open)."""
        return self._version

    def _current(self) -> ox.Store:
        """The open handle, reopened first if the store's version changed. With ``refresh`` the
        version is compared at most that often: a handle is then at most ``refresh`` seconds
        behind, and threads share it instead of each reopening. Opening replays the writer's
        write-ahead log (seconds for a log of some hundred MB during a long ingest), so while one
        thread reopens, the others answer from the handle they have."""
        import time

        store = self._store
        if store is not None and time.monotonic() - self._checked < self.refresh:
            return store
        if not self._lock.acquire(blocking=store is None):
            return store
        try:
            version = store_version(self.path)
            if self._store is None or version != self._version:
                for attempt in range(STALE_ATTEMPTS):       # opening can race with a compaction too
                    try:
                        self._store, self._version = open_store(self.path, read_only=True), version
                        break
                    except (KGError, OSError, RuntimeError) as e:   # pyoxigraph raises RuntimeError here
                        if attempt == STALE_ATTEMPTS - 1 or not _stale(e):
                            raise
                        time.sleep(0.02 * (attempt + 1))
            self._checked = time.monotonic()
            return self._store
        finally:
            self._lock.release()

    def _retry(self, name: str, *args, **kwargs):
        import time

        for attempt in range(STALE_ATTEMPTS):
            try:
                return getattr(self._current(), name)(*args, **kwargs)
            except (OSError, RuntimeError, KGError) as e:
                if attempt == STALE_ATTEMPTS - 1 or not _stale(e):
                    raise
                self._store = None
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    def forget(self) -> None:
        """Reopen at the next call (after a call hit a file the writer deleted)."""
        self._store = None

    def __getattr__(self, name: str):
        attr = getattr(self._current(), name)
        if not callable(attr):
            return attr
        return lambda *args, **kwargs: self._retry(name, *args, **kwargs)

    def __len__(self) -> int:
        return self._retry("__len__")

    def __iter__(self):
        return iter(list(self._retry("__iter__")))
