"""Where one document's ingest time goes, stage by stage, against raw jieba on the same text.

    python -m bench.phases --docs DIR [--count 100] [--no-store] [--json FILE]

Runs the stages of ``policykg ingest`` one after the other over the same ``--count`` files of
a generated corpus (``bench.generate``), in this process, each timed over all the files, and
prints milliseconds per document and each stage's ratio to ``jieba.lcut`` of the same text:

* read      ``extraction.reading.read_path`` (decode, HTML to text)
* extract   ``extract_decoded``: cleaning, spaCy over jieba, outline, notes, measures, targets…
* graph     ``kg.graph.build.document_graphs`` (the N-Triples of the document and its agencies)
* tokens    ``kg.search.document_words`` (jieba search-mode tokens for the index)
* nquads    the N-Quads text handed to the store
* load      ``Store.load`` of one document in one transaction (a fresh on-disk store)
* bulk      ``Store.bulk_load`` of the same quads (another fresh store)
* index     ``kg.search.index_document`` with the tokens above (reads the store back)
* compare   per implementing pair (the corpus's national documents are loaded first), when the
            files implement any of them

jieba, then read, extract, graph and tokens run one document after the other, as
``kg.prepare.prepare_file`` runs them (the search tokens reuse the pieces of text jieba cut for the
document's extraction, ``extraction/segment.py``); each stage's time is summed over the documents,
so on a busy machine the floor and the stages share the same moments.

With ``--jobs N`` an ingest runs read → tokens in N workers; the parent runs nquads, load,
index and compare (the writer's share, which ``--jobs`` cannot spread).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from .util import ROOT, finish, manifest


def _timed(fn, items) -> tuple[float, list]:
    start = time.perf_counter()
    out = [fn(x) for x in items]
    return time.perf_counter() - start, out


def measure(docs: Path, count: int, store_stages: bool = True) -> dict:
    import jieba
    import pyoxigraph as ox

    from extraction.pipeline import extract_decoded
    from extraction.reading import read_path
    from kg.compare.graph import compare_implemented
    from kg.graph.build import document_graphs
    from kg.ingest import ingest_paths
    from kg.search import connect, document_words, index_document
    from kg.store.embedded import document_nquads, open_store

    files = [p for p, _ in manifest(docs)][:count]
    jieba.setLogLevel(60)
    jieba.initialize()
    extract_decoded(read_path(files[0]))                  # warm up: dictionaries, gazetteer
    t: dict[str, float] = {}
    worker = ("jieba.lcut", "read", "extract", "graph", "tokens")
    t.update(dict.fromkeys(worker, 0.0))
    graphs, words = [], []
    chars = 0
    for path in files:                  # one document after the other, as a worker prepares it
        clock = [time.perf_counter()]
        jieba.lcut(path.read_text(encoding="utf-8"))   # the floor, in the same loop: the same load
        clock.append(time.perf_counter())
        decoded = read_path(path)
        clock.append(time.perf_counter())
        extraction = extract_decoded(decoded)
        clock.append(time.perf_counter())
        graph = document_graphs(extraction, source_bytes=path.read_bytes(), source_name=path.name)
        clock.append(time.perf_counter())
        found = document_words(extraction)
        clock.append(time.perf_counter())
        for name, before, after in zip(worker, clock, clock[1:], strict=False):
            t[name] += after - before
        chars += len(decoded.text)
        # kept only for the store's stages: a worker hands each document on, and keeping 200
        # documents' extractions, graphs and words made the collector's full passes (0.1 s each
        # over what was kept) land in whichever stage was running
        if store_stages:
            graphs.append(graph)
            words.append(found)
    if store_stages:
        t["nquads"], blobs = _timed(lambda g: document_nquads(g.iri, g.document, g.agencies), graphs)
        with tempfile.TemporaryDirectory(prefix="policykg-phases-") as tmp:
            store = open_store(Path(tmp) / "tx")
            ingest_paths(store, [ROOT / "corpus"])            # the ontology, the national documents
            t["load"], _ = _timed(lambda b: store.load(b, format=ox.RdfFormat.N_QUADS), blobs)
            bulk = open_store(Path(tmp) / "bulk")
            start = time.perf_counter()
            bulk.bulk_load(b"".join(blobs), format=ox.RdfFormat.N_QUADS)
            t["bulk"] = time.perf_counter() - start
            conn = connect(Path(tmp) / "index.sqlite")
            t["index"], _ = _timed(lambda gw: index_document(conn, store, str(gw[0].iri), words=gw[1]),
                                   list(zip(graphs, words, strict=True)))
            start = time.perf_counter()
            pairs = compare_implemented(store, [str(g.iri) for g in graphs])
            compare = time.perf_counter() - start
    rows = {k: {"ms_per_doc": v / len(files) * 1000, "vs_jieba": v / t["jieba.lcut"]} for k, v in t.items()}
    if store_stages:
        rows["compare"] = {"ms_per_doc": compare / len(files) * 1000, "vs_jieba": compare / t["jieba.lcut"],
                           "pairs": pairs, "ms_per_pair": compare / pairs * 1000 if pairs else None}
    parts = {"read + extract + tokens": ("read", "extract", "tokens"),
             "read + extract + graph + tokens": ("read", "extract", "graph", "tokens")}
    summary = {name: {"ms_per_doc": sum(t[k] for k in ks) / len(files) * 1000,
                      "share_of_jieba_rate": t["jieba.lcut"] / sum(t[k] for k in ks)} for name, ks in parts.items()}
    return {"docs": len(files), "chars": chars, "stages": rows, "worker": summary}


def report(r: dict) -> str:
    lines = [f"{r['docs']} documents, {r['chars']:,} characters", "",
             "| stage | ms per document | × jieba.lcut |", "|---|---|---|"]
    for name, x in r["stages"].items():
        extra = f" ({x['pairs']} pairs, {x['ms_per_pair']:.1f} ms each)" if x.get("pairs") else ""
        lines.append(f"| {name}{extra} | {x['ms_per_doc']:.1f} | {x['vs_jieba']:.2f} |")
    lines += ["", "| without the store | ms per document | documents/s ÷ jieba's |", "|---|---|---|"]
    lines += [f"| {name} | {x['ms_per_doc']:.1f} | {x['share_of_jieba_rate']:.2f} |" for name, x in r["worker"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.phases", description=__doc__.split("\n")[0])
    p.add_argument("--docs", required=True, help="a generated corpus (bench.generate), with its manifest.tsv")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--no-store", action="store_true", help="stop after tokens (what a worker runs): no store, index or compare")
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    r = measure(Path(args.docs), args.count, store_stages=not args.no_store)
    return finish(r, report, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
