"""Latency of queries/*.rq through the service's path against raw pyoxigraph, on one store.

    python -m bench.queries --store DIR [--reps 15] [--workers 2] [--max-rows 10000]
                            [--format json] [--only 01,20] [--json FILE]

For each query, p50 (and p90) over ``--reps`` runs after a warm-up, of:

* raw     ``Store.query`` (union default graph, as kg.query.sparql) + pyoxigraph's own serialisation
          (Rust) in the same format: the fair floor for an endpoint;
* inline  ``InlineRunner.run(Job)`` on the same open store: query + kg.query.results;
* pool    ``QueryPool.run(Job)`` as /sparql uses it: worker process, pipe, kg.query.results
          (here always answering from disk, like raw: the in-memory copies of the service's
          workers are measured by ``bench.run``).

The three are interleaved run by run (in a rotating order), so that load from other processes
on a shared machine falls on all of them alike; ``--order blocks`` runs each one's repetitions
back to back instead (as bench.run does), which keeps the pool's worker warm. Interleaving is
the harder case for the pool: its worker idles, and its caches are cooled by the parent's runs,
between two of its queries. Ratios are p50 / raw p50.
"""

from __future__ import annotations

import argparse
import sys
import time

from .util import QUERIES, finish, percentile


def _interleaved(runners: dict, reps: int, budget: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in runners}
    started = time.perf_counter()
    for rep in range(reps):
        labels = list(runners)
        for label in labels[rep % 3:] + labels[:rep % 3]:
            t0 = time.perf_counter()
            runners[label]()
            times[label].append(time.perf_counter() - t0)
        if time.perf_counter() - started > budget and rep >= 4:
            break
    return times


def _blocks(runners: dict, reps: int, budget: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in runners}
    for label, run in runners.items():
        started = time.perf_counter()
        for rep in range(reps):
            t0 = time.perf_counter()
            run()
            times[label].append(time.perf_counter() - t0)
            if time.perf_counter() - started > budget / 3 and rep >= 4:
                break
    return times


def measure(store_dir: str, reps: int = 15, workers: int = 2, max_rows: int = 10_000, fmt: str = "json",
            only: list[str] | None = None, budget: float = 60.0, order: str = "interleaved") -> dict:
    """{query name: {"rows", "truncated", "raw"/"inline"/"pool": {"p50", "p90", "n"}, ratios}}."""
    import pyoxigraph as ox

    from kg.graph.namespaces import PREFIXES
    from kg.query.pool import InlineRunner, Job, QueryPool
    from kg.query.sparql import GRAPH_FORMATS, RESULT_FORMATS

    store = ox.Store.read_only(store_dir)
    inline = InlineRunner(store)
    pool = QueryPool(store_dir, workers=workers, timeout=600)
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}
    if only:
        queries = {k: v for k, v in queries.items() if any(k.startswith(o) for o in only)}

    def raw(q: str):
        r = store.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(r, ox.QueryTriples):
            return r.serialize(format=GRAPH_FORMATS["ttl"][0])
        return r.serialize(format=RESULT_FORMATS[fmt][0])

    out: dict = {"quads": len(store), "reps": reps, "workers": workers, "max_rows": max_rows,
                 "format": fmt, "order": order, "queries": {}}
    try:
        for name, q in queries.items():
            job = Job(q, fmt, "ttl", max_rows)
            first = inline.run(job)
            runners = {"raw": lambda q=q: raw(q), "inline": lambda job=job: inline.run(job),
                       "pool": lambda job=job: pool.run(job)}
            for _ in range(max(2, workers)):              # warm every worker, not just the first
                pool.run(job)
            raw(q)
            times = _interleaved(runners, reps, budget) if order == "interleaved" else _blocks(runners, reps, budget)
            row: dict = {"rows": first.rows, "truncated": first.truncated}
            for label, ts in times.items():
                row[label] = {"p50": percentile(ts, 0.5), "p90": percentile(ts, 0.9), "n": len(ts)}
            row["inline_vs_raw"] = row["inline"]["p50"] / row["raw"]["p50"]
            row["pool_vs_raw"] = row["pool"]["p50"] / row["raw"]["p50"]
            out["queries"][name] = row
            print(f"{name}: rows {row['rows']}, raw {row['raw']['p50'] * 1e3:.1f} ms, "
                  f"inline {row['inline']['p50'] * 1e3:.1f} ms ({row['inline_vs_raw']:.2f}x), "
                  f"pool {row['pool']['p50'] * 1e3:.1f} ms ({row['pool_vs_raw']:.2f}x)", file=sys.stderr, flush=True)
    finally:
        pool.close()
    return out


def table(result: dict) -> str:
    lines = [f"{result['quads']} quads; p50 of {result['reps']} runs ({result['order']}); format {result['format']}, "
             f"cap {result['max_rows']} rows; pool of {result['workers']} workers", "",
             "| query | rows | raw p50 | inline p50 | inline / raw | pool p50 | pool / raw |",
             "|---|---|---|---|---|---|---|"]
    for name, x in result["queries"].items():
        rows = f"{x['rows']}{' (cut)' if x['truncated'] else ''}"
        lines.append(f"| {name} | {rows} | {x['raw']['p50'] * 1e3:.1f} ms | {x['inline']['p50'] * 1e3:.1f} ms | "
                     f"{x['inline_vs_raw']:.2f} | {x['pool']['p50'] * 1e3:.1f} ms | {x['pool_vs_raw']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    p.add_argument("--store", required=True, help="store directory (opened read-only)")
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--max-rows", type=int, default=10_000)
    p.add_argument("--format", default="json", choices=["json", "xml", "csv", "tsv"])
    p.add_argument("--only", default=None, help="comma-separated query name prefixes, e.g. 01,20")
    p.add_argument("--budget", type=float, default=60.0, help="seconds per query before stopping early")
    p.add_argument("--order", default="interleaved", choices=["interleaved", "blocks"])
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)
    only = args.only.split(",") if args.only else None
    result = measure(args.store, args.reps, args.workers, args.max_rows, args.format, only, args.budget, args.order)
    return finish(result, table, args.json)


if __name__ == "__main__":
    sys.exit(main())
