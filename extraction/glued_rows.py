"""Resegment helper: the rows of a task table in a text whose line breaks were lost.

A page scraped without line breaks keeps a table's cells apart (tabs) but glues each row to the next:
the last cell of a row runs into the 序号 of the one below (``…\t区财政局\t2019年3月2\t将生活垃圾…``), and
the header's first cell into the sentence before it (``…工作任务清单序号\t任务名称\t…\t时间节点1\t加强…``).
When a header whose first column is the 序号 stands in such a paragraph, the rows are cut again where
the numbers go on: a cell that ends with the next number (2 after row 1, 3 after row 2 …), not
inside a longer number (12 is no 2), at least two cells after the row's start.
"""

from __future__ import annotations

from .model import Span
from .table_header import header_roles, row_cells

_MAX_HEADER_CELLS = 10
_LABEL_MAX = 6          # characters of the header's first label (序号, 编号) glued to the sentence before it
_MIN_ROW_CELLS = 2


def _header(text: str, fields: list[Span]) -> tuple[int, int, int] | None:
    """(index of the header's first cell, where its first label starts, its width)."""
    for k, first in enumerate(fields):
        for cut in range(max(first.start, first.end - _LABEL_MAX), first.end - 1):
            for width in range(3, min(_MAX_HEADER_CELLS, len(fields) - k) + 1):
                cells = [text[cut:first.end]] + [f.of(text) for f in fields[k + 1:k + width]]
                roles = header_roles(cells)
                if roles is not None and roles.get("seq") == 0 and width - 1 in roles.values():
                    return k, cut, width
    return None


def row_cuts(text: str, para: Span) -> list[int]:
    """Where the header and each row of a glued seq-first task table start in ``para`` (of the stored
    text: its tabs); [] if none."""
    fields = [span for _, span in row_cells(text, para)]
    found = _header(text, fields)
    if found is None:
        return []
    k, header_start, width = found
    cuts, number, since = [header_start], 0, _MIN_ROW_CELLS      # the header's own cells count as a row's
    for field in fields[k + width - 1:]:
        since += 1
        tail = str(number + 1)
        value = field.of(text)
        at = field.end - len(tail)
        if since > _MIN_ROW_CELLS - 1 and value.endswith(tail) and len(value) > len(tail) \
                and not text[at - 1].isdigit():
            cuts.append(at)
            number, since = number + 1, 0
    return cuts if number >= 2 else []
