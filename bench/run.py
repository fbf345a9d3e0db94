"""Benchmarks of PolicyKG; every figure comes with a baseline measured in the same run.

    python -m bench.run [--quick] [--large] [--work DIR] [--json FILE]

Sections (each bounded in time; see BENCHMARKS.md for the figures and what limits them):

* ingest   documents/s and characters/s of ``ingest_paths`` with one process and with
           ``--jobs 2``, against raw ``jieba.lcut`` over the same files (the pipeline's floor)
           and against raw Oxigraph writes of the same documents' N-Quads (the store's floor);
* memory   peak RSS (sampled every 0.1 s, the ingesting process and its workers summed) while
           ingesting a small and a ten times larger corpus;
* store    size on disk, ingest rate and bulk load rate (triples/s) of the store's N-Quads;
* queries  p50/p99 latency of queries/*.rq through the service's code path (kg.query.pool
           InlineRunner and QueryPool with a Job: query + serialisation) against raw pyoxigraph
           (query + pyoxigraph's own JSON serialisation) and rdflib's SPARQL engine on the same
           triples (each rdflib query in a forked process, killed after ``--rdflib-timeout``);
           and the network/profile functions;
* http     ``wrk`` against a real ``policykg serve`` on loopback (64 connections), against a
           trivial ``ASK {}`` through the same endpoint.

Documents come from bench.generate (seed 1), cached under ``--work`` by size.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .ingest import CONFIGS, bench_ingest, bench_memory, child_ingest, measure_ingest
from .util import QUERIES, ROOT, corpus, du, finish, log, ms, percentile, rss_tree

# ---------------------------------------------------------------- store

def bench_store(store_dir: Path, work: Path) -> dict:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    nq = work / "store.nq"
    start = time.perf_counter()
    store.dump(str(nq), format=ox.RdfFormat.N_QUADS)
    dump_s = time.perf_counter() - start
    quads = len(store)
    del store
    target = work / "store-bulk"
    shutil.rmtree(target, ignore_errors=True)
    fresh = ox.Store(str(target))
    start = time.perf_counter()
    fresh.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    fresh.flush()
    load_s = time.perf_counter() - start
    fresh.optimize()
    out = {"quads": quads, "store_bytes": du(store_dir), "bulk_store_bytes": du(target),
           "nquads_bytes": nq.stat().st_size, "dump_quads_per_s": quads / dump_s,
           "bulk_load_quads_per_s": quads / load_s}
    del fresh
    shutil.rmtree(target, ignore_errors=True)
    nq.unlink()
    log(f"[store] {out}")
    return out


# ---------------------------------------------------------------- queries

def example_queries() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}


def timed(fn, reps: int, budget: float) -> list[float]:
    times, spent = [], 0.0
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        t = time.perf_counter() - start
        times.append(t)
        spent += t
        if spent > budget and len(times) >= 3:
            break
    return times


def _rdflib_child(conn, graph, query: str, ns: dict, reps: int, budget: float) -> None:
    def run():
        result = graph.query(query, initNs=ns)
        for _ in result:
            pass
    try:
        conn.send(timed(run, reps, budget))
    except Exception as e:  # noqa: BLE001 - rdflib's own failure is a result too
        conn.send({"error": f"rdflib: {type(e).__name__}: {str(e)[:80]}"})


def bench_queries(store_dir: Path, work: Path, reps: int, budget: float, rdflib_timeout: float,
                  rdflib: bool = True, memory_quads: int | None = None) -> dict:
    """raw = pyoxigraph on the store on disk; raw_memory = pyoxigraph on an in-memory copy of it
    (what the service's workers answer from when the store is small enough: kg.store.memcopy);
    inline = the service's code path on the store on disk, in this process; pool = the
    service's path as /sparql runs it (worker processes, from their copies when there are)."""
    import pyoxigraph as ox

    from kg import settings
    from kg.query.pool import InlineRunner, Job, QueryPool, wait_pool
    from kg.query.sparql import PREFIXES
    from kg.store.memcopy import copy_store

    if memory_quads is None:
        memory_quads = settings.get("POLICYKG_MEMORY_COPY_QUADS")
    queries = example_queries()
    store = ox.Store.read_only(str(store_dir))
    quads = len(store)
    log(f"[queries] store of {quads} quads; {len(queries)} queries, {reps} runs each")
    inline = InlineRunner(store)
    start = time.perf_counter()
    memory = copy_store(str(store_dir), quads)
    copy_s = time.perf_counter() - start
    pool = QueryPool(str(store_dir), workers=2, timeout=120, call_timeout=600, memory_quads=memory_quads)
    serving = wait_pool(pool, 2, 300)
    worker_rss = [rss_tree(w.process.pid) for w in pool._all]
    log(f"[queries] in-memory copy made in {copy_s:.1f} s; the pool's workers answer from: {serving}, "
        f"resident memory of each worker: {', '.join(f'{r / 2**20:.0f} MiB' for r in worker_rss)}")
    out: dict = {"quads": quads, "copy_seconds": copy_s, "memory_quads": memory_quads,
                 "pool_serving": serving, "worker_rss": worker_rss, "queries": {}}

    def raw(st, q: str):
        r = st.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(r, ox.QueryTriples):
            return r.serialize(format=ox.RdfFormat.TURTLE)
        if isinstance(r, ox.QuerySolutions):
            return r.serialize(format=ox.QueryResultsFormat.JSON)
        return bool(r)

    for name, q in queries.items():
        job = Job(q, "json", "ttl", 10_000)
        rows = inline.run(job).rows
        row = {"rows": rows}
        for label, fn in (("raw", lambda q=q: raw(store, q)), ("raw_memory", lambda q=q: raw(memory, q)),
                          ("inline", lambda job=job: inline.run(job)), ("pool", lambda job=job: pool.run(job))):
            fn()                                            # warm
            t = timed(fn, reps, budget)
            row[label] = {"p50": percentile(t, 0.5), "p99": percentile(t, 0.99), "n": len(t)}
        row["inline_vs_raw"] = row["inline"]["p50"] / row["raw"]["p50"]
        row["pool_vs_raw"] = row["pool"]["p50"] / row["raw"]["p50"]
        row["pool_vs_raw_memory"] = row["pool"]["p50"] / row["raw_memory"]["p50"]
        out["queries"][name] = row
        log(f"[queries] {name}: rows {rows}, raw {ms(row['raw']['p50'])}, raw (memory) {ms(row['raw_memory']['p50'])}, "
            f"inline {ms(row['inline']['p50'])} ({row['inline_vs_raw']:.2f}x), pool {ms(row['pool']['p50'])} "
            f"({row['pool_vs_raw']:.2f}x raw, {row['pool_vs_raw_memory']:.2f}x raw from memory)")
    pool.close()
    memory = None                                        # the copy is no longer needed

    out["functions"] = bench_functions(store, reps, budget)

    if rdflib:
        out["rdflib"] = bench_rdflib(store, work, queries, reps, budget, rdflib_timeout, out["queries"])
    return out


def bench_functions(store, reps: int, budget: float) -> dict:
    from kg.network import agency_graph as network
    from kg.network import profiles

    calls = {
        "agencies_with_metrics": lambda: network.agencies_with_metrics(store),
        "task_agencies": lambda: profiles.task_agencies(store),
        "agency_profile(海关总署)": lambda: profiles.agency_profile(store, "海关总署"),
        "shortest_path(海关总署, 商务部)": lambda: network.shortest_path(store, "海关总署", "商务部"),
    }
    out = {}
    for name, fn in calls.items():
        try:
            fn()
            t = timed(fn, max(3, reps // 4), budget)
            out[name] = {"p50": percentile(t, 0.5), "p99": percentile(t, 0.99), "n": len(t)}
            log(f"[functions] {name}: p50 {ms(out[name]['p50'])}, p99 {ms(out[name]['p99'])}")
        except Exception as e:  # noqa: BLE001 - reported, never fatal
            out[name] = {"error": f"{type(e).__name__}: {e}"}
            log(f"[functions] {name}: {out[name]['error']}")
    return out


def bench_rdflib(store, work: Path, queries: dict[str, str], reps: int, budget: float, timeout: float,
                 ox_rows: dict) -> dict:
    import pyoxigraph as ox
    from rdflib import Dataset, Namespace

    from kg.query.sparql import PREFIXES

    nq = work / "rdflib.nq"
    store.dump(str(nq), format=ox.RdfFormat.N_QUADS)
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(nq), format="nquads")
    load_s = time.perf_counter() - start
    nq.unlink()
    log(f"[rdflib] loaded {len(ds)} quads in {load_s:.1f} s")
    ns = {k: Namespace(v) for k, v in PREFIXES.items()}
    ctx = mp.get_context("fork")
    out = {"load_seconds": load_s, "queries": {}}
    for name, q in queries.items():
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_rdflib_child, args=(child, ds, q, ns, reps, budget))
        proc.start()
        child.close()
        row: dict
        if parent.poll(timeout):
            try:
                t = parent.recv()
                row = t if isinstance(t, dict) else {"p50": percentile(t, 0.5), "p99": percentile(t, 0.99),
                                                     "n": len(t)}
            except EOFError:
                row = {"error": "rdflib process failed"}
        else:
            row = {"timeout": timeout}
        if proc.is_alive():
            proc.kill()
        proc.join()
        raw = ox_rows[name]["raw"]["p50"]
        service = ox_rows[name]["pool"]["p50"]           # /sparql's path
        if "p50" in row:
            row["vs_oxigraph_raw"] = row["p50"] / raw
            row["vs_service"] = row["p50"] / service
            row["vs_service_inline"] = row["p50"] / ox_rows[name]["inline"]["p50"]
            log(f"[rdflib] {name}: p50 {ms(row['p50'])} = {row['vs_service']:.2g}x the service")
        elif "timeout" in row:
            row["vs_service_at_least"] = timeout / service
            log(f"[rdflib] {name}: {row}")
        out["queries"][name] = row
    del ds
    gc.collect()
    return out


# ---------------------------------------------------------------- http

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_wrk(text: str) -> dict:
    def num(pattern, default=0.0):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else default

    def dur(s: str) -> float:
        m = re.match(r"([\d.]+)(us|ms|s|m)", s)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(2)]

    p = {k: dur(v) for k, v in re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M)}
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    return {"requests_per_s": num(r"Requests/sec:\s+([\d.]+)"), "p50": p.get("50"), "p99": p.get("99"),
            "requests": int(num(r"(\d+) requests in")), "non_2xx": int(num(r"Non-2xx or 3xx responses: (\d+)")),
            "socket_errors": errors}


