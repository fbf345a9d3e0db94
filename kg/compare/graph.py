"""Comparisons in the graph: one named graph per (local, national) pair, replaced atomically.

Graph and node IRIs (``{c}`` is the comparison graph IRI, also the ``pol:Comparison`` node):

* ``{c}``                           pol:Comparison: pol:localDocument, pol:nationalDocument, pol:method
* ``{c}/alignment/{local n}-{national n}``  pol:Alignment: pol:localTask, pol:nationalTask,
  pol:score, pol:method ("hungarian" | "split"), pol:titleWordScore, pol:titleCharScore,
  pol:bodyWordScore, pol:bodyCharScore, pol:inComparison
* ``{c}/coverage/{national n}``     pol:Coverage: pol:nationalTask, pol:coverageStatus
  (pol:Implemented | pol:PartlyImplemented | pol:NotImplemented), pol:score, pol:inComparison
* ``{c}/added/{local n}``           pol:LocalAddition: pol:localTask, pol:inComparison

``compare_implemented`` is what ``ingest`` runs after loading: every document that implements a
document present in the store gets its comparison (re)computed when either side was just loaded,
and a comparison of a just-loaded local document that no longer holds (it now implements another
document, or none) is dropped. With ``ingest --jobs N`` the alignments run in N worker processes
(the writer reads the documents and writes the graphs, in order).

Memory does not grow with the number of pairs: the pairs are read from the store a page at a
time (``implementing_pairs``), nothing is kept per pair written, and the store is flushed after
every ``POLICYKG_COMPARE_FLUSH_CHARS`` characters of updates. Without those flushes RocksDB keeps
the comparisons written in its write buffers — Oxigraph lets each of its 12 column families hold
two 128 MiB buffers and more before it flushes, with no total limit — and the writer grew by
about 70 KB per pair (10,000 documents), and by 1.7 GB over the 60,000 pairs of the
100,000-document run (BENCHMARKS.md, 2026-12-05). Each flush costs a compaction later (disk
written), hence flushes far apart.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .. import settings
from ..graph.namespaces import POL, PREFIXES
from ..store.embedded import replace_graph_update
from ..workers import ordered
from .align import WEIGHTS

STATUS_TERMS = {"implemented": POL.Implemented, "partly implemented": POL.PartlyImplemented,
                "missing": POL.NotImplemented}
FEATURE_TERMS = {"title_words": POL.titleWordScore, "title_chars": POL.titleCharScore,
                 "body_words": POL.bodyWordScore, "body_chars": POL.bodyCharScore}
METHOD = "task alignment: " + " + ".join(f"{w}·{f}" for f, w in WEIGHTS.items()) + "; Hungarian one-to-one, splits"


def _dec(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 4))), datatype=XSD.decimal)


def comparison_rdf(result: dict, graph_iri: str) -> Graph:
    c = URIRef(graph_iri)
    g = Graph()
    g.add((c, RDF.type, POL.Comparison))
    g.add((c, POL.localDocument, URIRef(result["local"]["document"])))
    g.add((c, POL.nationalDocument, URIRef(result["national"]["document"])))
    g.add((c, POL.method, Literal(METHOD)))
    for a in result["alignments"]:
        node = URIRef(f"{c}/alignment/{a['local_ordinal']}-{a['national_ordinal']}")
        g.add((node, RDF.type, POL.Alignment))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.localTask, URIRef(a["local_task"])))
        g.add((node, POL.nationalTask, URIRef(a["national_task"])))
        g.add((node, POL.score, _dec(a["score"])))
        g.add((node, POL.method, Literal(a["method"])))
        for name, value in a["features"].items():
            g.add((node, FEATURE_TERMS[name], _dec(value)))
    for cov in result["coverage"]:
        node = URIRef(f"{c}/coverage/{cov['national_ordinal']}")
        g.add((node, RDF.type, POL.Coverage))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.nationalTask, URIRef(cov["national_task"])))
        g.add((node, POL.coverageStatus, STATUS_TERMS[cov["status"]]))
        g.add((node, POL.score, _dec(cov["score"])))
    local_doc = result["local"]["document"]
    for added in result["local_added"]:
        node = URIRef(f"{c}/added/{added['ordinal']}")
        g.add((node, RDF.type, POL.LocalAddition))
        g.add((node, POL.inComparison, c))
        g.add((node, POL.localTask, URIRef(f"{local_doc}/task/{added['ordinal']}")))
    return g


def comparison_update(result: dict) -> tuple[str, str]:
    """The comparison graph's IRI and the SPARQL Update that replaces it with ``result``."""
    from .report import comparison_graph_iri

    iri = comparison_graph_iri(result["local"]["document"], result["national"]["document"])
    return iri, replace_graph_update(URIRef(iri), comparison_rdf(result, iri))


def write_comparison(store: ox.Store, result: dict) -> str:
    """Store ``result`` (from kg.compare.report.compare) as its comparison graph, in one transaction."""
    iri, update = comparison_update(result)
    store.update(update)
    return iri


PARALLEL_FROM = 8          # pairs: fewer are compared in the writer (starting workers costs 1-2 s)
PAGE = 10_000              # pairs read from an embedded store at a time
PAIRS = ("SELECT ?l ?n WHERE { GRAPH ?l { ?l pol:implements ?n } GRAPH ?n { ?n a pol:PolicyDocument } } "
         "ORDER BY STR(?l) STR(?n)")
