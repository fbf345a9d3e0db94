"""Agency names the gazetteer does not list, read by their shape.

A responsibility note names bodies of every level, and no list can hold every 市X局 of every
city. A name written as *administrative prefix + organ word* is read here (used by
``Gazetteer.resolve`` after the listed forms, before giving up):

* sub-national bodies: 省X厅/局/委/办, 市X局, 区X局, 县X局, 市委X部, 团市委, 市科协, 省委编办 …,
  placed in the document's region (省 = its province; 市 = the document's city, or the
  province's cities when the document is provincial; 区/县 = a district or county of it).
  Names that carry their own place (广州市科学技术局, 南昌海关) are placed by that place;
* internal units of a department (省局行政审批处, 市局办公室): kind of their level, key ``…/unit/…``;
* collectives (各区、县级市; 各市（州）、县（市、区）人民政府; 各地相关部门; 各设区市人民政府;
  各检验检测机构): kind ``collective``.

Prefixes, organ words and collective heads are the tables below. Every key is ASCII and stable:
``<region code>/<local|unit|collective>/<sha1(label)[:10]>``. Without a document region a
prefixed name (省X局) cannot be placed and stays unrecognised.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .model import Agency

# prefix as written -> (level it names, kind when the name is a Party / people's organisation)
_LEVEL_PREFIXES = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
                   "区": "county", "县": "county", "旗": "county"}
# organ words a body's name ends with (longest first when matched)
ORGAN_WORDS = (
    "人民政府", "政府", "管委会", "管理委员会", "委员会", "办公室", "中心",
    "总局", "分局", "总队", "支队", "局", "厅", "委", "办", "部", "处", "科", "室", "院", "所", "站", "社",
    "会", "联", "协", "队", "馆", "校", "法院", "检察院", "海关", "集团", "公司", "银行", "分行", "支行",
)
# words that end like an organ word but name none (see also Gazetteer's own list)
# ad-hoc groups (领导小组, 工作组, 指挥部, 联席会议) are not standing organs: their names are not read
# by shape and stay unrecognised, for review
_AD_HOC = ("小组", "工作组", "指挥部", "联席会议", "专班")
_NOT_ORGAN_ENDINGS = _AD_HOC + ("社会", "机会", "体会", "都会", "不会", "将会", "部署", "全部", "内部", "局部", "布局",
                      "格局", "大局", "全局", "之处", "好处", "到处", "此处", "出处", "学科", "专科", "本科",
                      "关联", "互联", "串联", "协办", "主办", "承办", "举办", "督办", "督查室")
_ASSOCIATION_ENDINGS = ("科协", "工会", "妇联", "残联", "工商联", "侨联", "文联", "社科联", "红十字会",
                        "协会", "学会", "商会", "团委")
_SENTENCE = re.compile(r"[，。；：！？“”《》\s]")
# administrative units a collective enumerates: 各市、县〔区〕; 各市（州）、县（市、区）; 各设区市
# (a government may carry a qualifier too: 各县区政府（管委会）)
_UNIT = r"(?:设区的?市|县级市|省辖市|地级(?:以上)?市|自治区|自治州|直辖市|省|市|州|盟|县|区|旗|乡|镇|街道|新区|开发区|园区)"
_QUAL = r"(?:[〔（][^〔（〕）]{1,12}[〕）])?"
COLLECTIVE = re.compile(
    rf"各(?:{_UNIT}{_QUAL}(?:[、和及]{_UNIT}{_QUAL})*(?:(?:人民)?政府{_QUAL}|党委(?:和政府)?|有关部门|相关部门|"
    rf"[^、，；。\s]{{0,12}}?(?:部门|单位|机构))?|地(?:区)?(?:有关|相关)(?:部门|单位)|"
    rf"[^、，；。\s]{{1,12}}?(?:机构|单位|部门|学校|医院|企业|组织))"
    # 有关设区市、县〔区〕人民政府: the same enumeration of units under 有关/相关, with its organ
    rf"|(?:有关|相关){_UNIT}{_QUAL}(?:[、和及]{_UNIT}{_QUAL})*(?:(?:人民)?政府{_QUAL}|党委(?:和政府)?)"
    # units run together name each (各街镇 = 各街道、镇; 各乡镇, 各区县, 各镇村, 各市州, 各盟市, 各旗县（市、区）,
    # 各地州市), never enumerated further
    rf"|各[市县区乡镇街村州盟旗地]{{2,3}}{_QUAL}(?:(?:人民)?政府{_QUAL}|党委(?:和政府)?)?(?![、和及])"
    # the units where a thing lies, whichever they are: 属地街镇, 属地政府, 属地乡镇人民政府
    rf"|属地(?:(?:[市县区乡镇街村]{{2}}|{_UNIT}){_QUAL}(?:(?:人民)?政府|党委(?:和政府)?)?|(?:人民)?政府)(?![、和及])")
# a level's departments as one party: 省直有关部门, 市直各部门, 区政府有关部门, 市各有关单位
LOCAL_COLLECTIVE = re.compile(r"(?:省|自治区|市|州|区|县)(?:直|政府|委)?(?:各有关|各相关|各|有关|相关)(?:部门|单位|机构)")
# words that begin with a prefix's character but are no prefix: 市场监管局 is no 市 body 场监管局
_WORDS_NOT_PREFIXED = re.compile(r"市场|市容|区域|县域|省级|市级|区级|县级")     # (市政务公开办, 市政协: 市 + …)
# the organ words of a government's departments, whose bare name a local text may use
_DEPARTMENT_WORDS = ("局", "委", "委员会")
_NOT_DEPARTMENTS = ("街道", "镇", "乡", "村", "居", "社区", "各", "有关", "相关")   # 街道党工委: a street's, not 区街道党工委
_UNIT_PARENT = re.compile(r"^(?:省|自治区|市|区|县)(?:局|厅)(?=.)")


@dataclass(frozen=True)
class Place:
    """Where a prefix puts a body: the region's name and code, and the body's level kind."""

    name: str
    code: str
    kind: str            # provincial | municipal | county


def organ_suffix(name: str) -> str | None:
    """The organ word ``name`` ends with, None if it ends with none (or with an ordinary word)."""
    if name.endswith(_NOT_ORGAN_ENDINGS):
        return None
    for word in ORGAN_WORDS:
        if name.endswith(word) and len(name) > len(word):
            return word
    return None


def is_collective(name: str) -> bool:
    return any(p.fullmatch(name) is not None for p in (COLLECTIVE, LOCAL_COLLECTIVE))


def unit_parent(name: str) -> str | None:
    """省局 in 省局行政审批处: the department an internal unit belongs to, as written."""
    m = _UNIT_PARENT.match(name)
    return m.group(0) if m else None


def _key(code: str, group: str, label: str) -> str:
    return f"{code}/{group}/{hashlib.sha1(label.encode('utf-8')).hexdigest()[:10]}"


def _kind(name: str, level_kind: str) -> str:
    if name.startswith("团") or name.endswith(_ASSOCIATION_ENDINGS):
        return "association"
    if name.startswith("中共") or re.match(r"^(?:省|自治区|市|区|县|州)党?委(?!员会).", name) \
            or name in ("省委", "市委", "区委", "县委"):
        return "party"
    return level_kind


def read_name(name: str, province, locality, gazetteer) -> Agency | None:
    """The body ``name`` (already cleaned, not listed in the gazetteer) names by its shape.

    ``province``: the document's province-level ``Region`` (None if unknown); ``locality``:
    the document's own ``Region`` (a city for a municipal document, else the province)."""
    if not 2 <= len(name) <= 40 or _SENTENCE.search(name):
        return None
    if is_collective(name) or is_collective(name.removeprefix("省局").removeprefix("市局")):
        place = locality or province
        if place is None and not name.startswith("各"):
            return None                       # 省直有关部门: which province's is not known
        if place is None:
            return Agency(key=_key("cn", "collective", name), pref_label=name, kind="collective")
        return Agency(key=_key(place.code, "collective", name), pref_label=name, kind="collective",
                      region=place.name)
    if organ_suffix(name) is None and name not in ("省委", "市委", "区委", "县委") \
            and not name.endswith(_ASSOCIATION_ENDINGS):
        return None
    own = gazetteer.place_named(name)
    if own is not None:                       # 广州市科学技术局, 中共南昌市委宣传部, 山东省济宁市气象局
        kind = "county" if own.kind == "district" else "municipal" if own.province else "provincial"
        return Agency(key=_key(own.code, "local", name), pref_label=name, kind=_kind(name, kind),
                      region=own.name)
    bare = name[1:] if name.startswith("团") else name.removeprefix("中共")
    prefix = next((p for p in sorted(_LEVEL_PREFIXES, key=len, reverse=True) if bare.startswith(p)
                   and not _WORDS_NOT_PREFIXED.match(bare)), None)
    if prefix is None and name == bare and (own_prefix := _own_prefix(name, locality)) is not None:
        return gazetteer.resolve(own_prefix + name, locality.name)   # 民政局 in a district's text: 区民政局
    if prefix is None or len(bare) <= len(prefix):
        return None
    if prefix == "区" and province is not None and province.name.endswith("自治区") and \
            (locality is None or not locality.province) and not name.startswith(("团", "中共")):
        return gazetteer.resolve("自治" + name, province.name)   # an autonomous region's own 区发展改革委
    parent = gazetteer.region_by_name(locality.parent) if locality is not None and locality.parent else None
    place = _place(_LEVEL_PREFIXES[prefix], province, locality, parent)
    if place is None:
        return None
    label = _label(name, prefix, place)
    group = "unit" if unit_parent(name) else "local"
    return Agency(key=_key(place.code, group, label), pref_label=label, kind=_kind(name, place.kind),
                  region=place.name)


