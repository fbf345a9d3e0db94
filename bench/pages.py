"""The service's pages and API on one store, over HTTP, as a reader meets them.

    python -m bench.pages --store DIR [--reps 3] [--agency KEY] [--baseline] [--json FILE]

Starts ``policykg serve`` on the store (its search index and catalog beside it are synced first,
as at every start), then asks each page once (the first answer: caches and the OS's file cache
cold for that page) and ``--reps`` times more (the median), and prints status, times and size;
then the home page and a short search asked while another reader's common-word search runs.
The document, task and agency asked about are taken from the store itself (the document in the
middle of the catalog, its first task, that task's first body). The server runs without a
client budget (POLICYKG_CLIENT_BUDGET=0): one client asks every page in turn.

``--baseline`` also times, in this process on the same store and without a time limit, what
pages cost before they were read from the search index: the whole-store document list
(``kg.network.profiles.list_documents``; the ratio is that time over the list page's), and the
agency page's profile and picture computed from the store (``agency_profile`` and
``neighbourhood``; the ratio is that time over the agency page's first answer).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from .load import start_server
from .util import finish


def _get(port: int, path: str, timeout: float) -> tuple[int, float, int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept": "text/html" if not path.startswith("/api") else "application/json"})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, time.perf_counter() - start, len(body), body
    except TimeoutError:
        return 0, time.perf_counter() - start, 0, b""
    finally:
        conn.close()


def pages(port: int, timeout: float, agency: str | None = None) -> list[tuple[str, str]]:
    """The pages asked about, with a document, task and agency of the store (``agency`` if given)."""
    listing = json.loads(_get(port, "/api/documents?limit=1", timeout)[3])
    middle = json.loads(_get(port, f"/api/documents?limit=1&offset={listing['total'] // 2}", timeout)[3])
    doc = middle["documents"][0]
    detail = json.loads(_get(port, "/api/documents/" + quote(doc["key"]), timeout)[3])
    task = next((t for t in detail.get("tasks", []) if t.get("agencies")), None)
    agency = agency or (task["agencies"][0]["key"] if task else "cn/ndrc")
    last = max(1, -(-listing["total"] // 200))
    q = {"common": "科技创新", "rare": "科技特派员"}
    return [
        ("home", "/"),
        ("documents, page 1", "/documents"),
        ("documents, last page by date", f"/documents?sort=-issued&page={last}"),
        ("documents, provincial 2020", "/documents?level=provincial&year=2020"),
        ("document page", "/doc/" + quote(doc["key"])),
        ("agency page", "/agency/" + quote(agency)),
        ("search, common word", "/search?" + urlencode({"q": q["common"]})),
        ("search, rare word", "/search?" + urlencode({"q": q["rare"]})),
        ("search, common word, leads", "/search?" + urlencode({"q": q["common"], "role": "lead"})),
        ("search, two words", "/search?" + urlencode({"q": "人才 引进"})),
        ("api documents, middle", f"/api/documents?limit=100&offset={listing['total'] // 2}"),
        ("api document", "/api/documents/" + quote(doc["key"])),
        ("api task", f"/api/tasks/{quote(doc['key'])}/{task['ordinal'] if task else 1}"),
        ("api agency", "/api/agencies/" + quote(agency)),
        ("api agencies (network metrics)", "/api/agencies"),
        ("api stats (whole store)", "/api/stats"),
        ("sparql ASK", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})),
    ]


def measure(port: int, reps: int, timeout: float, agency: str | None = None) -> list[dict]:
    rows = []
    for name, path in pages(port, timeout, agency):
        status, first, size, _ = _get(port, path, timeout)
        warm = [_get(port, path, timeout)[:2] for _ in range(reps)]
        rows.append({"page": name, "path": path, "status": status, "first_s": round(first, 4),
                     "warm_median_s": round(statistics.median(t for _, t in warm), 4) if warm else None,
                     "warm_status": sorted({s for s, _ in warm}), "bytes": size})
    return rows


SLOW = "/search?" + urlencode({"q": "科技创新"})         # the slowest page: seconds at 10^5 documents
ALONGSIDE = (("home", "/"), ("search, two words", "/search?" + urlencode({"q": "人才 引进"})))


def alongside(port: int, timeout: float) -> list[dict]:
    """Other readers while one reader's slow search runs: each of ``ALONGSIDE`` asked 0.5 s after
    the slow search started (its answer warm otherwise), and the slow search's own time."""
    import threading

    rows = []
    for name, path in ALONGSIDE:
        _get(port, path, timeout)                          # warm: only the waiting is measured
        slow: dict = {}
        runner = threading.Thread(target=lambda into=slow: into.update(took=_get(port, SLOW, timeout)[1]))
        runner.start()
        time.sleep(0.5)
        status, took, _, _ = _get(port, path, timeout)
        runner.join()
        rows.append({"page": f"{name}, during a slow search", "status": status, "seconds": round(took, 4),
                     "slow_search_s": round(slow["took"], 4)})
    return rows


