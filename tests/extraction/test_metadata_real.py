"""Metadata of real documents (tests/data/real/, the dev part of the real corpus), read by hand.

Each row was checked against the document itself (and its page, SOURCES.json in the corpus):
title, 文号 (order numbers included), every signing body, signature date, level and region.
``None`` where the stored text does not hold the value (the 赣 pages carry neither title nor
文号: the 文号 comes from the file name, the issuer from the 文号). A notice handing a document
on, a reply and an amending decision without a title line get the title their first sentence
implies (extraction/body_title.py; the page's title can differ in 《》 and wording: 穗卫函's page
has 关于印发推进…实施方案的通知).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from extraction.pipeline import extract_path, extract_text

REAL = Path(__file__).resolve().parent.parent / "data" / "real"
GZ = ["广州市卫生健康委员会", "广州市财政局", "广州市人力资源和社会保障局", "广州市医疗保障局"]
GZ_TITLE = "广州市卫生健康委员会等四部门印发《关于推进广州市家庭医生签约服务高质量发展实施方案》的通知"   # from the body
MIIT = ["工业和信息化部", "国家发展和改革委员会", "科学技术部", "财政部", "人力资源和社会保障部", "中国人民银行",
        "国务院国有资产监督管理委员会", "国家市场监督管理总局", "中国银行保险监督管理委员会", "国家知识产权局",
        "中华全国工商业联合会"]

HUANGPU = ["黄浦区" + n for n in ("发展和改革委员会", "建设和管理委员会", "规划和自然资源局", "住房保障和房屋管理局",
                                  "城市管理行政执法局", "科学技术委员会", "机关事务管理局", "国有资产监督管理委员会",
                                  "商务委员会", "卫生健康委员会", "教育局", "文化和旅游局", "投资促进办公室")]

# file, title, 文号, issuers, date, level, region
METADATA = [
    ("三门峡-城市环境卫生管理条例.txt", "三门峡市城市环境卫生管理条例", None, ["三门峡市人民代表大会常务委员会"],
     dt.date(2018, 11, 29), "municipal", "三门峡市"),                       # adoption history lines
    ("国令第707号.txt", "中华人民共和国个人所得税法实施条例", "国务院令第707号", ["国务院"], dt.date(2018, 12, 18),
     "national", None),                                                       # order: two header lines
    ("国令第707号.html", "中华人民共和国个人所得税法实施条例", "国务院令第707号", ["国务院"], dt.date(2018, 12, 18),
     "national", None),
    ("国函〔2018〕144号.txt", "国务院关于同意建立国务院职业教育工作部际联席会议制度的批复", "国函〔2018〕144号",
     ["国务院"], dt.date(2018, 11, 20), "national", None),                  # title on two lines
    ("国办发〔1996〕32号.html", "国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知",
     "国办发〔1996〕32号", ["国务院办公厅"], dt.date(1996, 7, 17), "national", None),   # three lines; 转发
    ("国航天〔2020〕4号.txt", "国家航天局关于印发《月球样品管理办法》的通知", "国航天〔2020〕4号", ["国家航天局"], dt.date(2020, 12, 17), "national", None),
    ("工信部联企业〔2022〕54号.txt",
     "工业和信息化部 国家发展和改革委员会 科学技术部 财政部 人力资源和社会保障部 中国人民银行国务院国有资产监督管理委员会 "
     "国家市场监督管理总局 中国银行保险监督管理委员会国家知识产权局 中华全国工商业联合会关于开展“携手行动” "
     "促进大中小企业融通创新（2022-2025年） 的通知",
     "工信部联企业〔2022〕54号", MIIT, dt.date(2022, 5, 12), "national", None),   # 11 signers run together
    ("广州市人民政府令第179号.txt", "广州市老年人优待办法", "广州市人民政府令第179号", ["广州市人民政府"],
     dt.date(2021, 1, 29), "municipal", "广州市"),
    ("江西省人民政府令第223号.html", "江西省人民政府关于修改《江西省流动人口服务和管理办法》的决定", "江西省人民政府令第223号", ["江西省人民政府"], dt.date(2016, 9, 21),
     "provincial", "江西省"),                                                # date from （…令第223号修正）
    ("穗卫函〔2023〕1930号.txt", GZ_TITLE, "穗卫函〔2023〕1930号", GZ, dt.date(2023, 10, 19), "municipal", "广州市"),
    ("穗卫函〔2023〕1930号.html", GZ_TITLE, "穗卫函〔2023〕1930号", GZ, dt.date(2023, 10, 19), "municipal", "广州市"),
    ("穗府办规〔2020〕10号.txt", "广州市人民政府办公厅关于印发广州市引进人才入户管理办法的通知", "穗府办规〔2020〕10号",
     ["广州市人民政府办公厅"], dt.date(2020, 6, 29), "municipal", "广州市"),   # 文号 above the title
    ("赣府厅发〔2020〕6号.txt", "江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见", "赣府厅发〔2020〕6号",
     ["江西省人民政府办公厅"], dt.date(2020, 2, 21), "provincial", "江西省"),  # 文号 from the file name, title from
    # the one opinion its first sentence implements (…指导意见》…制定本实施意见)
    ("赣府发〔2020〕7号.html", "江西省人民政府关于以“两好”推进日常性新冠肺炎疫情防控工作的实施意见", "赣府发〔2020〕7号", ["江西省人民政府"], dt.date(2020, 3, 3), "provincial", "江西省"),
    # the fresh set (session 12): 13 district bureaus signing two a line with nothing between them,
    # a district under the city its text names; a rule printed with its history line only
    ("黄发改委办〔2025〕5号.txt", "关于印发《黄浦区可再生能源发展行动方案》的通知", "黄发改委办〔2025〕5号",
     HUANGPU, dt.date(2025, 2, 24), "county", "上海市黄浦区"),
    ("上海市人民政府令第77号.txt", "上海市建筑玻璃幕墙管理办法", "上海市人民政府令第77号", ["上海市人民政府"],
     dt.date(2011, 12, 28), "provincial", "上海市"),
    ("宝府办〔2019〕26号.txt", "上海市宝山区人民政府办公室关于印发贯彻《上海市生活垃圾管理条例》推进全程分类体系建设"
     "实施方案的通知", "宝府办〔2019〕26号", ["上海市宝山区人民政府办公室"], dt.date(2019, 5, 5), "county",
     "上海市宝山区"),                                                        # a municipality's district
    ("闵古办〔2022〕20号.txt", "关于印发《古美路街道加强独居老人消防安全工作实施方案》的通知", "闵古办〔2022〕20号",
     ["闵行区古美路街道办事处"], dt.date(2022, 7, 20), "county", "上海市闵行区"),   # a street office signs
    ("德州-扒鸡保护与发展条例.txt", "德州市扒鸡保护与发展条例", None, ["德州市人民代表大会常务委员会"],
     dt.date(2020, 11, 27), "municipal", "德州市"),                          # adopted, then approved
    # round 4/5 (session 13): a rule's name, then its order number below it; ten signers on four lines,
    # among them 四川省政府国有资产监督管理委员会 (one body under its government, not 四川省政府 and another),
    # 四川省中华职业教育社 and a typo kept as printed (…委员会办室)
    ("教育部令第52号.txt", "中小学法治副校长聘任与管理办法", "教育部令第52号", ["教育部"], dt.date(2021, 12, 27),
     "national", None),
    ("川教〔2024〕36号.txt", None, "川教〔2024〕36号",
     ["四川省教育厅", "中共四川省委宣传部", "中共四川省委网络安全和信息化委员会办室", "四川省人力资源和社会保障厅",
      "四川省经济和信息化厅", "四川省农业农村厅", "四川省政府国有资产监督管理委员会", "四川省总工会", "共青团四川省委",
      "四川省中华职业教育社"], dt.date(2024, 5, 10), "provincial", "四川省"),
    # signed with short names (市交通委 市公安局) under a title naming them in full: the title's names
    ("沪交法〔2025〕175号.txt", "上海市交通委员会 上海市公安局关于印发《高效办成大件运输“一件事”实施方案》的通知", "沪交法〔2025〕175号",
     ["上海市交通委员会", "上海市公安局"], dt.date(2025, 4, 1), "provincial", "上海市"),
]


@pytest.mark.parametrize(("name", "title", "identifier", "issuers", "date", "level", "region"), METADATA)
def test_real_metadata(name, title, identifier, issuers, date, level, region):
    ex = extract_path(REAL / name)
    m = ex.metadata
    assert (m.title, m.identifier, m.issuers, m.date, m.level, m.region) == \
        (title, identifier, issuers, date, level, region)
    assert m.issuer == (issuers[0] if issuers else None)
    for name_, span in zip(m.issuers, m.issuer_spans, strict=True):   # evidence where the text holds it
        if span is not None:   # an adopting body is named without its term (第六届)
            assert re.sub(r"第[一二三四五六七八九十]+届", "", span.of(ex.text)) == name_
    if m.date_span is not None:
        assert m.date_span.of(ex.text).endswith("日")


def test_where_each_value_came_from():
    assert extract_path(REAL / "赣府厅发〔2020〕6号.txt").metadata.origins == \
        {"identifier": "filename", "issuer": "identifier", "title": "body"}
    assert extract_path(REAL / "穗府办规〔2020〕10号.txt").metadata.origins == {}
    order = extract_path(REAL / "国令第707号.txt")
    assert order.metadata.origins == {"issuer": "order"}
    assert order.metadata.identifier_span.of(order.text) == "中华人民共和国国务院令\n第707号"


def test_a_title_inferred_from_the_body_says_so():
    notice = extract_path(REAL / "国航天〔2020〕4号.txt")
    assert notice.metadata.origins["title"] == "body"
    assert notice.metadata.title_span.of(notice.text) == "《月球样品管理办法》已经审议通过，现印发给你们"
    assert "title" not in extract_path(REAL / "国令第707号.txt").metadata.origins


def test_a_publication_note_is_neither_title_nor_issuer():
    # the page's text starts at （2021年7月27日中华人民共和国国务院令第746号公布）: no title line
    m = extract_path(REAL / "国务院令第746号.txt").metadata
    assert m.title is None
    assert m.issuers == ["国务院"]


def test_province_of_a_city_document():
    m = extract_path(REAL / "穗府办规〔2020〕10号.txt").metadata
    assert (m.region, m.province) == ("广州市", "广东省")


def test_a_rule_printed_with_its_history_only_is_cited_by_the_order_that_published_it(tmp_path):
    # （2011年12月28日上海市人民政府令第77号公布，根据2018年12月7日上海市人民政府令第15号公布的…修正并重新公布）
    import shutil

    shutil.copy(REAL / "上海市人民政府令第77号.txt", tmp_path / "page.txt")      # a name that says nothing
    ex = extract_path(tmp_path / "page.txt")
    m = ex.metadata
    assert (m.identifier, m.date, m.issuers) == ("上海市人民政府令第77号", dt.date(2011, 12, 28), ["上海市人民政府"])
    assert m.identifier_span.of(ex.text) == "上海市人民政府令第77号" and "identifier" not in m.origins
    assert m.date_span.of(ex.text) == "2011年12月28日"



def test_a_history_quoted_further_down_is_not_the_documents_order():
    # 江西省人民政府令第223号 amends a 办法 whose history （2011年8月26日省人民政府令第190号公布…） is quoted
    # in the text; glued into one line (no line breaks) that bracket is no history line of this document's
    from extraction.pipeline import extract_text

    text = (REAL / "江西省人民政府令第223号.txt").read_text(encoding="utf-8")
    glued = extract_text(text.replace("\n", "")).metadata
    assert glued.identifier != "省人民政府令第190号" and glued.date != dt.date(2011, 8, 26)


@pytest.mark.parametrize("zero", ["○", "〇", "O", "Ｏ", "0", "◯"])
def test_a_date_in_chinese_numerals_whatever_its_zero(zero):
    # 国发〔2004〕18号 signs 二〇〇四年六月二十六日 and writes the rule's own date 二○○四年六月十六日 (a white circle
    # for zero, as web pages often do): the signature written either way, or with O or 0, is the same date
    text = (REAL / "国发〔2004〕18号.txt").read_text(encoding="utf-8")
    assert "二〇〇四年六月二十六日" in text and "二○○四年六月十六日" in text
    m = extract_text(text.replace("二〇〇四年六月二十六日", f"二{zero}{zero}四年六月二十六日"), path="document.txt").metadata
    assert m.date == dt.date(2004, 6, 26) and m.issuers == ["国务院"]


@pytest.mark.parametrize("written", ["国发(2004)18号", "国发（2004）18号", "国发 〔2004〕18号", "国发[2004]18号",
                                     "国发〔2004〕第18号", "国发〔2004〕 18 号"])
def test_a_doc_number_as_pages_write_it_is_the_doc_number(written):
    # 国发〔2004〕18号's 文号 line in the forms scraped pages give it (ASCII or full-width brackets for the year,
    # a blank before the bracket, 第 before the number): one identifier, as cited
    text = (REAL / "国发〔2004〕18号.txt").read_text(encoding="utf-8")
    ex = extract_text(text.replace("\n国发〔2004〕18号\n", f"\n{written}\n", 1), path="document.txt")
    assert ex.metadata.identifier == "国发〔2004〕18号"
    assert ex.metadata.identifier_span.of(ex.text) == written.strip()
    assert ex.metadata.title == "国务院关于印发《国务院工作规则》的通知"


def test_a_title_written_as_a_book_title_and_a_date_under_it():
    # the seed (corpus/liaoning-county-innovation.txt: a page with no signature) as other pages write it: the title
    # in 《》, the date in brackets under it — the title without its marks, the date the document's
    seed = (REAL.parents[2] / "corpus" / "liaoning-county-innovation.txt").read_text(encoding="utf-8")
    title = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
    assert seed.count(title) == 1
    plain = extract_text(seed, path="document.txt").metadata
    assert plain.title == title and plain.date is None
    m = extract_text(seed.replace(title, f"《{title}》\n（2017年11月30日）"), path="document.txt").metadata
    assert (m.title, m.date, m.issuers) == (title, dt.date(2017, 11, 30), plain.issuers)


def test_a_signature_date_with_blanks_between_its_parts():
    # 赣府发〔2020〕6号 signs 2020年3月2日; text taken out of a PDF writes 2020 年 3 月 2 日
    text = (REAL / "赣府发〔2020〕6号.txt").read_text(encoding="utf-8")
    assert text.rstrip().endswith("\n2020年3月2日")
    m = extract_text(text.replace("\n2020年3月2日", "\n2020 年 3 月 2 日"), path="document.txt").metadata
    assert m.date == dt.date(2020, 3, 2)
