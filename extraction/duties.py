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

import re

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Section, Span
from .outline import walk

_DUTIES = re.compile(r"职责|分工|职能")
_NAME = re.compile(r"([^，。：；、\s（）()“”]{2,20})[。：]")
_LEAD = "牵头"


def _speaks_of_duties(section: Section) -> bool:
    title = section.heading.title if section.heading else None
    return bool(title and _DUTIES.search(title) and not title.endswith("表"))   # …任务分工表 is no part


def duties_sections(sections: list[Section]) -> set[str]:
    """Ids of the sections inside a part whose title speaks of duties (职责分工, 工作职责, 部门职能 …),
    that part included. When such a part has a child that speaks of duties too (五、组织构架和职责分工
    > （二）职责分工), only that child is the duties part: （一）组织构架 sets up offices."""
    out: set[str] = set()

    def take(section: Section) -> None:
        out.update(s.id for s in walk([section]))

    def visit(section: Section) -> None:
        if _speaks_of_duties(section):
            narrower = [c for c in section.children if _speaks_of_duties(c)]
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
    if section.children and not section.body:
        return None
    start = h.span.start + len(h.marker)
    folded = fold(text[start:start + 24])
    if (m := _NAME.match(folded)) is not None:                 # 1.街道消委办。牵头… / （一）区建管委：…
        name, after = m.group(1), folded[m.end():]
    elif h.title and h.title_span and section.body and text[h.title_span.end:h.title_span.end + 1] in ("\n", ""):
        name = h.title                                          # （一）区建管委 on its own line, duties below
        start = h.title_span.start
        after = fold(text[section.body[0].start:section.body[0].start + 4])
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
    """Section id -> the body its heading names, for the units of every duties part."""
    inside = duties_sections(sections)
    out = {}
    for section in walk(sections):
        if section.id in inside and (found := heading_body(text, section, gazetteer, region)) is not None:
            out[section.id] = found
    return out
