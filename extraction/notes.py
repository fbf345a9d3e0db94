"""Stage: responsibility notes such as （A牵头，B、C参与）, read by a small grammar.

Input: the stored text, the body range, the gazetteer and the document's region.
Output: ``list[Note]`` in document order, each with its ``Assignment``s (agency, role, span).

Where a note may stand is ``note_spans``' job: brackets （…） (…) 〔…〕 closed on their line,
label clauses (责任单位：…) at a line start or after 。；，, whole sentences, and a sentence
opening with A会同B.

How it is read (``note_grammar`` cuts the note into names, role words, labels, bracketed role
marks and separators; the words are data in ``extraction/data/note_words.csv``):

* a label gives its role to the names after it, up to the next label;
* a role word gives its role to the names since the last role word (A、B按职责分工牵头，C等配合);
* 会同: the names before it lead, those after it take part (A会同B、C负责);
* a bracketed mark gives its role to the name before it (省发展改革委（牵头）、省财政厅);
* in a lead-first regime (列第一位/列第一的/排在第一位…为牵头单位, 下同) the first of a
  "responsible" list leads and the others take part.

Declarations carry forward: 下同 makes every later note lead-first; 以下均需B落实(，不再列出)
adds B as implementer to every later note. Every name becomes an agency through
``Gazetteer.resolve`` (listed, read by its shape, or kept unrecognised); pure generics (有关部门)
are dropped. A bracket with role words is a note when one of its names reads as a body; one
with names alone (（A、B）) when each reads as a body and one is known; an unbracketed sentence
only when every name is known or shaped. Ordinary parentheses and prose are left alone.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Note, Span
from .note_grammar import Token, tokenise, vocabulary
from .note_spans import find_brackets, find_clauses, subject_clause

_LEAD_FIRST = re.compile(
    r"[，。；]?\s*(?:其中\s*[，]?)?(?:列在|排在|位列|名列|排名|列|排)?(?:第一|首)(?:位|个|家)?(?:的|者)?(?:单位|部门)?"
    r"(?:为|是|作为)牵头(?:单位|部门)?(?P<same>[，。；]?\s*(?:以)?下同)?")
_IMPLIED = re.compile(r"[，。；]?\s*以下(?:各项)?(?:任务|工作|措施|事项)?(?:均需|均由|均须|都需|均要|需|由)"
                      r"(?P<who>[^，。；）]+?)(?:负责)?落实(?:[，。；]?\s*不再(?:一一)?列出)?")
# words every match of the two holds (第一 or 首; 以下): a note without them is not searched
_LEAD_FIRST_WORDS, _IMPLIED_WORDS = ("第一", "首"), ("以下",)
# a gloss widening the name before it, here and below: 各县、区政府（含市高新区管委会，下同）
_SAME_BELOW = re.compile(r"[（(](?:含|包括)?(?P<members>[^（）()，,；;]{2,80}?)[，,]?\s*(?:以)?下同[）)]")
_PLAQUE_REACH = 12           # characters before a bracket in which a body's name may end
_SENTENCE_MARK = re.compile(r"[，。；：、\s]")
_SPLITTERS = re.compile(r"等和|以及|及|和(?=各)|等(?=各|有关|相关|其他)")
_GROUP_HEADS = ("部门", "单位", "机构")        # 省直有关部门, 各地相关部门: names of groups of bodies
# a kind of department, the body a note names where it leaves the level to the reader (教育行政部门牵头,
# 公安机关负责): a body in a bracket with role words
_KIND_OF_BODY = re.compile(r"[\u4e00-\u9fff]{2,14}(?:部门|机关)")


@dataclass
class NoteState:
    """What earlier notes declared for the ones after them."""

    lead_first: bool = False
    implied: list[Assignment] = field(default_factory=list)
    # a name a note widened for every later note: 各县、区政府（市高新区管委会、市经开区管委会，下同）
    same_below: dict[str, list[Assignment]] = field(default_factory=dict)


# a lead-first rule said the other way round: 牵头单位排在第一位, 牵头部门均列首位
_DECLARATION_REACH = 30      # characters before its 牵头 in which a declaration begins (其中，列在第一位的单位为)
_LEAD_NAMED_FIRST = re.compile(r"牵头(?:单位|部门)(?:均|都)?(?:列|排|放|写)在?(?:第一|首)位")


def find_notes(text: str, start: int, end: int, gazetteer: Gazetteer, region: str | None,
               breaks: tuple[int, ...] = ()) -> list[Note]:
    """``breaks``: where paragraphs end inside a line (see ``note_spans.find_clauses``)."""
    folded = fold(text)
    notes = _read_notes(text, folded, start, end, gazetteer, region, False, breaks)
    if standalone_lead_first(folded, start, end, notes):
        notes = _read_notes(text, folded, start, end, gazetteer, region, True, breaks)
    return notes


def standalone_lead_first(folded: str, start: int, end: int, notes: list[Note]) -> bool:
    """Whether the text says once, outside every note that names bodies, that the first body named
    leads (注：责任单位中排在第一位的为牵头单位; 各项任务中牵头单位排在第一位; （列第一位的为牵头单位）
    in the opening sentence): a rule of the whole document, for the notes before it as after it."""
    named = [n.span for n in notes if n.assignments]
    for m in _declarations(folded, start, end):
        line_end = folded.find("\n", m.start())
        line = folded[folded.rfind("\n", 0, m.start()) + 1:line_end if line_end >= 0 else len(folded)]
        if "\t" in line:
            continue                         # a table's header (责任单位（列第一位的为牵头单位）): the table's rule
        if not any(s.start <= m.start() < s.end for s in named):
            return True
    return False


def _declarations(folded: str, start: int, end: int):
    """Every lead-first declaration in [start, end), looked for around each 牵头 only (both forms name it)."""
    at = folded.find("牵头", start, end)
    while at >= 0:
        for rx, lo, hi in ((_LEAD_FIRST, at - _DECLARATION_REACH, at + 6), (_LEAD_NAMED_FIRST, at, at + 16)):
            m = rx.search(folded, max(start, lo), min(end, hi))
            if m is not None and m.start() <= at < m.end():
                yield m
        at = folded.find("牵头", at + 2, end)


def _read_notes(text: str, folded: str, start: int, end: int, gazetteer: Gazetteer, region: str | None,
                lead_first: bool, breaks: tuple[int, ...]) -> list[Note]:
    vocab = vocabulary()
    state = NoteState(lead_first=lead_first)
    notes: list[Note] = []
    brackets = find_brackets(folded, start, end)
    clauses = find_clauses(folded, start, end, brackets, vocab, breaks)
    candidates = [(b, True) for b in brackets] + [(c, False) for c in clauses]
    for span, bracketed in sorted(candidates):
        if not bracketed and not vocab.marked(folded, span.start, span.end):
            continue                         # no role word, label or 会同: prose
        note = parse_note(text, folded, span, state, gazetteer, region, bracketed)
        if note is None and not bracketed:
            subject = subject_clause(folded, span, gazetteer, region)
            if subject is not None:
                note = parse_note(text, folded, subject, state, gazetteer, region, False)
            elif folded.find("括号", span.start, span.end) >= 0 and _LEAD_FIRST.search(folded, span.start, span.end):
                state.lead_first = True      # 括号内列第一位的为牵头单位 said once in the text
        if note is not None:
            notes.append(note)
    return notes


def _said(folded: str, lo: int, hi: int, words: tuple[str, ...]) -> bool:
    return any(folded.find(w, lo, hi) >= 0 for w in words)


def parse_note(text: str, folded: str, bracket: Span, state: NoteState,
               gazetteer: Gazetteer, region: str | None, bracketed: bool = True) -> Note | None:
    """Parse one bracket (or unbracketed clause); ``None`` if it is not a responsibility
    note. Updates ``state`` with what the note declares for later ones."""
    lo, hi = (bracket.start + 1, bracket.end - 1) if bracketed else (bracket.start, bracket.end)
    lead_first_here = state.lead_first
    declares_lead_first = False
    implied_here: list[tuple[str, int]] = []
    declared: list[re.Match] = []        # the declarations, blanked before the note is cut into tokens
    if _said(folded, lo, hi, _LEAD_FIRST_WORDS):
        for m in _LEAD_FIRST.finditer(folded, lo, hi):
            lead_first_here = True
            declares_lead_first = bool(m.group("same"))
            declared.append(m)
    if _said(folded, lo, hi, _IMPLIED_WORDS):
        for m in _IMPLIED.finditer(folded, lo, hi):
            implied_here.append((m.group("who"), m.start("who")))
            declared.append(m)
    glosses = list(_SAME_BELOW.finditer(folded, lo, hi)) if "下同" in folded[lo:hi] else []
    declared += glosses
    body = folded[lo:hi]
    if declared:
        work = list(body)
        for m in declared:
            work[m.start() - lo:m.end() - lo] = " " * (m.end() - m.start())
        body = "".join(work)
    vocab = vocabulary()

    def is_name(s: str) -> bool:
        return (gazetteer.known(s, region, folded=True) is not None or gazetteer.is_generic(s, folded=True)
                or gazetteer.looks_like_agency(s, folded=True) or s.endswith(_GROUP_HEADS))

    tokens = tokenise(body, lo, vocab, is_name)
    groups = _assign(tokens)
    if groups is None:
        return None
    labelled = any(t.kind == "label" for t in tokens)
    bare = not labelled and not any(t.kind in ("role", "mark") for t in tokens)   # （A、B）
    if not bracketed and not labelled and folded[lo:hi].count("，") + folded[lo:hi].count("；") > 6:
        return None
    assignments: list[Assignment] = []
    parent: str | None = None
    bodylike, generic = labelled, False
    for role, names in groups:
        resolved = []
        generic_first = False            # 各有关部门和单位，各省级人民政府…: listed first, the lead is unnamed
        for tok, mark in names:
            for part, ps, pe in _split_mention(folded[tok.start:tok.end], tok.start, gazetteer, region):
                if gazetteer.is_generic(part, folded=True):
                    generic, generic_first = True, generic_first or not resolved
                    continue
                agency, parent = _resolve(part, parent, gazetteer, region)
                if agency is None:
                    continue
                if not agency.recognised and not labelled and not bracketed:
                    return None          # a sentence that only mentions a name
                tail = part.rsplit("、", 1)[-1]
                bodylike = bodylike or agency.recognised or gazetteer.looks_like_agency(tail, folded=True) \
                    or (bracketed and not bare and _KIND_OF_BODY.fullmatch(tail) is not None)
                resolved.append((agency, text[ps:pe], Span(ps, pe), mark))
        if role == "responsible" and lead_first_here and resolved and not any(r[3] for r in resolved):
            first, *rest = resolved
            if not generic_first:
                assignments.append(Assignment(first[0], "lead", first[1], first[2]))
            else:
                rest = resolved
            assignments.extend(Assignment(a, "participant", s, sp) for a, s, sp, _ in rest)
        else:
            assignments.extend(Assignment(a, mark or role, s, sp) for a, s, sp, mark in resolved)
    if bare and (not bracketed or not any(a.agency.recognised for a in assignments)
                 or not all(a.agency.recognised or gazetteer.looks_like_agency(a.surface) for a in assignments)
                 or len(assignments) != sum(1 for t in tokens if t.kind == "name")
                 or _named_before(folded, bracket.start, gazetteer, region)):
        return None                      # （以下简称…）, （A、有关部门）, a sentence of names, A（B）: not notes
    if generic and not assignments and bracketed and state.implied:
        bodylike = True                  # （各有关部门负责）: only the bodies declared for every note
    if not bodylike or not (assignments or generic):
        return None                      # no name reads as a body: an ordinary parenthesis

    note = Note(span=bracket, assignments=assignments, declares_lead_first=declares_lead_first)
    if not assignments and not state.implied:
        return None
    _widen(text, note, glosses, state, gazetteer, region)
    present = {a.agency.key for a in assignments}
    for a in state.implied:
        if a.agency.key not in present:
            note.assignments.append(Assignment(a.agency, a.role, a.surface, a.span, source="declaration"))
    for who, s in implied_here:
        for part, ps, pe in _split_mention(who, s, gazetteer, region):
            agency = gazetteer.resolve(part, region, folded=True)
            if agency is not None:
                implied = Assignment(agency, "implementer", text[ps:pe], Span(ps, pe), source="declaration")
                note.declares_implied.append(implied)
                state.implied.append(implied)
    if declares_lead_first:
        state.lead_first = True
    return note


def _named_before(folded: str, at: int, gazetteer: Gazetteer, region: str | None) -> bool:
    """Whether a body's name ends right before ``at``: 区绿化市容局（区分减联办） is that body's other
    name (a second plaque), not a note naming 区分减联办."""
    before = folded[max(0, at - _PLAQUE_REACH):at]
    return any(gazetteer.known(before[-k:], region, folded=True) is not None
               or gazetteer.looks_like_agency(before[-k:], folded=True) and not _SENTENCE_MARK.search(before[-k:])
               for k in range(3, len(before) + 1))


def _widen(text: str, note: Note, glosses: list[re.Match], state: NoteState, gazetteer: Gazetteer,
           region: str | None) -> None:
    """The bodies a 下同 gloss adds to the name it follows, in this note (the name's role) and in
    every later note that names it again; in a note without a gloss, those a name widened earlier adds."""
    if not glosses:
        present = {a.agency.key for a in note.assignments}
        for a in list(note.assignments):
            for member in state.same_below.get(fold(a.surface), ()):
                if member.agency.key not in present:
                    present.add(member.agency.key)
                    note.assignments.append(dataclasses.replace(member, role=a.role, source="declaration"))
        return
    for m in glosses:
        named = next((a for a in note.assignments if a.span.end == m.start()), None)
        if named is None:
            continue
        members = []
        for piece in re.finditer(r"[^、和及\s]+", m.group("members")):
            at = m.start("members") + piece.start()
            for part, ps, pe in _split_mention(piece.group(), at, gazetteer, region):
                agency = gazetteer.resolve(part, region, folded=True)
                if agency is not None:
                    members.append(Assignment(agency, named.role, text[ps:pe], Span(ps, pe)))
        state.same_below[fold(named.surface)] = members
        note.assignments.extend(members)


Named = tuple[Token, str | None]        # a name token and the role a bracketed mark gives it
Group = tuple[str, list[Named]]


def _assign(tokens: list[Token]) -> list[Group] | None:
    """Clause grammar: which role each name gets. None if some name gets none, or no role at all.
    Names under a label of something else (完成时限：…) and time tokens get no group."""
    groups: list[Group] = []
    pending: list[Named] = []
    label_role: str | None = None
    with_lead: list[Named] | None = None
    previous = None
    for tok in tokens:
        if tok.kind == "name":
            pending.append((tok, None))
        elif tok.kind == "mark" and previous == "name":
            if pending[-1][1] is not None:
                return None
            pending[-1] = (pending[-1][0], tok.role)
        elif tok.kind in ("label", "mark"):      # a bracketed label with no name before it: 〔牵头单位〕A
            if pending:
                if label_role is None:
                    return None
                groups.append((label_role, pending))
            pending, label_role = [], tok.role
        elif tok.kind == "role" and tok.role == "with":
            with_lead, pending = pending, []
        elif tok.kind == "role":
            role = label_role if label_role and tok.role in ("responsible", "implementer") else tok.role
            if with_lead is not None:
                groups += [("lead", with_lead), ("participant", pending)]
                with_lead = None
            elif pending:
                groups.append((role, pending))
            pending = []
        previous = tok.kind
    if with_lead is not None:          # A会同B (no closing verb)
        groups += [("lead", with_lead), ("participant", pending)]
        pending = []
    if pending:
        marks = [m for _, m in pending if m]
        if label_role is None and not marks:
            if groups or any(t.kind == "role" for t in tokens):
                return None            # names left without a role
            return [("responsible", pending)]       # （A、B）: a list of bodies alone
        # A（牵头）、B、C: the names without a mark take part beside the marked lead
        unmarked = "participant" if "lead" in marks and label_role in (None, "responsible") else label_role
        groups.append((unmarked or "responsible", pending))
    groups = [(role, names) for role, names in groups if role != "none"]
    return groups or None


def _resolve(part: str, parent: str | None, gazetteer: Gazetteer, region: str | None):
    """The agency ``part`` names; a bare unit after 省局X处 (、登记注册局) belongs to the same 省局.
    Returns the agency and the parent for the names after it."""
    from .agency_names import unit_parent

    agency = gazetteer.resolve(part, region, folded=True)
    own = unit_parent(part)
    if own is not None:
        return agency, own
    if agency is not None and not agency.recognised and parent is not None:
        carried = gazetteer.resolve(parent + part, region, folded=True)
        if carried is not None and carried.recognised:
            return carried, parent
    if agency is not None and agency.recognised:
        return agency, None
    return agency, parent


def _split_mention(surface: str, start: int, gazetteer: Gazetteer, region: str | None):
    """Trim 等 and split joined names (A等和B, A和各B, A及B) where the parts are real bodies.
    ``surface``: a slice of the folded text."""
    s, e = 0, len(surface)
    while e > s and surface[e - 1] in "等 ":
        e -= 1
    while s < e and surface[s] in "和及与 ":
        s += 1
    core = surface[s:e]
    if not core:
        return []
    whole = gazetteer.resolve(core, region, folded=True)
    if whole is not None and whole.recognised and not _by_pattern(whole):
        return [(core, start + s, start + e)]      # a listed name, 和 and all: 住房和城乡建设部
    for m in _SPLITTERS.finditer(core):
        left, right = core[:m.start()], core[m.end():]
        if left and right:
            return (_split_mention(left, start + s, gazetteer, region)
                    + _split_mention(right, start + s + m.end(), gazetteer, region))
    for k in (i for i, ch in enumerate(core) if ch in "和与及"):
        left, right = core[:k], core[k + 1:]
        lres, rres = gazetteer.resolve(left, region, folded=True), gazetteer.resolve(right, region, folded=True)
        if lres is not None and rres is not None and lres.recognised and rres.recognised:
            return [(left, start + s, start + s + k), (right, start + s + k + 1, start + e)]
    return [(core, start + s, start + e)]


def _by_pattern(agency) -> bool:
    """Recognised by the shape of its name (extraction/agency_names.py), not found in the lists:
    省发展改革委和省科技厅 has the shape of one name, but it is two, each a body of its own."""
    return "/local/" in agency.key or "/unit/" in agency.key
