"""The responsibility-note parser, style by style.

The styles are the ones the project brief lists as occurring in real documents; the bodies
named are real agencies. Each case is a passage with one or more notes (declarations carry
forward to later notes in the same passage) and the (name as written, role) pairs expected
for each note, in order.
"""

from __future__ import annotations

import pytest

from extraction.gazetteer import default_gazetteer
from extraction.notes import find_notes

L = "辽宁省"
CASES = [
    ("plain list", None, "加强监管。（国家发展改革委、工业和信息化部负责）",
     [[("国家发展改革委", "responsible"), ("工业和信息化部", "responsible")]]),
    ("lead-first declaration carries forward", None,
     "甲。（科技部、财政部等负责。列第一位者为牵头单位，下同）乙。（教育部、人力资源社会保障部负责）",
     [[("科技部", "lead"), ("财政部", "participant")],
      [("教育部", "lead"), ("人力资源社会保障部", "participant")]]),
    ("lead-first in a trailing clause", None, "甲。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）乙。（海关总署负责）",
     [[("税务总局", "lead"), ("财政部", "participant"), ("海关总署", "participant")], [("海关总署", "lead")]]),
    ("lead and participants", None, "甲。（工业和信息化部牵头，科技部、财政部参与）",
     [[("工业和信息化部", "lead"), ("科技部", "participant"), ("财政部", "participant")]]),
    ("lead alone", None, "甲。（商务部牵头负责）", [[("商务部", "lead")]]),
    ("会同 generic", None, "甲。（国家卫生健康委会同有关部门负责）", [[("国家卫生健康委", "lead")]]),
    ("会同 named", None, "甲。（生态环境部会同国家发展改革委、财政部负责）",
     [[("生态环境部", "lead"), ("国家发展改革委", "participant"), ("财政部", "participant")]]),
    ("按职责分工负责 with a collective", None, "甲。（国家发展改革委、财政部，各省级人民政府按职责分工负责）",
     [[("国家发展改革委", "responsible"), ("财政部", "responsible"), ("各省级人民政府", "responsible")]]),
    ("等和各有关省级人民政府", None, "甲。（交通运输部、公安部等和各有关省级人民政府负责）",
     [[("交通运输部", "responsible"), ("公安部", "responsible"), ("各有关省级人民政府", "responsible")]]),
    ("guide, implementer, implied for later notes", None,
     "甲。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）乙。（工业和信息化部指导）",
     [[("生态环境部", "guide"), ("试点城市政府", "implementer")],
      [("工业和信息化部", "guide"), ("试点城市政府", "implementer")]]),
    ("guide and participant", None, "甲。（商务部指导，供销合作总社参与）",
     [[("商务部", "guide"), ("供销合作总社", "participant")]]),
    ("责任单位 with mixed separators, ASCII punctuation", L, "甲。(责任单位:省科技厅、省财政厅,各市人民政府，省教育厅)",
     [[("省科技厅", "responsible"), ("省财政厅", "responsible"), ("各市人民政府", "responsible"),
       ("省教育厅", "responsible")]]),
    ("牵头单位 and 配合单位", L, "甲。（牵头单位：省发展改革委；配合单位：省财政厅、省商务厅）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant"), ("省商务厅", "participant")]]),
    ("分别负责", None, "甲。（人民银行、银保监会、证监会分别负责）",
     [[("人民银行", "responsible"), ("银保监会", "responsible"), ("证监会", "responsible")]]),
    ("等有关部门 dropped", None, "甲。（海关总署、商务部等有关部门负责）",
     [[("海关总署", "responsible"), ("商务部", "responsible")]]),
]
NOT_NOTES = [
    "经国务院同意（此件公开发布）",
    "2019年6月底前（含）完成评估",
    "采用政府和社会资本合作（PPP）等模式",
    "为贯彻落实《国务院办公厅关于县域创新驱动发展的若干意见》(国办发〔2017〕43号)精神",
    "《意见》（以下简称《意见》）",
    "实施“装、树、联”（垃圾焚烧企业依法依规安装污染物排放自动监测设备）",
    "加强协调（省科技厅负责",            # never closed on its line
    "加强协调省科技厅负责）",            # never opened
    "加强协调（省科技厅负责\n）",        # closed only on the next line
]


@pytest.mark.parametrize(("name", "region", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_note_styles(name, region, text, expected):
    notes = find_notes(text, 0, len(text), default_gazetteer(), region)
    assert [[(a.surface, a.role) for a in n.assignments] for n in notes] == expected
    for note in notes:
        assert text[note.span.start] in "（(" and text[note.span.end - 1] in "）)"
        for a in note.assignments:
            assert a.agency.recognised
            if a.source == "note":
                assert text[a.span.start:a.span.end] == a.surface


@pytest.mark.parametrize("text", NOT_NOTES)
def test_not_a_note(text):
    assert find_notes(text, 0, len(text), default_gazetteer(), L) == []


def test_unknown_organisation_is_kept_and_flagged():
    # 赣府厅发〔2020〕4号 (tests/data/README.md): a body no list and no pattern knows
    text = "甲。（责任单位：省教育厅，各市、县〔区〕政府，赣江新区管委会）"
    [note] = find_notes(text, 0, len(text), default_gazetteer(), "江西省")
    first, second, third = note.assignments
    assert (first.surface, first.agency.pref_label) == ("省教育厅", "江西省教育厅")
    assert (second.surface, second.agency.kind, second.agency.recognised) == ("各市、县〔区〕政府", "collective", True)
    assert (third.surface, third.role, third.agency.recognised, third.agency.kind) == \
        ("赣江新区管委会", "responsible", False, "unknown")


def test_region_decides_provincial_names():
    text = "甲。（省科技厅负责）"
    [ln] = find_notes(text, 0, len(text), default_gazetteer(), "辽宁省")
    [js] = find_notes(text, 0, len(text), default_gazetteer(), "江苏省")
    assert ln.assignments[0].agency.pref_label == "辽宁省科学技术厅"
    assert js.assignments[0].agency.pref_label == "江苏省科学技术厅"
    assert ln.assignments[0].agency.counterpart == js.assignments[0].agency.counterpart


MORE_CASES = [
    ("以下任务均需 …落实", None, "甲。（生态环境部指导，试点城市政府负责落实。以下任务均需试点城市政府落实，不再列出）乙。（商务部指导）",
     [[("生态环境部", "guide"), ("试点城市政府", "implementer")], [("商务部", "guide"), ("试点城市政府", "implementer")]]),
    ("按职责分别负责", None, "甲。（人民银行、银保监会按职责分别负责）",
     [[("人民银行", "responsible"), ("银保监会", "responsible")]]),
    ("等部门参与", L, "甲。（省发展改革委牵头，省财政厅、省商务厅等部门参与）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant"), ("省商务厅", "participant")]]),
    ("unbracketed label line", L, "加快推进农村电子商务。\n责任单位：省商务厅、省农委，各市人民政府\n（二）培育。",
     [[("省商务厅", "responsible"), ("省农委", "responsible"), ("各市人民政府", "responsible")]]),
]


@pytest.mark.parametrize(("name", "region", "text", "expected"), MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_note_variants(name, region, text, expected):
    notes = find_notes(text, 0, len(text), default_gazetteer(), region)
    assert [[(a.surface, a.role) for a in n.assignments] for n in notes] == expected
