"""Duties parts: a unit headed by the body it assigns (职责分工 / 工作职责 …).

Implementation plans often close with a part dividing the work among bodies, each unit opening
with the body's name closed by 。 or ：, its duties after it::

    二、职责分工
    1.街道消委办。牵头开展独居老人消防安全关爱工作……
    （一）区建管委：牵头协调督促……
    （二）区财政局
    负责落实……（the name alone on the heading line, the duties below）

The name is the unit's responsible body (role lead when the words after it open with 牵头), found
from the shape of the name (``Gazetteer.looks_like_agency``), never from a list: a place
(（一）上海市。…) is no body. Assignments found here have source ``heading``.
"""

from __future__ import annotations

import dataclasses
import re

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Section, Span
from .outline import walk

_DUTIES = re.compile(r"职责|分工|职能")
_DUTIES_END = re.compile(r"(?:职责|分工|职能)$")
# a unit's opening name, up to its 。 or ：; a short bracket may stand inside it (区（县）人民政府)
_NAME = re.compile(r"((?:[^，。：；\s（）()“”]|（[^（）]{1,8}）){2,40}?)[。：]")
_DUTIES_WORD = re.compile(r"(?:工作)?(?:职责|职能)$")      # （一）市政府金融办职责。: the body is 市政府金融办
_LEAD = "牵头"
_ANNEX_TITLE_MAX = 40
_GLOSS = re.compile(r"[（(][^（）()]*[）)]$")


def _speaks_of_duties(section: Section, text: str) -> bool:
    title = section.heading.title if section.heading else None
    if section.heading is not None and section.heading.marker_kind == "annex":
        after = text[section.heading.span.end:section.heading.span.end + 2 * _ANNEX_TITLE_MAX].strip()
        title = after.split("\n", 1)[0].strip() if after else ""  # 附件2 / …职责清单: its title line
        title = title if len(title) <= _ANNEX_TITLE_MAX else None
    return bool(title and _DUTIES.search(title) and not title.endswith("表"))   # …任务分工表 is no part


def _titled_so(section: Section) -> bool:
    """A child that is a duties part by its title (（二）职责分工, （一）市财政局职责), not a duty that
    names duties in passing (6.指导辖区内各职能部门准备…)."""
    title = (section.heading.title or "") if section.heading else ""
    return _DUTIES_END.search(title.rstrip("。：:；; ")) is not None


def duties_sections(sections: list[Section], text: str) -> set[str]:
    """Ids of the sections inside a part whose title speaks of duties (职责分工, 工作职责, 部门职能 …),
    that part included. When such a part has a child that speaks of duties too (五、组织构架和职责分工
    > （二）职责分工), only that child is the duties part: （一）组织构架 sets up offices."""
    out: set[str] = set()

    def take(section: Section) -> None:
        out.update(s.id for s in walk([section]))

    def visit(section: Section) -> None:
        if _speaks_of_duties(section, text):
            narrower = [c for c in section.children if _speaks_of_duties(c, text) and _titled_so(c)]
            if not narrower:
                take(section)
                return
            for child in narrower:
                visit(child)
            return
        for child in section.children:
            visit(child)

    for top in sections:
        visit(top)
    return out


def heading_body(text: str, section: Section, gazetteer: Gazetteer, region: str | None) -> list[Assignment]:
    """The bodies a duties unit opens with (1.街道消委办。牵头… -> 街道消委办, lead; （六）各区（市、县）人民政府、
    开发区管委会职责。 -> both), else none."""
    h = section.heading
    if h is None or h.marker_kind in ("annex", "article"):
        return []
    below = section.body[0].start if section.body else section.children[0].span.start if section.children else None
    start = h.span.start + len(h.marker)
    folded = fold(text[start:start + 40])
    if (m := _NAME.match(folded)) is not None:                 # 1.街道消委办。牵头… / （一）区建管委：…
        name, after = m.group(1), folded[m.end():]
        if len(bare := _DUTIES_WORD.sub("", name)) >= 2:
            name = bare
    elif h.title and h.title_span and below is not None and text[h.title_span.end:h.title_span.end + 1] in ("\n", ""):
        name = _GLOSS.sub("", h.title)                          # （一）区建管委 on its own line, duties below
        start = h.title_span.start                              # (or its numbered duties: 1、线索处置…);
        #                                                         六、公安青浦分局（交警支队）: the body, not its gloss
        after = fold(text[below:below + 4])
    else:
        return []
    role = "lead" if after.lstrip().startswith(_LEAD) else "responsible"
    return _bodies_named(text, start, name, role, gazetteer, region)


