"""Stage: citations and named programmes.

Input: the stored text. Output: ``Citation`` (《title》 with its 文号 when given, or a bare
文号) and ``Programme`` (“雪亮工程”, “三支一扶”大学生招募计划) mentions, with spans.
"""

from __future__ import annotations

import re

from .fold import fold
from .model import Citation, Programme, Span

# 文号: issuer code, 〔year〕, number 号 — on folded text, where [ ] 【 】 ［ ］ became 〔 〕.
# a 文号 in the folded text, as pages write it: 国发〔2019〕3号, 鲁政发(2014)20号, 菏政办字 〔2023〕1号, 鲁政发〔2014〕第20号
IDENTIFIER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔（](?:19|20)\d{2}[〕）]\s*第?\s*\d{1,4}\s*号")
_YEAR_BRACKETS = str.maketrans("（）", "〔〕")
_LEADING_WORDS = re.compile(r"^(?:根据|按照|依据|依照|贯彻|落实|执行|参照|关于|见|和|及|与|以及|印发|转发)+")
_TITLE = re.compile(r"《([^《》\n]{1,120})》")
_AFTER_TITLE_ID = re.compile(r"\s*（\s*(" + IDENTIFIER.pattern + r")\s*）")

PROGRAMME_SUFFIXES = ("行动计划", "工程", "计划", "行动", "专项", "项目", "活动", "试点", "示范区",
                      "示范工程", "基地", "工作站")
_QUOTED = re.compile(r"“([^“”\n]{2,30})[”“]")
# the words after a quoted name, up to the longest programme word within 10 characters (not across 和/及)
_TAIL = re.compile(r"(?:(?![和及与])[\u4e00-\u9fffA-Za-z0-9]){0,10}(?:" + "|".join(PROGRAMME_SUFFIXES) + r")")


_YEAR = re.compile(r"[〔（](?:19|20)\d{2}[〕）]")
_PREFIX_REACH = 16            # characters before a year's bracket a 文号's prefix may start (10 and blanks)


def find_identifiers(folded: str, start: int, end: int):
    """``IDENTIFIER.finditer`` over [start, end), looked for around each bracketed year only (a text has
    few of those and many brackets and Chinese characters, where every position would be tried)."""
    last = start
    for year in _YEAR.finditer(folded, start, end):
        if year.start() < last:
            continue
        pos, hi = max(last, year.start() - _PREFIX_REACH), min(end, year.end() + 12)
        while (m := IDENTIFIER.search(folded, pos, hi)) is not None and m.start() <= year.start():
            if year.start() < m.end():           # the 文号 of this year (not an earlier one in reach)
                yield m
                last = m.end()
                break
            pos = m.end()


def canonical_identifier(raw: str) -> str:
    """A matched 文号 as it is cited: no blanks, the year in 〔〕, no 第 (鲁政发(2014)第20号 -> 鲁政发〔2014〕20号)."""
    return re.sub(r"\s+", "", raw).translate(_YEAR_BRACKETS).replace("〕第", "〕")


def _clean_identifier(raw: str) -> tuple[str, int]:
    """Strip leading verbs (根据国办发〔…〕 -> 国办发〔…〕); returns (identifier, chars cut)."""
    m = _LEADING_WORDS.match(raw)
    cut = m.end() if m else 0
    return canonical_identifier(raw[cut:]), cut


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    folded = fold(text)
    end = len(text) if end is None else end
    out: list[Citation] = []
    covered: list[Span] = []
    for m in _TITLE.finditer(folded, start, end):
        title = text[m.start(1):m.end(1)]
        ident, span_end = None, m.end()
        after = _AFTER_TITLE_ID.match(folded, m.end(), end)
        if after:
            ident, cut = _clean_identifier(folded[after.start(1):after.end(1)])
            span_end = after.end()
        span = Span(m.start(), span_end)
        covered.append(span)
        out.append(Citation(span, title, ident))
    for m in find_identifiers(folded, start, end):
        if any(s.start <= m.start() < s.end for s in covered):
            continue
        ident, cut = _clean_identifier(m.group(0))
        out.append(Citation(Span(m.start() + cut, m.end()), None, ident))
    out.sort(key=lambda c: c.span)
    return out


def find_programmes(text: str, start: int = 0, end: int | None = None) -> list[Programme]:
    """Quoted names of programmes: “X工程”, or “X” followed closely by a programme word."""
    folded = fold(text)
    end = len(text) if end is None else end
    out: list[Programme] = []
    for m in _QUOTED.finditer(folded, start, end):
        inner = m.group(1)
        span_end = m.end()
        if not inner.endswith(PROGRAMME_SUFFIXES):
            tail = _TAIL.match(folded, m.end(), end)
            if not tail:
                continue
            span_end = tail.end()
        name = text[m.start():span_end]
        if inner.endswith(PROGRAMME_SUFFIXES) and span_end == m.end():
            name = text[m.start(1):m.end(1)]
        out.append(Programme(Span(m.start(), span_end), name))
    return out
