"""Stage: resegment. Paragraphs for a text whose line breaks were lost, cut at its numbering.

Input: the stored text, its paragraph spans (``CleanText.paragraphs``) and where the body
starts. Output: ``tuple[Span, ...]`` — the same paragraphs, except that a paragraph holding
several numbered items (a page scraped as one paragraph: ``…。二、重点任务（一）推动…。（二）…``)
is cut at each item's marker. Only spans change: the stored text is never rewritten, so every
offset found later is an offset into it.

A marker cuts a paragraph when
* it follows the end of a sentence or clause (。；：！？ a closing quote or bracket, a space),
  or a title (a genre word: ``…管理办法第一章``), or the names of a label clause
  (``…牵头单位：市民政局责任主体：各县、区政府2．…``), or a short heading just cut
  (``第一章总则第一条…``), or it is bracketed (``（一）``), or it is a first chapter or part
  (``…会议通过第一章　总则``: adoption history runs into it), and
* its number continues the numbering of its kind so far (``二、`` after ``一、``; any kind may
  restart at 1), so ``依照本办法第三条…`` or ``2.5万元`` inside a sentence do not cut;
and only in a paragraph that is not a table row (tabs, at most ``_ROW_MAX`` long) and holds at least two such markers
after the end of a sentence (not a list inside one: ``…：1.…；2.…``), or in a body of at most
``_FLAT_BODY`` paragraphs. A long paragraph holding a task table whose rows were glued together is cut
at its rows (``glued_rows``). Paragraphs that are already one item each (every document with line
breaks) are returned unchanged.
"""

from __future__ import annotations

import re

from .agency_names import ORGAN_WORDS
from .fold import fold
from .genre import genre_words
from .glued_rows import row_cuts
from .model import Span
from .note_grammar import SHARED_HEADS
from .outline import cn_number, match_marker

_CLAUSE = set("：；，")                # a list inside a sentence (…：1.…；2.…) opens no paragraph of its own
_MARKER_START = re.compile(r"[第（\d零〇一二三四五六七八九十百①-⑳⑴-⒇]")
_REFERENCE = set("（项款条目、，。；：）") | {""}  # 第（一）（二）项: markers cited, not items opened
_OPEN_ANYWHERE = ("chapter", "part")   # 第一章, 第一部分: a text's first chapter is never in a sentence
_HEADING_WORDS = ("目标", "目的", "目录")   # 目 begins these heading words, not a cited 目 (item)
_TITLE_BRACKET = re.compile(r"（[^（）\d零〇一二三四五六七八九十百]")  # （目的和依据）, not （一） nor （2）
_NEVER = ("circled", "cn-shi", "decimal1")  # ①②, 一是…二是…, a bare 1 stand inside sentences far more often than they open a line
_AFTER = set("。；：！？”’）〕》 \n")
_SHORT_HEADING = 40                   # a cut heading's title (总则, 重点任务) is at most this long
_SENTENCE = set("。；：！？")          # …and is not a sentence
_ROW_MAX = 1000                      # a paragraph with tabs up to this long is a table row, never cut
_LONGEST_GENRE = 8                    # characters looked back for a genre word ending a title
_FLAT_BODY = 3                        # a body of this few paragraphs is cut at any numbering
_LABEL_REACH = 120                    # characters before a marker in which a label clause's label stands
_LABELLED = re.compile(r"(?:单位|部门|主体|处室)：")
_BODY_ENDS = (*ORGAN_WORDS, *SHARED_HEADS, "）")     # a body's name ends so (or a bracket after it: …，下同）)
_BODY_LAST = frozenset(word[-1] for word in _BODY_ENDS)