def _bodies_named(text: str, start: int, name: str, role: str, gazetteer: Gazetteer,
                  region: str | None) -> list[Assignment]:
    """The bodies ``name`` (at ``start``) names: one, or a list of them (A、B), each read as a body;
    none when a piece is no body's name (明确目标、加强领导; 教育、卫生计生、民政部门)."""
    out, depth, at = [], 0, 0
    for i, ch in enumerate(name + "、"):
        depth += (ch == "（") - (ch == "）")
        if ch != "、" or depth > 0:
            continue
        piece = name[at:i]
        if not gazetteer.looks_like_agency(piece, folded=True) and gazetteer.known(piece, region, folded=True) is None:
            return []
        surface = text[start + at:start + i]
        if (agency := gazetteer.resolve(surface, region)) is not None:
            out.append(Assignment(agency, role, surface, Span(start + at, start + i), source="heading"))
        at = i + 1
    return out


def assigned(text: str, sections: list[Section], gazetteer: Gazetteer,
             region: str | None) -> dict[str, list[Assignment]]:
    """Section id -> the bodies its heading names, for the units of every duties part; a unit's
    numbered duties (（一）区绿化市容局 > …主要履行以下职责： > 1.组织制定…；) are that body's too,
    role lead where the duty opens with 牵头; and a unit's unnumbered paragraphs that open with a
    body's name (（三）联席会议成员单位。 > 区教育局：负责… > 区民政局：负责…) name its bodies."""
    inside = duties_sections(sections, text)
    out: dict[str, list[Assignment]] = {}
    for section in walk(sections):
        if section.id not in inside:
            continue
        if section.id not in out and (found := heading_body(text, section, gazetteer, region)):
            out[section.id] = found
            for duty in walk(section.children):       # 1、执法查处: a duty's own title, no body of its own
                own = heading_body(text, duty, gazetteer, region)
                if duty.id not in out and not any(a.agency.recognised for a in own):
                    opens = fold(text[duty.span.start + len(duty.heading.marker):duty.span.start + 12]).lstrip()
                    role = "lead" if opens.startswith(_LEAD) else "responsible"
                    out[duty.id] = [dataclasses.replace(a, role=role) for a in found]
        if section.heading is not None and section.heading.marker_kind != "annex":
            out.setdefault(section.id, []).extend(_paragraph_bodies(text, section, gazetteer, region))
    return {k: v for k, v in out.items() if v}


def _paragraph_bodies(text: str, section: Section, gazetteer: Gazetteer, region: str | None) -> list[Assignment]:
    """The bodies that open a unit's own paragraphs (区教育局：负责…; 各镇政府、街道办事处：负责…), when two
    or more paragraphs open so."""
    found, opened = [], 0
    for para in section.body:
        opening = fold(text[para.start:para.start + 40])
        m = _NAME.match(opening)
        if m is None or opening[m.end() - 1] != "：":          # 区教育局：负责…, not a sentence's 。
            continue
        role = "lead" if opening[m.end():].lstrip().startswith(_LEAD) else "responsible"
        if bodies := _bodies_named(text, para.start, m.group(1), role, gazetteer, region):
            found += bodies
            opened += 1
    return found if opened >= 2 else []
