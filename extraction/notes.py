"""Stage: responsibility notes such as （A牵头，B、C参与）.

Input: the stored text, the body range, the gazetteer and the document's region.
Output: ``list[Note]`` in document order, each with its ``Assignment``s (agency, role, span).

Styles read (ASCII and full-width punctuation alike, separators 、 , ， ; mixed):
  (责任单位:A、B,各市人民政府) · （牵头单位：A；配合单位：B、C）· （A、B负责）·
  （A、B等负责。列第一位者为牵头单位，下同） · （A负责，排在第一位的部门为牵头部门，下同）·
  （A牵头，B、C参与） · （A牵头负责） · （A会同有关部门负责） · （A会同B、C负责）·
  （A、B，各省级人民政府按职责分工负责） · （A、B等和各有关省级人民政府负责）·
  （A指导，B负责落实。以下均需B落实，不再列出） · （A指导，B参与）
Declarations carry forward: 下同 makes every later note lead-first; 以下均需B落实 adds B as
implementer to every later note. Generic phrases (有关部门 …) are dropped; names not in the
gazetteer are kept as unrecognised agencies when they look like an organisation, and a
parenthesis with anything that is neither is not a responsibility note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Note, Span

ROLE_WORDS: list[tuple[str, str]] = sorted([
    ("按职责分工负责", "responsible"), ("按职责分工落实", "responsible"), ("按职能分工负责", "responsible"),
    ("按职责负责", "responsible"), ("分别负责", "responsible"), ("共同负责", "responsible"),
    ("牵头负责", "lead"), ("牵头落实", "lead"), ("负责落实", "implementer"), ("组织落实", "implementer"),
    ("牵头", "lead"), ("参与", "participant"), ("配合", "participant"), ("协助", "participant"),
    ("协同", "participant"), ("指导", "guide"), ("负责", "responsible"), ("落实", "implementer"),
    ("会同", "with"),
], key=lambda rw: -len(rw[0]))
LABELS: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead", "责任单位": "responsible", "责任部门": "responsible",
    "主责单位": "responsible", "配合单位": "participant", "配合部门": "participant",
    "参与单位": "participant", "协办单位": "participant", "协助单位": "participant",
    "指导单位": "guide", "落实单位": "implementer", "实施单位": "implementer",
}
_LABEL = re.compile("(" + "|".join(LABELS) + r")\s*：")
_LEAD_FIRST = re.compile(
    r"[，。；]?\s*(?:其中\s*[，]?)?(?:列|排在|排|名列)?第一(?:位|个)(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?"
    r"(?P<same>[，。；]?\s*下同)?")
_IMPLIED = re.compile(r"[，。；]?\s*以下(?:各项)?(?:任务|工作|措施|事项)?(?:均需|均由|均须|都需|均要|需|由)(?P<who>[^，。；）]+?)(?:负责)?落实"
                      r"(?:[，。；]?\s*不再(?:一一)?列出)?")
_SEPARATORS = set("、，；。 ")
# words that stand between a name and its role word without being part of the name
_FILLER_END = re.compile(r"(?:等(?:有关|相关|其他)?(?:部门|单位|机构)?|(?:按照?|依|根据)(?:各自)?(?:职责|职能)(?:分工)?|分别)$")
_LABEL_LINE = re.compile("(?m)^(?:" + "|".join(LABELS) + r")\s*：")
_SPLITTERS = re.compile(r"等和|以及|及|和(?=各)|等(?=各|有关|相关|其他)")
_MAX_NOTE = 400


@dataclass
class NoteState:
    """What earlier notes declared for the ones after them."""

    lead_first: bool = False
    implied: list[Assignment] = field(default_factory=list)


def find_brackets(folded: str, start: int, end: int) -> list[Span]:
    """Outermost （…） pairs within [start, end) that close on the same line."""
    out: list[Span] = []
    depth, open_at = 0, -1
    for i in range(start, end):
        ch = folded[i]
        if ch == "\n":
            depth, open_at = 0, -1
        elif ch == "（":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == "）" and depth:
            depth -= 1
            if depth == 0 and i + 1 - open_at <= _MAX_NOTE:
                out.append(Span(open_at, i + 1))
    return out


def find_label_lines(folded: str, start: int, end: int) -> list[Span]:
    """Unbracketed notes: a line of its own starting with 责任单位：/ 牵头单位：…"""
    out = []
    for m in _LABEL_LINE.finditer(folded, start, end):
        line_end = folded.find("\n", m.start())
        out.append(Span(m.start(), end if line_end < 0 or line_end > end else line_end))
    return out


def find_notes(text: str, start: int, end: int, gazetteer: Gazetteer, region: str | None) -> list[Note]:
    folded = fold(text)
    state = NoteState()
    notes: list[Note] = []
    brackets = [(b, True) for b in find_brackets(folded, start, end)]
    lines = [(s, False) for s in find_label_lines(folded, start, end)
             if not any(b.start <= s.start < b.end for b, _ in brackets)]
    for span, bracketed in sorted(brackets + lines):
        note = parse_note(text, folded, span, state, gazetteer, region, bracketed)
        if note is not None:
            notes.append(note)
    return notes


def parse_note(text: str, folded: str, bracket: Span, state: NoteState,
               gazetteer: Gazetteer, region: str | None, bracketed: bool = True) -> Note | None:
    """Parse one bracket (or unbracketed label line); ``None`` if it is not a responsibility
    note. Updates ``state`` with what the note declares for later ones."""
    lo, hi = (bracket.start + 1, bracket.end - 1) if bracketed else (bracket.start, bracket.end)
    work = list(folded[lo:hi])
    lead_first_here = state.lead_first
    declares_lead_first = False
    implied_here: list[tuple[str, int, int]] = []
    for m in _LEAD_FIRST.finditer(folded, lo, hi):
        lead_first_here = True
        declares_lead_first = bool(m.group("same"))
        work[m.start() - lo:m.end() - lo] = " " * (m.end() - m.start())
    for m in _IMPLIED.finditer(folded, lo, hi):
        implied_here.append((m.group("who"), m.start("who"), m.end("who")))
        work[m.start() - lo:m.end() - lo] = " " * (m.end() - m.start())
    body = "".join(work)

    groups = _labelled_groups(body, lo) or _role_groups(body, lo)
    if groups is None:
        return None
    assignments: list[Assignment] = []
    for role, mentions in groups:
        resolved = []
        for surface, s, _end in mentions:
            for part, ps, pe in _split_mention(surface, s, gazetteer, region):
                if gazetteer.is_generic(part):
                    continue
                agency = gazetteer.resolve(part, region)
                if agency is None:
                    continue
                if not agency.recognised and not gazetteer.looks_like_agency(part):
                    return None          # not a list of bodies: an ordinary parenthesis
                resolved.append((agency, text[ps:pe], Span(ps, pe)))
        if role == "responsible" and lead_first_here and resolved:
            first, *rest = resolved
            assignments.append(Assignment(first[0], "lead", first[1], first[2]))
            assignments.extend(Assignment(a, "participant", s, sp) for a, s, sp in rest)
        else:
            assignments.extend(Assignment(a, role, s, sp) for a, s, sp in resolved)
    if not assignments:
        return None

    note = Note(span=bracket, assignments=assignments, declares_lead_first=declares_lead_first)
    present = {a.agency.key for a in assignments}
    for a in state.implied:
        if a.agency.key not in present:
            note.assignments.append(Assignment(a.agency, a.role, a.surface, a.span, source="declaration"))
    for who, s, _end in implied_here:
        for part, ps, pe in _split_mention(who, s, gazetteer, region):
            agency = gazetteer.resolve(part, region)
            if agency is not None:
                implied = Assignment(agency, "implementer", text[ps:pe], Span(ps, pe), source="declaration")
                note.declares_implied.append(implied)
                state.implied.append(implied)
    if declares_lead_first:
        state.lead_first = True
    return note


Group = tuple[str, list[tuple[str, int, int]]]


def _labelled_groups(body: str, base: int) -> list[Group] | None:
    labels = list(_LABEL.finditer(body))
    if not labels:
        return None
    groups: list[Group] = []
    for k, m in enumerate(labels):
        seg_end = labels[k + 1].start() if k + 1 < len(labels) else len(body)
        groups.append((LABELS[m.group(1)], _mentions(body, m.end(), seg_end, base)))
    return groups


def _role_at(body: str, i: int) -> tuple[str, str] | None:
    for word, role in ROLE_WORDS:
        if body.startswith(word, i):
            return word, role
    return None


def _role_groups(body: str, base: int) -> list[Group] | None:
    """Mentions and role words in order; each role word takes the mentions since the last one."""
    groups: list[Group] = []
    pending: list[tuple[str, int, int]] = []
    with_lead: list[tuple[str, int, int]] | None = None
    i, n = 0, len(body)
    while i < n:
        if body[i] in _SEPARATORS:
            i += 1
            continue
        hit = _role_at(body, i)
        if hit:
            word, role = hit
            i += len(word)
            if role == "with":
                with_lead, pending = pending, []
                continue
            if with_lead is not None:
                groups.append(("lead", with_lead))
                groups.append(("participant", pending))
                with_lead = None
            else:
                groups.append((role, pending))
            pending = []
            continue
        j = i
        while j < n and body[j] not in _SEPARATORS and not _role_at(body, j):
            j += 1
        pending.append((body[i:j], base + i, base + j))
        i = j
    if with_lead is not None:          # A会同B (no closing verb)
        groups.append(("lead", with_lead))
        groups.append(("participant", pending))
        pending = []
    if not groups or any(s.strip(" 等") for s, _, _ in pending):
        return None                    # no role word, or names left without one
    return groups


def _mentions(body: str, start: int, end: int, base: int) -> list[tuple[str, int, int]]:
    out = []
    for m in re.finditer(r"[^、，；。\s]+", body[start:end]):
        out.append((m.group(0), base + start + m.start(), base + start + m.end()))
    return out


def _split_mention(surface: str, start: int, gazetteer: Gazetteer, region: str | None):
    """Trim 等 and split joined names (A等和B, A和各B, A及B) where the parts are real bodies."""
    s, e = 0, len(surface)
    while e > s and surface[e - 1] in "等 ":
        e -= 1
    filler = _FILLER_END.search(surface, s, e)
    if filler and filler.start() > s:
        e = filler.start()
    while s < e and surface[s] in "和及与 ":
        s += 1
    core = surface[s:e]
    if not core:
        return []
    whole = gazetteer.resolve(core, region)
    if whole is not None and whole.recognised:
        return [(core, start + s, start + e)]
    for m in _SPLITTERS.finditer(core):
        left, right = core[:m.start()], core[m.end():]
        if left and right:
            return (_split_mention(left, start + s, gazetteer, region)
                    + _split_mention(right, start + s + m.end(), gazetteer, region))
    for k in (i for i, ch in enumerate(core) if ch == "和"):
        left, right = core[:k], core[k + 1:]
        lres, rres = gazetteer.resolve(left, region), gazetteer.resolve(right, region)
        if lres is not None and rres is not None and lres.recognised and rres.recognised:
            return [(left, start + s, start + s + k), (right, start + s + k + 1, start + e)]
    return [(core, start + s, start + e)]
