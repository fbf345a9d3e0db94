"""The title a body implies (extraction/body_title.py), on the first sentences of real documents
(tests/data/real/): a notice handing a document on, a reply to a request, an amending decision;
an implementing opinion naming the one opinion it implements; nothing for other opinions."""

from __future__ import annotations

import pytest

from extraction.body_title import body_title, issuer_prefix
from extraction.fold import fold

from ..conftest import DATA

REAL = DATA / "real"

# file, issuers, title the body implies (None: it implies none)
TITLES = [
    ("国航天〔2020〕4号.txt", ["国家航天局"], "国家航天局关于印发《月球样品管理办法》的通知"),
    ("国发〔2013〕37号.txt", ["国务院"], "国务院关于印发《大气污染防治行动计划》的通知"),
    ("穗卫函〔2023〕1930号.txt", ["广州市卫生健康委员会", "广州市财政局", "广州市人力资源和社会保障局", "广州市医疗保障局"],
     "广州市卫生健康委员会等四部门印发《关于推进广州市家庭医生签约服务高质量发展实施方案》的通知"),
    ("赣府字〔2020〕11号.txt", ["江西省人民政府"], "江西省人民政府关于鹰潭港总体规划的批复"),          # 恳请批复 is the request's
    ("国函〔2018〕144号.txt", ["国务院"], "国务院关于调整完善职业教育工作部际联席会议制度的批复"),     # (its real title: 关于同意建立…)
    ("江西省人民政府令第223号.txt", ["江西省人民政府"], "江西省人民政府关于修改《江西省流动人口服务和管理办法》的决定"),
    # an implementing opinion that names the one opinion it implements (…指导意见》…制定本实施意见; …现提出以下实施意见)
    ("赣府厅发〔2020〕6号.txt", ["江西省人民政府办公厅"], "江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见"),
    ("赣府厅发〔2020〕7号.txt", ["江西省人民政府办公厅"], "江西省人民政府办公厅关于加快发展流通促进商业消费的实施意见"),
    ("赣府发〔2020〕6号.txt", ["江西省人民政府"], None),        # …现提出以下实施意见, implementing nothing named
    ("国办发〔2018〕129号.txt", ["国务院办公厅"], None),         # implements an 意见 but is one: its title is its own
    # 现就X提出如下实施意见: the opinion states its subject (an explanation （即…） is the sentence's)
    ("赣府厅发〔2020〕4号.txt", ["江西省人民政府办公厅"], "江西省人民政府办公厅关于新时代推进普通高中育人方式改革的实施意见"),
    ("赣府发〔2020〕7号.txt", ["江西省人民政府"], "江西省人民政府关于以“两好”推进日常性新冠肺炎疫情防控工作的实施意见"),
    ("国发〔2017〕37号.txt", ["国务院"], None),
    # 现就做好…工作有关事宜通知如下: the notice states its subject (有关事宜 is the sentence's)
    ("川教函〔2026〕110号.txt", ["四川省教育厅", "四川省财政厅"],
     "四川省教育厅、四川省财政厅关于做好2026年省属高校毕业生到艰苦边远地区基层单位就业学费奖补工作的通知"),
]


@pytest.mark.parametrize(("name", "issuers", "title"), TITLES, ids=[t[0] for t in TITLES])
def test_the_title_a_body_implies(name, issuers, title):
    text = (REAL / name).read_text(encoding="utf-8")
    found = body_title(fold(text), 0, issuers)
    assert (found[0] if found else None) == title
    if found:                                           # its evidence: the sentence, which quotes the title's core
        evidence = found[1].of(text)
        assert ("《" in evidence and ("收悉" in evidence or "印发" in evidence or "修改" in evidence)) or \
            (evidence.startswith("现就") and evidence.endswith(("意见", "通知如下"))) or \
            (evidence.startswith(("为", "根据")) and evidence.endswith("实施意见"))


@pytest.mark.parametrize(("issuers", "prefix"), [
    ([], ""), (["国务院"], "国务院"), (["科学技术部", "财政部"], "科学技术部、财政部"),
    (["A局"] * 11, "A局等十一部门"), (["A局"] * 20, "A局等二十部门"), (["A局"] * 23, "A局等二十三部门")])
def test_how_a_title_names_its_issuers(issuers, prefix):
    assert issuer_prefix(issuers) == prefix


@pytest.mark.parametrize(("sentence", "title"), [
    ("现就进一步加强校园安全工作通知如下：", "关于进一步加强校园安全工作的通知"),
    ("现就做好2024年春季学期开学工作的有关事项紧急通知如下：", "关于做好2024年春季学期开学工作的通知"),
    ("现就有关事项通知如下：", None),                       # names no subject
    ("经研究，现通知如下：", None),
])
def test_a_notice_that_names_its_subject(sentence, title):
    found = body_title(fold("各市（州）教育局：\n" + sentence + "\n一、总体要求"), 0, [])
    assert (found[0] if found else None) == title


@pytest.mark.parametrize("sentence", [
    "为贯彻落实《国务院关于加快发展养老服务业的若干意见》等文件精神，结合我省实际，制定本实施意见。",   # several documents
    "为贯彻落实《国务院关于甲的意见》和《省委关于乙的意见》，现提出以下实施意见：",                      # two
    "为贯彻落实《国务院关于甲的意见》，现提出以下意见：",                                               # not 实施意见
])
def test_an_opinion_implementing_more_than_one_document_implies_no_title(sentence):
    assert body_title(fold("各市、县（区）人民政府：\n" + sentence + "\n一、总体要求"), 0, []) is None

