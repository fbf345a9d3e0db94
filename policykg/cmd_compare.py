"""``policykg compare LOCAL [NATIONAL]``: a local document against the national one it implements."""

from __future__ import annotations

import csv
import html
import io
import json
import sys

from i18n import COVERAGE, NOTES, _, word
from kg.texttable import text_table
from policykg.cli import store_arg, store_path

FORMATS = ("table", "json", "csv", "markdown", "html")
CSV_FIELDS = ("local_ordinal", "local_title", "national_ordinal", "national_title", "score", "method",
              "title_words", "title_chars", "body_words", "body_chars", "coverage")


def register(subparsers) -> None:
    s = subparsers.add_parser(
        "compare", help="align a local document's tasks with the national document it implements",
        description="Documents are named by 文号, exact title or IRI. NATIONAL defaults to the document "
                    "LOCAL implements (pol:implements).")
    s.add_argument("local", metavar="LOCAL")
    s.add_argument("national", metavar="NATIONAL", nargs="?", default=None)
    s.add_argument("--format", default="table", choices=FORMATS)
    s.add_argument("--no-reuse", action="store_true", help="skip the text-reuse search (full texts only)")
    s.add_argument("--save", action="store_true",
                   help="also (re)write the comparison graph in the store (ingest does this by itself)")
    store_arg(s)
    s.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    from kg.compare.report import compare
    from kg.store.embedded import open_store

    store = open_store(store_path(args), read_only=not args.save)
    result = compare(store, args.local, args.national, reuse=not args.no_reuse)
    if args.save:
        from kg.compare.graph import write_comparison

        result["graph"] = write_comparison(store, result)
        store.flush()
    sys.stdout.write(render(result, args.format))
    return 0


def _rows(result: dict) -> list[dict]:
    status = {c["national_ordinal"]: c["status"] for c in result["coverage"]}
    return [{"local_ordinal": a["local_ordinal"], "local_title": a["local_title"],
             "national_ordinal": a["national_ordinal"], "national_title": a["national_title"],
             "score": f"{a['score']:.3f}", "method": a["method"],
             **{k: f"{v:.3f}" for k, v in a["features"].items()},
             "coverage": status.get(a["national_ordinal"], "")} for a in result["alignments"]]


def _sections(result: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every part of the report as (heading, header, rows), shared by table, markdown and html
    (in the reader's language; the CSV keeps its stable English header and codes)."""
    out = [(_("Task alignment"), [_("local"), _("national"), _("score"), _("method"), _("coverage")],
            [[f"{r['local_ordinal']} {r['local_title']}", f"{r['national_ordinal']} {r['national_title']}",
              r["score"], r["method"], word(COVERAGE, r["coverage"], _)] for r in _rows(result)])]
    out.append((_("National tasks not covered"), ["n", _("title")],
                [[str(t["ordinal"]), t["title"]] for t in result["national_uncovered"]]))
    out.append((_("Local tasks with no national counterpart"), ["n", _("title")],
                [[str(t["ordinal"]), t["title"]] for t in result["local_added"]]))
    out.append((_("Targets by year"), [_("year"), _("local"), _("national"), _("wording")],
                [[str(t["year"]), " / ".join(x["text"] for x in t["local"]) or "-",
                  " / ".join(x["text"] for x in t["national"]) or "-", f"{t['wording_similarity']:.2f}"]
                 for t in result["targets"]]))
    out.append((_("Principles"), [_("national"), _("local"), _("wording")],
                [[p["national"] or "-", " / ".join(p["local"]) or "-", p["wording"]] for p in result["principles"]]))
    ag = result["agencies"]
    out.append((_("Agencies (%(note)s)", note=word(NOTES, ag["note"], _)),
                [_("tasks"), _("local body"), _("national counterpart")],
                [[f"{t['local_ordinal']}↔{t['national_ordinal']}", b["name"], b["national_counterpart"] or "-"]
                 for t in ag["tasks"] for b in t["local_bodies"]]))
    if result.get("reuse"):
        r = result["reuse"]
        out.append((_("Text reuse (copied %(copied).0f%%, modified %(modified).0f%%, new %(new).0f%%)",
                      copied=r["copied_share"] * 100, modified=r["modified_share"] * 100, new=r["new_share"] * 100),
                    [_("kind"), _("local"), _("national"), _("similarity")],
                    [[p["kind"], _span(p["local"]), _span(p["national"]), f"{p['similarity']:.2f}"]
                     for p in r["passages"]]))
    return out


def _span(span) -> str:
    return f"{span[0]}–{span[1]}" if span else "-"


def _title(result: dict) -> str:
    loc, nat = result["local"], result["national"]
    partial = " " + _("(partial: outline only)") if nat.get("partial") else ""
    return f"{loc['title']} ↔ {nat['title']} {nat['identifier'] or ''}{partial}".strip()


def render(result: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(_rows(result))
        return buf.getvalue()
    if fmt == "markdown":
        lines = [f"# {_title(result)}", ""]
        for heading, header, rows in _sections(result):
            lines += [f"## {heading}", ""]
            if not rows:
                lines += [_("(none)"), ""]
                continue
            lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
            lines.append("")
        return "\n".join(lines)
    if fmt == "html":
        e = html.escape
        parts = ['<!doctype html><html lang="zh"><meta charset="utf-8">',
                 f"<title>{e(_title(result))}</title><h1>{e(_title(result))}</h1>"]
        for heading, header, rows in _sections(result):
            parts.append(f"<h2>{e(heading)}</h2>")
            if not rows:
                parts.append(f"<p>{e(_('(none)'))}</p>")
                continue
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
            parts.append("</table>")
        return "\n".join(parts) + "\n</html>\n"
    lines = [_title(result), ""]
    for heading, header, rows in _sections(result):
        lines.append(heading)
        if not rows:
            lines += ["  " + _("(none)"), ""]
            continue
        lines += [text_table(header, rows, indent="  ", rule=False), ""]
    return "\n".join(lines)
