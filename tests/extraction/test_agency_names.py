"""Agency names read by their shape (extraction/agency_names.py through Gazetteer.resolve).

The names are written as real documents of the dev set write them (sources in
tests/data/README.md, "Notes from real documents"); the document region is the one of the
document the name comes from (穗 = 广州市 documents, 赣 = 江西省 documents).
"""

from __future__ import annotations

import pytest

from extraction.agency_names import is_collective, organ_suffix, unit_parent
from extraction.gazetteer import default_gazetteer

GZ, GD, JX = "广州市", "广东省", "江西省"
SHAPED = [
    # surface, document region, pref_label, kind
    ("市卫生健康委", GZ, "广州市卫生健康委", "municipal"),            # 穗卫函〔2023〕1930号
    ("市住房城乡建设局", GZ, "广州市住房城乡建设局", "municipal"),     # 穗府办规〔2024〕13号
    ("市医保局", GZ, "广州市医保局", "municipal"),
    ("市人社局", GZ, "广州市人社局", "municipal"),                  # 穗府办规〔2020〕10号
    ("市疾控中心", GZ, "广州市疾控中心", "municipal"),
    ("市委组织部", GZ, "中共广州市委组织部", "party"),
    ("团市委", GZ, "共青团广州市委", "association"),
    ("市科协", GZ, "广州市科协", "association"),
    ("区民政局", GZ, "区民政局", "county"),
    ("市民政局", GD, "市民政局", "municipal"),                     # a provincial region: which city is not known
    ("省消防救援总队", JX, "江西省消防救援总队", "provincial"),       # 赣府厅发〔2020〕7号
    ("省标准化院", JX, "江西省标准化院", "provincial"),              # 赣市监综〔2020〕1号
    ("省局行政审批处", JX, "江西省局行政审批处", "provincial"),
    ("广州市科学技术局", JX, "广州市科学技术局", "municipal"),        # names its own place
    ("各区、县级市", GZ, "各区、县级市", "collective"),
    ("各市、县〔区〕政府", JX, "各市、县〔区〕政府", "collective"),     # 赣府厅发〔2020〕4号
    ("各市（州）、县（市、区）人民政府", "四川省", "各市（州）、县（市、区）人民政府", "collective"),
    ("各设区市人民政府", JX, "各设区市人民政府", "collective"),
    ("各地相关部门", None, "各地相关部门", "collective"),             # 工信部联企业〔2022〕54号
    ("各检验检测机构", JX, "各检验检测机构", "collective"),          # 赣市监综〔2020〕1号
    ("市政务公开办", "吉林市", "吉林市政务公开办", "municipal"),       # 吉市政办发〔2015〕14号: 市 + 政务公开办
]


@pytest.mark.parametrize(("surface", "region", "label", "kind"), SHAPED, ids=[s[0] + "@" + str(s[1]) for s in SHAPED])
def test_names_read_by_shape(surface, region, label, kind):
    agency = default_gazetteer().resolve(surface, region)
    assert (agency.pref_label, agency.kind, agency.recognised) == (label, kind, True)
    assert agency.key.isascii() and agency.key == default_gazetteer().resolve(surface, region).key
    if region is not None:
        code = default_gazetteer().region_by_name(region).code
        assert agency.key.split("/")[0] in (code, default_gazetteer().region_by_name(agency.region).code)


def test_the_same_body_has_one_key_and_places_differ():
    g = default_gazetteer()
    assert g.resolve("市财政局", GZ).key != g.resolve("市财政局", "深圳市").key
    assert g.resolve("省标准化院", JX).key != g.resolve("省标准化院", "辽宁省").key
    assert g.resolve("省局行政审批处", JX).key.startswith("jx/unit/")


@pytest.mark.parametrize(("surface", "region", "label", "kind", "where"), [
    # a district's document (黄发改委办〔2025〕5号, 沪奉府发〔2021〕16号, 穗天科工信规字〔2023〕1号): 区 is the district's own
    ("区发展改革委", "上海市黄浦区", "区发展改革委", "county", "上海市黄浦区"),
    ("区委组织部", "广州市天河区", "区委组织部", "party", "广州市天河区"),
    ("市发展改革委", "上海市黄浦区", "上海市发展和改革委员会", "provincial", "上海市"),   # a municipality's own
    ("市科技局", "广州市天河区", "广州市科技局", "municipal", "广州市"),                 # its city's
    ("省科技厅", "广州市天河区", "广东省科学技术厅", "provincial", "广东省"),
    ("各街镇", "上海市嘉定区", "各街镇", "collective", "上海市嘉定区"),
    # an autonomous region's own document: 区 abbreviates 自治区 (区党委, 区发展改革委, 区直有关部门)
    ("区党委组织部", "广西壮族自治区", "广西壮族自治区党委组织部", "party", "广西壮族自治区"),
    ("区发展改革委", "广西壮族自治区", "广西壮族自治区发展和改革委员会", "provincial", "广西壮族自治区"),
    ("区发展改革委", "南宁市", "区发展改革委", "county", "南宁市"),                      # a city's: its district
])
def test_a_districts_bodies_are_its_own(surface, region, label, kind, where):
    g = default_gazetteer()
    agency = g.resolve(surface, region)
    assert (agency.pref_label, agency.kind, agency.region, agency.recognised) == (label, kind, where, True)


