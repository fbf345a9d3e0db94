"""Ingest throughput and store size of two checkouts, interleaved run by run, each against jieba in its run.

    python -m bench.ab --before DIR --after DIR --docs DIR [--jobs 1,2] [--rounds 2]
                       [--mode tx] [--json FILE]

``--before`` and ``--after`` are two checkouts of this repository (``git worktree add`` or a
clone of an earlier commit); each run imports the ``kg`` of its own checkout (it runs with that
checkout as its working directory, with this interpreter). For every ``--jobs`` value and
round, the before and after ingests of the same ``--docs`` (``bench.generate``) run one after
the other into a fresh store, each preceded by ``jieba.lcut`` over the same files, so that a
change in the machine's speed falls on both alike. Prints documents/s and the ratio to jieba
for each run, the store's quads per document and bytes on disk per document after compaction
(``Store.optimize``), and after/before per ``--jobs`` value (the median of the rounds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .util import finish

RUN = r'''
import json, sys
from pathlib import Path
from bench.ingest import jieba_floor, measure_ingest
from bench.util import manifest
src, store, jobs, mode = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
j = jieba_floor(manifest(src))
r = measure_ingest(src, store, jobs, mode, timeout=7200)
size = {}
if r.get("docs"):                       # the store's size: quads, bytes as written, bytes compacted
    import pyoxigraph as ox
    from bench.util import du
    st = ox.Store(str(store))
    size = {"quads": len(st), "store_bytes": du(store)}
    st.optimize()
    del st
    size["compact_bytes"] = du(store)
print(json.dumps({"jieba_docs_per_s": j["docs"] / j["seconds"], "seconds": r.get("seconds"), "docs": r.get("docs"),
                  "failed": r.get("failed"), "peak_rss": r.get("peak_rss"), "error": r.get("error"), **size}))
'''


def one(checkout: Path, docs: Path, store: Path, jobs: int, mode: str) -> dict:
    res = subprocess.run([sys.executable, "-c", RUN, str(docs), str(store), str(jobs), mode], cwd=checkout,
                         capture_output=True, text=True)
    lines = res.stdout.strip().splitlines()
    if res.returncode != 0 or not lines:
        return {"error": res.stderr.strip()[-500:] or f"exit {res.returncode}"}
    row = json.loads(lines[-1])
    if row.get("seconds"):
        row["docs_per_s"] = row["docs"] / row["seconds"]
        row["vs_jieba"] = row["docs_per_s"] / row["jieba_docs_per_s"]
    if row.get("quads") and row.get("docs"):
        row["quads_per_doc"] = row["quads"] / row["docs"]
        row["compact_bytes_per_doc"] = row["compact_bytes"] / row["docs"]
    return row


def measure(before: Path, after: Path, docs: Path, jobs: list[int], rounds: int, mode: str) -> dict:
    out: dict = {"docs": str(docs), "mode": mode, "runs": [], "after_over_before": {}}
    with tempfile.TemporaryDirectory(prefix="policykg-ab-") as tmp:
        for j in jobs:
            for rnd in range(rounds):
                for label, checkout in (("before", before), ("after", after)):
                    row = {"label": label, "jobs": j, "round": rnd,
                           **one(checkout, docs, Path(tmp) / "store", j, mode)}
                    out["runs"].append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
            ratios = {}
            for key in ("docs_per_s", "vs_jieba", "quads_per_doc", "compact_bytes_per_doc"):
                b = [r[key] for r in out["runs"] if r["jobs"] == j and r["label"] == "before" and key in r]
                a = [r[key] for r in out["runs"] if r["jobs"] == j and r["label"] == "after" and key in r]
                if a and b:
                    ratios[key] = statistics.median(a) / statistics.median(b)
            out["after_over_before"][str(j)] = ratios
    return out


def table(result: dict) -> str:
    lines = [f"{result['mode']} ingest of {result['docs']}", "",
             "| jobs | round | checkout | jieba docs/s | ingest docs/s | × jieba | peak RSS | quads/doc | "
             "bytes/doc compacted |", "|---|---|---|---|---|---|---|---|---|"]
    for r in result["runs"]:
        if "docs_per_s" not in r:
            lines.append(f"| {r['jobs']} | {r['round']} | {r['label']} | | {r.get('error')} | | |")
            continue
        lines.append(f"| {r['jobs']} | {r['round']} | {r['label']} | {r['jieba_docs_per_s']:.1f} | "
                     f"{r['docs_per_s']:.2f} | {r['vs_jieba']:.3f} | {r['peak_rss'] / 2**20:.0f} MiB | "
                     f"{r.get('quads_per_doc', float('nan')):,.0f} | {r.get('compact_bytes_per_doc', float('nan')):,.0f} |")
    lines.append("")
    for j, x in result["after_over_before"].items():
        nan = float("nan")
        lines.append(f"--jobs {j}: after / before = {x.get('docs_per_s', nan):.2f} (documents/s), "
                     f"{x.get('vs_jieba', nan):.2f} (ratio to jieba), {x.get('quads_per_doc', nan):.3f} (quads per "
                     f"document), {x.get('compact_bytes_per_doc', nan):.3f} (bytes per document, compacted)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    p.add_argument("--before", required=True, type=Path)
    p.add_argument("--after", required=True, type=Path)
    p.add_argument("--docs", required=True, type=Path, help="a generated corpus (bench.generate)")
    p.add_argument("--jobs", default="1,2")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--mode", default="tx", choices=["tx", "bulk", "extract"])
    p.add_argument("--json", default=None, metavar="FILE")
    args = p.parse_args(argv)
    result = measure(args.before, args.after, args.docs, [int(x) for x in args.jobs.split(",")], args.rounds,
                     args.mode)
    return finish(result, table, args.json)


if __name__ == "__main__":
    sys.exit(main())
