"""Load test: mixed search, page, API and SPARQL traffic from N concurrent clients against a
real ``policykg serve`` on loopback, for a bounded time.

    python -m bench.load --clients 64 --seconds 60

Without ``--url`` it ingests corpus/ into a temporary store and starts ``policykg serve``
there (default settings: 8 server threads, 2 query workers, 10 s time limit). It reports
requests, errors, throughput, p50/p90/p99/max latency per kind, and the server's resident
memory (the server process plus its query workers) before, during and after the load.
Clients are threads using http.client with keep-alive; each stops at the deadline, and every
request has a 30 s timeout, so the run always ends by itself. Each client is a user of its own
(its own X-Forwarded-For, the server started with POLICYKG_TRUSTED_PROXY=127.0.0.1): the fair
share per client (web/fairness.py) would otherwise count all of them as one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TERMS = ["科技特派员", "省科技厅", "海关总署", "体育赛事", "人才", "综合保税区", "无废城市", "创新", "金融", "扶贫"]
SPARQL = [
    "ASK { ?t a <https://w3id.org/policykg/ontology#Task> }",
    "SELECT ?t ?title WHERE { ?t a <https://w3id.org/policykg/ontology#Task> ; "
    "<https://w3id.org/policykg/ontology#title> ?title } LIMIT 50",
    "SELECT ?a (COUNT(?t) AS ?n) WHERE { ?t <https://w3id.org/policykg/ontology#responsibleAgency> ?a } "
    "GROUP BY ?a ORDER BY DESC(?n) LIMIT 20",
    *[p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("0[1-3]*.rq"))],
]


def _request(kind: str, rnd: random.Random) -> tuple[str, str, bytes | None, dict]:
    if kind == "search":
        q = rnd.choice(TERMS)
        page = rnd.choice(["", "&page=2"])
        return "GET", "/search?q=" + urllib.parse.quote(q) + page, None, {"Accept": "text/html"}
    if kind == "sparql":
        q = rnd.choice(SPARQL)
        if rnd.random() < 0.5:
            return "GET", "/sparql?" + urllib.parse.urlencode({"query": q}), None, {"Accept": "application/sparql-results+json"}
        return "POST", "/sparql", q.encode("utf-8"), {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    if kind == "api":
        return "GET", rnd.choice(["/api/documents", "/api/agencies", "/api/tasks"]), None, {}
    return "GET", rnd.choice(["/", "/doc/" + urllib.parse.quote("国发〔2019〕3号"), "/agency/cn/customs"]), None, {}


MIX = (("search", 0.45), ("sparql", 0.30), ("api", 0.15), ("page", 0.10))


def _client(host: str, port: int, deadline: float, seed: int, out: list, max_requests: int) -> None:
    rnd = random.Random(seed)
    conn = None
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            break
        kind = rnd.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        method, target, body, headers = _request(kind, rnd)
        headers = {**headers, "X-Forwarded-For": f"10.1.{seed // 250}.{seed % 250 + 1}"}   # one user each
        started = time.perf_counter()
        status, error = None, None
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            error = f"{type(e).__name__}: {e}"
            if conn is not None:
                conn.close()
            conn = None
        out.append((kind, time.perf_counter() - started, status, error))
    if conn is not None:
        conn.close()


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its children (the query workers), in kB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(base_host: str, port: int, clients: int, seconds: float, server_pid: int | None = None,
        max_requests: int = 100_000, settle: float = 5.0) -> dict:
    samples: dict[str, list[int]] = {"before": [], "during": [], "after": []}
    if server_pid:
        samples["before"].append(rss_kb(server_pid))
    results: list = []
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(base_host, port, deadline, i, results, max_requests), daemon=True)
               for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if server_pid:
            samples["during"].append(rss_kb(server_pid))
        time.sleep(1.0)
        if time.monotonic() > deadline + 60:      # a request hangs past its own timeout: give up
            break
    elapsed = time.monotonic() - started
    if server_pid:
        time.sleep(settle)
        samples["after"].append(rss_kb(server_pid))
        time.sleep(settle)
        samples["after"].append(rss_kb(server_pid))
    lat = [r[1] * 1000 for r in results]
    errors = [r for r in results if r[3] is not None or r[2] != 200]
    by_kind = {}
    for kind, _ in MIX:
        ks = [r[1] * 1000 for r in results if r[0] == kind]
        by_kind[kind] = {"requests": len(ks), "p50_ms": round(_pct(ks, 0.5), 1), "p99_ms": round(_pct(ks, 0.99), 1)}
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(results), "errors": len(errors),
        "error_examples": sorted({f"{e[0]} {e[2]} {e[3]}" for e in errors})[:10],
        "throughput_rps": round(len(results) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(_pct(lat, 0.5), 1), "p90_ms": round(_pct(lat, 0.9), 1), "p99_ms": round(_pct(lat, 0.99), 1),
        "max_ms": round(max(lat), 1) if lat else 0.0, "mean_ms": round(statistics.fmean(lat), 1) if lat else 0.0,
        "by_kind": by_kind,
        "rss_mb": {k: [round(v / 1024, 1) for v in vs] for k, vs in samples.items()},
        "rss_mb_during_max": round(max(samples["during"]) / 1024, 1) if samples["during"] else None,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TRUSTING_LOOPBACK = {"POLICYKG_TRUSTED_PROXY": "127.0.0.1"}   # each client names itself by X-Forwarded-For


def start_server(store_dir: Path, log_path: Path, env_extra: dict | None = None,
                 start_timeout: float = 60.0) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, **TRUSTING_LOOPBACK, **(env_extra or {})}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process below
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--store", str(store_dir), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log, stderr=log, env=env, cwd=ROOT)
    log.close()
    deadline = time.monotonic() + start_timeout
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sparql")
            conn.getresponse().read()
            conn.close()
            return proc, port
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                proc.wait()
                raise RuntimeError("server did not start: " + log_path.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.2)


def ingest_corpus(store_dir: Path) -> None:
    from kg.ingest import ingest_paths
    from kg.search import connect, index_path, sync
    from kg.store.embedded import open_store

    st = open_store(store_dir)
    ingest_paths(st, [ROOT / "corpus"])
    st.flush()
    sync(connect(index_path(store_dir)), st)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--url", help="an already running server (http://127.0.0.1:PORT); default: start one")
    ap.add_argument("--max-requests", type=int, default=100_000, help="per client")
    args = ap.parse_args(argv)
    if args.url:
        u = urllib.parse.urlsplit(args.url)
        report = run(u.hostname, u.port or 80, args.clients, args.seconds, max_requests=args.max_requests)
    else:
        with tempfile.TemporaryDirectory(prefix="policykg-load-") as tmp:
            store_dir = Path(tmp) / "store"
            ingest_corpus(store_dir)
            proc, port = start_server(store_dir, Path(tmp) / "server.log")
            try:
                time.sleep(2)
                report = run("127.0.0.1", port, args.clients, args.seconds, server_pid=proc.pid,
                             max_requests=args.max_requests)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    report["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