def resegment(text: str, paragraphs: tuple[Span, ...], body_start: int = 0) -> tuple[Span, ...]:
    folded = fold(text)
    body = [p for p in paragraphs if p.end > body_start]
    flat = len(body) <= _FLAT_BODY
    last: dict[str, int] = {}
    out: list[Span] = []
    for para in paragraphs:
        if para.end <= body_start:
            out.append(para)
            continue
        rows = row_cuts(text, para) if para.end - para.start > _ROW_MAX and "\t" in para.of(text) else []
        if rows:                         # a glued table: the text before it is cut as any, the table by its rows
            head = Span(para.start, rows[0])
            out.extend(resegment(text, (head,), body_start) if head.end > head.start else ())
            out.extend(split_span(text, Span(rows[0], para.end), rows))
            continue
        cuts = _cuts(folded, para, last)
        strong = sum(1 for i in cuts if i > para.start and folded[i - 1] not in _CLAUSE)
        row = "\t" in para.of(text) and para.end - para.start <= _ROW_MAX
        if not row and (strong >= 2 or (flat and len(cuts) > 1)):
            out.extend(split_span(text, para, cuts))
        else:
            out.append(para)
    return tuple(out)


def _cuts(folded: str, para: Span, last: dict[str, int]) -> list[int]:
    """Offsets in ``para`` where a numbered item starts, in order; updates ``last`` (kind -> number)."""
    found: list[int] = []
    prev_end = para.start               # end of the last accepted marker
    for start in _MARKER_START.finditer(folded, para.start, para.end):   # only where a marker can begin
        i = start.start()
        if i < prev_end:
            continue
        opens = _may_open(folded, para, i, prev_end)
        if not opens and folded[i] != "第":          # only 第一章 / 第一部分 open without a cue
            continue
        hit = match_marker(folded, i)
        if hit is None or hit[0] in _NEVER:
            continue
        kind, m = hit
        number = cn_number(m.group(1))
        if not opens and not (kind in _OPEN_ANYWHERE and number == 1 and not _cited(folded, m.end())):
            continue
        if i > para.start and (number not in (1, last.get(kind, 0) + 1) or _cited(folded, m.end())):
            continue
        last[kind] = number
        found.append(i)
        prev_end = m.end()
    return found


def _cited(folded: str, end: int) -> bool:
    """A marker cited, not opened: 第（一）（二）项, …（三）目 — but （三）目标任务 opens an item, and so
    does a marker whose bracket holds words, not a number (第一条（目的和依据）: the article's title)."""
    if folded.startswith(_HEADING_WORDS, end) or _TITLE_BRACKET.match(folded, end):
        return False
    return folded[end:end + 1] in _REFERENCE


def _may_open(folded: str, para: Span, i: int, prev_end: int) -> bool:
    if i == para.start or folded[i - 1] in _AFTER or _after_title(folded, para, i) or _after_names(folded, para, i):
        return True
    if folded[i] == "（":                # bracketed: anywhere, except inside a quotation (“（一）…)
        return folded[i - 1] not in "“‘"
    if prev_end == para.start or i - prev_end > _SHORT_HEADING:
        return False
    between = folded[prev_end:i]        # the title of a heading just cut: 第一章总则|第一条
    return not any(c in _SENTENCE for c in between)


def _after_names(folded: str, para: Span, i: int) -> bool:
    """Right after the names of a label clause (…助其解困。牵头单位：市民政局、市财政局责任主体：各县、区政府2．…):
    a label since the last sentence end, and a body's name ending right before the marker."""
    if folded[i - 1] not in _BODY_LAST:
        return False
    lo = max(para.start, i - _LABEL_REACH)
    last_end = max(folded.rfind(c, lo, i) for c in "。；")
    return _LABELLED.search(folded, max(lo, last_end + 1), i) is not None and folded[lo:i].endswith(_BODY_ENDS)


def _after_title(folded: str, para: Span, i: int) -> bool:
    """Right after a title (…管理办法第一章总则, …实施意见一、总体要求): it ends with a genre word."""
    return folded[max(para.start, i - _LONGEST_GENRE):i].endswith(genre_words())


def split_span(text: str, para: Span, starts: list[int]) -> list[Span]:
    """``para`` cut at ``starts``, each piece trimmed of whitespace, empty pieces dropped."""
    bounds = sorted({para.start, *starts, para.end})
    pieces = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            pieces.append(Span(a, b))
    return pieces
