"""Cleaning helper: table rows whose cells are set apart by runs of blanks instead of tabs.

A task table copied out of a word processor or a PDF, or rendered to text by some web pages,
loses its tabs (``序号    重点任务    牵头单位    配合单位    完成时限``). Its rows are read like
tab-separated ones once their cells are cut at runs of two or more blanks (ASCII spaces, ideographic
spaces U+3000, no-break spaces; a single ideographic space is a blank inside a cell, as in
``一、　总体要求`` or ``第一条　为了…``). Only a block that is plainly a table is cut:

* a header row of three or more cells in which ``table_header.header_roles`` reads a task and a body
  column, and the lines of two or more cells below it (one line of a single cell may stand between
  two rows: a group heading, left as it is); or
* three or more lines in a row, each of three or more cells, two in three of them opening with a
  sequence number (1, 2., （3）) or all of them of as many cells, none a sentence (no cell ends with
  。！？；) nor a letter-spaced line (cells of one character): a table printed without its header
  row, or a data table (年份 | 区域 | 面积), left for ``tables`` to judge by what its cells hold.

A line of two parts whose second is a date (区发展改革委    2025年3月1日) is a signature, never a row.

Prose has no line of three parts set apart by runs of blanks; a letter-spaced title
(``国  家  预  案``) has neither header cells nor numbers. Lines that hold a tab already are rows of
a tab-separated table and are left alone.
"""

from __future__ import annotations

import re

from .signature import DATE
from .table_header import header_roles

_GAP = re.compile(r"[ \u3000\u00a0]{2,}")
_NUMBER = re.compile(r"\d{1,3}[.．、]?|[（(]\d{1,3}[）)]")
_SENTENCE_ENDS = ("。", "！", "？", "；")
_MIN_CELLS = 3          # cells of a header row, and of each row of a table without one
_MIN_ROW = 2            # cells of a row under a header (merged cells leave some out)
_MIN_HEADLESS = 3       # rows of a table without a header
_MAX_GAP = 1            # single-cell lines (a group heading) between two rows under a header


def _parts(line: str) -> list[str]:
    return [] if "\t" in line else _GAP.split(line.strip())


def tabulate(lines: list[str]) -> list[str]:
    """``lines`` (stripped) with the cells of every blank-separated table joined by tabs."""
    out = list(lines)
    i, n = 0, len(lines)
    while i < n:
        parts = _parts(lines[i])
        if len(parts) < _MIN_CELLS:
            i += 1
            continue
        if header_roles(parts) is not None:
            end = _under_header(lines, i)
        else:
            end, table = _headless(lines, i)
            if not table:
                i = end                    # no part of a run that is no table is one: each line is looked at once
                continue
        for k in range(i, end):
            if len(cells := _parts(lines[k])) >= _MIN_ROW:
                out[k] = "\t".join(cells)
        i = end
    return out


def _under_header(lines: list[str], i: int) -> int:
    """The end of the table whose header row is ``lines[i]``."""
    end = j = i + 1
    while j < len(lines) and "\t" not in lines[j]:
        parts = _parts(lines[j])
        if len(parts) == _MIN_ROW and DATE.fullmatch(parts[1]):
            break                              # a signature below the table
        if len(parts) >= _MIN_ROW:
            end = j + 1
        elif j - end >= _MAX_GAP:
            break
        j += 1
    return end


def _headless(lines: list[str], i: int) -> tuple[int, bool]:
    """The end of the run of lines of three or more cells starting at ``lines[i]`` (a header row
    ends it), and whether the run is a table without a header."""
    j = i + 1
    while j < len(lines) and len(parts := _parts(lines[j])) >= _MIN_CELLS and header_roles(parts) is None:
        j += 1
    if j - i < _MIN_HEADLESS:
        return j, False
    rows = [_parts(line) for line in lines[i:j]]
    numbered = sum(_NUMBER.fullmatch(row[0]) is not None for row in rows)
    square = len({len(row) for row in rows}) == 1 and all(max(map(len, row)) > 1 for row in rows) \
        and not any(c.endswith(_SENTENCE_ENDS) for row in rows for c in row)      # not 国  家  预  案 over lines
    return j, numbered * 3 >= len(rows) * 2 or square
