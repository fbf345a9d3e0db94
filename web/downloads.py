"""Tables of the pages as files researchers open in Excel: CSV (UTF-8 with BOM) and XLSX.

``?format=csv`` or ``?format=xlsx`` on /documents, /doc/<key> (its tasks × bodies),
/agency/<key> (its tasks), /search (every result, up to ``SEARCH_ROWS``) and /compare gives the
page's table. Column names are stable English keys (as the CLI's CSV); the cells are the data.
Every XLSX cell is text or a number, never a formula, whatever the text begins with.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Response, request

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SEARCH_ROWS = 5000


def wanted() -> str | None:
    fmt = request.args.get("format", "")
    return fmt if fmt in FORMATS else None


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows([[_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(name: str, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name[:31] or "table")

    def cells(values):
        out = []
        for v in values:
            cell = WriteOnlyCell(sheet, value=_cell(v) if isinstance(v, (int, float)) else str(_cell(v)))
            if isinstance(cell.value, str):
                cell.data_type = "s"          # text as text: "=…" stays a string, not a formula
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def download(name: str, header: list[str], rows: list[list], fmt: str) -> Response:
    """The table as an attachment named ``name``.csv / .xlsx (``name`` may be Chinese)."""
    body = _csv(header, rows) if fmt == "csv" else _xlsx(name, header, rows)
    resp = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    if fmt == "csv":
        resp.headers["Content-Type"] = FORMATS["csv"]
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name) or "table"
    resp.headers["Content-Disposition"] = (f"attachment; filename=\"{ascii_name}.{fmt}\"; "
                                           f"filename*=UTF-8''{quote(name)}.{fmt}")
    return resp


# --- the tables ---------------------------------------------------------------------------------

DOCUMENT_COLUMNS = ["identifier", "title", "issuer", "issued", "level", "region", "tasks", "partial", "key"]


def documents_table(docs: list[dict]) -> tuple[list[str], list[list]]:
    return DOCUMENT_COLUMNS, [[d.get(c) for c in DOCUMENT_COLUMNS] for d in docs]


def task_bodies_table(detail: dict) -> tuple[list[str], list[list]]:
    """A document's tasks × bodies: one row per (task, body), bodies in the order the text names them."""
    header = ["identifier", "task", "title", "position", "agency_key", "agency", "roles", "lead"]
    rows = []
    for t in detail["tasks"]:
        for n, a in enumerate(t["agencies"], 1):
            rows.append([detail.get("identifier"), t["ordinal"], t["title"], n, a["key"], a["label"],
                         " ".join(a["roles"]), "lead" in a["roles"]])
    return header, rows


def agency_tasks_table(profile: dict) -> tuple[list[str], list[list]]:
    header = ["identifier", "document", "task", "title", "roles"]
    rows = [[t["identifier"], t["document"], t["ordinal"], t["title"], "lead"] for t in profile["led"]]
    rows += [[t["identifier"], t["document"], t["ordinal"], t["title"], " ".join(t["roles"])]
             for t in profile["participated"]]
    return header, rows


def search_table(results, partial: set[str]) -> tuple[list[str], list[list]]:
    header = ["kind", "document", "document_title", "partial", "ordinal", "title", "text", "agencies", "note"]
    rows = [[h.kind, h.doc, h.doc_title, h.doc in partial, h.ordinal, h.title, h.text,
             "、".join(label + ("(lead)" if role == "lead" else "") for _, label, role in h.agencies), h.note]
            for h in results.hits]
    return header, rows


def comparison_table(result: dict) -> tuple[list[str], list[list]]:
    """National tasks in order with their coverage and the local task(s) aligned to each, then the
    tasks added locally."""
    header = ["national_ordinal", "national_title", "coverage", "local_ordinal", "local_title", "score", "method"]
    by_national: dict = {}
    for a in result["alignments"]:
        by_national.setdefault(a["national_ordinal"], []).append(a)
    rows = []
    for c in result["coverage"]:
        aligned = by_national.get(c["national_ordinal"]) or [None]
        for a in aligned:
            rows.append([c["national_ordinal"], c["national_title"], c["status"],
                         a and a["local_ordinal"], a and a["local_title"], a and round(a["score"], 3), a and a["method"]])
    rows += [[None, None, "added locally", t["ordinal"], t["title"], None, None] for t in result["local_added"]]
    return header, rows
