"""Adoption history of a regulation: who adopted it and when its current text dates from.

Local regulations (地方性法规) and government rules open with, or carry in brackets, their
history::

    2016年8月18日 三门峡市第六届人民代表大会常务委员会第三十三次会议通过
    2016年9月30日 河南省第十二届人民代表大会常务委员会第二十四次会议批准 …
    （2011年8月26日省人民政府令第190号公布　2016年9月21日省人民政府令第223号修正）

``adoption`` reads these clauses: the body that first adopted (通过/公布) the text, with the term
ordinal dropped (三门峡市人民代表大会常务委员会), and the date of the current text: the clause
naming the document's own order number (or, in a text without one, the order that first
published it: that is then its 文号), else the latest date of the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span
from .signature import DATE

_CLAUSE = re.compile(DATE.pattern + r"\s*(?:根据)?([^。；\n（）()]{2,60}?)(?:第[一二三四五六七八九十百\d]+次(?:常务)?会议)?"
                     r"(通过|批准|公布|修正|修订|发布)")
_TERM = re.compile(r"第[一二三四五六七八九十百\d]+届")
_ORDER_NO = re.compile(r"令第\s*(\d{1,4})\s*号")
_ORDER_BY = re.compile(r"(.+?)令\s*第\s*\d{1,4}\s*号")
_HEAD_LINES = 6
_HISTORY_LINE = 300       # characters: a bracketed history line, not a paragraph of text


@dataclass(frozen=True)
class Adoption:
    adopter: str | None
    adopter_span: Span | None
    date_span: Span | None                # the date of the current text, as written
    identifier: str | None = None         # the order that published it, when the text has no 文号 of its own
    identifier_span: Span | None = None


def _clauses(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_CLAUSE.finditer(text, start, end))


def adoption(text: str, paragraphs: tuple[Span, ...], identifier: str | None) -> Adoption | None:
    """The adoption history in the first lines (or anywhere in brackets for an order's number)."""
    head_end = paragraphs[min(len(paragraphs), _HEAD_LINES) - 1].end if paragraphs else 0
    found = _clauses(text, 0, head_end)
    own = _ORDER_NO.search(identifier or "")
    if own:
        for m in _clauses(text, 0, len(text)):
            number = _ORDER_NO.search(m.group(4))
            if number and number.group(1) == own.group(1):
                return Adoption(None, None, Span(m.start(), m.end(3) + 1))
    if own is None and (published := _published_by_order(text, paragraphs[:_HEAD_LINES])) is not None:
        return published
    if not found:
        return None
    adopted = next((m for m in found if m.group(5) in ("通过", "公布")), None)
    adopter, span = _adopter(adopted) if adopted is not None else (None, None)
    last = found[-1]
    return Adoption(adopter, span, Span(last.start(), last.end(3) + 1))


def _adopter(m: re.Match[str]) -> tuple[str, Span]:
    """The body a clause says adopted or published the text, without its term ordinal:
    三门峡市第六届人民代表大会常务委员会 -> 三门峡市人民代表大会常务委员会; 中华人民共和国国务院令第746号 -> 国务院."""
    body = m.group(4).strip()
    if order := _ORDER_BY.fullmatch(body):
        body = order.group(1)
    body = body.removeprefix("中华人民共和国")
    at = m.start(4) + m.group(4).index(body)
    return _TERM.sub("", body), Span(at, at + len(body))


def _published_by_order(text: str, head: tuple[Span, ...]) -> Adoption | None:
    """（2011年12月28日上海市人民政府令第77号公布，根据2018年…令第15号…修正并重新公布）: a rule
    without a 文号 of its own is cited by the order that first published it, with that order's
    date (a later amending order is part of its history, not its number). Only a history line of
    its own near the top: a bracket opening a short paragraph with the clause (the history of a
    regulation quoted further down, or in a text glued into one line, is another document's)."""
    line = next((p for p in head if text[p.start:p.start + 1] in "（(" and p.end - p.start <= _HISTORY_LINE), None)
    m = _CLAUSE.match(text, line.start + 1, line.end) if line is not None else None
    if m is None or m.group(5) not in ("公布", "发布") or not (order := _ORDER_BY.fullmatch(m.group(4).strip())):
        return None
    number = _ORDER_NO.search(m.group(4))
    issuer, span = _adopter(m)
    at = m.start(4) + m.group(4).index(order.group(1))         # the order as written, 中华人民共和国… included
    return Adoption(issuer, span, Span(m.start(), m.end(3) + 1),
                    f"{issuer}令第{number.group(1)}号", Span(at, m.start(4) + number.end()))