def bench_http(store_dir: Path, work: Path, duration: int, connections: int, settle: float = 0.0) -> dict:
    """wrk against a real ``policykg serve``; ``settle`` seconds are left after it listens for its
    workers to make their in-memory copies (kg.store.memcopy) before the first measurement."""
    wrk = shutil.which("wrk")
    if not wrk:
        log("[http] wrk not found (apt-get install wrk): skipped")
        return {"skipped": "wrk not installed"}
    port = free_port()
    env = {**os.environ, "POLICYKG_QUERY_WORKERS": "2"}
    server = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--store", str(store_dir),
                               "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict = {"connections": connections, "duration": duration}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(settle)
        queries = {"ASK {} (floor)": "ASK {}",
                   "01-co-responsibility": (QUERIES / "01-co-responsibility.rq").read_text(encoding="utf-8")}
        for name, q in queries.items():
            script = work / "wrk.lua"
            script.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/sparql-query"\n'
                              'wrk.headers["Accept"] = "application/sparql-results+json"\n'
                              f"wrk.body = [==[{q}]==]\n", encoding="utf-8")
            subprocess.run(["curl", "-s", "-o", "/dev/null", "--data-binary", q, "-H",
                            "Content-Type: application/sparql-query", f"http://127.0.0.1:{port}/sparql"],
                           timeout=60, check=False)           # warm the workers
            res = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s",
                                  "-s", str(script), f"http://127.0.0.1:{port}/sparql"],
                                 capture_output=True, text=True, timeout=duration + 60)
            out[name] = parse_wrk(res.stdout)
            log(f"[http] {name}: {out[name]}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return out


# ---------------------------------------------------------------- main

def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with open("/proc/meminfo") as f:
        mem = f.readline().split(":", 1)[1].strip()
    import jieba
    import pyoxigraph
    import rdflib

    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "jieba": jieba.__version__}


