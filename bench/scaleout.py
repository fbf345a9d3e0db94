"""Extraction through Dask against ``ingest --jobs 2``, and loading a shard directory.

    python -m bench.scaleout [--docs 200] [--shard-size 25] [--work DIR] [--json FILE] [--extract-only]

On the same generated documents, in the same run, each output fresh, each run as the command
runs it (``kg.ingest.ingest_paths``, ``kg.shards.extract``, ``kg.load.load_shards``) in this
process, with its worker processes; figures are the wall time of the run (start-up of the
workers included) and its steady rate (documents after the first result, over the time since):

* ``ingest --jobs 2`` into a fresh embedded store (search index and comparisons included);
* ``extract --dask tcp://…``: a real cluster on loopback — a ``dask scheduler`` process and two
  ``dask worker`` processes of one thread each (bench/daskcluster.py) — its start included in
  the wall time; and ``extract --jobs 2`` (the same shards, local worker processes);
* ``load --bulk`` of the shard directory into a fresh embedded store (Oxigraph's bulk loader)
  and into a throw-away Virtuoso on loopback (bench/virtuoso.py) through its own bulk loader
  (``ld_dir`` + ``rdf_loader_run``), search index and comparisons included;
* the same shard files alone into each store (Oxigraph's ``bulk_load``, Virtuoso's ``ld_dir``):
  the stores' own floor under ``load``;
* the per-core extraction rate (Dask documents/s ÷ its workers) and what it makes of 1M
  documents (README, "Scaling out").

``--extract-only`` runs the three extraction runs and no load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import daskcluster, virtuoso
from .ingest import remove_store
from .util import corpus, finish, log

WORKERS = 2


class Clock:
    """Wall time of a run, and its steady rate: documents done after the first result, over the
    time since it (start-up — spawning workers, loading jieba and spaCy in them — left out)."""

    def __init__(self) -> None:
        self.start, self.first, self.n_first, self.done = time.perf_counter(), None, 0, 0

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.first is None:
            self.first, self.n_first = time.perf_counter(), self.done

    def figures(self) -> dict:
        end = time.perf_counter()
        seconds = end - self.start
        steady = (self.done - self.n_first) / (end - self.first) if self.first and end > self.first else 0.0
        return {"seconds": seconds, "docs": self.done, "docs_per_s": self.done / seconds, "steady_docs_per_s": steady}


def _ingest(src: Path, store_dir: Path) -> dict:
    from kg.ingest import ingest_paths
    from kg.search import connect, index_path, sync
    from kg.store.embedded import open_store

    remove_store(store_dir)
    store, index = open_store(store_dir), connect(index_path(store_dir))
    clock = Clock()
    ingest_paths(store, [src], lambda report: clock.tick(), jobs=WORKERS, index=index, keep_reports=False)
    sync(index, store)
    return clock.figures()


def _extract(src: Path, out: Path, shard_size: int, dask: bool) -> dict:
    from kg.cluster import dask_mapper
    from kg.shards import extract, local_mapper

    remove_store(out)
    clock = Clock()

    def progress(summary: dict) -> None:
        clock.tick(summary["counts"]["inputs"])

    if dask:
        cluster = daskcluster.start(out.parent / "dask-cluster", WORKERS)
        try:
            with dask_mapper(cluster.address) as mapper:
                extract([src], out, shard_size, mapper, progress)
        finally:
            cluster.stop()
    else:
        extract([src], out, shard_size, local_mapper(WORKERS), progress)
    return clock.figures()


def _load(out: Path, store, index) -> dict:
    from kg.load import load_shards

    clock = Clock()
    load_shards(store, out, lambda report: clock.tick(), bulk=True, index=index, keep_reports=False)
    return clock.figures()


def _raw_oxigraph(shards: Path, store_dir: Path) -> dict:
    """The shards' .nq through Oxigraph's bulk loader into a fresh store, nothing else, in
    batches of about POLICYKG_BULK_BATCH documents as ``load --bulk`` writes them: the store's
    own floor under ``load --bulk``."""
    import pyoxigraph as ox

    from kg import settings

    remove_store(store_dir)
    store = ox.Store(str(store_dir))
    files = sorted(shards.glob("shards/*.nq"))
    per_batch = max(1, settings.get("POLICYKG_BULK_BATCH") // json.loads(
        (shards / "manifest.json").read_text(encoding="utf-8"))["shard_size"])
    clock = Clock()
    for k in range(0, len(files), per_batch):
        store.bulk_load(b"".join(f.read_bytes() for f in files[k:k + per_batch]), format=ox.RdfFormat.N_QUADS)
    store.flush()
    figures = clock.figures()
    del store
    remove_store(store_dir)
    return figures


def _raw_virtuoso(target: Path) -> dict:
    """Every shard's .nq through Virtuoso's ld_dir + rdf_loader_run + checkpoint, nothing else."""
    from kg.store.virtuoso import bulk_load

    clock = Clock()
    bulk_load(sorted(target.glob("shards/*.nq")))
    return clock.figures()


def bench_scaleout(work: Path, docs: int, shard_size: int, extract_only: bool = False) -> dict:
    from kg.search import connect, index_path
    from kg.store.embedded import open_store

    src = corpus(work, docs)
    result: dict = {"docs": docs, "shard_size": shard_size, "workers": WORKERS}
    log("[scaleout] ingest --jobs 2 …")
    result["ingest_jobs2"] = _ingest(src, work / "store-ingest")
    log("[scaleout] extract --dask (scheduler and 2 worker processes) …")
    result["extract_dask"] = _extract(src, work / "shards-dask", shard_size, dask=True)
    log("[scaleout] extract --jobs 2 …")
    result["extract_jobs2"] = _extract(src, work / "shards-local", shard_size, dask=False)
    shards = work / "shards-dask"
    quads = json.loads((shards / "manifest.json").read_text(encoding="utf-8"))["counts"]["triples"]
    result["quads"] = quads
    for label in ("extract_dask", "extract_jobs2"):
        for key in ("docs_per_s", "steady_docs_per_s"):
            result[label][f"{key}_vs_ingest"] = result[label][key] / result["ingest_jobs2"][key]
    result["per_core_docs_per_s"] = result["extract_dask"]["steady_docs_per_s"] / WORKERS
    if extract_only:
        return result
    log("[scaleout] load --bulk into Oxigraph …")
    store_dir = work / "store-load"
    remove_store(store_dir)
    result["load_oxigraph_bulk"] = _load(shards, open_store(store_dir), connect(index_path(store_dir)))
    log("[scaleout] the shard files alone into Oxigraph (bulk_load) …")
    result["raw_oxigraph_bulk"] = _raw_oxigraph(shards, work / "store-raw")
    for label, raw in (("load_virtuoso_bulk", False), ("raw_virtuoso_ld_dir", True)):
        log(f"[scaleout] {label} …")
        server = virtuoso.start(Path(tempfile.mkdtemp(prefix="vt-", dir=work)), buffers=100_000)
        try:
            target = server.folder / "load" / "shards"
            shutil.copytree(shards, target)
            os.environ.update(server.env())          # POLICYKG_VIRTUOSO_SQL included: its bulk loader
            if raw:
                result[label] = _raw_virtuoso(target)
            else:
                result[label] = _load(target, open_store(server.url), connect(index_path(server.url)))
        finally:
            server.stop()
    for label in ("load_oxigraph_bulk", "load_virtuoso_bulk", "raw_oxigraph_bulk", "raw_virtuoso_ld_dir"):
        result[label]["quads_per_s"] = quads / result[label]["seconds"]
    return result


def estimate(per_core: float, documents: int = 1_000_000, cores_per_machine: int = 16) -> list[tuple[int, float]]:
    """(machines, hours) to extract ``documents`` at ``per_core`` documents/s per core."""
    core_hours = documents / per_core / 3600
    return [(m, core_hours / (m * cores_per_machine)) for m in (1, 4, 16, 64)]


def report(r: dict) -> str:
    lines = [f"{r['docs']} generated documents, {r['quads']:,} quads; shards of {r['shard_size']}; "
             f"{r['workers']} workers / jobs", "",
             "| run | seconds | documents/s | steady documents/s | steady, against ingest --jobs 2 |",
             "|---|---:|---:|---:|---:|"]
    base = r["ingest_jobs2"]["steady_docs_per_s"]
    for label, name in (("ingest_jobs2", "`ingest --jobs 2`"),
                        ("extract_dask", "`extract --dask tcp://…` (scheduler + 2 worker processes)"),
                        ("extract_jobs2", "`extract --jobs 2`")):
        x = r[label]
        lines.append(f"| {name} | {x['seconds']:.1f} | {x['docs_per_s']:.1f} | {x['steady_docs_per_s']:.1f} | "
                     f"{x['steady_docs_per_s'] / base:.2f}× |")
    loads = (("load_oxigraph_bulk", "`load --bulk` → Oxigraph (index, comparisons included)"),
             ("raw_oxigraph_bulk", "the .nq files alone → Oxigraph `bulk_load`"),
             ("load_virtuoso_bulk", "`load --bulk` → Virtuoso (ld_dir; index, comparisons included)"),
             ("raw_virtuoso_ld_dir", "the .nq files alone → Virtuoso ld_dir + rdf_loader_run"))
    if "load_oxigraph_bulk" in r:                            # not with --extract-only
        lines += ["", "| load of the shard directory | seconds | documents/s | quads/s |", "|---|---:|---:|---:|"]
        for label, name in loads:
            x = r[label]
            lines.append(f"| {name} | {x['seconds']:.1f} | {r['docs'] / x['seconds']:.1f} | {x['quads_per_s']:,.0f} |")
    lines.append(f"\nper-core extraction rate through Dask (steady): {r['per_core_docs_per_s']:.2f} documents/s")
    lines.append("1M documents, 16-core machines: " + ", ".join(
        f"{m} × {h:.1f} h" for m, h in estimate(r["per_core_docs_per_s"])))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=200, help="generated documents")
    p.add_argument("--shard-size", type=int, default=25)
    p.add_argument("--work", default=None, help="folder for documents, shards, stores and the server (kept)")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--extract-only", action="store_true", help="the extraction runs only, no load")
    args = p.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="policykg-scaleout-"))
    work.mkdir(parents=True, exist_ok=True)
    return finish(bench_scaleout(work, args.docs, args.shard_size, args.extract_only), report, args.json)


if __name__ == "__main__":
    sys.exit(main())
