"""Researcher analytics commands: instruments, agreement, continuity, cites, implementers.

    policykg instruments [--by measure|document|task|agency|instrument] [--format table|csv|json] [-o FILE]
    policykg agreement [--sample CSV] [--lexicon CSV] [--format table|csv|json]
    policykg continuity NAME [--region 辽宁省]
    policykg cites [DOCUMENT] [--format …]
    policykg implementers [DOCUMENT] [--format …]

CSV is UTF-8 with a header row, one observation per row (``--by measure``: one row per
measure × instrument tag), ready for R (``read.csv(f, encoding = "UTF-8")``) and Stata
(``import delimited f, encoding(utf-8) varnames(1)``).
"""

from __future__ import annotations

import csv
import json
import sys

from policykg.cli import store_arg, store_path

FORMATS = ["table", "csv", "json"]


def _open(args):
    from kg.store.embedded import open_store

    return open_store(store_path(args), read_only=True)


def _emit(columns: list[str], rows: list[dict], fmt: str, output: str | None = None) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="") as f:
            _write(columns, rows, fmt, f)
    else:
        _write(columns, rows, fmt, sys.stdout)


def _write(columns: list[str], rows: list[dict], fmt: str, out) -> None:
    if fmt == "json":
        json.dump([{c: r.get(c) for c in columns} for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    else:
        from kg.texttable import text_table

        print(text_table(columns, [[r.get(c) for c in columns] for r in rows]), file=out)
        print(f"({len(rows)} rows)", file=out)


def cmd_instruments(args) -> int:
    from kg.analytics.instruments import ROW_COLUMNS, counts, tag_rows

    rows = tag_rows(_open(args))
    columns, out = counts(rows, args.by)
    if args.by == "measure" and args.format == "table":
        columns = [c for c in ROW_COLUMNS if c not in ("document", "text", "evidence_offsets", "title")]
    _emit(columns, out, args.format, args.output)
    return 0


def cmd_agreement(args) -> int:
    from kg.analytics.agreement import run

    return run(args)


def cmd_continuity(args) -> int:
    from extraction.gazetteer import default_gazetteer
    from kg.analytics.continuity import predecessors, successors
    from kg.errors import KGError

    gaz = default_gazetteer()
    agency = gaz.get(args.name) or gaz.resolve(args.name, args.region)
    if agency is None or not agency.recognised:
        raise KGError("K103", f"{args.name} is not a body the gazetteer knows")
    rows = [{"direction": "before", "date": r.date, "agency": gaz.get(k).pref_label, "key": k, "reform": r.id,
             "source": r.source} for r, k in predecessors(agency.key)]
    rows += [{"direction": "now", "date": "", "agency": agency.pref_label, "key": agency.key, "reform": "",
              "source": ""}]
    rows += [{"direction": "after", "date": r.date, "agency": gaz.get(k).pref_label, "key": k, "reform": r.id,
              "source": r.source} for r, k in successors(agency.key)]
    _emit(["direction", "date", "agency", "key", "reform", "source"], rows, args.format)
    return 0


def cmd_cites(args) -> int:
    from kg.analytics.citations import cites

    rows = cites(_open(args), args.document)
    _emit(["citing", "cited_title", "cited_identifier", "status", "resolved_title", "start", "end"], rows,
          args.format)
    return 0


def cmd_implementers(args) -> int:
    from kg.analytics.citations import implemented_by

    rows = implemented_by(_open(args), args.document)
    _emit(["implemented_identifier", "implemented_title", "loaded", "title", "evidence"], rows, args.format)
    return 0


def register(subparsers) -> None:
    from kg.analytics.agreement import add_arguments

    s = subparsers.add_parser("instruments", help="policy-instrument tags of measures, and counts (R/Stata CSV)")
    s.add_argument("--by", default="instrument", choices=["measure", "document", "task", "agency", "instrument"],
                   help="measure: one row per measure x tag; otherwise counts per group (default: instrument)")
    s.add_argument("--format", default="table", choices=FORMATS)
    s.add_argument("--output", "-o", metavar="FILE", help="write to FILE (UTF-8) instead of standard output")
    store_arg(s)
    s.set_defaults(func=cmd_instruments)

    s = subparsers.add_parser("agreement", help="instrument tagger vs the hand-coded sample: % agreement, kappa")
    add_arguments(s)
    s.set_defaults(func=cmd_agreement)

    s = subparsers.add_parser("continuity", help="a body's predecessors and successors across the 2018/2023 reforms")
    s.add_argument("name", help="gazetteer key (ln/agri-committee) or a name as written (农业部, 辽宁省农委)")
    s.add_argument("--region", help="province-level region for forms such as 省农委 (e.g. 辽宁省)")
    s.add_argument("--format", default="table", choices=FORMATS)
    s.set_defaults(func=cmd_continuity)

    s = subparsers.add_parser("cites", help="what a document cites (all documents if none given), resolved or flagged")
    s.add_argument("document", nargs="?", help="文号, exact title or document IRI")
    s.add_argument("--format", default="table", choices=FORMATS)
    store_arg(s)
    s.set_defaults(func=cmd_cites)

    s = subparsers.add_parser("implementers", help="which loaded documents implement a document (all if none given)")
    s.add_argument("document", nargs="?", help="文号, exact title or document IRI (need not be loaded)")
    s.add_argument("--format", default="table", choices=FORMATS)
    store_arg(s)
    s.set_defaults(func=cmd_implementers)
