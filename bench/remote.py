"""The remote store (``--store URL``) against the embedded one, on the same generated documents.

    python -m bench.remote [--docs 100] [--work DIR] [--reps 5] [--json FILE]
    python -m bench.remote --from-store DIR [--work DIR] [--reps 3]    # an existing store, moved

Starts a throw-away Virtuoso on loopback (``bench/virtuoso.py``, Debian's virtuoso-opensource),
then, in the same run:

* ingest: ``policykg ingest DIR --store URL`` against ``policykg ingest DIR --store LOCAL`` (the
  same command, wall time, each a fresh store; both include the search-index pass);
* queries: every ``queries/*.rq`` through the service's own path (``InlineRunner`` + ``Job``, as
  ``/sparql`` runs them) on the remote store and on the local one, interleaved run by run.

Virtuoso answers four example queries differently (README, "Scaling out"); the row counts of
both stores are printed so a difference shows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import virtuoso
from .ingest import remove_store
from .util import QUERIES, ROOT, corpus, finish, log, ms, percentile


def _cli_seconds(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policykg", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def _queries(remote, local_dir: Path, reps: int, budget: float) -> dict:
    import pyoxigraph as ox

    from kg.query.pool import InlineRunner, Job

    runners = {"remote": InlineRunner(remote), "local": InlineRunner(ox.Store.read_only(str(local_dir)))}
    out = {}
    for path in sorted(QUERIES.glob("*.rq")):
        job = Job(path.read_text(encoding="utf-8"), "json", "ttl", 10_000)
        row: dict = {}
        try:
            for label, runner in runners.items():
                row[f"{label}_rows"] = runner.run(job).rows          # also the warm-up
            times: dict[str, list[float]] = {k: [] for k in runners}
            started = time.perf_counter()
            for rep in range(reps):
                for label in (("remote", "local") if rep % 2 else ("local", "remote")):
                    t0 = time.perf_counter()
                    runners[label].run(job)
                    times[label].append(time.perf_counter() - t0)
                if time.perf_counter() - started > budget and rep >= 2:
                    break
            for label, ts in times.items():
                row[label] = {"p50": percentile(ts, 0.5), "p99": percentile(ts, 0.99), "n": len(ts)}
            row["remote_vs_local"] = row["remote"]["p50"] / row["local"]["p50"]
        except Exception as e:  # noqa: BLE001 - a query the server refuses is a result too
            row["error"] = f"{type(e).__name__}: {str(e)[:120]}"
        out[path.stem] = row
        log(f"[remote] {path.stem}: {row.get('error') or ''}"
            + (f"local {ms(row['local']['p50'])}, remote {ms(row['remote']['p50'])} ({row['remote_vs_local']:.1f}x), "
               f"rows {row['local_rows']}/{row['remote_rows']}" if "remote" in row else ""))
    return out


def bench_remote(work: Path, docs: int, reps: int, budget: float = 10.0) -> dict:
    src = corpus(work, docs)
    server = virtuoso.start(work / "virtuoso")
    local = work / f"store-remote-baseline-{docs}"
    saved = dict(os.environ)
    try:
        env = {**os.environ, **server.env()}
        remove_store(local)
        out: dict = {"docs": docs, "url": server.url}
        out["ingest_local_s"] = _cli_seconds(["ingest", str(src), "--store", str(local)], env)
        out["ingest_remote_s"] = _cli_seconds(["ingest", str(src), "--store", server.url], env)
        log(f"[remote] ingest {docs} documents: local {out['ingest_local_s']:.1f} s, "
            f"remote {out['ingest_remote_s']:.1f} s")
        os.environ.update(server.env())
        from kg.store.embedded import open_store

        remote = open_store(server.url)
        out["quads"] = len(remote)
        out["queries"] = _queries(remote, local, reps, budget)
        return out
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stop()
        remove_store(local)


def bench_remote_copy(work: Path, store_dir: Path, reps: int, budget: float = 30.0, buffers: int = 170_000) -> dict:
    """An existing store moved to Virtuoso the README's way (``dump`` to N-Quads, Virtuoso's bulk
    loader), then every example query on both. ``buffers`` = 170,000 pages ≈ 1.3 GB of cache."""
    import pyoxigraph as ox

    server = virtuoso.start(work / "virtuoso-copy", buffers=buffers)
    saved = dict(os.environ)
    try:
        local = ox.Store.read_only(str(store_dir))
        out: dict = {"docs": None, "store": str(store_dir), "quads": len(local), "url": server.url}
        nq = server.folder / "store.nq"
        start = time.perf_counter()
        local.dump(str(nq), format=ox.RdfFormat.N_QUADS)
        out["dump_s"] = time.perf_counter() - start
        start = time.perf_counter()
        virtuoso.bulk_load(server, nq)
        out["bulk_load_s"] = time.perf_counter() - start
        log(f"[remote] {out['quads']} quads: dump {out['dump_s']:.0f} s, Virtuoso bulk load {out['bulk_load_s']:.0f} s")
        del local
        os.environ.update(server.env())
        from kg.store.embedded import open_store

        out["remote_quads"] = len(open_store(server.url))
        out["queries"] = _queries(open_store(server.url), store_dir, reps, budget)
        return out
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stop()


def report(r: dict) -> str:
    if r.get("docs"):
        lines = [f"remote store (Virtuoso on loopback) against the embedded store: {r['docs']} documents, "
                 f"{r['quads']} quads", "",
                 f"ingest (`policykg ingest`, wall time): local {r['ingest_local_s']:.1f} s "
                 f"({r['docs'] / r['ingest_local_s']:.2f} docs/s), remote {r['ingest_remote_s']:.1f} s "
                 f"({r['docs'] / r['ingest_remote_s']:.2f} docs/s), ratio {r['ingest_remote_s'] / r['ingest_local_s']:.2f}"]
    else:
        lines = [f"{r['store']} ({r['quads']} quads) moved to Virtuoso on loopback: dump {r['dump_s']:.0f} s, "
                 f"bulk load {r['bulk_load_s']:.0f} s ({r['quads'] / r['bulk_load_s']:.0f} quads/s); "
                 f"{r['remote_quads']} quads there"]
    lines += ["", "| query | rows local / remote | local p50 | remote p50 | remote / local |", "|---|---|---|---|---|"]
    for name, x in r["queries"].items():
        if "error" in x:
            lines.append(f"| {name} | | | {x['error']} | |")
        else:
            lines.append(f"| {name} | {x['local_rows']} / {x['remote_rows']} | {ms(x['local']['p50'])} | "
                         f"{ms(x['remote']['p50'])} | {x['remote_vs_local']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.remote", description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=100, help="generated documents to ingest")
    p.add_argument("--work", default=None, help="folder for documents, stores and the server (kept)")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--from-store", default=None, metavar="DIR",
                   help="instead of ingesting: move this store to Virtuoso (dump + bulk loader) and query both")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="policykg-bench-remote-"))
    result = (bench_remote_copy(work, Path(args.from_store), args.reps) if args.from_store
              else bench_remote(work, args.docs, args.reps))
    return finish(result, report, args.json)


if __name__ == "__main__":
    sys.exit(main())