# the comparison graphs whose pair no longer holds, and their local document
STALE = ("SELECT ?c ?l WHERE { GRAPH ?c { ?c a pol:Comparison ; pol:localDocument ?l ; pol:nationalDocument ?n } "
         "FILTER NOT EXISTS { GRAPH ?l { ?l pol:implements ?n } GRAPH ?n { ?n a pol:PolicyDocument } } }")


def _compare_read(pair) -> tuple[str, str]:
    """In a worker: align two documents read by the writer; the update that stores the result."""
    from .report import compare_documents

    local, national = pair
    return comparison_update(compare_documents(local, national, reuse=False))


def _updates(store: ox.Store, pairs: Iterable[tuple[str, str]], jobs: int):
    """``((local, national), (graph IRI, update) or the exception)`` per pair, in order.

    The writer reads both documents (a few queries each); with ``jobs`` > 1 and enough pairs the
    alignment — most of the cost: jieba and the similarity matrices — runs in worker processes.
    ``pairs`` is consumed as the comparisons go (only the first ``PARALLEL_FROM`` are looked at
    ahead, to choose)."""
    from .report import read_document

    nationals: dict[str, object] = {}

    def read(pair):
        local, national = pair
        if national not in nationals:
            if len(nationals) >= 64:
                nationals.clear()
            nationals[national] = read_document(store, national)
        return read_document(store, local), nationals[national]

    def safely_read(pair):
        try:
            return pair, read(pair)
        except Exception as e:  # noqa: BLE001 - this pair fails, the others go on
            return pair, e

    pairs = iter(pairs)
    head = list(itertools.islice(pairs, PARALLEL_FROM))
    if jobs <= 1 or len(head) < PARALLEL_FROM:
        for pair in itertools.chain(head, pairs):
            _, docs = safely_read(pair)
            try:
                yield pair, docs if isinstance(docs, Exception) else _compare_read(docs)
            except Exception as e:  # noqa: BLE001
                yield pair, e
        return
    unread = lambda entry: isinstance(entry[1], Exception)      # noqa: E731 - not sent to a worker
    read_pairs = map(safely_read, itertools.chain(head, pairs))
    for (pair, docs), outcome in ordered(_compare_read_pair, read_pairs, jobs, here=unread):
        yield pair, docs if outcome is None and isinstance(docs, Exception) else outcome


def _compare_read_pair(entry) -> tuple[str, str]:
    return _compare_read(entry[1])


def implementing_pairs(store: ox.Store, wanted: set[str]) -> Iterator[tuple[str, str]]:
    """``(local, national)`` for every document in the store that implements a document also
    present, with either in ``wanted`` (all when empty), in order.

    An embedded store's pairs are read ``PAGE`` at a time, each page whole before its pairs are
    compared: a query left open through the pass holds a snapshot of the store, and RocksDB's
    compactions then keep every version the pass replaces (a re-ingest's comparisons wrote 1.9
    times the bytes: BENCHMARKS.md, 2026-12-05). A remote store's come in one answer (a server
    sends it whole anyway, and Virtuoso sorts no more than 10,000 rows for an OFFSET)."""
    from ..store.remote import RemoteStore

    paged = not isinstance(store, RemoteStore)
    offset = 0
    while True:
        query = PAIRS + (f" LIMIT {PAGE} OFFSET {offset}" if paged else "")
        page = [(r["l"].value, r["n"].value) for r in store.query(query, prefixes=PREFIXES)]
        yield from ((lo, na) for lo, na in page if not wanted or lo in wanted or na in wanted)
        if not paged or len(page) < PAGE:
            return
        offset += PAGE


def stale_comparisons(store: ox.Store, wanted: set[str]) -> list[str]:
    """The comparison graphs of a local document in ``wanted`` (any when empty) whose pair no
    longer holds: the local document implements another document, or none, or the national
    one is gone."""
    rows = store.query(STALE, prefixes=PREFIXES)
    return list(dict.fromkeys(r["c"].value for r in rows if not wanted or r["l"].value in wanted))


def compare_implemented(store: ox.Store, documents: Iterable[str | None] = (), jobs: int = 1) -> int:
    """(Re)compute the comparison of every implementing pair in the store that involves one of
    ``documents`` (all pairs when ``documents`` is empty); ``jobs`` worker processes align them.
    Returns how many comparison graphs were written. A pair whose comparison fails is logged and
    keeps its earlier comparison graph, if any; the others go on. Then the comparison graphs of
    the local documents among ``documents`` whose pair no longer holds are dropped."""
    wanted = {d for d in documents if d}
    flush_after = settings.get("POLICYKG_COMPARE_FLUSH_CHARS")
    written = unflushed = 0
    for (local, national), outcome in _updates(store, implementing_pairs(store, wanted), jobs):
        if isinstance(outcome, Exception):
            logging.getLogger("policykg.compare").error("comparison of %s with %s failed: %s: %s",
                                                        local, national, type(outcome).__name__, outcome)
            continue
        _, update = outcome
        store.update(update)
        written += 1
        unflushed += len(update)
        if flush_after and unflushed >= flush_after:
            store.flush()
            unflushed = 0
    for graph in stale_comparisons(store, wanted):
        store.update(f"DROP SILENT GRAPH <{graph}>")     # the local document no longer implements it
    return written
