"""Ingest figures: throughput against raw jieba, and memory by corpus size.

Each configuration runs ``kg.ingest.ingest_paths`` in a fresh child process on a fresh store
(``python -m bench.run --child-ingest SRC STORE JOBS MODE``); the parent samples the resident
memory of the child and its workers every 0.1 s. Like ``policykg ingest``, the child indexes
each document for search as it is written (the figures include it), then runs the search
index's sync pass, timed separately (``index_seconds``: little is left for it to do).

The child prints a progress line every ``CHECKPOINT`` documents; the parent notes when each
arrives, so one run gives the peak memory reached by 1,000, 2,000, … documents written
(``peak_by_docs``) as well as by tenth of the run's wall time.

Modes: ``tx`` writes each document in its own transaction (the default, crash-safe), ``bulk``
uses Oxigraph's bulk loader for new documents (``policykg ingest --bulk``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from .util import ROOT, corpus, du, log, manifest, rss_tree

CONFIGS = (("extract", 1), ("extract", 2), ("tx", 1), ("tx", 2), ("bulk", 1), ("bulk", 2))
CHECKPOINT = 1000         # documents between two progress lines of the child
BYTES_PER_DOC = {"tx": 700_000, "bulk": 450_000, "extract": 0}   # store on disk per generated document
#   Graph shape 1 measured 1,275 MiB for 1,000 documents bulk-loaded and, written one by one, 3,241 MiB
#   at 1,000 documents before compaction, 9.0 GiB at about 6,000; shape 2 holds 0.31 of the quads
#   (BENCHMARKS.md "Graph shape 2"), so a third of those figures, with some room.


def remove_store(store_dir: Path) -> None:
    """Delete a benchmark store and its search index."""
    shutil.rmtree(store_dir, ignore_errors=True)
    for extra in store_dir.parent.glob(store_dir.name + ".search.sqlite*"):
        extra.unlink()


def child_ingest(src: str, store_dir: str, jobs: int, mode: str, checkpoint: int = CHECKPOINT,
                 cpus: int = 0) -> None:
    """Run in a child process: ingest ``src`` into a fresh store; print a progress line every
    ``checkpoint`` documents as they are written, then one JSON line of figures.

    Mode ``extract`` runs the extraction and graph building only (``jobs`` workers as in an
    ingest) and writes nothing: what the pipeline costs before the store. ``cpus`` > 0 pins
    the run to that many CPUs first (threads and worker processes made later inherit it)."""
    if cpus:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:cpus]))
    from kg.ingest import ingest_paths, prepared
    from kg.search import connect, index_path, sync
    from kg.store.embedded import open_store

    counts = {"docs": 0, "failed": 0, "tasks": 0, "triples": 0}
    affinity = {"affinity": len(os.sched_getaffinity(0))}         # the CPUs this run may use

    def progress(r) -> None:
        if r.status == "skipped":              # a path of the folder left out (kg.ingest.iter_inputs)
            return
        counts["docs"] += 1
        counts["failed"] += r.status == "failed"
        counts["tasks"] += r.tasks
        counts["triples"] += r.triples
        if counts["docs"] % checkpoint == 0:
            print(json.dumps({"progress": counts["docs"]}), flush=True)

    start, cpu = time.perf_counter(), cpu_seconds()
    if mode == "extract":
        for _, item in prepared([src], jobs):
            if item is not None:                         # None: an outline file, read by the writer
                progress(getattr(item, "report", item))
        print(json.dumps({**counts, **affinity, "seconds": time.perf_counter() - start, "index_seconds": 0,
                          "cpu_seconds": cpu_seconds() - cpu}), flush=True)
        return
    store = open_store(store_dir)
    index = connect(index_path(store_dir))
    ingest_paths(store, [src], progress, jobs=jobs, bulk=mode == "bulk", index=index, keep_reports=False)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    sync(index, store)
    index_seconds = time.perf_counter() - start
    print(json.dumps({**counts, **affinity, "seconds": seconds, "index_seconds": index_seconds, "triples": len(store),
                      "cpu_seconds": cpu_seconds() - cpu}), flush=True)


def cpu_seconds() -> float:
    """CPU time (user + system) of this process, all its threads (the store's writer thread,
    RocksDB's background threads) and its ended children (``--jobs`` workers, joined by now)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def disk_needed(docs: int, mode: str) -> int:
    """Bytes a store of ``docs`` generated documents needs on disk (measured per document)."""
    return docs * BYTES_PER_DOC[mode]


def check_disk(store_dir: Path, docs: int, mode: str) -> str | None:
    """Why a run of ``docs`` documents cannot be made here (None when it fits, with 10 % spare)."""
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    free, need = shutil.disk_usage(store_dir.parent).free, disk_needed(docs, mode)
    if need * 1.1 > free:
        return (f"{docs} documents ({mode}) need about {need / 2**30:.0f} GiB for the store; "
                f"{free / 2**30:.0f} GiB free under {store_dir.parent}")
    return None


def measure_ingest(src: Path, store_dir: Path, jobs: int, mode: str, timeout: float,
                   checkpoint: int = CHECKPOINT, cpus: int = 0) -> dict:
    """Ingest in a child process (on ``cpus`` CPUs when > 0); peak RSS overall, in each tenth of
    the run and by documents."""
    remove_store(store_dir)
    proc = subprocess.Popen([sys.executable, "-m", "bench.run", "--child-ingest", str(src), str(store_dir),
                             str(jobs), mode, str(checkpoint), str(cpus)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines: list[tuple[float, str]] = []
    samples: list[tuple[float, int]] = []
    start = time.monotonic()

    def read() -> None:              # checkpoints are logged as they come, so a stopped run leaves figures
        for line in proc.stdout:
            now = time.monotonic() - start
            lines.append((now, line))
            if '"progress"' in line:
                log(f"[{store_dir.name}] {json.loads(line)['progress']} documents at {now:.0f} s, peak RSS so far "
                    f"{max((m for _, m in samples), default=0) / 2**20:.0f} MiB")

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    timed_out = False
    while proc.poll() is None and not timed_out:
        samples.append((time.monotonic() - start, rss_tree(proc.pid)))
        timed_out = time.monotonic() - start > timeout
        time.sleep(0.1)
    if timed_out:
        proc.kill()
        proc.wait()
    reader.join()
    proc.stdout.close()
    if timed_out:
        return {"timeout": timeout}
    out = [json.loads(x) for _, x in lines if x.strip()]
    if proc.returncode != 0 or not out or "seconds" not in out[-1]:
        return {"error": f"exit {proc.returncode}"}
    result = out[-1]
    result["peak_rss"] = max((m for _, m in samples), default=0)
    total = max(time.monotonic() - start, 1e-9)
    result["rss_by_tenth"] = [max((m for t, m in samples if k * total / 10 <= t < (k + 1) * total / 10), default=0)
                              for k in range(10)]
    marks = [(at, json.loads(x)["progress"]) for at, x in lines if '"progress"' in x]
    result["peak_by_docs"] = {str(n): max((m for t, m in samples if t <= at), default=0) for at, n in marks}
    result["seconds_by_docs"] = {str(n): at for at, n in marks}
    result["store_bytes"] = du(store_dir)
    result["cpus"], result["pinned"] = cpus or os.cpu_count(), bool(cpus)
    return result


def jieba_floor(files: list[tuple[Path, int]]) -> dict:
    """``jieba.lcut`` over the same files in this process (after ``jieba.initialize()``)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    start, cpu = time.perf_counter(), time.process_time()
    chars = 0
    for path, _ in files:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        jieba.lcut(text)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": time.process_time() - cpu, "docs": len(files), "chars": chars}


def store_floor(src: Path, work: Path, modes: set[str]) -> dict:
    """Raw Oxigraph writes of the same documents, in this run: the store's own floor.

    The documents' N-Quads are made first (``kg.ingest.prepared``, not timed) and kept in a
    file; then each mode writes them into a fresh store the way an ingest does, timed alone:
    ``tx`` one ``Store.load`` (one transaction) per document, ``bulk`` one ``bulk_load`` per
    ``POLICYKG_BULK_BATCH`` documents. No extraction, no search index, no comparisons."""
    import pyoxigraph as ox

    from kg import settings
    from kg.ingest import Prepared, prepared
    from kg.store.embedded import bulk_write, document_nquads, open_store

    blobs, sizes = work / "store-floor.nq", []
    with blobs.open("wb") as out:
        for _, item in prepared([src], jobs=2):
            if isinstance(item, Prepared):
                blob = document_nquads(item.iri, item.document, item.agencies)
                sizes.append(len(blob))
                out.write(blob)
    out_of = {}
    batch = settings.get("POLICYKG_BULK_BATCH")
    for mode in sorted(modes & {"tx", "bulk"}):
        store_dir = work / f"store-floor-{mode}"
        remove_store(store_dir)
        store = open_store(store_dir)
        seconds = cpu = 0.0
        with blobs.open("rb") as f:
            for i in range(0, len(sizes), 1 if mode == "tx" else batch):
                chunk = [f.read(n) for n in sizes[i:i + (1 if mode == "tx" else batch)]]
                start, cpu0 = time.perf_counter(), time.process_time()      # all threads, RocksDB's too
                if mode == "tx":
                    store.load(chunk[0], format=ox.RdfFormat.N_QUADS)
                else:
                    bulk_write(store, chunk)
                seconds += time.perf_counter() - start
                cpu += time.process_time() - cpu0
        quads = len(store)
        del store
        remove_store(store_dir)
        out_of[mode] = {"seconds": seconds, "cpu_seconds": cpu, "docs": len(sizes), "quads": quads,
                        "docs_per_s": len(sizes) / seconds, "quads_per_s": quads / seconds}
        log(f"[store floor] {mode}: {out_of[mode]['docs_per_s']:.1f} docs/s, {out_of[mode]['quads_per_s']:.0f} quads/s")
    blobs.unlink()
    return out_of


def bench_ingest(work: Path, sizes: list[int], configs, timeout: float, pin: bool = False) -> dict:
    """Each configuration on a fresh store; with ``pin``, each run on as many CPUs as its
    ``--jobs`` (how an ingest scales with cores, not only with processes on the same cores)."""
    out = {}
    for size in sizes:
        src = corpus(work, size)
        files = manifest(src)
        chars = sum(c for _, c in files)
        floor = jieba_floor(files)
        row = {"docs": size, "chars": chars, "jieba": {
            "docs_per_s": size / floor["seconds"], "chars_per_s": floor["chars"] / floor["seconds"],
            "docs_per_cpu_s": size / floor["cpu_seconds"]}}
        log(f"[ingest {size}] jieba.lcut: {row['jieba']['docs_per_s']:.1f} docs/s")
        row["store_floor"] = store_floor(src, work, {mode for mode, _ in configs})
        for mode, jobs in configs:
            store_dir = work / f"store-{size}-{mode}-j{jobs}"
            why = check_disk(store_dir, size, mode)
            r = {"skipped": why} if why else measure_ingest(src, store_dir, jobs, mode, timeout,
                                                            cpus=jobs if pin else 0)
            if "seconds" in r:
                r["docs_per_s"] = size / r["seconds"]
                r["chars_per_s"] = chars / r["seconds"]
                r["vs_jieba"] = r["docs_per_s"] / row["jieba"]["docs_per_s"]
                # per core: documents per CPU-second of the whole ingest (all threads and workers)
                r["vs_jieba_per_core"] = size / r["cpu_seconds"] / row["jieba"]["docs_per_cpu_s"]
                if mode in row["store_floor"]:
                    r["vs_store_floor"] = r["docs_per_s"] / row["store_floor"][mode]["docs_per_s"]
                r["triples_per_s"] = r["triples"] / r["seconds"]
                log(f"[ingest {size}] {mode} jobs={jobs}: {r['docs_per_s']:.1f} docs/s, {r['triples']} triples, "
                    f"{r['failed']} failed, peak RSS {r['peak_rss'] / 2**20:.0f} MiB, "
                    f"search index {r['index_seconds']:.1f} s")
            else:
                log(f"[ingest {size}] {mode} jobs={jobs}: {r}")
            row[f"{mode}-j{jobs}"] = r
            if (mode, jobs) != ("bulk", 1):          # that one is kept for the query figures
                remove_store(store_dir)
        out[str(size)] = row
    return out


def bench_memory(work: Path, sizes: list[int], jobs: int, mode: str, timeout: float, keep: bool = False) -> dict:
    """Ingest each size into ``store-mem-{size}`` (deleted afterwards unless ``keep``)."""
    out = {}
    for size in sizes:
        store_dir = work / f"store-mem-{size}"
        why = check_disk(store_dir, size, mode)
        if why:
            out[str(size)] = {"skipped": why, "mode": mode, "jobs": jobs}
            log(f"[memory {size}] not run: {why}")
            continue
        r = measure_ingest(corpus(work, size), store_dir, jobs, mode, timeout)
        r.update(mode=mode, jobs=jobs)
        out[str(size)] = r
        log(f"[memory {size}] {mode} jobs={jobs}: peak {r.get('peak_rss', 0) / 2**20:.0f} MiB, "
            f"by tenth {[round(x / 2**20) for x in r.get('rss_by_tenth', [])]} MiB, "
            f"by documents {({k: round(v / 2**20) for k, v in r.get('peak_by_docs', {}).items()})} MiB")
        if not keep:
            remove_store(store_dir)
    return out