def add_real_corpus(store_dir: Path) -> None:
    """Also ingest the bundled real documents and the national guideline's outline (``corpus/``),
    with the CLI, so 20-coverage and the comparison queries have something to find (again on a
    kept store: the same documents are replaced by the same triples)."""
    subprocess.run([sys.executable, "-m", "policykg", "ingest", str(ROOT / "corpus"), "--store", str(store_dir)],
                   cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child-ingest"]:
        child_ingest(argv[1], argv[2], int(argv[3]), argv[4], int(argv[5]), int(argv[6]))
        return 0
    p = argparse.ArgumentParser(prog="python -m bench.run", description="PolicyKG benchmarks")
    p.add_argument("--quick", action="store_true", help="small sizes, a ~2-minute run")
    p.add_argument("--large", action="store_true", help="also 10k documents for ingest and 100k for memory")
    p.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)     # the test's end-to-end run
    p.add_argument("--work", default=None, help="folder for generated documents and stores (kept)")
    p.add_argument("--sizes", default=None, help="ingest sizes, e.g. 100,1000")
    p.add_argument("--memory-sizes", default=None, help="memory sizes, e.g. 1000,10000")
    p.add_argument("--memory-jobs", type=int, default=2, help="--jobs of the memory runs")
    p.add_argument("--memory-mode", choices=("tx", "bulk", "extract"), default="tx",
                   help="write mode of the memory runs (extract: the pipeline only, no store)")
    p.add_argument("--query-size", type=int, default=None, help="documents in the query store")
    p.add_argument("--reps", type=int, default=None)
    p.add_argument("--rdflib-timeout", type=float, default=None)
    p.add_argument("--wrk-duration", type=int, default=None)
    p.add_argument("--pin", action="store_true",
                   help="run each ingest on as many CPUs as its --jobs (scaling with cores)")
    p.add_argument("--keep-stores", action="store_true",
                   help="keep the memory runs' stores; the query sections use the one of --query-size")
    p.add_argument("--skip", default="", help="sections to skip: ingest,memory,store,queries,rdflib,http")
    p.add_argument("--json", default=None, metavar="FILE", help="also write all figures as JSON")
    args = p.parse_args(argv)

    if args.tiny:
        preset = {"sizes": [3], "configs": [("extract", 1), ("tx", 1), ("bulk", 1)], "memory": [], "query": 3, "reps": 2,
                  "rdflib": 5.0,
                  "wrk": 0}
    elif args.quick:
        preset = {"sizes": [100], "configs": CONFIGS, "memory": [100, 300], "query": 100, "reps": 10,
                  "rdflib": 5.0, "wrk": 5}
    else:
        preset = {"sizes": [100, 1000] + ([10_000] if args.large else []), "configs": CONFIGS,
                  "memory": [1000, 10_000] + ([100_000] if args.large else []), "query": 1000, "reps": 30,
                  "rdflib": 30.0, "wrk": 10}
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else preset["sizes"]
    mem_sizes = [int(x) for x in args.memory_sizes.split(",")] if args.memory_sizes else preset["memory"]
    query_size = args.query_size or preset["query"]
    reps = args.reps or preset["reps"]
    rdflib_timeout = args.rdflib_timeout or preset["rdflib"]
    wrk_duration = args.wrk_duration if args.wrk_duration is not None else preset["wrk"]
    skip = set(filter(None, args.skip.split(",")))
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    results: dict = {"machine": machine(), "work": str(work)}
    started = time.perf_counter()
    if "ingest" not in skip:
        results["ingest"] = bench_ingest(work, sizes, preset["configs"], timeout=7200, pin=args.pin)
    if "memory" not in skip and mem_sizes:
        results["memory"] = bench_memory(work, mem_sizes, jobs=args.memory_jobs, mode=args.memory_mode,
                                         timeout=14_400, keep=args.keep_stores)
    qstore = work / f"store-{query_size}-bulk-j1"
    if args.keep_stores and (work / f"store-mem-{query_size}").exists():   # the store the memory run made
        qstore = work / f"store-mem-{query_size}"
    if {"store", "queries", "http"} - skip:
        if not qstore.exists():
            measure_ingest(corpus(work, query_size), qstore, 1, "bulk", timeout=7200)
        add_real_corpus(qstore)
    if "store" not in skip:
        results["store"] = bench_store(qstore, work)
    if "queries" not in skip:
        results["queries"] = bench_queries(qstore, work, reps, budget=10.0 if not args.tiny else 1.0,
                                           rdflib_timeout=rdflib_timeout, rdflib="rdflib" not in skip)
    if "http" not in skip and wrk_duration:
        copy_s = results.get("queries", {}).get("copy_seconds", 10.0)
        results["http"] = bench_http(qstore, work, wrk_duration, 64, settle=2 * copy_s + 3)
    results["seconds"] = time.perf_counter() - started
    return finish(results, report, args.json)