def test_two_districts_bodies_of_one_name_are_two_bodies():
    g = default_gazetteer()
    assert g.resolve("区发展改革委", "上海市黄浦区").key != g.resolve("区发展改革委", "上海市奉贤区").key
    assert g.resolve("区发展改革委", "上海市黄浦区").key == g.resolve("区发展改革委", "上海市黄浦区").key
    assert g.resolve("市发展改革委", "上海市黄浦区").key == g.resolve("市发展改革委", "上海市奉贤区").key
    assert g.locality("上海市黄浦区").kind == "district" and g.locality("上海市黄浦区").parent == "上海市"
    assert g.locality("某某市") is None and g.locality("上海市") is g.region_by_name("上海市")


@pytest.mark.parametrize(("surface", "region"), [
    ("市卫生健康委", None),                 # a 市 name without the document's place
    ("省科技创新领导小组", "辽宁省"),          # an ad-hoc group, not a standing organ
    ("赣江新区管委会", JX),                 # no administrative prefix
    ("省发展", JX),                        # no organ word
    ("市场化方式评价", GZ),                  # 市 starts a word, not a prefix with an organ word
])
def test_not_read_by_shape(surface, region):
    agency = default_gazetteer().resolve(surface, region)
    assert agency.kind == "unknown" and not agency.recognised and agency.pref_label == surface


@pytest.mark.parametrize(("name", "suffix"), [("市医保局", "局"), ("团市委", "委"), ("社会", None), ("市场化方式评价", None),
                                            ("省消保委秘书处", "处"), ("全局", None)])
def test_organ_suffix(name, suffix):
    assert organ_suffix(name) == suffix


def test_collectives_and_units():
    assert is_collective("各区、县级市") and is_collective("各市（州）、县（市、区）人民政府")
    assert not is_collective("各地要加强组织领导") and not is_collective("省教育厅")
    # two units run together name both (as written in 嘉府办发〔2024〕23号, 宝府办〔2019〕26号: 各街镇, 各街镇（园区）)
    assert all(is_collective(n) for n in ("各街镇", "各乡镇", "各区县", "各街镇（园区）", "各县区人民政府"))
    assert not is_collective("各街镇、开发区") and not is_collective("各村")     # 开发区 is a body of its own
    # the units where a thing lies (青府办发〔2025〕20号: 属地街镇, a column's and a duties list's body)
    assert all(is_collective(n) for n in ("属地街镇", "属地政府", "属地乡镇人民政府", "属地区政府"))
    # units of other provinces run together or named by their type (各盟市, 各地州市, 各省辖市人民政府 …)
    assert all(is_collective(n) for n in ("各盟市", "各地州市", "各市州人民政府", "各旗县（市、区）人民政府",
                                          "各省辖市人民政府", "各地级以上市人民政府"))
    assert not is_collective("属地管理") and not is_collective("属地")
    # a government with a qualifier of its own: 各县区政府（管委会）
    assert is_collective("各县区政府（管委会）") and is_collective("各县（市、区）人民政府（管委会）")
    assert not is_collective("各县区政府（管委会）、市直部门")
    assert unit_parent("省局行政审批处") == "省局" and unit_parent("省教育厅") is None
    assert unit_parent("市委组织部") is None