def baseline(store_dir: Path, agency: str) -> dict:
    from kg.network.ego import neighbourhood
    from kg.network.profiles import agency_profile, list_documents
    from kg.store.embedded import open_store

    store = open_store(store_dir, read_only=True)
    start = time.perf_counter()
    n = len(list_documents(store))
    listed = time.perf_counter() - start
    start = time.perf_counter()
    documents = len(agency_profile(store, agency)["documents"])
    neighbourhood(store, agency)
    return {"whole_store_document_list_s": round(listed, 3), "documents": n, "agency": agency,
            "agency_from_store_s": round(time.perf_counter() - start, 3), "agency_documents": documents}


def table(result: dict) -> str:
    lines = [f"{'page':34} {'status':>7} {'first':>10} {'warm':>10} {'bytes':>9}"]
    for r in result["pages"]:
        warm = "" if r["warm_median_s"] is None else f"{r['warm_median_s'] * 1000:.1f} ms"
        lines.append(f"{r['page']:34} {r['status']:>7} {r['first_s'] * 1000:>7.1f} ms {warm:>10} {r['bytes']:>9}")
    for r in result.get("alongside", []):
        lines.append(f"{r['page']:34} {r['status']:>7} {r['seconds'] * 1000:>7.1f} ms   (the slow search: "
                     f"{r['slow_search_s']:.1f} s)")
    lines.append(f"service up and synced in {result['start_s']:.1f} s")
    if "baseline" in result:
        b = result["baseline"]
        listed = next(r for r in result["pages"] if r["page"] == "documents, page 1")
        lines.append(f"baseline: the whole-store document list {b['whole_store_document_list_s']:.1f} s for "
                     f"{b['documents']} documents; the list page {listed['first_s'] * 1000:.1f} ms first: "
                     f"{b['whole_store_document_list_s'] / max(listed['first_s'], 1e-6):.1f}x")
        page = next(r for r in result["pages"] if r["page"] == "agency page")
        lines.append(f"baseline: {b['agency']}'s profile and picture from the store {b['agency_from_store_s']:.1f} s "
                     f"({b['agency_documents']} documents); the agency page {page['first_s'] * 1000:.1f} ms first: "
                     f"{b['agency_from_store_s'] / max(page['first_s'], 1e-6):.1f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="store directory (its search index beside it)")
    ap.add_argument("--reps", type=int, default=3, help="answers timed after the first (median)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a page may take before it is given up")
    ap.add_argument("--baseline", action="store_true", help="also time the whole-store document list")
    ap.add_argument("--agency", help="the agency whose page is asked (default: the first body of the middle "
                                     "document's first task)")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args(argv)
    store = Path(args.store)
    start = time.perf_counter()
    # one client asks every page: without a budget, the answers over their limits (an agency's
    # page at 100,000 documents: 60 s of worker time) would have the later pages refused with 429
    proc, port = start_server(store, store.with_name(store.name + ".bench-pages.log"),
                              {"POLICYKG_CLIENT_BUDGET": "0"}, start_timeout=7200)
    try:
        status = 0
        while status != 200:                   # the first sync (and a catalog fill) runs before serving
            status = _get(port, "/", args.timeout)[0]
        result = {"store": str(store), "start_s": round(time.perf_counter() - start, 1),
                  "pages": measure(port, args.reps, args.timeout, args.agency),
                  "alongside": alongside(port, args.timeout)}
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    if args.baseline:
        agency = next(r["path"] for r in result["pages"] if r["page"] == "agency page")
        result["baseline"] = baseline(store, unquote(agency.removeprefix("/agency/")))
    return finish(result, table, args.json)


if __name__ == "__main__":
    sys.exit(main())
