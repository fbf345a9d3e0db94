"""The service's answers on one store: per document and per agency, against the whole-store
computation they used to be (or would otherwise be) filtered from; and the whole-store answers
against their time limit.

    python -m bench.answers --store DIR [--reps 3] [--document 国发〔2019〕3号]
                            [--agencies ln/dost,cn/ndrc] [--json FILE]

Each figure is the median of ``--reps`` runs after a warm-up, on the store opened read-only,
in this process (the service runs the same functions in a query worker). Rows:

* per document (``/api/documents/…``, ``/api/tasks/…/N``, the document page) and per agency
  (the agency profile, its neighbourhood picture): the time, the baseline — the whole store's
  task list filtered in Python, or the whole agency network built, which is what these answers
  cost before they were bound to their document or agency — and the ratio baseline / time;
* whole store (home-page counts, document list, task list, agency metrics, pairs): the time
  and its share of POLICYKG_SUMMARY_TIMEOUT, past which the service answers K209;
* search (when the store has its index, ``<store>.search.sqlite``): a common, a rarer and a
  two-word query, alone and filtered by role and by agency.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], reps: int) -> float:
    fn()
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def measure(store, document: str, agencies: list[str], reps: int) -> dict:
    from kg import settings
    from kg.docview import document_view
    from kg.graph.namespaces import AGENCY
    from kg.network import agency_graph as network
    from kg.network import profiles
    from kg.network.ego import neighbourhood
    from kg.query.stats import stats

    doc = profiles.resolve_document(store, document)
    whole_tasks = timed(lambda: profiles.task_agencies(store), reps)
    whole_network = timed(lambda: network.agency_graph(store), reps)
    rows = {
        "document_detail": {"seconds": timed(lambda: profiles.document_detail(store, document), reps),
                            "baseline": whole_tasks},
        "task_detail": {"seconds": timed(lambda: profiles.task_detail(store, document, 1), reps),
                        "baseline": whole_tasks},
        "document_view": {"seconds": timed(lambda: document_view(store, doc["key"]), reps), "baseline": whole_tasks},
    }
    for key in agencies:
        rows[f"agency_profile {key}"] = {"seconds": timed(lambda k=key: profiles.agency_profile(store, k), reps),
                                         "baseline": whole_tasks,
                                         "tasks": len(profiles.task_agencies(store, agency=str(AGENCY[key])))}
        rows[f"neighbourhood {key}"] = {"seconds": timed(lambda k=key: neighbourhood(store, k), reps),
                                        "baseline": whole_network}
    for row in rows.values():
        row["ratio"] = row["baseline"] / row["seconds"]
    limit = settings.get("POLICYKG_SUMMARY_TIMEOUT")
    whole = {
        "stats": timed(lambda: stats(store), reps),
        "list_documents": timed(lambda: profiles.list_documents(store), reps),
        "task_agencies": whole_tasks,
        "agencies_with_metrics": timed(lambda: network.agencies_with_metrics(store), reps),
        "agency_pairs": timed(lambda: profiles.agency_pairs(store), reps),
        "agency_graph": whole_network,
    }
    return {"quads": len(store), "documents": len(profiles.list_documents(store)), "limit": limit,
            "bound": rows, "whole": {k: {"seconds": v, "of_limit": v / limit} for k, v in whole.items()}}


SEARCHES = ("创新", "科技特派员", "国家发展改革委 负责")
FILTERS = ({}, {"role": "lead"}, {"agency": "https://w3id.org/policykg/agency/cn/ndrc"})


def measure_search(index, reps: int) -> list[dict]:
    from kg.search import connect, search

    conn = connect(index)
    rows = []
    for q in SEARCHES:
        for f in FILTERS:
            hits = search(conn, q, f).total
            rows.append({"q": q, "filter": f, "hits": hits, "seconds": timed(lambda q=q, f=f: search(conn, q, f), reps)})
    return rows


def report(r: dict) -> str:
    lines = [f"Answers on a store of {r['quads']:,} quads ({r['documents']} documents)", "",
             "| bound answer | seconds | baseline (whole store) | ratio |", "|---|---|---|---|"]
    lines += [f"| {name} | {x['seconds']:.3f} | {x['baseline']:.3f} | {x['ratio']:.1f}× |" for name, x in r["bound"].items()]
    lines += ["", f"| whole-store answer | seconds | share of the {r['limit']:g} s limit |", "|---|---|---|"]
    lines += [f"| {name} | {x['seconds']:.3f} | {x['of_limit']:.1%} |" for name, x in r["whole"].items()]
    if r.get("search"):
        lines += ["", "| search | filter | hits | seconds |", "|---|---|---|---|"]
        lines += [f"| {x['q']} | {json.dumps(x['filter'], ensure_ascii=False)} | {x['hits']} | {x['seconds']:.3f} |"
                  for x in r["search"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from kg.store.embedded import open_store

    p = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__.split("\n")[0])
    p.add_argument("--store", required=True)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--document", default="国发〔2019〕3号")
    p.add_argument("--agencies", default="ln/dost,cn/ndrc")
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    from kg.search import index_path

    r = measure(open_store(args.store, read_only=True), args.document, args.agencies.split(","), args.reps)
    if index_path(args.store).exists():
        r["search"] = measure_search(index_path(args.store), args.reps)
    print(report(r))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(r, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