@pytest.mark.parametrize(("surface", "region", "label", "key_head"), [
    # every prefecture-level city is listed (extraction/data/cities.csv, GB/T 2260 codes): its 市X局 are its own
    ("市科技局", "赣州市", "赣州市科技局", "360700"),
    ("市科技局", "江西省赣州市", "赣州市科技局", "360700"),      # the province written before its city
    ("市科技局", "菏泽市", "菏泽市科技局", "371700"),            # 菏政发〔2016〕39号's city
    ("市发改委", "淮安市", "淮安市发改委", "320800"),            # 淮政办发〔2017〕87号's
    ("县市场监管局", "赣州市", "县市场监管局", "360700"),
    ("州民政局", "恩施州", "州民政局", "422800"),               # an autonomous prefecture by its short name
])
def test_a_prefecture_citys_bodies_are_its_own(surface, region, label, key_head):
    agency = default_gazetteer().resolve(surface, region)
    assert (agency.pref_label, agency.key.split("/")[0], agency.recognised) == (label, key_head, True)


def test_two_prefecture_cities_bodies_of_one_name_are_two_bodies():
    g = default_gazetteer()
    assert g.resolve("市科技局", "赣州市").key != g.resolve("市科技局", "九江市").key
    district = g.locality("江西省赣州市章贡区")
    assert (district.kind, district.parent, district.province) == ("district", "赣州市", "江西省")
    assert g.locality("赣州市章贡区").code == district.code
    assert g.region_by_name("恩施州").name == "恩施土家族苗族自治州"
    assert g.region_by_name("吉林").kind == "province"          # the province's short name, not 吉林市's


@pytest.mark.parametrize(("surface", "region", "label", "like"), [
    # a district's text names its own bureaus without 区 (静发改委〔2025〕11号: 民政局、体育局、交通委)
    ("民政局", "上海市静安区", "区民政局", "区民政局"),
    ("交通委", "上海市静安区", "区交通委", "区交通委"),
    ("市场监管局", "上海市静安区", "区市场监管局", "区市场监管局"),   # 市场 is a word, not the prefix 市
])
def test_bare_department_names_in_a_districts_text(surface, region, label, like):
    g = default_gazetteer()
    agency = g.resolve(surface, region)
    assert (agency.pref_label, agency.recognised) == (label, True)
    assert agency.key == g.resolve(like, region).key


@pytest.mark.parametrize(("surface", "region"), [
    ("教育局", "四川省"),       # a province's text: …资助管理中心（教育局） is a lower level's (川教函〔2026〕110号)
    ("财政局", None),          # a national text: whose?
    ("市场监管局", "广州市"),   # a city's: not 广州市场监管局 (市场 is a word, not the prefix 市)
    ("街道党工委", "上海市静安区"),   # a street's, not the district's
])
def test_bare_department_names_elsewhere_stay_unread(surface, region):
    assert not default_gazetteer().resolve(surface, region).recognised


@pytest.mark.parametrize(("name", "kind", "where"), [
    # the issuers of district documents of the dev set (嘉府办发〔2024〕23号, 宝府办〔2019〕26号, 沪奉府发〔2021〕16号,
    # 静发改委〔2025〕11号, 柳南政办〔2022〕9号): the district's own bodies, not the municipality's or the city's
    ("上海市嘉定区人民政府办公室", "county", "上海市嘉定区"),
    ("上海市宝山区人民政府办公室", "county", "上海市宝山区"),
    ("上海市奉贤区人民政府", "county", "上海市奉贤区"),
    ("上海市静安区发展和改革委员会", "county", "上海市静安区"),
    ("柳州市柳南区人民政府办公室", "county", "柳州市柳南区"),
    ("上海市浦东新区人民政府", "county", "上海市浦东新区"),
    # a province written before its city: the city's body (山东省济宁市气象局 is no provincial body)
    ("山东省济宁市气象局", "municipal", "济宁市"),
    ("江西省赣州市章贡区人民政府", "county", "赣州市章贡区"),
    # names whose 区 is a zone or a word, not a district: the place before them
    ("上海市绿化和市容管理局", "provincial", "上海市"),
    ("上海市社区服务中心", "provincial", "上海市"),
    ("济宁市高新区管委会", "municipal", "济宁市"),
])
def test_a_name_is_placed_by_the_most_specific_place_it_starts_with(name, kind, where):
    for region in ("上海市", "江西省", None):        # whatever document names it
        agency = default_gazetteer().resolve(name, region)
        assert (agency.kind, agency.region, agency.recognised) == (kind, where, True)


def test_a_districts_publisher_and_its_citys_are_two_bodies():
    g = default_gazetteer()
    assert g.resolve("上海市宝山区人民政府办公室", None).key != g.resolve("上海市人民政府办公厅", None).key
    assert g.resolve("上海市宝山区人民政府办公室", None).key != g.resolve("上海市嘉定区人民政府办公室", None).key
    assert g.resolve("上海市宝山区人民政府办公室", None).key.startswith(g.locality("上海市宝山区").code + "/")
