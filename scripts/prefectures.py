"""Rows for extraction/data/cities.csv: every prefecture-level division, from GB/T 2260 codes.

Usage: python scripts/prefectures.py ADCODES_CSV NATIONS_CSV >> extraction/data/cities.csv

ADCODES_CSV is ``cpca/resources/adcodes.csv`` of the cpca 0.5.5 wheel (MIT licence;
``pip download --no-deps cpca==0.5.5``), NATIONS_CSV ``cpca/resources/56_nations.csv`` beside it.
A prefecture-level division is a code PPCC00000000 with CC not 00 (市辖区 / 县 of the municipalities
and the 省直辖县级行政区划 groups are no divisions). Cities already in cities.csv are left as they
are; ``LATER`` adds divisions set up after the data was drawn. Code: the six-digit division code. Short name: the name without 市 / 地区 / 盟, an
autonomous prefecture's without its peoples and 自治州 (恩施土家族苗族自治州 -> 恩施); a short name
that another division has too (吉林, 海南) is the full name.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

CITIES = Path(__file__).resolve().parent.parent / "extraction" / "data" / "cities.csv"
REGIONS = CITIES.with_name("regions.csv")
# divisions set up after the data was drawn (its old names are kept: older documents use them)
LATER = (("那曲市", "540600", "西藏自治区"),)


def _short(name: str, peoples: list[str]) -> str:
    if name.endswith("自治州"):
        cut = min((i for p in peoples if (i := name.find(p)) > 0), default=len(name) - 3)
        return name[:cut]
    for suffix in ("地区", "盟", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def rows(adcodes: Path, nations: Path) -> list[list[str]]:
    peoples = sorted({n.strip().removesuffix("族") for n in nations.read_text(encoding="utf-8").split() if n.strip()},
                     key=len, reverse=True)
    table = list(csv.DictReader(adcodes.open(encoding="utf-8")))
    provinces = {r["adcode"][:2]: r["name"] for r in table if r["adcode"].endswith("0000000000")}
    listed = {r["name"] for r in csv.DictReader(CITIES.open(encoding="utf-8"))}
    taken = Counter(r["short"] for r in csv.DictReader(REGIONS.open(encoding="utf-8")))
    taken.update(r["short"] for r in csv.DictReader(CITIES.open(encoding="utf-8")))
    found = []
    for r in sorted(table, key=lambda r: r["adcode"]):
        code, name = r["adcode"], r["name"]
        if code[4:] != "00000000" or code[2:4] == "00" or "辖" in name or name == "县" or name in listed:
            continue
        found.append((name, _short(name, peoples), code[:6], provinces[code[:2]]))
    found += [(name, _short(name, peoples), code, province) for name, code, province in LATER]
    taken.update(short for _, short, _, _ in found)
    return [[name, short if taken[short] == 1 else name, code, province, "prefecture"]
            for name, short, code, province in found]


if __name__ == "__main__":
    csv.writer(sys.stdout, lineterminator="\n").writerows(rows(Path(sys.argv[1]), Path(sys.argv[2])))
