"""Where a responsibility note may stand (the candidates ``notes.find_notes`` tries to read).

* brackets: outermost （…） and 〔…〕 pairs closed on their line (ASCII brackets are folded);
* clauses: outside brackets, a label clause (责任单位：… from its label to the end of its sentence
  or line, at a line start or after 。；，：) or else every sentence (kept only if it reads as a note);
* a sentence opening with names the gazetteer knows and 会同 (A、B会同C等有关部门研究提出…): the
  span of those names.
"""

from __future__ import annotations

import bisect
import re

from .agency_names import ORGAN_WORDS
from .gazetteer import Gazetteer
from .model import Span
from .note_grammar import Vocabulary

_OPEN, _CLOSE = "（〔", "）〕"
_WITH = re.compile(r"(?:已|将|要|正|正在|还|拟)?会同")     # 扶贫办已会同交通部…
_GENERIC_TAIL = re.compile(r"等?(?:其他|有关|相关)?(?:部门|单位)")
_MAX_NOTE = 400
_ORGANS = ORGAN_WORDS + ("部门", "单位", "机构", "小组", "指挥部", "银行")
_MAX_SENTENCE = 120         # a sentence made of names and role words only is short
_MAX_SUBJECT = 60           # A、B会同C…: where 会同 may stand in its sentence
_SENTENCE_END = re.compile(r"[。\n]")
_FIRST_ITEM = re.compile(r"[^、，；：]+")
_BRACKET_OR_BREAK = re.compile(f"[{_OPEN}{_CLOSE}\n]")
_LABEL_START = re.compile(r"[，；：]")          # a label clause starts after one (or at the start)
_TITLE_COLON = re.compile(r"：")


def find_brackets(folded: str, start: int, end: int) -> list[Span]:
    """Outermost （…） and 〔…〕 pairs within [start, end) that close on the same line."""
    out: list[Span] = []
    stack: list[str] = []
    open_at = -1
    for m in _BRACKET_OR_BREAK.finditer(folded, start, end):     # no other character counts
        i, ch = m.start(), m.group(0)
        if ch == "\n":
            stack, open_at = [], -1
        elif ch in _OPEN:
            if not stack:
                open_at = i
            stack.append(_CLOSE[_OPEN.index(ch)])
        elif ch in _CLOSE and stack:
            if ch != stack[-1]:
                stack, open_at = [], -1
                continue
            stack.pop()
            if not stack and i + 1 - open_at <= _MAX_NOTE:
                out.append(Span(open_at, i + 1))
    return out


def find_clauses(folded: str, start: int, end: int, brackets: list[Span], vocab: Vocabulary,
                 breaks: tuple[int, ...] = ()) -> list[Span]:
    """Unbracketed candidates: a label clause (from its label to the end of its sentence or line)
    and every sentence outside brackets that holds a role word or a label (kept only if it parses
    as a note); a sentence of names and role words is at most ``_MAX_SENTENCE`` long. ``breaks``:
    offsets where a paragraph ends though no line does (a text without line breaks, cut again at
    its numbering by ``resegment``): a clause ends there too."""
    inside = sorted(brackets)
    starts = [b.start for b in inside]

    def bracketed(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and inside[k].start <= i < inside[k].end

    out: list[Span] = []
    seg = start
    ends = [(m.start(), m.end(), False) for m in _SENTENCE_END.finditer(folded, start, end)]
    if breaks:                       # a paragraph's end (the next one may open with a bracket: （二）)
        ends = sorted({*ends, *((b, b, True) for b in breaks if start < b < end and folded[b] != "\n")})
    for at, after, paragraph_end in ends:
        if (bracketed(at) and not paragraph_end) or at < seg:
            continue
        out.extend(_clauses_of(folded, seg, at, bracketed, vocab))
        seg = after
    out.extend(_clauses_of(folded, seg, end, bracketed, vocab))
    return out


def _clauses_of(folded: str, lo: int, hi: int, bracketed, vocab: Vocabulary) -> list[Span]:
    while lo < hi and folded[lo].isspace():
        lo += 1
    if hi - lo < 3 or not vocab.marked(folded, lo, hi):
        return []
    for i in (lo, *(m.end() for m in _LABEL_START.finditer(folded, lo, hi - 1))):
        if vocab.label_at(folded, i) and not bracketed(i):
            return [Span(i, hi)]
    if _WITH.search(folded, lo, min(hi, lo + _MAX_SUBJECT)) is not None:
        return [Span(lo, hi)]        # maybe A、B会同C…
    # a sentence of names starts with a short name — at its start, or after a title's colon
    # (1.机构职能设置组：市编办牵头，市人社局、市政务公开办配合。)
    for at in (lo, *(m.end() for m in _TITLE_COLON.finditer(folded, lo, hi) if not bracketed(m.start()))):
        first = _FIRST_ITEM.match(folded, at, hi)
        if hi - at > _MAX_SENTENCE or first is None or first.end() - first.start() > 30 or \
                not vocab.marked(first.group(0), 0, len(first.group(0))) and not first.group(0).endswith(_ORGANS):
            continue
        return [Span(at, hi)]
    return []


def subject_clause(folded: str, span: Span, gazetteer: Gazetteer, region: str | None) -> Span | None:
    """A sentence opening with A、B会同C、D(等有关部门) and going on with what they do
    (发展改革委会同水利部研究提出了办理意见：…): the span of its names and 会同."""
    if _WITH.search(folded, span.start, min(span.end, span.start + _MAX_SUBJECT)) is None:
        return None
    i = _known_names(folded, span.start, span.end, gazetteer, region)
    verb = _WITH.match(folded, i, span.end)
    if i == span.start or verb is None:
        return None
    end = _known_names(folded, verb.end(), span.end, gazetteer, region)
    generic = _GENERIC_TAIL.match(folded, end, span.end)
    return Span(span.start, generic.end() if generic else end)


def _known_names(folded: str, i: int, end: int, gazetteer: Gazetteer, region: str | None) -> int:
    """Past the names the gazetteer knows at ``i`` (A、B、C), longest form first."""
    at = i
    while at < end:
        size = next((k for k in range(min(24, end - at, gazetteer.reach(folded[at:at + 24])), 1, -1)
                     if gazetteer.known(folded[at:at + k], region, folded=True) is not None), 0)
        if not size:
            break
        i = at = at + size
        if folded.startswith("、", at):
            at += 1
    return i
