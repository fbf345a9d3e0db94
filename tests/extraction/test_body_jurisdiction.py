"""Level, region and issuer a body implies (extraction/body_jurisdiction.py), on real documents of
tests/data/real/ copied under a neutral file name: these pages start at the addressee line, so
without a file named by its 文号 nothing else says who wrote them."""

from __future__ import annotations

import shutil

import pytest

from extraction.pipeline import extract_path, extract_text

from ..conftest import DATA

REAL = DATA / "real"

# file, level, region, issuers (as the body implies them; [] when it implies none)
IMPLIED = [
    ("赣府厅发〔2020〕6号.txt", "provincial", "江西省", ["江西省人民政府办公厅"]),   # 经省政府同意: the general office
    ("赣府厅字〔2020〕14号.txt", "provincial", "江西省", ["江西省人民政府办公厅"]),
    ("赣府发〔2020〕6号.txt", "provincial", "江西省", ["江西省人民政府"]),         # 视察江西, 南昌: short names
    ("赣府发〔2020〕7号.txt", "provincial", None, []),           # names 湖北 (湖北入赣人员) more than 江西: no place
    ("赣府字〔2020〕11号.txt", "provincial", "江西省", ["江西省人民政府"]),   # a reply to 鹰潭市人民政府: its province's
]


@pytest.mark.parametrize(("name", "level", "region", "issuers"), IMPLIED, ids=[r[0] for r in IMPLIED])
def test_what_the_body_implies_without_a_telling_file_name(tmp_path, name, level, region, issuers):
    path = tmp_path / "document.txt"
    shutil.copy(REAL / name, path)
    m = extract_path(path).metadata
    assert m.identifier is None
    assert (m.level, m.region, m.issuers) == (level, region, issuers)
    assert m.origins.get("region") == "body"
    assert m.origins.get("issuer") == ("body" if issuers else None)


def test_the_file_name_and_its_document_number_come_first():
    m = extract_path(REAL / "赣府发〔2020〕7号.txt").metadata
    assert (m.level, m.region, m.issuers) == ("provincial", "江西省", ["江西省人民政府"])
    assert m.origins == {"identifier": "filename", "issuer": "identifier", "title": "body"}   # 现就…提出以下实施意见


def test_a_district_named_alone_is_placed_under_the_city_its_text_names(tmp_path):
    # 黄发改委办〔2025〕5号: 13 黄浦区 bureaus sign; the body names 上海市 (and no other city or province)
    text = (REAL / "黄发改委办〔2025〕5号.txt").read_text(encoding="utf-8")
    assert extract_text(text).metadata.region == "上海市黄浦区"
    # the same text naming no city: the district stays as named; naming two about as often: no guess
    assert extract_text(text.replace("上海市", "")).metadata.region == "黄浦区"
    assert extract_text(text.replace("上海市", "江苏省", 1)).metadata.region == "黄浦区"
