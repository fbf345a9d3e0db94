"""Stage: provisions. Which numbered items carry work, their measures and who is responsible.

Input: the stored text, the outline (``list[Section]``), the responsibility notes, the
sentence spans, the gazetteer and region. Output: ``list[Provision]`` — tasks (重点任务) and
safeguards (保障措施 / 组织实施 items) — each with its ``Measure``s and ``Assignment``s.

* The top-level part's title decides the kind of everything in it: 总体要求 / 指导思想 /
  基本原则 / 目标 … are general (their items are provisions of kind "general": text a reader
  cites, with notes if any, but no measures of work), 保障措施 / 组织实施 / 有关要求 / 实施步骤 …
  are safeguards, anything else carries tasks.
* A provision is the deepest numbered item with its own body text, unless an item has an
  introduction of its own and its sub-items carry no notes of their own (then the item as a
  whole is the provision and the sub-items are its measures).
* Measures are the sentences of the body (heading and notes excluded, a sentence cut by a
  note split in two); each takes the assignments of the note that follows it on its line.
* Bodies named as the subject of a clause (各市政府要…, 海关总署要继续…) are actors.
"""

from __future__ import annotations

import bisect
import re

from . import duties
from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Measure, Note, Provision, Section, Span
from .outline import walk

GENERAL = ("总体要求", "指导思想", "基本原则", "工作原则", "主要目标", "发展目标", "工作目标", "总体目标",
           "试点目标", "建设目标", "试点范围", "适用范围", "重大意义", "重要意义", "总体思路", "基本思路",
           "发展思路", "战略定位", "发展定位", "总体布局", "目的意义")
SAFEGUARDS = ("保障措施", "组织实施", "组织保障", "有关要求", "工作要求", "实施步骤", "保障机制",
              "组织领导", "监督检查", "工作保障", "政策保障", "实施保障", "进度安排", "步骤安排", "附则",
              "工作安排", "推进机制", "督促检查", "监督考核")
_KINDS = {"tasks": "task", "safeguards": "safeguard", "general": "general"}
_CLOSING = re.compile(r"(各地区|各地|各省|各有关部门|各部门|各级|国务院各部门|各有关方面)")
ACTOR_VERBS = ("要", "应当", "应", "须", "必须", "负责", "会同", "牵头", "作为", "是", "将", "继续", "切实",
               "进一步", "统筹", "按照", "结合")
_CLAUSE_BREAKS = re.compile("[，；。：！？\n]")
_LIST_JOIN = set("、和及")
_UNKNOWN_ACTOR_MAX = 16
_DOCUMENT_LEVELS = ("part", "chapter", "division", "article", "cn", "paren-cn")
_TITLE_WORDS = 30         # a heading's title is rarely longer (强化顶层设计引领，发挥政府宏观指导作用: 19)
_OPENING = 8              # characters after an untitled heading's marker read for its part's words
_SENTENCE_END = ("。", "；", "！", "？")
_MIN_MEASURE = 4          # characters; shorter fragments are punctuation left between notes


def classify(sections: list[Section], annex_kind: str | None = None, text: str = "") -> None:
    """Set ``Section.kind`` from the nearest titled ancestor (top-level part first). A heading
    whose title runs into its body (一、总体要求以习近平…, a text without line breaks) is read
    by the words it starts with."""
    def own(section: Section) -> str | None:
        title = section.heading.title if section.heading else None
        if section.heading and section.heading.marker_kind == "annex":
            return annex_kind           # None: an annex's items are read like the body's (附件 制度: 一、主要职能…)
        if not title and section.heading:
            opening = text[section.heading.span.end:section.heading.span.end + _OPENING]
            title = next((w for w in GENERAL + SAFEGUARDS if opening.startswith(w)), None)
        if not title:
            return None
        if any(w in title for w in GENERAL):
            return "general"
        if any(w in title for w in SAFEGUARDS):
            return "safeguards"
        return None

    def visit(section: Section, inherited: str) -> None:
        section.kind = own(section) or inherited
        for child in section.children:
            visit(child, section.kind)

    for top in sections:
        visit(top, "tasks")


_GLOSS = re.compile(r"[（(][^（）()]*[）)]")


