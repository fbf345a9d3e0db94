"""Level, region and issuing government a body implies, when no issuer, title or 文号 names them.

A page scraped from its addressee line on has no title, 文号 or signature, and a file need not be
named by its 文号; what the text still says about who wrote it:

* Its addressees (主送) are the writer's subordinates and its own departments:
  各市、县（区）人民政府，省政府各部门 → provincial; 各区人民政府，市政府各部门 → municipal;
  各省、自治区、直辖市人民政府，国务院各部委、各直属机构 → national.
* Its place: the province (or listed city) the body names clearly more than any other (``_place``),
  with 我省 / 全省 (我市 / 全市) saying that the text speaks for a place.
* A reply or letter to one government (鹰潭市人民政府：) comes from the government above it: a
  listed city's province, or the State Council for a province.
* Its issuer, only when the addressees are governments one level down (only a government or its
  general office writes to them): 经省政府同意 (经国务院同意, 经市政府同意) marks the general
  office's document (江西省人民政府办公厅); otherwise the government itself (江西省人民政府).

Evidence is the addressee line. The result is marked as read from the body
(``Metadata.origins``); weaker than any issuer, title or 文号, it is used only without them.
"""

from __future__ import annotations

import re

from .gazetteer import Gazetteer
from .jurisdiction import Jurisdiction

_SCAN = 4000           # characters of the body searched for 经…同意 and place names
_DEPARTMENTS = r"各(?:部门|委、?办、?厅?、?局|委办厅局|委办局|厅、?局|直属机构|有关单位|单位)"
_LEVELS = (            # strongest first: a provincial line also names 市、县 governments
    ("national", re.compile(r"国务院(?:各部委|" + _DEPARTMENTS + ")")),
    ("provincial", re.compile(r"(?:省|自治区)(?:人民)?政府" + _DEPARTMENTS + r"|(?:省|自治区)直(?:各|有关)(?:部门|单位)")),
    ("municipal", re.compile(r"市(?:人民)?政府" + _DEPARTMENTS + r"|市直(?:各|有关)(?:部门|单位)")),
    ("county", re.compile(r"(?:县|区|旗)(?:人民)?政府" + _DEPARTMENTS + r"|(?:县|区|旗)直(?:各|有关)(?:部门|单位)")),
)
_LOWER_GOVERNMENTS = re.compile(r"人民政府")      # the addressees include governments, not only departments
_APPROVED = re.compile(r"经(国务院|(?:省|自治区|市|县|区|旗)(?:人民)?政府)(?:同意|批准)")
_ONE_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{2,12}?)人民政府[：:]?")   # 鹰潭市人民政府：a reply to it
_OWN = {"provincial": ("我省", "全省", "我区", "全区"), "municipal": ("我市", "全市")}


def _leader(scores: dict[str, int], at_least: int) -> str | None:
    ranked = sorted(scores.values(), reverse=True) + [0]
    if ranked[0] < at_least or ranked[0] <= 2 * ranked[1]:
        return None
    return next(k for k, v in scores.items() if v == ranked[0])


def _place(body: str, level: str, gazetteer: Gazetteer):
    """The province (provincial) or listed city (municipal) the body names clearly more than any
    other: by full names (江西省, and its cities: 南昌市), else by short names named three times
    or more (视察江西, 南昌); a place named about as often as another is no answer (a Jiangxi
    notice on 湖北入赣人员 names 湖北 more often than 江西)."""
    if not any(w in body for w in _OWN.get(level, ())):
        return None
    if level == "provincial":
        places = {r.name: r for r in gazetteer.regions}
        members = [(r, r.name) for r in gazetteer.regions] + [(c, c.province) for c in gazetteer.cities]
    else:
        places = {c.name: c for c in gazetteer.cities}
        members = [(c, c.name) for c in gazetteer.cities]
    for form, at_least in (("name", 1), ("short", 3)):
        scores: dict[str, int] = {}
        for r, place in members:
            n = body.count(getattr(r, form))
            if n and place in places:
                scores[place] = scores.get(place, 0) + n
        if scores:
            leader = _leader(scores, at_least)
            return places[leader] if leader else None
    return None


def body_jurisdiction(folded: str, addressees: str, body_start: int,
                      gazetteer: Gazetteer) -> tuple[Jurisdiction, str | None] | None:
    """(level and region, the issuer when the addressees imply one) from the addressee line
    ``addressees`` and the body from ``body_start``; None when they imply no level."""
    body = folded[body_start:body_start + _SCAN]
    office = bool(_APPROVED.search(body))
    level = next((lv for lv, rx in _LEVELS if rx.search(addressees)), None)
    if level is None and (one := _ONE_GOVERNMENT.fullmatch(addressees.strip())):
        below = gazetteer.region_by_name(one.group(1))
        if below is not None and below.province is None or one.group(1).endswith(("省", "自治区")):
            return Jurisdiction("national", source="body"), "国务院" + ("办公厅" if office else "")
        if below is not None:                       # a listed city: its province
            above = gazetteer.region_by_name(below.province)
            return (Jurisdiction("provincial", above.name, above.name, "body"),
                    above.name + "人民政府" + ("办公厅" if office else ""))
        if one.group(1).endswith(("市", "州", "盟")):    # another city: a province, named by the body
            level = "provincial"
    if level is None:
        return None
    if level == "national":
        where, government = Jurisdiction("national", source="body"), "国务院"
    elif level in ("provincial", "municipal"):
        region = _place(body, level, gazetteer)
        if region is None:
            return Jurisdiction(level, source="body"), None
        kind = "provincial" if region.kind == "municipality" else level          # 北京市 writes as a province
        where = Jurisdiction(kind, region.name, region.province or region.name, "body")
        government = region.name + "人民政府"
    else:
        return Jurisdiction(level, source="body"), None
    if not _LOWER_GOVERNMENTS.search(addressees):
        return where, None
    suffix = "办公厅" if office else ""
    return where, government + suffix


def county_city(folded: str, body_start: int, where: Jurisdiction, gazetteer: Gazetteer) -> Jurisdiction:
    """A district or county named alone (黄浦区, from its bureaus' names) under the one city or
    municipality its text names clearly more than any other (上海市 -> 上海市黄浦区); unchanged
    when the text names none, or several about as often."""
    if where.level != "county" or not where.region or where.province is not None:
        return where
    body = folded[body_start:body_start + _SCAN]
    places = {r.name: r for r in (*gazetteer.regions, *gazetteer.cities) if r.name != where.region}
    scores = {name: n for name in places if (n := body.count(name))}
    leader = _leader(scores, 1) if scores else None
    if leader is None or where.region.startswith(leader):
        return where
    city = places[leader]
    return Jurisdiction("county", city.name + where.region, city.province or city.name, where.source)
