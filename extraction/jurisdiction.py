"""Level and region of a document, from its own words: issuer, title, 文号 prefix.

Evidence is read strongest first: the issuers (signature or issuer line), then the title, then
the 文号's region abbreviation (``data/docno_prefixes.csv``: 赣 -> 江西省, 穗 -> 广州市, 国 ->
national). A district body named without its city (天河区科技工业和信息化局) takes the city
from the other evidence (穗… -> 广州市天河区).

``region`` is the most specific jurisdiction (江西省, 广州市, 广州市天河区); ``province`` its
province-level unit (广东省 for 广州市).

Ambiguous abbreviations (宁 = 宁夏 or 南京, 青 = 青海 or 青岛) have several rows in the data;
the first row is the default, a later one is chosen only when the document's own words (title,
issuer) name its place.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from .gazetteer import Gazetteer

_NATIONAL_STARTS = ("国务院", "中共中央", "全国人民代表大会", "中央", "中华人民共和国", "国家")
_HANZI = r"\u4e00-\u9fff"
# an organ after a place name: what makes 天河区科技局 a district body and 城区建设 not
_ORGAN = rf"(?:人民政府|政府|人民代表大会|人大常委会|人大|[{_HANZI}]{{0,14}}?(?:委员会|局|委|办公室|办|厅|中心|院|会|部))"
_DISTRICT = re.compile(rf"([{_HANZI}]{{1,6}}?(?:区|县|旗))(?={_ORGAN})")
_CITY = re.compile(rf"([{_HANZI}]{{1,10}}?(?:市|州|盟))(?![市州])(?={_ORGAN})")   # 广州市, not 广州|市科技局
# a place the gazetteer does not list, named at the very start and followed by an organ
# (三门峡市人民代表大会常务委员会, 天河区科技局) or heading the title of its own rules
_UNLISTED_PLACE = re.compile(rf"^([{_HANZI}]{{2,4}}?(?:市|区|县|州|盟|旗))(?!场|区|民|长|委|级|政|属|直)")
_NOT_PLACE_END = ("城市", "都市", "超市", "上市", "街区", "社区", "园区", "城区", "市区", "景区", "新区", "辖区", "地区",
                  "全市", "全区", "全县", "本市", "本区", "本县", "各市", "各区", "各县")
_LOCAL_RULES = ("条例", "办法", "规定", "细则", "规则")     # 三门峡市城市环境卫生管理条例: a place's own rules
_TYPE_CHARS = set("发字函规令电明文")


@dataclass(frozen=True)
class Prefix:
    abbrev: str
    region: str | None
    province: str | None
    level: str


@dataclass(frozen=True)
class Jurisdiction:
    level: str
    region: str | None = None
    province: str | None = None
    source: str = ""            # issuer | title | identifier


@functools.cache
def prefixes() -> tuple[Prefix, ...]:
    text = resources.files("extraction.data").joinpath("docno_prefixes.csv").read_text(encoding="utf-8")
    return tuple(Prefix(r["abbrev"], r["region"] or None, r["province"] or None, r["level"])
                 for r in csv.DictReader(io.StringIO(text)))


@functools.cache
def _organs() -> dict[str, tuple[str, str]]:
    text = resources.files("extraction.data").joinpath("docno_organs.csv").read_text(encoding="utf-8")
    return {r["code"]: (r["local"], r["national"]) for r in csv.DictReader(io.StringIO(text))}


def _prefix_of(identifier: str) -> str:
    return identifier.split("〔", 1)[0].split("[", 1)[0].strip()


def from_identifier(identifier: str | None, context: str = "") -> Jurisdiction | None:
    """赣府厅发〔2020〕6号 -> 江西省 (provincial); 穗卫函… -> 广州市 (municipal); 国办发 -> national.
    ``context``: the document's own words, to choose between rows of an ambiguous abbreviation."""
    if not identifier:
        return None
    head = _prefix_of(identifier)
    if "令第" in identifier:          # an order: 国务院令第707号 is national; 广州市人民政府令 names its issuer
        national = identifier.split("令第", 1)[0] in ("国", "国务院", "中华人民共和国国务院")
        return Jurisdiction("national", source="identifier") if national else None
    rows = [p for p in prefixes() if head.startswith(p.abbrev)]
    if not rows:
        return None
    chosen = next((p for p in rows[1:] if p.region and p.region.rstrip("市省") in context), rows[0])
    return Jurisdiction(chosen.level, chosen.region, chosen.province, "identifier")


