"""Rewrites of a real document that keep its meaning, as other documents write the same things.

Used by ``python -m bench.accuracy --perturb NAME`` to score the gold set on texts written in
styles the extractor was not developed on: the gold answers stay the same, so any drop is the
extractor leaning on the surface of the documents it was written against.

* ``ascii-notes``   responsibility notes in ASCII brackets and colons: (责任单位:A、B)
* ``label-words``   other label words of the same role: 责任单位 -> 责任部门, 牵头单位 -> 牵头部门,
                    配合单位 -> 协办单位, 负责单位 -> 承办单位
* ``note-lines``    a note at the end of an item moved to a line of its own below the item
* ``label-clauses`` a labelled note without brackets, as a clause closing the item:
                    …加快建设。责任单位：A、B。
* ``bare-names``    a note of responsible bodies without its label: （责任单位：A、B，各区政府） -> （A、B，各区政府）
                    (only notes whose one label gives every name the same role: 责任/负责单位 or 部门)
* ``one-line``      the page scraped without line breaks: every line break removed
* ``html-page``     the text as a web page: a ``<p>`` per line, task tables as ``<table>`` (read as HTML)
* ``hard-wrap``     text taken out of a PDF: each paragraph indented with two ideographic spaces and broken
                    into lines 38 columns wide (a half-width character takes half a column); table rows stay
* ``marker-lines``  each item's number set on a line of its own above its words (（一）\\n加快…), as pages that
                    put the number in a box of its own and PDF texts give it
* ``spaced-cells``  a table's cells set apart by runs of blanks instead of tabs, as a table copied out of a
                    word processor or a PDF comes: each tab -> four spaces
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

_ROLE = re.compile(r"负责|牵头|配合|责任|参与|协办|会同|落实")
_NOTE = re.compile(r"（([^（）\n]{1,300})）")
_LABELLED = re.compile(r"(?:责任|牵头|配合|负责|参与|协办|主办)(?:单位|部门)[：:]")
_LABELS = {"责任单位": "责任部门", "牵头单位": "牵头部门", "配合单位": "协办单位", "负责单位": "承办单位"}


def _notes(text: str, rewrite: Callable[[re.Match[str]], str]) -> str:
    return _NOTE.sub(lambda m: rewrite(m) if _ROLE.search(m.group(1)) else m.group(0), text)


def ascii_notes(text: str) -> str:
    return _notes(text, lambda m: "(" + m.group(1).replace("：", ":") + ")")


def label_words(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        inner = m.group(1)
        for old, new in _LABELS.items():
            inner = inner.replace(old, new)
        return f"（{inner}）"
    return _notes(text, swap)


def note_lines(text: str) -> str:
    """…加快建设。（责任单位：A、B） -> …加快建设。\\n（责任单位：A、B） for a note ending its line."""
    out = []
    for line in text.split("\n"):
        last = None
        for m in _NOTE.finditer(line):
            last = m
        if last is not None and _ROLE.search(last.group(1)) and line[last.end():].strip(" 。；;") == "" \
                and last.start() > 0 and line[last.start() - 1] in "。；;":
            out += [line[:last.start()], line[last.start():]]
        else:
            out.append(line)
    return "\n".join(out)


def label_clauses(text: str) -> str:
    def unbracket(m: re.Match[str]) -> str:
        inner = m.group(1)
        return inner + "。" if _LABELLED.match(inner) else m.group(0)
    return _notes(text, unbracket)


_RESPONSIBLE_ONLY = re.compile(r"(?:责任|负责)(?:单位|部门)[：:]([^：:（）]+)")


def bare_names(text: str) -> str:
    def strip_label(m: re.Match[str]) -> str:
        only = _RESPONSIBLE_ONLY.fullmatch(m.group(1))
        return f"（{only.group(1)}）" if only and not _ROLE.search(only.group(1)) else m.group(0)
    return _notes(text, strip_label)


def one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


_WRAP = 38


def hard_wrap(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if "\t" in line or not line.strip():
            out.append(line)
            continue
        row, used = "\u3000\u3000", 2.0
        for ch in line.strip():
            step = 0.5 if ord(ch) < 0x2E80 and unicodedata.east_asian_width(ch) not in "FW" else 1.0
            if used + step > _WRAP:
                out.append(row)
                row, used = "", 0.0
            row += ch
            used += step
        out.append(row)
    return "\n".join(out)


_MARKER_LINE = re.compile(r"(?m)^([（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d))(?=\S)")


def marker_lines(text: str) -> str:
    return _MARKER_LINE.sub(lambda m: m.group(1) + "\n", text)


def spaced_cells(text: str) -> str:
    return text.replace("\t", "    ")


def html_page(text: str) -> str:
    """The text as a web page's article: a ``<p>`` per line, tab-separated rows as a ``<table>``
    (no ``<title>``, no metadata table: only the body's markup is new)."""
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"></head><body><div class="article">']
    rows: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    if rows:
        out.append("<table>" + "".join(rows) + "</table>")
    return "\n".join([*out, "</div></body></html>"])


PERTURBATIONS: dict[str, Callable[[str], str]] = {
    "ascii-notes": ascii_notes, "label-words": label_words, "note-lines": note_lines, "label-clauses": label_clauses,
    "bare-names": bare_names, "one-line": one_line, "html-page": html_page, "spaced-cells": spaced_cells,
    "hard-wrap": hard_wrap, "marker-lines": marker_lines}
SUFFIX = {"html-page": ".html"}          # a rewrite that is another kind of file