def _has_notes(section: Section, notes: list[Note]) -> bool:
    return any(section.span.contains(n.span) for n in notes)


def _is_article(section: Section) -> bool:
    return section.heading is not None and section.heading.marker_kind == "article"


def _is_sentence(text: str, section: Section) -> bool:
    """A one-sentence item (九、副总理…负责。), or one clause of a list (（1）出色完成应急任务的；): its
    heading is the whole item and ends a sentence or a clause."""
    h = section.heading
    if h is None or h.title_span is None:
        return False
    return text[h.title_span.end:h.title_span.end + 1] in _SENTENCE_END or \
        fold(h.title_span.of(text)).rstrip().endswith(("；", ";"))


def _is_clause(section: Section) -> bool:
    """A heading too long and too articulated to be a title (more than ``_TITLE_WORDS`` characters,
    with a comma): a heading glued to its intro sentence, which is text of its own."""
    h = section.heading
    if h is None or h.title is None:
        return False
    bare = _GLOSS.sub("", fold(h.title))     # 监管部门（包括…，…以下简称…）: a gloss, not an intro
    return len(bare) > _TITLE_WORDS and "，" in bare


def _enumerates(text: str, section: Section) -> bool:
    """The intro of an item that stands for an article (an item right under a chapter: 第八章 >
    三十六、…主要任务是：（一）…；（二）…) leads into a list whose items are not headed items with
    bodies of their own: like an article's items, the list is part of the item."""
    intro_end = fold(text[section.body[0].start:section.children[0].span.start]).rstrip()
    return intro_end.endswith("：") and not all(c.body and c.heading and c.heading.title for c in section.children)


def _provision_sections(text: str, section: Section, notes: list[Note], parent_kind: str | None = None):
    """``(section, whole)`` for every section that is a provision: articles, leaf items with text,
    and items with an intro paragraph. An item that stands for an article and enumerates its
    sub-items, or whose intro carries the notes they lack, is one provision as a whole (``whole``);
    otherwise its heading and intro are a provision of their own and its numbered items are
    provisions beside it (…承担以下职责：（1）…；（2）…: each duty is a provision)."""
    if _is_article(section) and section.kind != "other":
        yield section, True
        return
    if section.kind not in ("tasks", "safeguards", "general"):
        return
    if section.heading is not None and section.heading.marker_kind == "annex":
        # 附件 is no numbered unit; its items are provisions when it is a document of its own,
        # organised by 一、/（一）/第X章/第X条 (a 制度, a 办法), not a table's cells or a list (1. 2.)
        if section.children and section.children[0].heading.marker_kind in _DOCUMENT_LEVELS:
            for child in section.children:
                yield from _provision_sections(text, child, notes, "annex")
        return
    if not section.children:
        if section.body or _is_sentence(text, section):
            yield section, True
        return
    if section.body and section.body[0].start < section.children[0].span.start:
        intro = Span(section.body[0].start, section.children[0].span.start)
        intro_notes = any(intro.contains(n.span) for n in notes)
        as_article = parent_kind in ("chapter", "division") and _enumerates(text, section)
        if as_article or (intro_notes and not any(_has_notes(c, notes) for c in section.children)):
            yield section, True
            return
        yield section, False
    elif _is_clause(section):        # 三、切实管理好“其他人员”除…以外的其他人员，均纳入…管理 (lines glued)
        yield section, False
    kind = section.heading.marker_kind if section.heading is not None else None
    for child in section.children:
        yield from _provision_sections(text, child, notes, kind)


