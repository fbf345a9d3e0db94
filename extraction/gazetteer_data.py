"""Reading the gazetteer's data files (``extraction/data``, described in its README.md).

Every file is read once and checked: exact headers, known kinds, ASCII keys, known regions.
Template rows (``{region}``, ``{short}``, ``{code}``) are expanded here for every region they
apply to, giving one ``Entry`` per body: its ``Agency``, the surface forms that name it
anywhere (辽宁省科技厅, 辽宁银监局) and the forms that need the document's region (省科技厅).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from .fold import fold
from .model import AGENCY_KINDS, Agency

REGION_KINDS = ("province", "autonomous_region", "municipality", "sar")
CITY_KINDS = ("capital", "plan_listed", "prefecture")
SCOPES = ("province", "municipality", "plan_city")
# how a region's own documents write "the province" in front of a body: 省科技厅, 自治区科技厅, 市科技厅
SELF_PREFIX = {"province": "省", "autonomous_region": "自治区", "municipality": "市"}
NO_TEMPLATES = {"tw"}       # province-level divisions without mainland provincial departments (plus kind sar)
_KEY = re.compile(r"^[a-z0-9][a-z0-9/_{}-]*$")

NATIONAL_COLUMNS = ["key", "pref_label", "alt_labels", "kind", "note"]
PROVINCIAL_COLUMNS = ["slug", "pref_template", "alt_labels", "kind", "counterpart", "note", "regions"]
ENTITY_COLUMNS = ["key", "pref_label", "alt_labels", "kind", "counterpart", "region", "scope", "note"]
REGION_COLUMNS = ["name", "short", "code", "kind", "capital"]
CITY_COLUMNS = ["name", "short", "code", "province", "kind"]


class GazetteerDataError(ValueError):
    """A data file is malformed or contradicts itself (duplicate key, clashing surface form …)."""


@dataclass(frozen=True)
class Region:
    """A province-level division, or a city (then ``province`` names its province), or a district
    or county under one of them that the data does not list (``Gazetteer.locality``: kind
    ``district``, ``parent`` the city or municipality it lies in)."""

    name: str                    # 辽宁省, 大连市, 上海市黄浦区
    short: str                   # 辽宁, 大连, 黄浦区
    code: str                    # ln, dl, sh-3f2a1c
    kind: str                    # province | autonomous_region | municipality | sar; cities: capital | plan_listed | prefecture; district
    capital: str | None = None   # 沈阳 (province-level divisions only)
    province: str | None = None  # 辽宁省 for a city or district; None for a province-level division
    parent: str | None = None    # 上海市 for 上海市黄浦区, 广州市 for 广州市天河区 (districts only)


@dataclass
class Entry:
    agency: Agency
    forms: list[str] = field(default_factory=list)   # region-independent surface forms, pref label first
    local: list[str] = field(default_factory=list)   # forms that need the document's region
    home: str | None = None                           # province-level region whose documents use ``local``


def norm(s: str) -> str:
    return fold(s).strip()


def read_table(root, name: str, columns: list[str]) -> list[dict[str, str]]:
    text = root.joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames != columns:
        raise GazetteerDataError(f"{name}: header {reader.fieldnames} != {columns}")
    rows = []
    for n, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise GazetteerDataError(f"{name}:{n}: wrong number of fields")
        rows.append({k: v.strip() for k, v in row.items()} | {"_where": f"{name}:{n}"})
    return rows


def read_generic(root) -> set[str]:
    lines = root.joinpath("generic.txt").read_text(encoding="utf-8").splitlines()
    return {norm(line) for line in lines if line.strip() and not line.lstrip().startswith("#")}


def read_regions(root) -> tuple[list[Region], list[Region]]:
    regions = []
    for r in read_table(root, "regions.csv", REGION_COLUMNS):
        _check(r["kind"] in REGION_KINDS, r, f"region kind {r['kind']!r}")
        regions.append(Region(r["name"], r["short"], r["code"], r["kind"], r["capital"] or None))
    names = {r.name for r in regions}
    cities = []
    for r in read_table(root, "cities.csv", CITY_COLUMNS):
        _check(r["province"] in names, r, f"unknown province {r['province']!r}")
        _check(r["kind"] in CITY_KINDS, r, f"city kind {r['kind']!r}")
        cities.append(Region(r["name"], r["short"], r["code"], r["kind"], None, r["province"]))
    codes = [x.code for x in regions + cities]
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise GazetteerDataError(f"duplicate region/city codes: {sorted(dupes)}")
    return regions, cities


def _check(ok: bool, row: dict[str, str], what: str) -> None:
    if not ok:
        raise GazetteerDataError(f"{row.get('_where', '?')}: {what}")


def _labels(field_: str) -> list[str]:
    return [a.strip() for a in field_.split("|") if a.strip()]


def _targets(scope: str, regions: list[Region], cities: list[Region]) -> list[Region]:
    wanted = set(scope.split("|"))
    out = [r for r in regions if r.code not in NO_TEMPLATES and r.kind != "sar"
           and ("municipality" if r.kind == "municipality" else "province") in wanted]
    if "plan_city" in wanted:
        out += [c for c in cities if c.kind == "plan_listed"]
    return out


def _expand(row: dict[str, str], key_t: str, pref_t: str, targets: list[Region]) -> list[Entry]:
    """One Entry per target region of a template row."""
    out = []
    for r in targets:
        def fill(s: str, r: Region = r) -> str:
            return norm(s.replace("{region}", r.name).replace("{short}", r.short).replace("{code}", r.code))

        pref = fill(pref_t)
        forms, local = [pref], []
        for alt in _labels(row["alt_labels"]):
            if "{" in alt:
                forms.append(fill(alt))
                continue
            _check(r.province is None, row, f"city template needs placeholders in every alt label: {alt!r}")
            alt = norm(alt)
            if r.kind != "province" and "省" in alt:
                local.append(alt.replace("省", SELF_PREFIX[r.kind], 1))
            else:
                local.append(alt)
            if alt.startswith("省"):
                forms.append(r.name + alt[1:])
            elif "省" not in alt and not alt.startswith("各"):
                forms.append(r.name + alt)
        home = r.province or r.name
        agency = _agency(fill(key_t), pref, row, forms + local, home)
        out.append(Entry(agency, _unique(forms), _unique(local), home))
    return out


def _agency(key: str, pref: str, row: dict[str, str], labels: list[str], region: str | None) -> Agency:
    _check(bool(_KEY.match(key)) and "{" not in key, row, f"bad key {key!r}")
    _check(row["kind"] in AGENCY_KINDS and row["kind"] != "unknown", row, f"bad kind {row['kind']!r}")
    alts = tuple(a for a in _unique(labels) if a != pref)
    return Agency(key=key, pref_label=pref, kind=row["kind"], alt_labels=alts, region=region,
                  counterpart=row.get("counterpart") or None)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def read_entries(root, regions: list[Region], cities: list[Region]) -> list[Entry]:
    entries: list[Entry] = []
    for row in read_table(root, "agencies_national.csv", NATIONAL_COLUMNS):
        _check(row["key"].startswith("cn/"), row, "national keys start with cn/")
        pref = norm(row["pref_label"])
        forms = [pref] + [norm(a) for a in _labels(row["alt_labels"])]
        entries.append(Entry(_agency(row["key"], pref, row, forms, None), _unique(forms)))

    by_code = {r.code: r for r in regions}
    default_targets = _targets("province|municipality", regions, cities)
    provincial = read_table(root, "agencies_provincial.csv", PROVINCIAL_COLUMNS)
    overridden: dict[str, set[str]] = {}
    for row in provincial:
        for code in _labels(row["regions"]):
            _check(code in by_code, row, f"unknown region code {code!r}")
            overridden.setdefault(row["slug"], set()).add(code)
    for row in provincial:
        _check("/" not in row["slug"], row, "slug must not contain /")
        if row["regions"]:
            targets = [by_code[c] for c in _labels(row["regions"])]
        else:
            targets = [r for r in default_targets if r.code not in overridden.get(row["slug"], ())]
        entries += _expand(row, "{code}/" + row["slug"], row["pref_template"], targets)

    region_names = {r.name for r in regions}
    for name in ("agencies_branches.csv", "agencies_collective.csv"):
        for row in read_table(root, name, ENTITY_COLUMNS):
            if row["scope"]:
                _check(set(row["scope"].split("|")) <= set(SCOPES), row, f"bad scope {row['scope']!r}")
                _check("{code}" in row["key"], row, "template keys contain {code}")
                entries += _expand(row, row["key"], row["pref_label"],
                                   _targets(row["scope"], regions, cities))
                continue
            _check("{" not in row["key"] + row["pref_label"] + row["alt_labels"], row,
                   "placeholders need a scope")
            _check(not row["region"] or row["region"] in region_names, row, f"unknown region {row['region']!r}")
            pref = norm(row["pref_label"])
            forms = [pref] + [norm(a) for a in _labels(row["alt_labels"])]
            agency = _agency(row["key"], pref, row, forms, row["region"] or None)
            entries.append(Entry(agency, _unique(forms)))
    return entries
