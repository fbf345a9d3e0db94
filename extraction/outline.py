"""Stage: outline. Headings at every level and the section tree they make.

Input: the stored text and its paragraph spans (``CleanText``), plus where the body starts.
Output: ``list[Section]`` (top-level sections, children nested) with every heading's span.

Markers recognised (after punctuation folding, so ``(一)`` and ``（一）`` are the same):
``第一部分`` / ``第一编`` (part) · ``第一章`` (chapter) · ``第一节`` (division) · ``第一条``
(article) · ``一、`` (cn) · ``（一）`` (paren-cn) · ``1.`` / ``1、`` (arabic) · ``（1）``
(paren-arabic) · ``⑴`` (paren-digit) · ``1）`` / ``1)`` (half-arabic) · ``1　总则`` (decimal1: a bare number and a
heading alone on its line) · ``1.1`` / ``1.1.1``, also with a final dot (decimal2, decimal3) · ``①`` (circled) · ``一是`` (cn-shi, at the start of a paragraph
only). An article may be written ``第一条：``.
Depth is decided by the order markers appear in, not fixed per kind, so ``1.`` directly under
``一、`` works as well as under ``（一）``. Numbering may restart in each part or run on across
parts (``一、`` … ``五十四、`` across chapters); both are kept as written.
A heading is alone on its line (``（一）指导思想。``) or the first sentence of its paragraph
(``（一）指导思想。以习近平…``); the title is that first sentence. An article (``第一条　为规范…``,
with or without a space after the number) has no title: its whole paragraph is its body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fold import fold
from .genre import genre_words
from .model import Heading, Section, Span

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "零〇一二三四五六七八九十百"

_SP = "[ 　\u00a0\t]*"
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"第([{_CN}]{{1,4}})(?:部分|编){_SP}")),
    ("chapter", re.compile(rf"第([{_CN}\d]{{1,4}})章{_SP}")),
    ("division", re.compile(rf"第([{_CN}\d]{{1,4}})节{_SP}")),
    ("article", re.compile(rf"第([{_CN}\d]{{1,5}})条：?(?![款项、，。；：）的第])(?!规定|之[{_CN}]){_SP}")),
    ("cn", re.compile(rf"([{_CN}]{{1,4}})[、.]{_SP}")),
    ("cn-shi", re.compile(r"([一二三四五六七八九十]{1,3})是(?=[^，,、])")),
    ("paren-cn", re.compile(rf"（([{_CN}]{{1,4}})）{_SP}")),
    ("paren-arabic", re.compile(rf"（(\d{{1,3}})）{_SP}")),
    ("paren-digit", re.compile(rf"([⑴-⒇]){_SP}")),
    ("half-arabic", re.compile(rf"(\d{{1,2}})）{_SP}")),
    ("decimal3", re.compile(rf"(?:\d{{1,2}}\.){{2}}(\d{{1,2}})[.、]?(?![\d.%％]){_SP}")),
    ("decimal2", re.compile(rf"\d{{1,2}}\.(\d{{1,2}})[.、]?(?![\d.%％万亿元倍]){_SP}")),
    ("arabic", re.compile(rf"(\d{{1,3}})[.、](?!\d){_SP}")),
    # the first level of a decimal outline: a bare number, a space and a heading alone on its line
    # (1　总则, then 1.1　编制目的, 1.2.1 …), never a number that starts a sentence
    ("decimal1", re.compile(r"(\d{1,2})[ 　\u00a0]+(?=[\u4e00-\u9fff][^\n\t。；，：！？]{0,30}(?:\n|$))")),
    ("circled", re.compile(rf"([①-⑳]){_SP}")),
]
UNTITLED = ("article",)  # kinds whose paragraph is all body: 第一条为规范… has no title
# The legal structure ranks above every list marker: a chapter or an article never nests inside
# an item (一、 …), it closes it; between themselves part > chapter > division > article.
STRUCTURAL = {"annex": -1, "part": 0, "chapter": 1, "division": 2, "article": 3}
_DATE = r"(?:\d{4}|[〇○◯OＯ0零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日"
# Lines that close a document, not part of any item: a signer and date, the print line (版记),
# 抄送, （此件公开发布）, （本文有删减）. Skipped wherever they stand (a notice's signature comes
# before the document it issues).
CLOSING_MATTER = re.compile(rf"(?:[^。；：，！？]{{0,160}}{_DATE}(?:印发)?|(?:抄送|抄报|主送|公开方式)：.*"
                            r"|（(?:此件|本文)[^）]{0,12}）|（.*(?:通过|公布|发布|修正|修订)）)")
_DOC_TITLE_MIN, _DOC_TITLE_MAX = 8, 60


def closes(folded: str, para: Span) -> bool:
    """An unnumbered line of closing matter, or the title of a document (…管理办法, 关于…的若干举措:
    no sentence punctuation, ending with a genre word, at least ``_DOC_TITLE_MIN`` long, so that a
    bare heading such as 保障措施 is not one). It closes the outline before it (a notice's items,
    an amending order's items) and is nobody's body."""
    if match_marker(folded, para.start) is not None:
        return False
    if CLOSING_MATTER.fullmatch(folded, para.start, para.end):
        return True
    line = folded[para.start:para.end].strip()
    return (_DOC_TITLE_MIN <= len(line) <= _DOC_TITLE_MAX and not any(c in line for c in "。；：，！？")
            and line.endswith(genre_words()))
ANNEX = re.compile(r"(?:附件|附录)[ 　]*\d*[ 　]*(?:：|(?=\n)|$)")
# a box of a plan (专栏1 主要指标, 专栏2 新一轮公园建设工程): its lines, numbered or not, are the box's,
# not the item's it stands in, up to the next heading of a level already open
BOX = re.compile(r"专栏[ 　]*[\d一二三四五六七八九十]+")
TITLE_MAX = 60          # a first sentence longer than this is body text, not a title
_TABLE_TITLE_LINES = 2  # title lines above a table's header row: …任务分工表, （2023-2025年）
_TITLE_END = re.compile(r"[。：！？]")
_NOTE_WORDS = re.compile(r"负责|牵头|配合|参与|协同|会同|落实|责任")


def cn_number(s: str) -> int:
    """一 -> 1, 十 -> 10, 十四 -> 14, 二十一 -> 21, 一百零二 -> 102; digits pass through; ① -> 1."""
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if len(s) == 1 and "⑴" <= s <= "⒇":
        return ord(s) - ord("⑴") + 1
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.get(ch, 0)
    return total + current


@dataclass(frozen=True)
class _Found:
    heading: Heading
    paragraph: Span
    body_start: int     # where the paragraph's own body text starts (== paragraph.end if none)


# a number whose dot was lost (1在市政府的统一部署下…), a marker only when the next line goes on with the next
# number of the list (2.对需领导小组…)
_BARE_NUMBER = re.compile(r"(\d{1,2})(?=[\u4e00-\u9fff])")
_ARABIC = dict(MARKERS)["arabic"]


def match_marker(folded: str, start: int) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in MARKERS:
        m = pattern.match(folded, start)
        if m:
            return kind, m
    bare = _BARE_NUMBER.match(folded, start)
    if bare is not None and (start == 0 or folded[start - 1] == "\n"):
        line_end = folded.find("\n", start)
        after = _ARABIC.match(folded, line_end + 1) if line_end >= 0 else None
        if after is not None and int(after.group(1)) == int(bare.group(1)) + 1:
            return "arabic", bare
    return None


def _title_end(folded: str, start: int, end: int) -> re.Match[str] | None:
    """The 。：！？ that ends a heading's first sentence, outside brackets (加强创新（责任单位：省科技厅）。:
    the note's colon ends nothing)."""
    for m in _TITLE_END.finditer(folded, start, end):
        if _depth_at(folded, start, m.start()) == 0:
            return m
    return None


def _unbracketed(folded: str, span: Span) -> int:
    """How many characters of ``span`` stand outside the responsibility notes in it (（责任单位：…）,
    （A牵头，B配合）: brackets holding a role word); other brackets count (市（地、州、盟）)."""
    n, depth, opened = span.end - span.start, 0, -1
    for i in range(span.start, span.end):
        ch = folded[i]
        if ch in "（〔":
            depth += 1
            opened = i if depth == 1 else opened
        elif ch in "）〕" and depth > 0:
            depth -= 1
            if depth == 0 and _NOTE_WORDS.search(folded, opened, i):
                n -= i + 1 - opened
    return n


def _depth_at(folded: str, start: int, at: int) -> int:
    depth = 0
    for ch in folded[start:at]:
        depth += (ch in "（〔") - (ch in "）〕")
    return max(depth, 0)


def _heading_in(text: str, folded: str, para: Span) -> _Found | None:
    hit = match_marker(folded, para.start)
    if not hit:
        return None
    kind, m = hit
    after = m.end()
    if after >= para.end:           # a bare marker is not a heading
        return None
    end_m = _title_end(folded, after, para.end)
    if kind in UNTITLED:
        title_span, body_start = None, after
    elif end_m is None:             # the whole line is the title (一、总体要求)
        title_span = Span(after, para.end)
        body_start = para.end
    else:
        title_span = Span(after, end_m.start())
        body_start = end_m.end()
        if _unbracketed(folded, title_span) > TITLE_MAX:        # a note in the heading is no length of its title
            title_span, body_start = None, after
    if title_span is not None and title_span.start == title_span.end:
        title_span = None
    title = title_span.of(text).strip() if title_span else None
    heading = Heading(
        marker=text[m.start():m.end()].strip(), marker_kind=kind, number=cn_number(m.group(1)), level=0,
        span=Span(para.start, title_span.end if title_span else after),
        title=title or None, title_span=title_span,
    )
    return _Found(heading, para, body_start)


def build_outline(text: str, paragraphs: tuple[Span, ...] | list[Span],
                  body_start: int = 0, body_end: int | None = None, closers=()) -> list[Section]:
    """Sections for the headings between ``body_start`` and ``body_end``. A paragraph of
    ``closers`` (the signature block) or of closing matter is skipped and closes every open
    section: what follows (the document a notice issues) starts a new outline."""
    folded = fold(text)
    body_end = len(text) if body_end is None else body_end
    closers = set(closers) | _table_tops(text, folded, paragraphs)
    tables = _data_tables(text, folded, paragraphs)
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []

    def close_to(depth: int, end: int) -> None:
        while len(stack) > depth:
            _, sec = stack.pop()
            sec.span = Span(sec.span.start, max(end, sec.span.start))

    box: set[str] | None = None        # the kinds open when a 专栏 began, while inside it
    for para in paragraphs:
        if para.start < body_start or para.end > body_end:
            continue
        if BOX.match(folded, para.start):
            box = {k for k, _ in stack}
            continue
        if box is not None:
            inside = _heading_in(text, folded, para)
            kind = inside.heading.marker_kind if inside is not None else None
            if para not in closers and (kind is None or (kind not in box and kind not in STRUCTURAL)):
                continue                   # the box's own line
            box = None
        if para in closers or ("\t" not in text[para.start:para.end] and closes(folded, para)):   # a table row
            #                                                     (年份	…	达标评估计划) is no title
            close_to(1 if stack and stack[0][0] == "annex" else 0, _prev_end(text, para.start))  # an annex stays open
            continue
        annex = ANNEX.match(folded, para.start)
        if annex:                    # 附件1：… starts a new top-level part
            close_to(0, _prev_end(text, para.start))
            heading = Heading(marker=text[annex.start():annex.end()].strip(), marker_kind="annex", number=len(roots) + 1,
                              level=1, span=para, title=para.of(text).strip(), title_span=para)
            section = Section(id=str(len(roots) + 1), heading=heading, span=para, kind="other")
            roots.append(section)
            stack.append(("annex", section))
            continue
        found = _heading_in(text, folded, para)
        if found is None:
            if stack and para not in tables:   # a data table's rows (年份	区域	面积) and caption (表2 …计划表)
                stack[-1][1].body.append(para)  # are no sentences of the item they stand in
            continue
        kind = found.heading.marker_kind
        if kind == "cn-shi" and any(k not in STRUCTURAL and k != kind for k, _ in stack):
            stack[-1][1].body.append(para)   # 一是…二是… under a numbered item enumerate its text;
            continue                         # they number a document or part only where nothing else does
        depth = _depth(kind, [k for k, _ in stack])
        close_to(depth, _prev_end(text, para.start))
        parent = stack[-1][1] if stack else None
        siblings = parent.children if parent else roots
        path = (parent.id + "." if parent else "") + str(len(siblings) + 1)
        heading = Heading(**{**found.heading.__dict__, "level": len(stack) + 1})
        section = Section(id=path, heading=heading, span=Span(para.start, para.end))
        if found.body_start < para.end:
            section.body.append(Span(found.body_start, para.end))
        siblings.append(section)
        stack.append((kind, section))
    close_to(0, _last_end(text, paragraphs, body_end))
    return roots


def _table_tops(text: str, folded: str, paragraphs) -> set[Span]:
    """The header row of every task-division table (extraction/tables.py), its title lines just
    above (…工作任务分工表 / （2023-2025年）) and its rows: they end the numbered item before the
    table, and a row is a provision of its own, never a heading (（一）	推动源头减量	…	区建设管理委)."""
    from .table_header import header_roles
    from .tables import continues

    tops: set[Span] = set()
    for k, para in enumerate(paragraphs):
        line = text[para.start:para.end]
        if "\t" not in line or header_roles(line.split("\t")) is None:
            continue
        tops.add(para)
        rest = list(paragraphs[k + 1:])
        for j, row in enumerate(rest):
            if "\t" not in text[row.start:row.end] and not continues(text, rest, j):
                break
            tops.add(row)                # a row, or the table's own heading line between rows
        for above in reversed(paragraphs[max(0, k - _TABLE_TITLE_LINES):k]):
            if "\t" in text[above.start:above.end] or not _caption(folded, above):
                break
            tops.add(above)
    return tops


def _caption(folded: str, para: Span) -> bool:
    """A line that can title a table: short, no sentence, no numbering (表2 …计划表, …任务分工表)."""
    head = folded[para.start:para.end].strip()
    return len(head) <= TITLE_MAX and not any(c in head for c in "。；;！？") and match_marker(folded, para.start) is None


def _data_tables(text: str, folded: str, paragraphs) -> set[Span]:
    """Every table row (a line of tab-separated cells) and the caption line right above a table
    (表2 嘉定区海绵城市系统方案编制计划表: short, no sentence, no numbering)."""
    rows = {p for p in paragraphs if "\t" in text[p.start:p.end]}
    captions = set()
    for above, below in zip(paragraphs, paragraphs[1:], strict=False):
        if below in rows and above not in rows and _caption(folded, above):
            captions.add(above)
    return rows | captions


def _depth(kind: str, kinds: list[str]) -> int:
    """How many open sections stay open when a heading of ``kind`` arrives."""
    if kind in STRUCTURAL:
        rank = STRUCTURAL[kind]
        return next((i for i, k in enumerate(kinds) if STRUCTURAL.get(k, rank) >= rank), len(kinds))
    return kinds.index(kind) if kind in kinds else len(kinds)


def _prev_end(text: str, start: int) -> int:
    end = start
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    return end


def _last_end(text: str, paragraphs, body_end: int) -> int:
    ends = [p.end for p in paragraphs if p.end <= body_end]
    return max(ends) if ends else body_end


def walk(sections: list[Section]):
    """Every section, depth first, in document order."""
    for s in sections:
        yield s
        yield from walk(s.children)
