"""Plain-text tables for the terminal, aligned by display width (CJK characters take two columns)."""

from __future__ import annotations

import unicodedata


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def text_table(header: list[str], rows: list[list], indent: str = "", rule: bool = True) -> str:
    """``header`` and ``rows`` as aligned columns (cells turned into strings, None as empty)."""
    cells = [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return indent + "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(list(header))] + ([line(["-" * w for w in widths])] if rule else []) + [line(r) for r in cells]
    return "\n".join(out)