def extract_provisions(text: str, sections: list[Section], notes: list[Note], sentences: list[Span],
                       gazetteer: Gazetteer, region: str | None) -> list[Provision]:
    classify(sections, text=text)
    notes = sorted(notes, key=lambda n: n.span.start)
    found = [hit for top in sections for hit in _provision_sections(text, top, notes)]
    chosen = [section for section, _ in found if section.kind != "general"]
    closing = _closing_paragraphs(text, chosen, notes)
    provisions: list[Provision] = []
    counters = {"task": 0, "safeguard": 0, "article": 0, "general": 0}
    headed = duties.assigned(text, sections, gazetteer, region)       # 1.街道消委办。牵头…
    for section, whole in found:
        kind = "article" if _is_article(section) else _KINDS[section.kind]
        parts = walk([section]) if whole else [section]
        bodies = [b for s in parts for b in _own_text(text, s, s is section) if not any(b == c for c in closing)]
        if not whole:                                   # the heading and intro, before the first item
            bodies = [b for b in bodies if b.end <= section.children[0].span.start]
        span = Span(section.span.start, max(b.end for b in bodies) if bodies else section.span.end)
        provision = _provision(text, kind, counters, section.id, section, span, bodies, notes,
                               sentences, gazetteer, region)
        if section.id in headed:
            provision.assignments[:0] = headed[section.id]
        provisions.append(provision)
    if closing:
        span = Span(closing[0].start, closing[-1].end)
        provisions.append(_provision(text, "safeguard", counters, "closing", None, span, closing, notes,
                                     sentences, gazetteer, region))
    return provisions


def _own_text(text: str, section: Section, is_provision: bool) -> list[Span]:
    """The text a provision's measures are read from: the bodies, and the headings of its
    sub-items (（一）城市道路…由…负责；) or of a one-sentence item, which are its words too
    (with the 。 or ； that ends them)."""
    h = section.heading
    if h is not None and h.title_span is not None and (not is_provision or not section.body):
        end = h.title_span.end + (text[h.title_span.end:h.title_span.end + 1] in _SENTENCE_END)
        return [Span(h.title_span.start, end), *section.body]
    return list(section.body)


def _closing_paragraphs(text: str, chosen: list[Section], notes: list[Note]) -> list[Span]:
    """Paragraphs after the last item's note that address everyone (各地区、各有关部门要…)."""
    if not chosen:
        return []
    last = chosen[-1]
    body = last.body
    if len(body) < 2 or last.children:
        return []
    ends = {n.span.end for n in notes}
    noted = sum(1 for c in chosen if any(b.end in ends for b in c.body))
    by_notes = len(chosen) >= 3 and noted >= 0.8 * len(chosen)     # every item closes with its note
    starts = {n.span.start for n in notes}
    for k in range(1, len(body)):
        if body[k].start in starts:          # a note on a line of its own (责任主体：…) is the item's
            continue
        if body[k - 1].end in ends and (by_notes or _CLOSING.match(text, body[k].start)):
            return body[k:]
    return []


def _provision(text, kind, counters, section_id, section, span, bodies, notes, sentences, gazetteer, region):
    counters[kind] += 1
    heading = section.heading if section else None
    # notes are in text order: only those between the first body's start and the last body's end
    # can be inside a body (testing every note of the document per provision was quadratic)
    lo = bisect.bisect_left(notes, min((b.start for b in bodies), default=0), key=lambda n: n.span.start)
    hi = bisect.bisect_right(notes, max((b.end for b in bodies), default=-1), key=lambda n: n.span.start)
    own_notes = [n for n in notes[lo:hi] if any(b.contains(n.span) for b in bodies)]
    title, title_span = (heading.title, heading.title_span) if heading else (None, None)
    if title_span is not None and (titled := _notes_in(notes, title_span)):
        own_notes = sorted({id(n): n for n in [*titled, *own_notes]}.values(), key=lambda n: n.span.start)
        pieces = [_trim(text, a, b) for a, b in zip([title_span.start, *(n.span.end for n in titled)],
                                                    [*(n.span.start for n in titled), title_span.end], strict=True)]
        cut = next((piece for piece in pieces if piece is not None), None)      # the title is its words, not its note
        if cut is not None:                                                     # (before it, or after one opening it)
            title, title_span = cut.of(text), cut
    provision = Provision(
        kind=kind, ordinal=counters[kind], section_id=section_id,
        title=title, title_span=title_span,
        span=span, notes=own_notes, label=heading.marker if heading else None,
        number=heading.number if heading else None,
    )
    for note in own_notes:
        provision.assignments.extend(note.assignments)
    if kind == "general":                # 指导思想, 基本原则, 目标: text and evidence, no measures of work
        return provision
    for piece in _measure_spans(text, bodies, own_notes, sentences):
        measure = Measure(span=piece)
        note = _note_after(text, piece, own_notes)
        if note is not None:
            measure.assignments.extend(note.assignments)
        actors = find_actors(text, piece, gazetteer, region)
        measure.assignments.extend(actors)
        provision.assignments.extend(actors)
        provision.measures.append(measure)
    return provision