def issuer_from_identifier(identifier: str | None, context: str = "") -> str | None:
    """The issuing government a 文号 spells out: 赣府发 -> 江西省人民政府, 穗府办规 ->
    广州市人民政府办公厅, 国办发 -> 国务院办公厅; None for a department's 文号 (穗卫函)."""
    where = from_identifier(identifier, context)
    if where is None:
        return None
    head = _prefix_of(identifier)
    rest = head[1:]
    organs = _organs()
    for code in sorted(organs, key=len, reverse=True):
        tail = rest[len(code):]
        if rest.startswith(code) and set(tail) <= _TYPE_CHARS:          # 闽政办〔…〕: no type character
            local, national = organs[code]
            if where.level == "national":
                return national or None
            return (where.region + local) if local and where.region else None
    return None


def _is_place(name: str) -> bool:
    """A place's name, not words that end like one (城市, 绿化和市 of 上海市绿化和市容管理局)."""
    return name not in _NOT_PLACE_END and not any(c in name for c in "和与及的")


def from_name(name: str | None, gazetteer: Gazetteer) -> Jurisdiction | None:
    """Level and region of a body from its name (or of a title from its first words)."""
    s = (name or "").strip()
    if not s:
        return None
    if s.startswith(_NATIONAL_STARTS):
        return Jurisdiction("national", source="name")
    body = s[2:] if s.startswith("中共") else s
    region = gazetteer.find_region_prefix(body)
    if region is not None:
        rest = body[len(region.name):] if body.startswith(region.name) else body[len(region.short):]
        if region.province:                                  # a city named first
            district = _DISTRICT.match(rest)
            if district:
                return Jurisdiction("county", region.name + district.group(1), region.province, "name")
            return Jurisdiction("municipal", region.name, region.province, "name")
        city = _CITY.match(rest) if region.kind != "municipality" else None   # a municipality has no cities
        if city and _is_place(city.group(1)):
            return Jurisdiction("municipal", city.group(1), region.name, "name")
        district = _DISTRICT.match(rest)
        if district:                                         # 上海市宝山区: a municipality's district
            place = (region.name if region.kind == "municipality" else "") + district.group(1)
            return Jurisdiction("county", place, region.name, "name")
        return Jurisdiction("provincial", region.name, region.name, "name")
    m = _UNLISTED_PLACE.match(body)
    if m and not m.group(1).endswith(_NOT_PLACE_END) and \
            (re.match(_ORGAN, body[m.end():]) or body.endswith(_LOCAL_RULES)):
        place = m.group(1)
        level = "county" if place.endswith(("区", "县", "旗")) else "municipal"
        return Jurisdiction(level, place, None, "name")
    known = gazetteer.known(body)
    if known is not None and known.kind == "national":
        return Jurisdiction("national", source="name")
    return None


def infer(issuers: list[str], title: str | None, identifier: str | None,
          gazetteer: Gazetteer) -> Jurisdiction | None:
    """The strongest evidence wins; a district named alone takes its city from weaker evidence."""
    context = " ".join([title or "", *issuers])
    found = [j for j in (*(from_name(i, gazetteer) for i in issuers), from_name(title, gazetteer),
                         from_identifier(identifier, context)) if j is not None]
    if not found:
        return None
    best = found[0]
    if best.level == "county" and best.region and not best.province:
        city = next((j for j in found[1:] if j.level == "municipal" and j.region), None)
        if city is not None:
            return Jurisdiction("county", city.region + best.region, city.province, best.source)
    if best.province is None and best.level != "national":
        region = gazetteer.region_by_name(best.region or "")
        province = (region.province or region.name) if region is not None else None
        return Jurisdiction(best.level, best.region, province, best.source)
    return best
