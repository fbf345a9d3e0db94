"""Metadata, outline, targets, citations and programmes of the corpus, read by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ..conftest import CORPUS

# doc, title, 文号, issuer, date, level, region, implements (文号), addressees
METADATA = [
    ("seed", "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见", None, "辽宁省人民政府办公厅", None,
     "provincial", "辽宁省", "国办发〔2017〕43号", ["各市人民政府", "省政府各厅委、各直属机构"]),
    ("3", "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国发〔2019〕3号", "国务院",
     dt.date(2019, 1, 12), "national", None, None,
     ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]),
    ("121", "国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "国办发〔2018〕121号", "国务院办公厅",
     dt.date(2018, 12, 11), "national", None, None, ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]),
    ("121html", "国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "国办发〔2018〕121号", "国务院办公厅",
     dt.date(2018, 12, 11), "national", None, None, ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]),
    ("128", "国务院办公厅关于印发“无废城市”建设试点工作方案的通知", "国办发〔2018〕128号", "国务院办公厅",
     dt.date(2018, 12, 29), "national", None, None, ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]),
]


@pytest.mark.parametrize(("doc", "title", "identifier", "issuer", "date", "level", "region", "implements",
                          "addressees"), METADATA)
def test_metadata(extract, doc, title, identifier, issuer, date, level, region, implements, addressees):
    ex = extract(doc)
    m = ex.metadata
    assert (m.title, m.identifier, m.issuer, m.date, m.level, m.region) == \
        (title, identifier, issuer, date, level, region)
    assert (m.implements.identifier if m.implements else None) == implements
    assert [a.surface for a in m.addressees] == addressees
    # evidence: each span points at the words in the stored text
    assert m.title_span.of(ex.text).replace("\n", "") == title
    if identifier:
        assert m.identifier_span.of(ex.text) == identifier
    if date:
        assert m.date_span.of(ex.text).strip() == f"{date.year}年{date.month}月{date.day}日"


# title -> the titles of the documents the notice issues (pol:issuedTitle)
ISSUED = [
    ("国务院办公厅关于印发“无废城市”建设试点工作方案的通知", ["“无废城市”建设试点工作方案"]),   # 国办发〔2018〕128号
    ("国务院关于印发《中国制造2025》的通知", ["中国制造2025"]),                                 # 国发〔2015〕28号
    ("国务院办公厅关于印发《国务院工作规则》和《国务院2018年立法工作计划》的通知",
     ["国务院工作规则", "国务院2018年立法工作计划"]),
    ("辽宁省人民政府办公厅关于县域创新驱动发展的实施意见", []),                                # not a 印发 notice
    ("国务院办公厅关于转发《某某意见》的通知", []),                                             # forwarded, not issued
    ("关于印发的通知", []),
]


@pytest.mark.parametrize(("title", "issued"), ISSUED)
def test_issued_titles(title, issued):
    from extraction.metadata import issued_titles

    assert issued_titles(title) == issued


def test_a_notice_knows_the_title_it_issues(extract):
    assert extract("128").metadata.issued_titles == ["“无废城市”建设试点工作方案"]
    assert extract("seed").metadata.issued_titles == []


def test_seed_implements_the_national_guideline(extract):
    ex = extract("seed")
    c = ex.metadata.implements
    assert c.title == "国务院办公厅关于县域创新驱动发展的若干意见"
    assert c.span.of(ex.text) == "《国务院办公厅关于县域创新驱动发展的若干意见》(国办发〔2017〕43号)"


# doc, top-level headings (marker, title, kind)
OUTLINES = [
    ("seed", [("一、", "总体要求", "general"), ("二、", "重点任务", "tasks"), ("三、", "保障措施", "safeguards")]),
    ("3", [("一、", "指导思想", "general"), ("二、", "基本原则", "general"), ("三、", "发展目标", "general"),
           ("四、", "主要任务", "tasks"), ("五、", "有关要求", "safeguards")]),
    ("121", [("一、", "总体要求", "general"), ("二、", "丰富赛事活动，完善赛事体系", "tasks"),
             ("三、", "壮大市场主体，优化市场环境", "tasks"), ("四、", "优化产业布局，加强平台建设", "tasks"),
             ("五、", "强化协调配合，加强资金保障", "tasks")]),
    ("128", [("一、", "总体要求", "general"), ("二、", "主要任务", "tasks"), ("三、", "实施步骤", "safeguards"),
             ("四、", "保障措施", "safeguards")]),
]


@pytest.mark.parametrize(("doc", "top"), OUTLINES)
def test_top_level_outline(extract, doc, top):
    sections = extract(doc).sections
    assert [(s.heading.marker, s.heading.title, s.kind) for s in sections] == top


def test_numbering_runs_on_across_parts(extract):
    """121: （一）…（三） in part 一, then （四） opens part 二."""
    parts = extract("121").sections
    assert [c.heading.number for c in parts[0].children] == [1, 2, 3]
    assert [c.heading.number for c in parts[1].children] == [4, 5, 6, 7, 8]
    assert parts[1].children[0].heading.marker == "（四）"


def test_three_levels_and_restarting_numbers(extract):
    """3号: 四、 > （一）…（五） > 1.…21. (arabic numbers run on, parenthesised ones restart)."""
    tasks_part = extract("3").sections[3]
    groups = tasks_part.children
    assert [g.heading.title for g in groups] == ["统筹两个市场，打造加工制造中心", "推动创新创业，打造研发设计中心",
                                                 "推进贸易便利化，打造物流分拨中心", "延伸产业链条，打造检测维修中心",
                                                 "培育新动能新优势，打造销售服务中心"]
    assert [c.heading.number for c in groups[1].children] == [6, 7, 8, 9]
    assert groups[1].children[0].heading.level == 3
    assert extract("3").sections[1].children[0].heading.number == 1   # 二、基本原则 restarts at （一）


def test_heading_as_first_sentence_and_alone(extract):
    seed = extract("seed")
    task1 = seed.sections[1].children[0]
    assert task1.heading.title == "推动特色优势产业转型升级"          # alone on its line
    ex121 = extract("121")
    item = ex121.sections[0].children[0]
    assert item.heading.title == "指导思想"                            # first sentence of its paragraph
    assert item.body[0].of(ex121.text).startswith("以习近平新时代中国特色社会主义思想为指导")


# doc, year, indicator, value, unit, comparator
QUANTIFIED_TARGETS = [
    ("121", 2025, "体育竞赛表演产业总规模", 2.0, "万亿元", None),
    ("121", 2025, "具有较大知名度的体育精品赛事", 100.0, "项", None),
    ("121", 2025, "具有自主知识产权的体育竞赛表演品牌", 100.0, "个", None),
    ("128", 2020, "规模养殖场粪污处理设施装备配套率", 95.0, "%", ">="),
    ("128", 2020, "畜禽粪污综合利用率", 75.0, "%", ">="),
    ("128", 2020, "秸秆综合利用率", 85.0, "%", ">="),
    ("128", 2020, "重点用膜区当季地膜回收率", 80.0, "%", ">="),
]


@pytest.mark.parametrize(("doc", "year", "indicator", "value", "unit", "comparator"), QUANTIFIED_TARGETS)
def test_quantified_targets(extract, doc, year, indicator, value, unit, comparator):
    ex = extract(doc)
    found = [(t.year, t.indicator, t.value, t.unit, t.comparator) for t in ex.targets]
    assert (year, indicator, value, unit, comparator) in found


def test_seed_targets_are_the_two_goal_years(extract):
    ex = extract("seed")
    assert [(t.year, t.value) for t in ex.targets] == [(2020, None), (2030, None)]
    assert ex.targets[0].indicator.startswith("我省县域创新驱动发展环境显著改善")
    assert ex.targets[0].span.of(ex.text).startswith("到2020年")


def test_deadline_with_month(extract):
    ex = extract("128")
    assert any(t.year == 2019 and t.month == 6 for t in ex.targets)


def test_citations(extract):
    ex = extract("seed")
    cited = [(c.title, c.identifier) for c in ex.citations]
    assert cited == [("国务院办公厅关于县域创新驱动发展的若干意见", "国办发〔2017〕43号"),
                     ("全民科学素质行动计划纲要(2010—2020年)", None)]
    for c in ex.citations:
        assert c.span.of(ex.text).startswith("《")


@pytest.mark.parametrize("written", ["(国办发(2017)43号)", "(国办发 〔2017〕43号)", "(国办发〔2017〕第43号)"])
def test_a_citation_as_pages_write_its_doc_number(written):
    # the seed's own citation, its 文号 written as scraped pages write it: the same identifier
    from extraction.pipeline import extract_text
    text = (CORPUS / "liaoning-county-innovation.txt").read_text(encoding="utf-8")
    assert "(国办发〔2017〕43号)" in text
    ex = extract_text(text.replace("(国办发〔2017〕43号)", written, 1), path="document.txt")
    assert ex.citations[0].title == "国务院办公厅关于县域创新驱动发展的若干意见"
    assert ex.citations[0].identifier == "国办发〔2017〕43号"


@pytest.mark.parametrize("name", ["雪亮工程", "万名专家服务基层行动计划", "农村教师特岗计划", "“三支一扶”大学生招募计划",
                                  "“星火燎原”计划", "科普惠农兴村计划", "社区科普益民计划", "“三区”科技人才专项计划"])
def test_seed_programmes(extract, name):
    ex = extract("seed")
    found = {p.name: p for p in ex.programmes}
    assert name in found
    assert name.strip("“”") in found[name].span.of(ex.text)


def test_debris_is_not_in_the_stored_text(extract):
    text = extract("seed").text
    for debris in ("当前位置", "浏览次数", "主办单位", "ICP", "公网安备", "联系电话", "友情链接"):
        assert debris not in text