def _measure_spans(text: str, bodies: list[Span], notes: list[Note], sentences: list[Span]) -> list[Span]:
    out: list[Span] = []
    for body in bodies:   # sentences are in order and do not overlap: start at the first that ends after
        for k in range(bisect.bisect_right(sentences, body.start, key=lambda s: s.end), len(sentences)):
            sent = sentences[k]
            if sent.start >= body.end:
                break
            lo, hi = max(sent.start, body.start), min(sent.end, body.end)
            if lo >= hi:
                continue
            cuts = sorted(n.span for n in notes if n.span.start < hi and n.span.end > lo)
            pos = lo
            for cut in cuts + [Span(hi, hi)]:
                piece = _trim(text, pos, min(cut.start, hi))
                if piece and piece.end - piece.start >= _MIN_MEASURE:
                    out.append(piece)
                pos = max(pos, cut.end)
    return out


def _notes_in(notes: list[Note], span: Span) -> list[Note]:
    """The notes (in text order) inside ``span``: （一）加强创新（责任单位：A）。… has its note in its title."""
    lo = bisect.bisect_left(notes, span.start, key=lambda n: n.span.start)
    hi = bisect.bisect_right(notes, span.end, key=lambda n: n.span.start)
    return [n for n in notes[lo:hi] if span.contains(n.span)]


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and (text[start].isspace() or fold(text[start]) in "，；。：、"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _note_after(text: str, piece: Span, notes: list[Note]) -> Note | None:
    """The note after ``piece`` on its line; else a note standing alone on the next line."""
    for note in notes:
        if note.span.start < piece.end:
            continue
        between = text[piece.end:note.span.start]
        if "\n" not in between:
            return note
        if between.count("\n") == 1 and not between.replace("\n", "").strip() \
                and text[note.span.end:note.span.end + 1] in ("\n", ""):
            return note
        return None
    return None


def find_actors(text: str, span: Span, gazetteer: Gazetteer, region: str | None) -> list[Assignment]:
    """Bodies named as the subject of a clause inside ``span``: 海关总署要…, 各市政府要…."""
    folded = fold(text[span.start:span.end])      # only the span: folding the whole text for
    base = span.start                              # every measure was quadratic (RELIABILITY.md)
    starts = [span.start] + [base + m.end() for m in _CLAUSE_BREAKS.finditer(folded, 0, len(folded) - 1)]
    out: list[Assignment] = []
    for i in starts:
        found = _subject_list(text, i, span.end, gazetteer, region)
        if not found:
            continue
        end = found[-1][1].end
        if text.startswith(ACTOR_VERBS, end):
            out.extend(Assignment(agency, "actor", sp.of(text), sp, source="text") for agency, sp in found)
    return out


def _subject_list(text, i, end, gazetteer, region):
    found = []
    while i < end:
        hit = _known_at(text, i, end, gazetteer, region) or _unknown_at(text, i, end, gazetteer, region)
        if hit is None:
            break
        found.append(hit)
        i = hit[1].end
        if i < end and text[i] in _LIST_JOIN:
            i += 1
            continue
        break
    return found


def _known_at(text, i, end, gazetteer, region):
    window = fold(text[i:min(end, i + 30)])            # folded once; fold keeps offsets
    for length in range(min(len(window), gazetteer.reach(window)), 1, -1):
        agency = gazetteer.known(window[:length], region, folded=True)
        if agency is not None:
            return agency, Span(i, i + length)
    return None


_UNKNOWN_SUBJECT = re.compile(rf"[^，；。：、\s（）()“”]{{2,{_UNKNOWN_ACTOR_MAX}}}?(?=要|应当|负责)")


def _unknown_at(text, i, end, gazetteer, region):
    m = _UNKNOWN_SUBJECT.match(text, i, end)
    if not m or gazetteer.is_generic(m.group(0)) or not gazetteer.looks_like_agency(m.group(0)):
        return None
    agency = gazetteer.resolve(m.group(0), region)
    return (agency, Span(i, m.end())) if agency is not None else None
