"""Everything the service answers about a corpus, as one canonical JSON: the before/after record
of a change to the graph's shape.

    python -m bench.snapshot --out FILE [PATH ...]      (default PATH: corpus/)

Ingests the inputs into a fresh in-memory store and records, sorted so that two runs compare
line by line: every example query (queries/*.rq, the checkout's own texts), the store's counts,
the task list with its agencies and roles, the agency pairs, summary, profiles and
neighbourhoods, the network's metrics, tasks without lead, every document's and task's detail,
the document pages' marks, every comparison of an implementing document with its national one,
the instrument rows and the search facets of every agency and role. Run it in the checkout
before a change and in the one after; ``tests/kg/test_shape_answers.py`` compares the record
that ``tests/data/answers/`` keeps (made by the commit named there) with this checkout's.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


def _plain(value):
    """JSON-able and comparable: pyoxigraph terms as their text, floats rounded, sets sorted."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value.value
    if isinstance(value, ox.BlankNode):
        return "_:b"
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def _rows(store, text: str) -> list:
    result = store.query(text)
    if isinstance(result, bool):
        return [result]
    names = [v.value for v in result.variables]
    rows = [{n: _plain(row[n]) for n in names} for row in result]
    return sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


def _queries(store) -> dict:
    from kg.graph.namespaces import PREFIXES  # noqa: F401 - the queries carry their own prefixes

    return {p.name: _rows(store, p.read_text(encoding="utf-8")) for p in sorted(QUERIES.glob("*.rq"))}


def _network(store) -> dict:
    from kg.network import ego, profiles
    from kg.network.agency_graph import agencies_with_metrics

    tasks = profiles.task_agencies(store)
    keys = sorted({a["key"] for t in tasks for a in t["agencies"]})
    docs = profiles.list_documents(store)
    details = {}
    for d in docs:
        detail = profiles.document_detail(store, d["iri"])
        details[d["iri"]] = detail
        for t in detail.get("tasks", []):
            details[f'{d["iri"]}#{t["ordinal"]}'] = profiles.task_detail(store, d["iri"], t["ordinal"])
    return {
        "tasks": tasks,
        "pairs": profiles.agency_pairs(store),
        "summary": profiles.agency_summary(store),
        "without_lead": profiles.tasks_without_lead(store),
        "metrics": sorted(agencies_with_metrics(store), key=lambda r: json.dumps(_plain(r), sort_keys=True)),
        "profiles": {k: profiles.agency_profile(store, k) for k in keys},
        "neighbourhoods": {k: ego.neighbourhood(store, k) for k in keys},
        "documents": docs,
        "details": details,
    }


def _pages(store) -> dict:
    from kg.docview import document_view
    from kg.network.profiles import list_documents

    out = {}
    for d in list_documents(store):
        key = d["iri"].rsplit("/", 1)[-1]
        view = document_view(store, key)
        out[key] = {"marks": sorted((_plain(m) for m in view.marks), key=json.dumps),
                    "provisions": view.provisions, "sections": view.sections}
    return out


def _compare(store) -> dict:
    from kg.compare.report import compare, implemented_by
    from kg.errors import KGError
    from kg.network.profiles import list_documents

    out = {}
    for d in list_documents(store):
        national = implemented_by(store, d["iri"])
        if national:
            try:
                out[d["iri"]] = compare(store, d["iri"], national)
            except KGError as e:              # the national document is not in the store
                out[d["iri"]] = e.code
    return out


def _search(store, index) -> dict:
    from kg.search import search

    out = {}
    for q in ("科技", "创新", "海关", "体育"):
        res = search(index, q, per_page=1000)
        out[q] = {"total": res.total, "facets": res.facets,
                  "hits": sorted(([h.node, h.agencies, h.note] for h in res.hits), key=json.dumps)}
        for facet, values in res.facets.items():
            for value, _label, _n in values:
                r = search(index, q, {facet: value}, per_page=1000)
                out[f"{q}|{facet}={value}"] = sorted(h.node for h in r.hits)
    return out


def snapshot(paths: list[str]) -> dict:
    from kg.analytics.instruments import tag_rows
    from kg.ingest import ingest_paths
    from kg.query.stats import stats
    from kg.search import connect

    store = ox.Store()
    with tempfile.TemporaryDirectory() as tmp:
        index = connect(Path(tmp) / "index.sqlite")
        reports = ingest_paths(store, paths, index=index)
        failed = [r.path for r in reports if r.status == "failed"]
        return _plain({
            "inputs": sorted(str(Path(p).name) for p in paths), "failed": failed,
            "queries": _queries(store), "stats": stats(store), "network": _network(store),
            "pages": _pages(store), "compare": _compare(store),
            "instruments": tag_rows(store), "search": _search(store, index),
        })


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.snapshot", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", default=[str(ROOT / "corpus")])
    p.add_argument("--out", required=True, type=Path)
    args = p.parse_args(argv)
    record = snapshot(args.paths)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(record['queries'])} queries, {len(record['network']['tasks'])} tasks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
