"""Cleaning helper: paragraphs hard-wrapped at a fixed width, joined again.

Text taken out of a PDF (an annex, a scanned-and-recognised notice) or from a page that prints its
document in a ``<pre>`` block breaks every paragraph into lines of one width (``…加快建设现代化产业\\n
体系（牵头单位：市发展改革委，配合单位：市\\n财政局）…``): items, notes and names are cut in two. Such
a text is recognised by its lines: many of them (eight at least, over a third of the lines of some
length) are as long as the most common length, give or take the half-width characters a line may
hold, and most of those end inside a sentence, while (almost) no line is longer than that width (an
unwrapped text has paragraphs of every length, most of them long). Only then are lines joined: a line
as long as the width, not ending a sentence (。！？；：), is joined to the next one, unless that one
begins a paragraph — it is indented, where the text indents its paragraphs, or opens with a
numbering marker (一、, （一）, 1., 第X条) — or is a table's row (tab-separated). A text that is not
wrapped is left exactly as it is.
"""

from __future__ import annotations

import re
from collections import Counter

from .fold import fold
from .outline import match_marker

_MIN_LINE = 12          # lines shorter than this say nothing of a wrap width
_MIN_WRAPPED = 8        # full-width lines a wrapped text has at least
_SHARE = 0.35           # …and their share of the lines of some length
_OPEN_SHARE = 0.6       # share of full-width lines ending inside a sentence
_SLACK_BELOW, _SLACK_ABOVE = 1, 6   # a full line's length around the width (half-width digits and letters)
_MIN_WIDTH = 20         # narrower "widths" are short lines (headings, signatures), not a wrap
_LONGER_SHARE = 0.1     # a wrapped text has (almost) no line longer than its width
_ENDS = ("。", "！", "？", "；", "：", "!", "?", ";", ":")
_INDENT = re.compile(r"^[ \u3000\u00a0]{2,}")


def width(lines: list[str]) -> int | None:
    """The width ``lines`` are wrapped at, None when they are not wrapped."""
    cores = [line.strip() for line in lines if "\t" not in line]
    sized = [c for c in cores if len(c) >= _MIN_LINE]
    if len(sized) < _MIN_WRAPPED:
        return None
    lengths = Counter(len(c) for c in sized)
    best = max(lengths, key=lambda n: (sum(lengths[k] for k in range(n - _SLACK_BELOW, n + 2)), n))
    full = [c for c in sized if best - _SLACK_BELOW <= len(c) <= best + _SLACK_ABOVE]
    longer = sum(len(c) > best + _SLACK_ABOVE for c in sized)
    open_ = sum(not c.endswith(_ENDS) for c in full)
    if best < _MIN_WIDTH or len(full) < _MIN_WRAPPED or len(full) < _SHARE * len(sized) \
            or longer > _LONGER_SHARE * len(sized) or open_ < _OPEN_SHARE * len(full):
        return None
    return best


def dewrap(lines: list[str]) -> list[str]:
    """``lines`` (as read, not stripped) with hard-wrapped paragraphs joined; unchanged when the
    text is not wrapped."""
    w = width(lines)
    if w is None:
        return lines
    indented = sum(bool(_INDENT.match(line)) for line in lines if line.strip()) >= 0.2 * len(lines)
    out: list[str] = []
    joining = False
    for line in lines:
        core = line.strip()
        if joining and core and "\t" not in line and not _opens(core) \
                and not (indented and _INDENT.match(line)):
            out[-1] += core
        else:
            out.append(line)
        last = out[-1].strip()
        joining = bool(core) and "\t" not in line and len(core) >= w - _SLACK_BELOW and not last.endswith(_ENDS)
    return out


_MARKER_ALONE = 8       # characters a numbering marker standing alone on its line has at most (第一百二十三条)
# the outline's kinds an item's number alone on its line may be (not 25.20, a table's figure read as 1.1-style)
_ITEM_KINDS = ("cn", "paren-cn", "paren-arabic", "paren-digit", "half-arabic", "arabic", "article", "circled")
# …and those a line may open with as a paragraph (not 5） of a wrapped 2018-2035）, nor 1.5 or 一是)
_OPENING_KINDS = ("part", "chapter", "division", "article", "cn", "paren-cn", "paren-arabic", "paren-digit", "arabic",
                  "circled")


def _opens(line: str) -> bool:
    """Whether ``line`` opens with an item's or a part's number (the outline's markers: 一、, （一）, 1., 第五条,
    第一章, ① …; not 5）, 1.5 or 一是, which a wrapped line may begin with) or 附件."""
    folded = fold(line.strip())
    hit = match_marker(folded, 0)
    return (hit is not None and hit[0] in _OPENING_KINDS) or folded.startswith("附件")


def _marker_alone(line: str) -> bool:
    """A numbering marker alone on its line (（一）, 一、, 1., 第五条): a page that set the number in a cell or
    a box of its own, or a PDF's text. Not a bare number (1, - 3 -: a page's number)."""
    if len(line) > _MARKER_ALONE:
        return False
    hit = match_marker(fold(line), 0)
    return hit is not None and hit[0] in _ITEM_KINDS and hit[1].end() == len(line)


def join_markers(lines: list[str]) -> list[str]:
    """``lines`` (stripped) with a numbering marker that stands alone on its line joined to the words
    on the next line, when those words do not open with a marker of their own."""
    out: list[str] = []
    for line in lines:
        if out and _marker_alone(out[-1]) and "\t" not in line and not _opens(line):
            out[-1] += line
        else:
            out.append(line)
    return out

