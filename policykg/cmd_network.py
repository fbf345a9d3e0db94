"""Agency network commands: ``agencies``, ``network``, ``agency``, ``path``, ``task-agencies``.

Each is a thin wrapper over kg.network.profiles / kg.network.agency_graph / kg.network.exports. Exit codes as in
policykg.cli: 0 success, 2 usage or error (unknown document or agency, no path …).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from i18n import ROLES, _, ngettext, word
from policykg.cli import store_arg, store_path

AGENCY_FIELDS = ["key", "label", "kind", "tasks", "led", "degree", "weighted_degree", "betweenness",
                 "eigenvector", "community", "component"]


def _store(args):
    from kg.store.embedded import open_store

    return open_store(store_path(args), read_only=True)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _table(header: list[str], rows: list[list]) -> str:
    from kg.texttable import text_table

    return text_table(header, rows)


def cmd_agencies(args) -> int:
    from kg.network.agency_graph import agencies_with_metrics

    rows = agencies_with_metrics(_store(args), args.document)
    rows = [{f: r[f] for f in AGENCY_FIELDS} for r in rows]
    if args.format == "json":
        _print_json(rows)
    elif args.format == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=AGENCY_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        from i18n import KINDS

        shown = [{**r, "kind": word(KINDS, r["kind"], _) or "-"} for r in rows]
        body = [[r[f] if not isinstance(r[f], float) else f"{r[f]:.4f}" for f in AGENCY_FIELDS] for r in shown]
        print(_table(AGENCY_FIELDS, body))
        print(ngettext("(%(num)s agency)", "(%(num)s agencies)", len(rows)))
    return 0


def cmd_network(args) -> int:
    from kg.network.exports import export_network

    data, _ = export_network(_store(args), args.format, args.document)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _task_line(t: dict) -> str:
    return f"{t['identifier'] or t['document']} {t['ordinal']}. {t['title']}"


def cmd_agency(args) -> int:
    from kg.network.profiles import agency_profile

    p = agency_profile(_store(args), args.name, args.document)
    if args.json:
        _print_json(p)
        return 0
    from i18n import KINDS

    kind = word(KINDS, p["kind"], _)
    print(f"{p['label']}  ({p['key']}{', ' + kind if kind else ''})")
    if p["alt_labels"]:
        print(_("also written: %(names)s", names="、".join(p["alt_labels"])))
    print("\n" + _("leads %(n)s task(s):", n=len(p["led"])))
    for t in p["led"]:
        print(f"  {_task_line(t)}")
    print("\n" + _("shares %(n)s more task(s) without leading:", n=len(p["participated"])))
    for t in p["participated"]:
        print(f"  {_task_line(t)}  [{'、'.join(word(ROLES, r, _) for r in t['roles'])}]")
    print("\n" + _("%(n)s partner(s) (shared tasks):", n=len(p["partners"])))
    for q in p["partners"]:
        print(f"  {q['shared_tasks']:>3}  {q['label']}  ({q['key']})")
    print("\n" + _("documents:"))
    for d in p["documents"]:
        count = _("%(n)s task(s)", n=d["tasks"])
        print(f"  {d['identifier'] or '-'}  {count}  {d['title']}")
    return 0


def cmd_path(args) -> int:
    from kg.network.agency_graph import shortest_path

    p = shortest_path(_store(args), args.a, args.b, args.document)
    if args.json:
        _print_json(p)
        return 0
    print(_("%(n)s hop(s), distance %(d).3f (edge length = 1 / shared tasks)", n=p["length"], d=p["distance"]))
    for h in p["hops"]:
        shared = _("%(n)s shared task(s)", n=h["weight"])
        print(f"{h['source_label']} — {h['target_label']}  ({shared})")
        for t in h["tasks"]:
            print(f"    {_task_line(t)}")
    return 0


def cmd_tasks(args) -> int:
    from kg.network.profiles import task_agencies

    tasks = task_agencies(_store(args), args.document)
    if args.no_lead:
        tasks = [t for t in tasks if not t["leads"]]
    if args.json:
        _print_json(tasks)
        return 0
    for t in tasks:
        lead = word(ROLES, "lead", _)
        names = "、".join(a["label"] + (f"({lead})" if "lead" in a["roles"] else "") for a in t["agencies"])
        print(f"{_task_line(t)}\n    {names}")
    print(ngettext("(%(num)s task)", "(%(num)s tasks)", len(tasks)))
    return 0


def register(sub) -> None:
    def document_arg(p):
        p.add_argument("--document", metavar="ID", default=None, help="only this document (文号, key or IRI)")

    s = sub.add_parser("agencies", help="agencies with their task counts and network metrics")
    document_arg(s)
    s.add_argument("--format", default="table", choices=["table", "json", "csv"])
    store_arg(s)
    s.set_defaults(func=cmd_agencies)

    s = sub.add_parser("network", help="export the agency co-responsibility network")
    s.add_argument("--format", default="graphml", choices=["graphml", "gexf", "csv", "json"])
    s.add_argument("--output", "-o", metavar="FILE")
    document_arg(s)
    store_arg(s)
    s.set_defaults(func=cmd_network)

    s = sub.add_parser("agency", help="profile of one agency: tasks led and shared, partners, documents")
    s.add_argument("name", metavar="NAME_OR_KEY", help="any written form (海关总署, 省科技厅), full name, or key (cn/customs)")
    document_arg(s)
    s.add_argument("--json", action="store_true")
    store_arg(s)
    s.set_defaults(func=cmd_agency)

    s = sub.add_parser("path", help="shortest path between two agencies, with the shared tasks on each hop")
    s.add_argument("a", metavar="A")
    s.add_argument("b", metavar="B")
    document_arg(s)
    s.add_argument("--json", action="store_true")
    store_arg(s)
    s.set_defaults(func=cmd_path)

    s = sub.add_parser("task-agencies", help="each task with the agencies that share it (and their roles)")
    document_arg(s)
    s.add_argument("--no-lead", action="store_true", help="only tasks that name no lead")
    s.add_argument("--json", action="store_true")
    store_arg(s)
    s.set_defaults(func=cmd_tasks)
