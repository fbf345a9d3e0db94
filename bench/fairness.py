"""Fair share under hostile load: a trivial ASK and /search while N clients loop queries that
run to the time limit, against the same probes on the idle server, in the same run.

    python -m bench.fairness [--heavy 10] [--seconds 60] [--baseline 15] [--compare-unfair]

It ingests corpus/ into a temporary store and starts ``policykg serve`` with default settings
(8 threads, 2 query workers, 10 s limit, 30 s of worker time per client and minute), except
POLICYKG_TRUSTED_PROXY=127.0.0.1 so that each load client can be a different client by its
X-Forwarded-For (all of them connect from loopback). Then:

1. baseline: the two probes alone for ``--baseline`` seconds — one client looping
   ``ASK { ?t a pol:Task }`` on /sparql, one looping /search (each waits 50 ms between requests);
2. load: ``--heavy`` clients, each a different address, loop a cartesian product that runs to
   the time limit (POST /sparql); they honour Retry-After on 429/503, as a polite client does
   (a client that ignores it is refused at once each time, which costs the server a thread for
   about a millisecond per request); the same probes run meanwhile for ``--seconds``.

It prints, per probe and phase, requests, errors, p50/p99/p99.9/max and how many took over the
target (200 ms for ASK, 500 ms for search), the ratios load/baseline, and what the load clients
got (200, 503 K204, 429 K211/K212, 503 K213/K207). With ``--compare-unfair`` it runs the load
phase again on a server without the short lane and the budget (POLICYKG_SHORT_QUERY_SECONDS=0,
POLICYKG_CLIENT_BUDGET=0) to show what they buy. Every request has a 30 s timeout.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from .load import _pct, ingest_corpus, start_server

ASK = "ASK { ?t a <https://w3id.org/policykg/ontology#Task> }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TARGETS_MS = {"ask": 200.0, "search": 500.0}
THINK = 0.05


def _request(conn_box: list, port: int, method: str, target: str, body: bytes | None, headers: dict):
    """(status, headers, body) on a keep-alive connection kept in ``conn_box``; None on an error."""
    try:
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn_box[0].request(method, target, body=body, headers=headers)
        resp = conn_box[0].getresponse()
        data = resp.read()
        if resp.getheader("Connection", "").lower() == "close":
            conn_box[0].close()
            conn_box[0] = None
        return resp.status, resp, data
    except (OSError, http.client.HTTPException):
        if conn_box[0] is not None:
            conn_box[0].close()
        conn_box[0] = None
        return None


def _probe(kind: str, port: int, stop: threading.Event, out: list) -> None:
    conn: list = [None]
    headers = {"X-Forwarded-For": f"192.0.2.{100 if kind == 'ask' else 101}"}
    if kind == "ask":
        target = "/sparql?" + urllib.parse.urlencode({"query": ASK})
        headers["Accept"] = "application/sparql-results+json"
    else:
        target = "/search?" + urllib.parse.urlencode({"q": "人才"})
        headers["Accept"] = "text/html"
    while not stop.is_set():
        started = time.perf_counter()
        got = _request(conn, port, "GET", target, None, headers)
        status = None if got is None else got[0]
        if status is not None and status != 200:
            status = f"{status} {_code(got[2])}".strip()
        out.append(((time.perf_counter() - started) * 1000, status))
        time.sleep(THINK)


def _code(data: bytes) -> str:
    try:
        return json.loads(data)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""


def _heavy(i: int, port: int, stop: threading.Event, outcomes: collections.Counter) -> None:
    conn: list = [None]
    headers = {"X-Forwarded-For": f"198.51.100.{i + 1}", "Content-Type": "application/sparql-query",
               "Accept": "application/sparql-results+json"}
    while not stop.is_set():
        got = _request(conn, port, "POST", "/sparql", CARTESIAN.encode(), headers)
        if got is None:
            outcomes["connection error"] += 1
            stop.wait(1.0)
            continue
        status, resp, data = got
        outcomes[f"{status} {_code(data)}".strip()] += 1
        retry = resp.getheader("Retry-After")
        if retry:
            stop.wait(min(float(retry), 30.0))


def _summary(samples: list) -> dict:
    lat = [ms for ms, _ in samples]
    statuses = collections.Counter(str(s) for _, s in samples if s != 200)
    return {"requests": len(samples), "errors": sum(statuses.values()), "error_statuses": dict(statuses),
            "p50_ms": round(_pct(lat, 0.5), 1), "p99_ms": round(_pct(lat, 0.99), 1),
            "p999_ms": round(_pct(lat, 0.999), 1), "max_ms": round(max(lat), 1) if lat else 0.0}


def phase(port: int, seconds: float, heavy: int) -> dict:
    stop = threading.Event()
    probes = {"ask": [], "search": []}
    outcomes: collections.Counter = collections.Counter()
    threads = [threading.Thread(target=_probe, args=(k, port, stop, probes[k]), daemon=True) for k in probes]
    threads += [threading.Thread(target=_heavy, args=(i, port, stop, outcomes), daemon=True) for i in range(heavy)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(40)
    out = {k: _summary(v) | {f"over_{int(TARGETS_MS[k])}ms": sum(1 for ms, _ in v if ms > TARGETS_MS[k])}
           for k, v in probes.items()}
    if heavy:
        out["heavy_outcomes"] = dict(outcomes.most_common())
    return out


def run(heavy: int, seconds: float, baseline_seconds: float, env: dict, work: Path, name: str) -> dict:
    store_dir = work / "store"
    proc, port = start_server(store_dir, work / f"server-{name}.log", env)
    try:
        time.sleep(3)                        # the workers' start and in-memory copies
        base = phase(port, baseline_seconds, 0)
        load = phase(port, seconds, heavy)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    ratios = {k: {"p50": round(load[k]["p50_ms"] / max(base[k]["p50_ms"], 0.1), 2),
                  "p99": round(load[k]["p99_ms"] / max(base[k]["p99_ms"], 0.1), 2)} for k in ("ask", "search")}
    met = {k: load[k]["p99_ms"] < TARGETS_MS[k] and load[k]["errors"] == 0 for k in ("ask", "search")}
    return {"settings": env, "baseline": base, "load": load, "load_over_baseline": ratios, "p99_target_met": met}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heavy", type=int, default=10, help="clients looping time-limit queries")
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    ap.add_argument("--baseline", type=float, default=15.0, help="length of the baseline phase")
    ap.add_argument("--compare-unfair", action="store_true",
                    help="run the load again without the short lane and the budget")
    args = ap.parse_args(argv)
    report = {"heavy_clients": args.heavy, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="policykg-fair-") as tmp:
        work = Path(tmp)
        ingest_corpus(work / "store")
        env = {"POLICYKG_TRUSTED_PROXY": "127.0.0.1"}
        report["fair"] = run(args.heavy, args.seconds, args.baseline, env, work, "fair")
        if args.compare_unfair:
            env_off = env | {"POLICYKG_SHORT_QUERY_SECONDS": "0", "POLICYKG_CLIENT_BUDGET": "0"}
            report["without_short_lane_and_budget"] = run(args.heavy, args.seconds, args.baseline, env_off, work,
                                                          "unfair")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