def _own_prefix(name: str, locality) -> str | None:
    """The prefix a department's bare name (民政局, 交通委) leaves out in a district's or county's
    text: 区 / 县, its own. Not in a city's or a province's text, where a bare 教育局 is as often
    the lower levels' (各县（市、区）教育局, …资助管理中心（教育局）)."""
    if locality is None or locality.kind != "district" or not name.endswith(_DEPARTMENT_WORDS) \
            or not 3 <= len(name) <= 12 or name.startswith(_NOT_DEPARTMENTS):
        return None
    return "县" if locality.short.endswith("县") else "区"


def _place(level: str, province, locality, parent=None) -> Place | None:
    """Where a 省/市/区… prefix puts a body in a document of ``locality`` (a district's document:
    市 is its city's, 区 its own)."""
    if province is None:
        return None
    district = locality if locality is not None and locality.kind == "district" else None
    city = parent if district is not None else locality if locality is not None and locality.province else None
    if city is not None and city.province is None:       # a municipality's district: no city between
        city = None
    if level == "province" or (level == "city" and province.kind == "municipality"):
        return Place(province.name, province.code, "provincial")
    if level == "city":
        where = city or province
        return Place(where.name, where.code, "municipal")
    where = district or city or province
    return Place(where.name, where.code, "county")


def _label(name: str, prefix: str, place: Place) -> str:
    """省科协 -> 江西省科协, 市委组织部 -> 中共广州市委组织部, 团市委 -> 共青团广州市委; 区X局 stays."""
    if place.kind == "county" or (place.kind == "municipal" and not place.name.endswith("市")) \
            or not place.name.endswith(("省", "市", "自治区")):
        return name
    if prefix in ("区", "县", "旗"):
        return name
    if prefix == "州" and place.kind != "municipal":
        return name
    if name.startswith("团"):
        return "共青团" + place.name + name[1 + len(prefix):]
    rest = name.removeprefix("中共")[len(prefix):]
    if rest.startswith("委") and not rest.startswith("委员会"):
        return "中共" + place.name + rest
    return place.name + rest
