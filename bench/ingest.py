"""Ingest figures: throughput against raw jieba, and memory by corpus size.

Each configuration runs ``kg.ingest.ingest_paths`` in a fresh child process on a fresh store
(``python -m bench.run --child-ingest SRC STORE JOBS MODE``); the parent samples the resident
memory of the child and its workers every 0.1 s. After the ingest the child also brings the
search index up to date (what ``policykg ingest`` does next), timed separately.

Modes: ``tx`` writes each document in its own transaction (the default, crash-safe), ``bulk``
uses Oxigraph's bulk loader for new documents (``policykg ingest --bulk``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .util import ROOT, corpus, du, log, manifest, rss_tree

CONFIGS = (("tx", 1), ("tx", 2), ("bulk", 1), ("bulk", 2))


def remove_store(store_dir: Path) -> None:
    """Delete a benchmark store and its search index."""
    shutil.rmtree(store_dir, ignore_errors=True)
    for extra in store_dir.parent.glob(store_dir.name + ".search.sqlite*"):
        extra.unlink()


def child_ingest(src: str, store_dir: str, jobs: int, mode: str) -> None:
    """Run in a child process: ingest ``src`` into a fresh store; print one JSON line."""
    from kg.ingest import ingest_paths
    from kg.search import connect, index_path, sync
    from kg.store import open_store

    store = open_store(store_dir)
    docs = failed = tasks = 0
    start = time.perf_counter()
    for r in ingest_paths(store, [src], jobs=jobs, bulk=mode == "bulk"):
        docs, failed, tasks = docs + 1, failed + (r.status == "failed"), tasks + r.tasks
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    sync(connect(index_path(store_dir)), store)
    index_seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "index_seconds": index_seconds, "docs": docs, "failed": failed,
                      "tasks": tasks, "triples": len(store)}), flush=True)


def measure_ingest(src: Path, store_dir: Path, jobs: int, mode: str, timeout: float) -> dict:
    """Ingest in a child process; peak RSS overall and in each tenth of the run."""
    remove_store(store_dir)
    proc = subprocess.Popen([sys.executable, "-m", "bench.run", "--child-ingest", str(src), str(store_dir),
                             str(jobs), mode], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []
    start = time.monotonic()
    while proc.poll() is None:
        samples.append((time.monotonic() - start, rss_tree(proc.pid)))
        if time.monotonic() - start > timeout:
            proc.kill()
            proc.wait()
            return {"timeout": timeout}
        time.sleep(0.1)
    out = proc.stdout.read().strip().splitlines()
    if proc.returncode != 0 or not out:
        return {"error": f"exit {proc.returncode}"}
    result = json.loads(out[-1])
    result["peak_rss"] = max((m for _, m in samples), default=0)
    total = max(time.monotonic() - start, 1e-9)
    result["rss_by_tenth"] = [max((m for t, m in samples if k * total / 10 <= t < (k + 1) * total / 10), default=0)
                              for k in range(10)]
    result["store_bytes"] = du(store_dir)
    return result


def jieba_floor(files: list[tuple[Path, int]]) -> dict:
    """``jieba.lcut`` over the same files in this process (after ``jieba.initialize()``)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    start = time.perf_counter()
    chars = 0
    for path, _ in files:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        jieba.lcut(text)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "docs": len(files), "chars": chars}


def bench_ingest(work: Path, sizes: list[int], configs, timeout: float) -> dict:
    out = {}
    for size in sizes:
        src = corpus(work, size)
        files = manifest(src)
        chars = sum(c for _, c in files)
        floor = jieba_floor(files)
        row = {"docs": size, "chars": chars, "jieba": {
            "docs_per_s": size / floor["seconds"], "chars_per_s": floor["chars"] / floor["seconds"]}}
        log(f"[ingest {size}] jieba.lcut: {row['jieba']['docs_per_s']:.1f} docs/s")
        for mode, jobs in configs:
            store_dir = work / f"store-{size}-{mode}-j{jobs}"
            r = measure_ingest(src, store_dir, jobs, mode, timeout)
            if "seconds" in r:
                r["docs_per_s"] = size / r["seconds"]
                r["chars_per_s"] = chars / r["seconds"]
                r["vs_jieba"] = r["docs_per_s"] / row["jieba"]["docs_per_s"]
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


def bench_memory(work: Path, sizes: list[int], jobs: int, mode: str, timeout: float) -> dict:
    out = {}
    for size in sizes:
        src = corpus(work, size)
        store_dir = work / f"store-mem-{size}"
        r = measure_ingest(src, store_dir, jobs, mode, timeout)
        r.update(mode=mode, jobs=jobs)
        out[str(size)] = r
        log(f"[memory {size}] {mode} jobs={jobs}: peak {r.get('peak_rss', 0) / 2**20:.0f} MiB, "
            f"by tenth {[round(x / 2**20) for x in r.get('rss_by_tenth', [])]} MiB")
        remove_store(store_dir)
    return out
