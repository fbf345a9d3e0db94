"""Memory of the comparison pass against the pairs compared: the writer and each worker, per checkout.

    python -m bench.compare_memory [--count 10000] [--seed 1] [--work DIR] [--jobs 2]
                                   [--before DIR] [--rounds 1] [--passes 1] [--worker-pairs N]
                                   [--json FILE]

The comparison pass is what an ingest runs after its last document
(``kg.compare.graph.compare_implemented``): every implementing pair read by the writer, aligned
in ``--jobs`` worker processes, its comparison graph written by the writer.

A generated corpus of ``--count`` documents (``bench.generate``; its provincial documents
implement the national documents of ``corpus/`` that the generated ones happen to share a 文号
with: 816 pairs at 4,000 documents, 6,041 at 10,000, 11,952 at 20,000) is ingested once (bulk,
``--jobs``) into a store kept under ``--work``; its comparison graphs are then dropped and the
store compacted, so every run writes all of them afresh, as after a first ingest. Each checkout (``--before``, e.g.
``git worktree add DIR <commit>``, then this one) runs ``compare_implemented(store, [], jobs)``
on its own copy of that store, in a child process whose working directory is the checkout (so
it imports that checkout's ``kg``). The child says on its standard output each time it writes
to the store; this process samples every 0.2 s the resident memory of the child (the writer)
and of each of its worker processes (its children started by multiprocessing's spawn).

Printed per checkout: the peak RSS of the writer and of the largest worker once a quarter, half,
three quarters and all of the pairs were compared; the seconds and the bytes the writer's process
wrote to disk (RocksDB's log, flushes and the compactions done by then), both up to the end of
the flush an ingest makes after its comparisons; and a digest of the comparison graphs written
(per graph in IRI order, its sorted N-Triples lines): the same digest means the same graphs.
``--passes N`` runs the pass N times in the same process: the later passes replace every
comparison graph, as an ingest of the same documents again does ("pairs compared" then counts
all the passes' comparisons).

The generated documents' tasks come from a small pool, so a worker meets the same task texts
again and again; ``--worker-pairs N`` also runs, per checkout, one process aligning N pairs whose
local tasks are new text every time (paragraphs of tests/data/real/ joined two by two; no store),
and prints its resident memory after every sixth of them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .util import ROOT, corpus, finish, log, proc_children, proc_rss

PREPARE = r'''
import sys
from pathlib import Path
from kg.graph.namespaces import GRAPH
from kg.ingest import ingest_paths
from kg.store.embedded import open_store
from bench.util import manifest

if __name__ == "__main__":
    store = open_store(sys.argv[2])
    ingest_paths(store, [p for p, _ in manifest(Path(sys.argv[1]))], jobs=int(sys.argv[3]), bulk=True,
                 keep_reports=False)
    prefix = str(GRAPH) + "comparison/"
    for g in [g.value for g in store.named_graphs() if g.value.startswith(prefix)]:
        store.update(f"DROP GRAPH <{g}>")
    store.optimize()
'''

RUN = r'''
import hashlib, json, sys, time
import pyoxigraph as ox
from kg.compare.graph import compare_implemented
from kg.store.embedded import open_store


class Telling:
    """The store, saying on stdout each time it is written to."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def update(self, *args, **kwargs):
        self.store.update(*args, **kwargs)
        print("w", flush=True)


if __name__ == "__main__":
    store = open_store(sys.argv[1])
    io = lambda: int(dict(x.split(": ") for x in open("/proc/self/io").read().splitlines())["write_bytes"])
    written_before, start = io(), time.perf_counter()
    for _ in range(int(sys.argv[3])):         # passes after the first replace every graph
        compare_implemented(Telling(store), [], int(sys.argv[2]))
    store.flush()                   # as an ingest does after its comparisons (kg.write)
    seconds, disk = time.perf_counter() - start, io() - written_before
    digest, graphs, triples = hashlib.sha256(), 0, 0
    prefix = "https://w3id.org/policykg/graph/comparison/"
    for g in sorted(g.value for g in store.named_graphs() if g.value.startswith(prefix)):
        lines = sorted(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)).decode().splitlines())
        digest.update(("\n".join([g, *lines]) + "\n\n").encode())
        graphs, triples = graphs + 1, triples + len(lines)
    print(json.dumps({"seconds": seconds, "disk_written": disk, "graphs": graphs, "triples": triples,
                      "digest": digest.hexdigest()}), flush=True)