def report(r: dict) -> str:
    """The figures as Markdown tables (what BENCHMARKS.md quotes)."""
    m = r["machine"]
    lines = [f"machine: {m['cpus']} CPUs, {m['cpu']}, {m['memory']} RAM; Python {m['python']}, "
             f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, jieba {m['jieba']}", ""]
    if "ingest" in r:
        lines += ["| ingest | mode | jobs | docs | docs/s | chars/s | vs jieba.lcut | per core (CPU s) "
                  "| vs raw store write | triples/s | failed | peak RSS | search index |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for size, row in r["ingest"].items():
            j = row["jieba"]
            lines.append(f"| jieba.lcut (floor) | | 1 | {size} | {j['docs_per_s']:.1f} | {j['chars_per_s']:.0f} "
                         f"| 1 | 1 | | | | | |")
            for mode, f in row.get("store_floor", {}).items():
                lines.append(f"| raw store write (floor) | {mode} | 1 | {size} | {f['docs_per_s']:.1f} | "
                             f"| {f['docs_per_s'] / j['docs_per_s']:.3f} "
                             f"| {f['docs'] / f['cpu_seconds'] / j['docs_per_cpu_s']:.3f} | 1 "
                             f"| {f['quads_per_s']:.0f} | | | |")
            for key, x in row.items():
                if not isinstance(x, dict) or key in ("jieba", "store_floor"):
                    continue
                mode, jobs = key.split("-j")
                if x.get("pinned"):
                    jobs = f"{jobs} (on {x['cpus']} CPU{'s' if x['cpus'] > 1 else ''})"
                if "seconds" in x:
                    floor = f"{x['vs_store_floor']:.2f}" if "vs_store_floor" in x else ""
                    core = f"{x['vs_jieba_per_core']:.3f}" if "vs_jieba_per_core" in x else ""
                    lines.append(f"| ingest | {mode} | {jobs} | {size} | {x['docs_per_s']:.2f} | {x['chars_per_s']:.0f} "
                                 f"| {x['vs_jieba']:.3f} | {core} | {floor} | {x['triples_per_s']:.0f} | {x['failed']} | "
                                 f"{x['peak_rss'] / 2**20:.0f} MiB | {x['index_seconds']:.1f} s |")
                else:
                    lines.append(f"| ingest | {mode} | {jobs} | {size} | {x.get('skipped', x)} | | | | | | | | |")
        lines.append("")
    if "memory" in r:
        lines += ["| memory | docs | peak RSS (ingest + workers) | peak by tenth of the run (MiB) | seconds |",
                  "|---|---|---|---|---|"]
        for size, x in r["memory"].items():
            if "peak_rss" in x:
                tenths = " ".join(str(round(m / 2**20)) for m in x["rss_by_tenth"])
                lines.append(f"| {x['mode']} --jobs {x['jobs']} | {size} | {x['peak_rss'] / 2**20:.0f} MiB | {tenths} "
                             f"| {x['seconds']:.0f} |")
            else:
                lines.append(f"| memory | {size} | {x.get('skipped', x)} | | |")
        lines += ["", "| memory | peak RSS once N documents were written (MiB) |", "|---|---|"]
        for size, x in r["memory"].items():
            by_docs = x.get("peak_by_docs") or {}
            lines.append(f"| {size} | " + ", ".join(f"{k}: {round(v / 2**20)}" for k, v in by_docs.items()) + " |")
        lines.append("")
    if "store" in r:
        s = r["store"]
        lines += [f"store: {s['quads']} quads, {s['store_bytes'] / 2**20:.1f} MiB on disk "
                  f"({s['store_bytes'] / max(s['quads'], 1):.0f} B/quad; bulk-loaded and optimised: "
                  f"{s['bulk_store_bytes'] / 2**20:.1f} MiB), N-Quads {s['nquads_bytes'] / 2**20:.1f} MiB; "
                  f"bulk load {s['bulk_load_quads_per_s']:.0f} quads/s, dump {s['dump_quads_per_s']:.0f} quads/s", ""]
    if "queries" in r:
        q = r["queries"]
        rd = q.get("rdflib", {}).get("queries", {})
        rss = ", ".join(f"{x / 2**20:.0f} MiB" for x in q.get("worker_rss", []))
        lines += [f"queries on {q['quads']} quads (p50 / p99); the pool's workers answered from: "
                  f"{', '.join(q.get('pool_serving', ['disk']))} (in-memory copy made in {q.get('copy_seconds', 0):.1f} s; "
                  f"workers' resident memory {rss})", "",
                  "| query | rows | raw pyoxigraph (disk) | raw (memory) | service inline (disk) | ratio to raw "
                  "| service pool (/sparql) | ratio to raw | ratio to raw (memory) | rdflib | rdflib / service pool |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for name, x in q["queries"].items():
            y = rd.get(name, {})
            if "p50" in y:
                rdf, rr = f"{ms(y['p50'])}", f"{y['vs_service']:.2g}x"
            elif "timeout" in y:
                rdf, rr = f"> {y['timeout']:g} s", f"> {y['vs_service_at_least']:.0f}x"
            else:
                rdf, rr = y.get("error", "-"), "-"
            lines.append(f"| {name} | {x['rows']} | {ms(x['raw']['p50'])} / {ms(x['raw']['p99'])} | "
                         f"{ms(x['raw_memory']['p50'])} / {ms(x['raw_memory']['p99'])} | "
                         f"{ms(x['inline']['p50'])} / {ms(x['inline']['p99'])} | {x['inline_vs_raw']:.2f} | "
                         f"{ms(x['pool']['p50'])} / {ms(x['pool']['p99'])} | {x['pool_vs_raw']:.2f} | "
                         f"{x['pool_vs_raw_memory']:.2f} | {rdf} | {rr} |")
        if "rdflib" in q:
            lines.append(f"\nrdflib load of the same quads: {q['rdflib']['load_seconds']:.1f} s")
        lines += ["", "| function | p50 | p99 |", "|---|---|---|"]
        for name, x in q["functions"].items():
            lines.append(f"| {name} | {ms(x['p50'])} | {ms(x['p99'])} |" if "p50" in x else f"| {name} | {x} | |")
        lines.append("")
    if "http" in r and "skipped" not in r["http"]:
        h = r["http"]
        lines += [f"/sparql, wrk, {h['connections']} connections, {h['duration']} s:", "",
                  "| query | requests/s | p50 | p99 | requests | non-2xx | socket errors |", "|---|---|---|---|---|---|---|"]
        for name, x in h.items():
            if isinstance(x, dict):
                lines.append(f"| {name} | {x['requests_per_s']:.0f} | {ms(x['p50'] or 0)} | {ms(x['p99'] or 0)} | "
                             f"{x['requests']} | {x['non_2xx']} | {x['socket_errors']} |")
    lines.append(f"\ntotal {r['seconds']:.0f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
