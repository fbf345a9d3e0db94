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
_NAME = re.compile(r"([^，。：；、\s（）()“”]{2,20})[。：]")
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


def duties_sections(sections: list[Section], text: str) -> set[str]:
    """Ids of the sections inside a part whose title speaks of duties (职责分工, 工作职责, 部门职能 …),
    that part included. When such a part has a child that speaks of duties too (五、组织构架和职责分工
    > （二）职责分工), only that child is the duties part: （一）组织构架 sets up offices."""
    out: set[str] = set()

    def take(section: Section) -> None:
        out.update(s.id for s in walk([section]))

    def visit(section: Section) -> None:
        if _speaks_of_duties(section, text):
            narrower = [c for c in section.children if _speaks_of_duties(c, text)]
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


def heading_body(text: str, section: Section, gazetteer: Gazetteer, region: str | None) -> Assignment | None:
    """The body a duties unit opens with (1.街道消委办。牵头… -> 街道消委办, lead), else None."""
    h = section.heading
    if h is None or h.marker_kind in ("annex", "article"):
        return None
    below = section.body[0].start if section.body else section.children[0].span.start if section.children else None
    start = h.span.start + len(h.marker)
    folded = fold(text[start:start + 24])
    if (m := _NAME.match(folded)) is not None:                 # 1.街道消委办。牵头… / （一）区建管委：…
        name, after = m.group(1), folded[m.end():]
    elif h.title and h.title_span and below is not None and text[h.title_span.end:h.title_span.end + 1] in ("\n", ""):
        name = _GLOSS.sub("", h.title)                          # （一）区建管委 on its own line, duties below
        start = h.title_span.start                              # (or its numbered duties: 1、线索处置…);
        #                                                         六、公安青浦分局（交警支队）: the body, not its gloss
        after = fold(text[below:below + 4])
    else:
        return None
    if not gazetteer.looks_like_agency(name, folded=True) and gazetteer.known(name, region, folded=True) is None:
        return None
    agency = gazetteer.resolve(text[start:start + len(name)], region)
    if agency is None:
        return None
    role = "lead" if after.lstrip().startswith(_LEAD) else "responsible"
    return Assignment(agency, role, text[start:start + len(name)], Span(start, start + len(name)), source="heading")


def assigned(text: str, sections: list[Section], gazetteer: Gazetteer, region: str | None) -> dict[str, Assignment]:
    """Section id -> the body its heading names, for the units of every duties part; a unit's
    numbered duties (（一）区绿化市容局 > …主要履行以下职责： > 1.组织制定…；) are that body's too,
    role lead where the duty opens with 牵头."""
    inside = duties_sections(sections, text)
    out: dict[str, Assignment] = {}
    for section in walk(sections):
        if section.id in inside and section.id not in out and \
                (found := heading_body(text, section, gazetteer, region)) is not None:
            out[section.id] = found
            for duty in walk(section.children):       # 1、执法查处: a duty's own title, no body of its own
                own = heading_body(text, duty, gazetteer, region)
                if duty.id not in out and (own is None or not own.agency.recognised):
                    opens = fold(text[duty.span.start + len(duty.heading.marker):duty.span.start + 12]).lstrip()
                    out[duty.id] = dataclasses.replace(found, role="lead" if opens.startswith(_LEAD) else "responsible")
    return out