'''

# One worker's alignments on new text (``--worker-pairs``): each pair's 10 local tasks are two
# paragraphs of the real documents in tests/data/real/ joined (new text every time, as real local
# documents are), the national document's 15 tasks the same throughout.
WORKER = r'''
import json, random, sys
from pathlib import Path
from kg.compare.align import TaskText, align_tasks


def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024


if __name__ == "__main__":
    paras = [p.strip() for f in sorted(Path("tests/data/real").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").splitlines() if len(p.strip()) > 40]
    rng, n = random.Random(1), int(sys.argv[1])
    national = [TaskText(i + 1, paras[i][:12], paras[i]) for i in range(15)]
    out = []
    for k in range(1, n + 1):
        local = []
        for i in range(10):
            a, b = rng.sample(paras, 2)
            local.append(TaskText(i + 1, a[:12] + b[:6], a + b))
        align_tasks(local, national)
        if k % max(1, n // 6) == 0:
            out.append({"pairs": k, "rss": rss()})
    print(json.dumps(out))
'''

MARKS = (0.25, 0.5, 0.75, 1.0)


def base_store(work: Path, count: int, seed: int, jobs: int) -> Path:
    """The ingested corpus without its comparison graphs, compacted (made once, kept under ``work``)."""
    out = work / f"store-compare-{count}-s{seed}"
    if (out / ".complete").exists():
        return out
    docs = corpus(work, count, seed)
    shutil.rmtree(out, ignore_errors=True)
    log(f"[compare_memory] ingesting {count} documents into {out}")
    subprocess.run([sys.executable, "-c", PREPARE, str(docs), str(out), str(jobs)], cwd=ROOT, check=True)
    (out / ".complete").write_text("ok")
    return out


def _workers(pid: int) -> list[int]:
    """The children of ``pid`` that are multiprocessing spawn workers (not its resource tracker)."""
    out = []
    for child in proc_children(pid):
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                out.append(child)
    return out


def one(checkout: Path, store: Path, jobs: int, passes: int = 1) -> dict:
    """Run the comparison pass of ``checkout`` on ``store``, sampling the writer and its workers."""
    written = [0]
    last: list[str] = []
    samples: list[tuple[int, int, dict[int, int]]] = []            # (written, writer RSS, {worker: RSS})
    with tempfile.TemporaryFile(mode="w+") as err, subprocess.Popen(
            [sys.executable, "-c", RUN, str(store), str(jobs), str(passes)], cwd=checkout, stdout=subprocess.PIPE,
            stderr=err, text=True) as proc:

        def read() -> None:
            for line in proc.stdout:
                if line == "w\n":
                    written[0] += 1
                else:
                    last.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while proc.poll() is None:
            with contextlib.suppress(OSError):
                writer = proc_rss(proc.pid)
                workers = {}
                for w in _workers(proc.pid):
                    with contextlib.suppress(OSError):
                        workers[w] = proc_rss(w)
                samples.append((written[0], writer, workers))
            time.sleep(0.2)
        reader.join()
        err.seek(0)
        errors = err.read()
    if proc.returncode != 0 or not last:
        return {"error": errors.strip()[-800:] or f"exit {proc.returncode}"}
    result = json.loads(last[-1])
    pairs = written[0]
    result["pairs"] = pairs
    result["by_pairs"] = []
    for mark in MARKS:
        upto = [s for s in samples if s[0] <= mark * pairs]
        result["by_pairs"].append({
            "pairs": round(mark * pairs),
            "writer": max((s[1] for s in upto), default=0),
            "worker": max((max(s[2].values(), default=0) for s in upto), default=0),
        })
    result["workers_seen"] = len({w for s in samples for w in s[2]})
    return result


def worker_alone(checkout: Path, pairs: int) -> list[dict]:
    """A worker's resident memory as it aligns ``pairs`` pairs of new text (``WORKER``), in ``checkout``."""
    res = subprocess.run([sys.executable, "-c", WORKER, str(pairs)], cwd=checkout, capture_output=True, text=True,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def measure(work: Path, count: int, seed: int, jobs: int, before: Path | None, rounds: int = 1,
            passes: int = 1) -> dict:
    """Each checkout's run on its own copy of the store; with ``rounds`` > 1 the checkouts
    take turns, so that a change in the machine's load falls on both alike."""
    base = base_store(work, count, seed, jobs)
    out: dict = {"documents": count, "seed": seed, "jobs": jobs, "passes": passes, "runs": {}}
    checkouts = ([("before", before)] if before else []) + [("after", ROOT)]
    for rnd in range(rounds):
        for name, checkout in checkouts:
            label = name if rnd == 0 else f"{name}, round {rnd + 1}"
            copy = work / f"{base.name}.run"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            log(f"[compare_memory] {label}: {checkout}")
            try:
                out["runs"][label] = {"checkout": str(checkout), **one(checkout, copy, jobs, passes)}
            finally:
                shutil.rmtree(copy, ignore_errors=True)
            log(f"[compare_memory] {label}: {json.dumps(out['runs'][label])}")
    digests = {r.get("digest") for r in out["runs"].values()}
    out["same_graphs"] = len(digests) == 1 and None not in digests
    return out


def table(result: dict) -> str:
    mib = lambda b: f"{b / 2**20:,.0f}"            # noqa: E731
    lines = [f"comparison pass of {result['documents']} generated documents (seed {result['seed']}), "
             f"--jobs {result['jobs']}, {result.get('passes', 1)} pass(es)", "",
             "| checkout | pairs compared | peak writer RSS (MiB) | peak RSS of a worker (MiB) |",
             "|---|---:|---:|---:|"] if result["runs"] else []
    for label, r in result["runs"].items():
        if "error" in r:
            lines.append(f"| {label} | {r['error']} | | |")
            continue
        lines += [f"| {label} | {row['pairs']:,} | {mib(row['writer'])} | {mib(row['worker'])} |" for row in r["by_pairs"]]
    lines += [""] if result["runs"] else []
    for label, r in result["runs"].items():
        if "error" not in r:
            lines.append(f"{label}: {r['pairs']:,} comparison graphs in {r['seconds']:.0f} s "
                         f"({r['seconds'] / max(r['pairs'], 1) * 1000:.1f} ms per pair), {mib(r['disk_written'])} MiB "
                         f"written to disk; {r['graphs']:,} graphs, {r['triples']:,} triples, digest {r['digest'][:16]}")
    if len(result["runs"]) > 1:
        lines.append("same comparison graphs: " + ("yes" if result["same_graphs"] else "NO"))
    for label, rows in result.get("worker_alone", {}).items():
        lines.append(f"one worker aligning new text, {label}: " +
                     ", ".join(f"{r['pairs']:,} pairs {mib(r['rss'])} MiB" for r in rows))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.compare_memory", description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, default=10_000,
                   help="generated documents (default 10000: 6,041 pairs; 0: no comparison pass)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policykg-bench",
                   help="where the corpus and the store are made once and kept")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--before", type=Path, default=None, help="another checkout to run first (e.g. a git worktree)")
    p.add_argument("--rounds", type=int, default=1, help="runs of each checkout, taking turns")
    p.add_argument("--passes", type=int, default=1,
                   help="comparison passes in one process, the later ones replacing every graph (a re-ingest)")
    p.add_argument("--worker-pairs", type=int, default=0, metavar="N",
                   help="also one worker alone aligning N pairs of new text, per checkout (no store)")
    p.add_argument("--json", default=None, metavar="FILE")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    result = measure(args.work, args.count, args.seed, args.jobs, args.before, args.rounds,
                     args.passes) if args.count else {
        "documents": 0, "seed": args.seed, "jobs": args.jobs, "runs": {}}
    if args.worker_pairs:
        checkouts = ([("before", args.before)] if args.before else []) + [("after", ROOT)]
        result["worker_alone"] = {label: worker_alone(c, args.worker_pairs) for label, c in checkouts}
    return finish(result, table, args.json)


if __name__ == "__main__":
    sys.exit(main())
