"""Level and region from 文号 prefixes, names and titles; issuers split; page fields; titles.

文号 below are real forms (赣府厅发〔2020〕6号, 穗府办规〔2020〕10号 of tests/data/real/, and the usual
prefixes of each government, see extraction/data/docno_prefixes.csv); numbers are illustrative.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from extraction.gazetteer import default_gazetteer
from extraction.jurisdiction import from_identifier, from_name, infer, issuer_from_identifier, prefixes
from extraction.metadata import unspace
from extraction.pagefields import page_fields
from extraction.pipeline import extract_text
from extraction.signature import split_issuers

GAZ = default_gazetteer()


# 文号, context (the document's own words), level, region, issuer the 文号 spells out
IDENTIFIERS = [
    ("赣府厅发〔2020〕6号", "", "provincial", "江西省", "江西省人民政府办公厅"),
    ("赣府发〔2020〕7号", "", "provincial", "江西省", "江西省人民政府"),
    ("赣府厅字〔2020〕14号", "", "provincial", "江西省", "江西省人民政府办公厅"),
    ("赣市监综〔2020〕1号", "", "provincial", "江西省", None),               # a department's 文号
    ("鄂政发〔2019〕5号", "", "provincial", "湖北省", "湖北省人民政府"),
    ("内政办发〔2021〕3号", "", "provincial", "内蒙古自治区", "内蒙古自治区人民政府办公厅"),
    ("穗府办规〔2020〕10号", "", "municipal", "广州市", "广州市人民政府办公厅"),
    ("穗卫函〔2023〕1930号", "", "municipal", "广州市", None),
    ("国办发〔2018〕121号", "", "national", None, "国务院办公厅"),
    ("国发〔2019〕3号", "", "national", None, "国务院"),
    ("国航天〔2020〕4号", "", "national", None, None),
    ("宁政发〔2020〕1号", "", "provincial", "宁夏回族自治区", "宁夏回族自治区人民政府"),    # 宁: 宁夏 by default
    ("宁政发〔2020〕1号", "南京市人民政府关于…", "municipal", "南京市", "南京市人民政府"),  # … 南京 when named
    ("国务院令第707号", "", "national", None, None),
    ("工信部联企业〔2022〕54号", "", None, None, None),                       # no region abbreviation
]


@pytest.mark.parametrize(("identifier", "context", "level", "region", "issuer"), IDENTIFIERS)
def test_identifier_prefix(identifier, context, level, region, issuer):
    where = from_identifier(identifier, context)
    assert (where.level if where else None, where.region if where else None) == (level, region)
    assert issuer_from_identifier(identifier, context) == issuer


def test_every_province_level_unit_has_a_prefix():
    names = {r.name for r in GAZ.regions} - {"台湾省", "香港特别行政区", "澳门特别行政区"}
    assert names <= {p.region for p in prefixes() if p.level == "provincial"}
    text = resources.files("extraction.data").joinpath("docno_prefixes.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):    # every named region is one the gazetteer knows
        assert not row["region"] or GAZ.region_by_name(row["region"]) is not None or row["level"] == "municipal"


# name (issuer or title), level, region, province
NAMES = [
    ("江西省人民政府办公厅", "provincial", "江西省", "江西省"),
    ("广州市人民政府办公厅", "municipal", "广州市", "广东省"),
    ("广州市天河区科技工业和信息化局", "county", "广州市天河区", "广东省"),
    ("辽宁省沈阳市人民政府", "municipal", "沈阳市", "辽宁省"),
    ("三门峡市人民代表大会常务委员会", "municipal", "三门峡市", "河南省"),    # every prefecture-level city is listed
    ("义乌市人民政府办公室", "municipal", "义乌市", None),                 # a county-level city is not: no province
    ("恩施州人民政府", "municipal", "恩施土家族苗族自治州", "湖北省"),        # an autonomous prefecture's short name
    ("赣州市章贡区人民政府", "county", "赣州市章贡区", "江西省"),
    ("国务院办公厅", "national", None, None),
    ("国家航天局", "national", None, None),
    ("关于推进城市更新的通知", None, None, None),                         # 城市 is not a place
    ("推进县域经济高质量发展的意见", None, None, None),                    # nor 推进县
    ("三门峡市城市环境卫生管理条例", "municipal", "三门峡市", "河南省"),      # a city's own regulation
    # a municipality's bureau whose name holds 市 (沪绿容〔2026〕102号): 上海市, not a city 绿化和市
    ("上海市绿化和市容管理局", "provincial", "上海市", "上海市"),
    ("江西省城市管理局", "provincial", "江西省", "江西省"),                    # 城市 is not a place
    ("广东省广州市科技局", "municipal", "广州市", "广东省"),                  # 广州市, not 广州
    ("贵州省黔东南苗族侗族自治州人民政府", "municipal", "黔东南苗族侗族自治州", "贵州省"),
]


@pytest.mark.parametrize(("name", "level", "region", "province"), NAMES)
def test_from_name(name, level, region, province):
    where = from_name(name, GAZ)
    assert ((where.level, where.region, where.province) if where else (None, None, None)) == (level, region, province)


def test_a_district_body_takes_its_city_from_the_identifier():
    where = infer(["天河区科技工业和信息化局"], None, "穗天科〔2023〕9号", GAZ)
    assert (where.level, where.region, where.province) == ("county", "广州市天河区", "广东省")


def test_issuer_beats_identifier():
    where = infer(["广州市人民政府办公厅"], None, "赣府发〔2020〕7号", GAZ)
    assert where.region == "广州市"


@pytest.mark.parametrize(("written", "names"), [
    ("广州市卫生健康委员会            广州市财政局", ["广州市卫生健康委员会", "广州市财政局"]),
    ("国家发展和改革委员会科学技术部财政部", ["国家发展和改革委员会", "科学技术部", "财政部"]),   # 工信部联企业〔2022〕54号
    ("国务院办公厅", ["国务院办公厅"]),
])
def test_split_issuers(written, names):
    assert split_issuers(written, GAZ) == names


@pytest.mark.parametrize(("line", "out"), [
    ("国 务 院 工 作 规 则", "国务院工作规则"),                                  # 国发〔2004〕18号
    ("工业和信息化部 国家发展和改革委员会 科学技术部", "工业和信息化部 国家发展和改革委员会 科学技术部"),
])
def test_letter_spaced_lines(line, out):
    assert unspace(line) == out


# A gov.cn page in the form of www.gov.cn's content pages, values of 国发〔2019〕3号 (corpus/SOURCES.json).
GOVCN = """<html><head><title>国务院关于促进综合保税区高水平开放高质量发展的若干意见_政府信息公开专栏</title></head>
<body><table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2019-00003</td>
<td><b>主题分类：</b></td><td>商贸、海关、旅游\\海关</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2019年01月12日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院关于促进综合保税区高水平开放高质量发展的若干意见</td></tr>
<tr><td><b>发文字号：</b></td><td>国发〔2019〕3号</td><td><b>发布日期：</b></td><td>2019年01月25日</td></tr></table>
<div class="pages_content"><p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>综合保税区是开放型经济的重要平台，对发展对外贸易发挥了重要作用。</p></div></body></html>"""


def test_page_fields():
    f = page_fields(GOVCN)
    assert (f["title"], f["identifier"], f["issuer"], f["written"], f["index"]) == (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国发〔2019〕3号", "国务院", "2019年01月12日",
        "000014349/2019-00003")
    assert f["page_title"] == "国务院关于促进综合保税区高水平开放高质量发展的若干意见_政府信息公开专栏"


def test_metadata_from_the_page_when_the_text_lacks_it():
    m = extract_text(GOVCN, "text/html").metadata
    assert (m.title, m.identifier, m.issuers, str(m.date), m.level) == (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国发〔2019〕3号", ["国务院"], "2019-01-12", "national")
    assert m.origins == {"title": "page-table", "identifier": "page-table", "issuer": "page-table",
                         "date": "page-table"}
    assert m.title_span is None                  # not in the stored text: no evidence offsets


@pytest.mark.parametrize(("stem", "identifier", "level"), [
    ("国令第707号", "国令第707号", "national"),                 # a file named by its order number
    ("赣府发〔2020〕7号", "赣府发〔2020〕7号", "provincial"),
    ("浙江-数字经济促进条例", None, None),                         # a name that is no 文号
])
def test_identifier_from_the_file_name_only_when_the_text_has_none(stem, identifier, level):
    text = "现公布《某某条例》，自2019年1月1日起施行。\n第一条 为了规范有关工作，制定本条例。"
    m = extract_text(text, path=f"/somewhere/{stem}.txt").metadata
    assert (m.identifier, m.level, m.origins.get("identifier")) == (identifier, level, "filename" if identifier else None)
    assert m.identifier_span is None


def test_red_head_line_and_letter_spaced_signer():
    """A red-head 文件 line above the 文号 and a letter-spaced signer (print layout of 国发〔2019〕3号)."""
    text = ("国务院文件\n国发〔2019〕3号\n国务院关于促进综合保税区高水平开放高质量发展的若干意见\n"
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
            "综合保税区是开放型经济的重要平台，对发展对外贸易发挥了重要作用。\n国 务 院\n2019年1月12日")
    m = extract_text(text).metadata
    assert (m.title, m.identifier, m.issuers, str(m.date), m.level) == (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国发〔2019〕3号", ["国务院"], "2019-01-12",
        "national")


@pytest.mark.parametrize(("identifier", "issuer"), [("闽政办〔2020〕1号", "福建省人民政府办公厅"),
                                                    ("皖政〔2020〕2号", "安徽省人民政府")])
def test_identifier_without_a_type_character(identifier, issuer):
    assert issuer_from_identifier(identifier) == issuer
