"""The agency gazetteer: surface form (as written in a document) -> ``Agency``.

Data lives in ``extraction/data`` as CSV files a researcher can audit and extend (see the
README there); ``gazetteer_data`` reads and expands them. Resolution is exact after
normalisation — ``fold()``, surrounding whitespace and one trailing 等 removed — never fuzzy:

* national forms (发展改革委, 国家发展和改革委员会) and forms that name their own place
  (辽宁省科技厅, 辽宁银监局, 人民银行沈阳分行) resolve anywhere;
* forms that mean "this province's" (省科技厅, 各市人民政府, 省直相关部门) resolve only with the
  document's ``region`` (a province-level name; a city stands for its province);
* generic phrases (有关部门, 各地区 …) resolve to None;
* names not listed but shaped like a body (市科技局, 团市委, 省局行政审批处, 各区、县级市) are read
  by ``agency_names`` and placed in the document's region;
* anything else comes back as an unrecognised ``Agency`` (kind ``unknown``), never dropped.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources

from . import agency_names
from .fold import fold
from .gazetteer_data import GazetteerDataError, Region, read_entries, read_generic, read_regions
from .model import Agency

__all__ = ["Gazetteer", "GazetteerDataError", "Region", "clean", "default_gazetteer"]

_SENTENCE_PUNCT = set("，。；：！？“”‘’《》,.;:!?\"'\n")
_AGENCY_SUFFIXES = (
    "部", "委", "局", "厅", "办", "署", "院", "会", "政府", "银行", "分行", "支行", "总行", "室", "中心", "社",
    "总局", "办公室", "委员会", "领导小组", "工作小组", "工作组", "专家组", "集团", "公司", "办事处", "管理处",
    "研究所", "事务所", "派出所", "站", "馆", "队", "党校", "学院", "大学", "组委", "党组", "军区", "海关", "工作专班",
    "联席会议", "军分区", "警备区", "电视台", "电台", "气象台",
    "务段", "车辆段", "供电段",    # railway and power units: 济南车务段, 济南工务段, 济南供电段
    "街道", "镇", "乡",            # grassroots governments: 临汾路街道, 彭浦镇 (not 城镇, 乡镇: below)
)
# the bodies concerned, whichever they are: 相关行业监管部门, 有关职能部门, 其他相关单位 (beside the listed phrases)
_GENERIC_SHAPE = re.compile(r"(?:各|其他|其它)?(?:相关|有关)[\u4e00-\u9fff]{0,8}?(?:部门|单位|机构)")
_AGENCY_DESPITE = ("公开办",)     # 市政务公开办: an office, though 开办 ends ordinary words
_COUNTED = re.compile(r"[\d０-９.两一二三四五六七八九十百千万余多]+[个家所座处支]")   # 4个街道: a count, no body
# endings that look like an organisation suffix but are ordinary words (全部, 布局, 社会, 举办 …)
_NOT_AGENCY_ENDINGS = (
    "全部", "内部", "外部", "局部", "干部", "东部", "西部", "中部", "南部", "北部", "头部", "底部", "顶部", "基部",
    "格局", "布局", "大局", "全局", "结局", "开局", "当局", "时局", "僵局", "变局", "大厅", "餐厅", "展厅",
    "客厅", "门厅", "部署", "签署", "社会", "机会", "体会", "领会", "都会", "不会", "将会", "就会", "举办",
    "创办", "承办", "主办", "督办", "开办", "兴办", "代办", "协办", "交办", "申办", "筹办", "合办", "联办",
    "经办", "查办", "包办", "怎么办", "温室", "卧室", "教室", "会议室", "结社", "网站", "场馆", "团队", "排队",
    "城镇", "乡镇", "村镇", "小镇", "集镇", "城乡", "家乡", "故乡", "返乡", "下乡", "城市街道",
)
_UNKNOWN_CACHE = 8192
# a district or county named after its city, before the body's own words: 黄浦区 of 上海市黄浦区发展改革委
_DISTRICT_NAMED = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:区|县|旗))(?=[\u4e00-\u9fff]{2})")
# words ending in 区 that name no district: alone (地区, 城区 — not 任城区, 西城区), or zones by their ending
_NOT_DISTRICTS = frozenset(("地区", "社区", "园区", "城区", "市区", "景区", "片区", "小区", "矿区", "辖区", "山区",
                            "林区", "牧区", "库区", "湖区", "郊区", "老区", "特区", "主城区", "中心城区"))
_ZONES = ("示范区", "开发区", "高新区", "功能区", "保税区", "试验区", "合作区", "集聚区", "度假区", "管理区", "自贸区")
_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,12}(?:区|县|市|旗|自治县|自治旗|新区)")   # 黄浦区, 浏阳市, 达尔罕茂明安联合旗


# a blank between two Chinese characters of one name (省人力资源 社会保障厅: text taken out of a PDF)
_STRAY_BLANK = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000\u00a0]+(?=[\u4e00-\u9fff])")


def clean(surface: str, folded: bool = False) -> str:
    """The lookup form of ``surface``: folded punctuation, no surrounding spaces, no blank between two
    Chinese characters, no trailing 等.
    ``folded``: ``surface`` is already ``fold``-ed (a slice of folded text)."""
    s = (surface if folded else fold(surface)).strip()
    if " " in s or "\u3000" in s or "\u00a0" in s:
        s = _STRAY_BLANK.sub("", s)
    if s.endswith("等"):
        s = s[:-1].rstrip()
    return s


class Gazetteer:
    def __init__(self, root=None) -> None:
        """Load the data files under ``root`` (a directory Path or importlib Traversable;
        default: the ``extraction.data`` package). Raises ``GazetteerDataError`` on bad data."""
        root = root if root is not None else resources.files("extraction.data")
        self.regions, self.cities = read_regions(root)
        self._generic = read_generic(root)
        self._by_key: dict[str, Agency] = {}
        self._global: dict[str, Agency] = {}
        self._local: dict[str, dict[str, Agency]] = {r.name: {} for r in self.regions}
        for entry in read_entries(root, self.regions, self.cities):
            a = entry.agency
            if a.key in self._by_key:
                raise GazetteerDataError(f"duplicate key {a.key}")
            self._by_key[a.key] = a
            for form in entry.forms:
                self._claim(self._global, form, a, "everywhere")
            for form in entry.local:
                self._claim(self._local[entry.home], form, a, f"in {entry.home}")
        missing = sorted({a.counterpart for a in self._by_key.values()} - set(self._by_key) - {None})
        if missing:
            raise GazetteerDataError(f"counterpart keys that name no body: {missing}")
        for home, index in self._local.items():
            for form, a in index.items():
                other = self._global.get(form)
                if other is not None and other.key != a.key:
                    raise GazetteerDataError(f"{form!r} names {a.key} in {home} but {other.key} everywhere")
        clash = self._generic & (set(self._global) | {f for ix in self._local.values() for f in ix})
        if clash:
            raise GazetteerDataError(f"generic phrases that are also agency names: {sorted(clash)}")
        self._region_names: dict[str, Region] = {}
        for r in self.cities + self.regions:            # province-level names win over city names
            self._region_names[r.name] = self._region_names[r.short] = r
            if r.kind == "autonomous_region":
                self._region_names[r.short + "自治区"] = r
            elif r.name.endswith("自治州") and r.short != r.name:
                self._region_names.setdefault(r.short + "州", r)      # 恩施州, 延边州
        self._prefixes = sorted(((n, r) for n, r in self._region_names.items() if n != r.short),
                                key=lambda nr: -len(nr[0]))
        self._homes: dict[str | None, Region | None] = {None: None}
        self._districts: dict[str, Region | None] = {}
        # every beginning of every listed form (``reach``)
        self._form_starts = {f[:k] for f in (*self._global, *(f for ix in self._local.values() for f in ix))
                             for k in range(1, len(f) + 1)}
        self._unknown = functools.lru_cache(maxsize=_UNKNOWN_CACHE)(self._make_unknown)
        self._forms: list[str] | None = None
        self._shapes: dict[tuple[str, str | None], Agency | None] = {}

    @staticmethod
    def _claim(index: dict[str, Agency], form: str, agency: Agency, where: str) -> None:
        other = index.setdefault(form, agency)
        if other.key != agency.key:
            raise GazetteerDataError(f"{form!r} names both {other.key} and {agency.key} {where}")

    # ---- resolution -------------------------------------------------------------------

    def resolve(self, surface: str, region: str | None = None, folded: bool = False) -> Agency | None:
        """The body ``surface`` names (in a document of ``region``), None if it is generic.

        Names not listed are read by their shape (``agency_names.read_name``: 市科技局, 团市委,
        各区、县级市); anything else comes back as ``self.unknown(surface, region)``; an empty
        surface as None. A name with a generic tail (商务部等有关部门) is not split here: callers
        split at 等. ``folded``: ``surface`` is a slice of ``fold``-ed text (not folded again).
        """
        s = clean(surface, folded)
        if not s or self._is_generic(s):
            return None
        hit = self._listed(s, region)
        if hit is None:
            hit = self._shaped(s, region)
        return hit if hit is not None else self._unknown(s, region)

    def _shaped(self, cleaned: str, region: str | None) -> Agency | None:
        key = (cleaned, region)
        if key not in self._shapes:
            if len(self._shapes) > _UNKNOWN_CACHE:
                self._shapes.clear()
            self._shapes[key] = agency_names.read_name(cleaned, self._home(region), self.locality(region), self)
        return self._shapes[key]

    def known(self, surface: str, region: str | None = None, folded: bool = False) -> Agency | None:
        """The listed, recognised body ``surface`` names, else None: ``resolve`` without making
        an unknown agency (cheap enough to try every substring of a clause; pass slices of
        ``fold``-ed text with ``folded=True`` to skip folding each one again)."""
        s = clean(surface, folded)
        if not s or self._is_generic(s):
            return None
        hit = self._listed(s, region)
        return hit if hit is not None and hit.recognised else None

    def reach(self, window: str) -> int:
        """How far into ``window`` (folded text) a listed form could end: ``known(window[:n],
        folded=True)`` is None for every longer ``n``. A lookup form is a beginning of the
        window without its leading spaces, and what ``clean`` takes off its end is spaces and
        等; so past the longest beginning that begins a listed form, and the spaces and 等 after
        it, no form can be named."""
        w = window.lstrip()
        m = 0
        while m < len(w) and w[:m + 1] in self._form_starts:
            m += 1
        while m < len(w) and (w[m] == "等" or w[m].isspace()):
            m += 1
        return len(window) - len(w) + m

    def _listed(self, cleaned: str, region: str | None) -> Agency | None:
        home = self._home(region)
        if home is not None:
            hit = self._local[home.name].get(cleaned)
            if hit is not None:
                return hit
        return self._global.get(cleaned)

    def unknown(self, surface: str, region: str | None) -> Agency:
        """An unrecognised body, kept: kind unknown, key unknown/<region code or cn>/<sha1[:10]>."""
        return self._unknown(clean(surface), region)

    def _make_unknown(self, cleaned: str, region: str | None) -> Agency:
        home = self._home(region)
        code = home.code if home is not None else "cn"
        digest = hashlib.sha1(cleaned.encode("utf-8")).hexdigest()[:10]
        return Agency(key=f"unknown/{code}/{digest}", pref_label=cleaned, kind="unknown",
                      region=home.name if home is not None else region, recognised=False)

    def _home(self, region: str | None) -> Region | None:
        """The province-level region whose bodies 省… forms name (a city or district maps to its province)."""
        if region not in self._homes:
            r = self.locality(region)
            if r is not None and r.province is not None:
                r = self._region_names[r.province]
            self._homes[region] = r
        return self._homes[region]

    def locality(self, region: str | None) -> Region | None:
        """The region ``region`` names: a listed province or city, else a district or county under a
        listed one (上海市黄浦区, 广州市天河区: kind ``district``, its own code, so that the 区发展改革委
        of two districts are two bodies), else None."""
        if not region:
            return None
        if (listed := self.region_by_name(region)) is not None:
            return listed
        if region not in self._districts:
            parent = self.find_region_prefix(region)
            rest = clean(region)[len(parent.name):] if parent is not None and clean(region).startswith(parent.name) else ""
            city = self.find_region_prefix(rest) if parent is not None and parent.province is None else None
            if city is not None and city.province == parent.name:     # 江西省赣州市(章贡区): a listed city
                if rest == city.name:
                    return city
                parent, rest = city, rest[len(city.name):]
            self._districts[region] = None if not _DISTRICT.fullmatch(rest) else Region(
                name=clean(region), short=rest, kind="district", parent=parent.name,
                code=f"{parent.code}-{hashlib.sha1(rest.encode('utf-8')).hexdigest()[:6]}",
                province=parent.province or parent.name)
        return self._districts[region]

    def is_generic(self, surface: str, folded: bool = False) -> bool:
        return self._is_generic(clean(surface, folded))

    def _is_generic(self, cleaned: str) -> bool:
        return cleaned in self._generic or _GENERIC_SHAPE.fullmatch(cleaned) is not None

    def looks_like_agency(self, surface: str, folded: bool = False) -> bool:
        """Heuristic for names not in the gazetteer: an organisation suffix, 2–30 characters,
        no sentence punctuation (、 only inside brackets), not a generic phrase."""
        s = clean(surface, folded)
        if not 2 <= len(s) <= 30 or self._is_generic(s) or any(ch in _SENTENCE_PUNCT for ch in s):
            return False
        if agency_names.is_collective(s):
            return True
        depth = 0
        for ch in s:
            depth += (ch == "（") - (ch == "）")
            if ch == "、" and depth <= 0:
                return False
        if s in ("中心", "银行") or s.endswith(_NOT_AGENCY_ENDINGS) and not s.endswith(_AGENCY_DESPITE) \
                or _COUNTED.match(s):
            return False
        return s.endswith(_AGENCY_SUFFIXES) or agency_names.organ_suffix(s) is not None

    # ---- listing ----------------------------------------------------------------------

    def surface_forms(self) -> list[str]:
        """Every surface form the gazetteer knows (省科技厅-style forms included, with every
        region's long forms filled in), longest first — for a jieba dictionary or a matcher."""
        if self._forms is None:
            forms = set(self._global)
            for index in self._local.values():
                forms.update(index)
            self._forms = sorted(forms, key=lambda f: (-len(f), f))
        return list(self._forms)

    def get(self, key: str) -> Agency | None:
        return self._by_key.get(key)

    def agencies(self) -> list[Agency]:
        """Every body in the gazetteer (templates expanded for every region), in data order."""
        return list(self._by_key.values())

    # ---- regions ----------------------------------------------------------------------

    def region_by_name(self, text: str) -> Region | None:
        """辽宁省 / 辽宁 -> the province; 广西 / 广西自治区 / 广西壮族自治区 -> 广西; 大连市 / 大连 -> the city."""
        return self._region_names.get(clean(text))

    def place_named(self, name: str) -> Region | None:
        """The most specific place a body's name starts with: 广州市科学技术局 -> 广州市; 山东省济宁市气象局 ->
        the city 济宁市 (not 山东省); 上海市黄浦区发展改革委, 济宁市任城区民政局 -> that district (kind
        ``district``, as ``locality`` gives it). None when the name starts with no listed place."""
        s = clean(name).removeprefix("中共")
        hit = self._prefix_of(s)
        if hit is None:
            return None
        prefix, place = hit
        rest = s[len(prefix):]
        if place.province is None and place.kind != "municipality":
            inner = self._prefix_of(rest)
            if inner is not None and inner[1].province == place.name:
                rest, place = rest[len(inner[0]):], inner[1]
        if place.province is not None or place.kind == "municipality":
            district = _DISTRICT_NAMED.match(rest)
            if district is not None and district.group(1) not in _NOT_DISTRICTS \
                    and not district.group(1).endswith(_ZONES):
                return self.locality(place.name + district.group(1)) or place
        return place

    def _prefix_of(self, s: str) -> tuple[str, Region] | None:
        return next(((p, r) for p, r in self._prefixes if s.startswith(p)), None)

    def find_region_prefix(self, name: str) -> Region | None:
        """The region a name starts with: 辽宁省人民政府办公厅 / 中共辽宁省委 -> 辽宁省,
        沈阳市人民政府 -> the city 沈阳市 (``province`` 辽宁省). Short names alone do not count
        (北京冬奥组委 is not a 北京市 body)."""
        s = clean(name)
        if s.startswith("中共"):
            s = s[2:]
        for prefix, region in self._prefixes:
            if s.startswith(prefix):
                return region
        return None


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
