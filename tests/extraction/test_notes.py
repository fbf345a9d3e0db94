"""The responsibility-note parser, style by style.

The styles are the ones the project brief lists as occurring in real documents; the bodies
named are real agencies. Each case is a passage with one or more notes (declarations carry
forward to later notes in the same passage) and the (name as written, role) pairs expected
for each note, in order.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.gazetteer import default_gazetteer
from extraction.notes import find_notes
from extraction.pipeline import extract_path, extract_text

from ..conftest import DATA

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
    "省科技厅（省外专局）是此项工作的牵头部门",   # a body's other name (虹府办发〔2018〕19号: 区绿化市容局（区分减联办）是…)
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
    # other ways of writing the same notes (the grammar, not a list: a qualifier before a label, a label
    # of persons beside one of bodies, 为 + label after the names, manner words before the role word)
    ("a qualified label", L, "甲。（主要责任单位：省发展改革委；协同单位：省财政厅）",
     [[("省发展改革委", "responsible"), ("省财政厅", "participant")]]),
    ("a label of persons", L, "甲。（牵头领导：张三；牵头单位：省发展改革委）", [[("省发展改革委", "lead")]]),
    ("为 + label", L, "甲。（省发展改革委为牵头单位，省财政厅为配合单位）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant")]]),
    ("manner words", L, "甲。（省发展改革委、省财政厅依职责负责）乙。（省科技厅等部门按照职能分工负责）丙。（省商务厅、省农委分工负责）",
     [[("省发展改革委", "responsible"), ("省财政厅", "responsible")], [("省科技厅", "responsible")],
      [("省商务厅", "responsible"), ("省农委", "responsible")]]),
    ("负总责", L, "甲。（省政府负总责，省教育厅具体负责）", [[("省政府", "responsible"), ("省教育厅", "responsible")]]),
    # 沪安委会〔2023〕9号 38．: an auxiliary between the names and the role word (按职责组织配合)
    ("按职责组织配合", None, "甲。（市住房城乡建设管理委、市财政局牵头负责，市民政局按职责组织配合）",
     [[("市住房城乡建设管理委", "lead"), ("市财政局", "lead"), ("市民政局", "participant")]]),
    ("a collective ending in 组织", None, "甲。（各基层党组织牵头）", [[("各基层党组织", "lead")]]),
    ("persons only", L, "甲。（责任人：王五）", []),
    # a head's other name in brackets (牵头部门（单位）：); a role word before a label says whose (牵头责任单位：,
    # 协同责任单位：); a label of some other duty (督办单位：) keeps its bodies out and the note's others in
    ("a head's other name", L, "甲。（牵头部门（单位）：省发展改革委；配合部门(单位)：省财政厅）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant")]]),
    ("a role word before a label", L, "甲。（牵头责任单位：省发展改革委；协同责任单位：省财政厅、省商务厅）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant"), ("省商务厅", "participant")]]),
    ("a label of another duty", L, "甲。（督办单位：省政府督查室；责任单位：省发展改革委）乙。（责任单位：省财政厅；督导部门：省委督查室）",
     [[("省发展改革委", "responsible")], [("省财政厅", "responsible")]]),
    ("承担单位", L, "甲。（承担单位：省科技厅、省教育厅）", [[("省科技厅", "responsible"), ("省教育厅", "responsible")]]),
    # stems that share the last item's head are one body, as written (the forms of 铜府办发〔2016〕110号's duties
    # heading 教育、卫生计生、民政部门 and 虹府办发〔2018〕19号's cell 欧阳、曲阳、凉城、广中街道), never 教育 and 卫生计生 alone
    ("kinds of department sharing a head", L, "甲。（省发展改革委牵头，教育、卫生计生、民政部门配合）",
     [[("省发展改革委", "lead"), ("教育、卫生计生、民政部门", "participant")]]),
    ("streets sharing a head", "上海市虹口区", "甲。（区建设管理委牵头，欧阳、曲阳、凉城、广中街道配合）",
     [[("区建设管理委", "lead"), ("欧阳、曲阳、凉城、广中街道", "participant")]]),
    ("levels sharing a head", L, "甲。（省发展改革委牵头，中央、省驻辽有关单位配合）",
     [[("省发展改革委", "lead"), ("中央、省驻辽有关单位", "participant")]]),
    ("names are no stems", L, "甲。（省发展改革委、省双创办、省财政厅负责）",
     [[("省发展改革委", "responsible"), ("省双创办", "responsible"), ("省财政厅", "responsible")]]),
    ("a collective's government with a qualifier", L, "甲。（各县区政府（管委会）负责）", [[("各县区政府（管委会）", "responsible")]]),
    # a stray blank inside a name (川教〔2024〕36号's addressees, a text taken out of a PDF: 人力资源 社会保障局): one name;
    # names a blank apart stay two
    ("a stray blank inside a name", L, "甲。（省人力资源 社会保障厅牵头，省财 政厅配合）",
     [[("省人力资源 社会保障厅", "lead"), ("省财 政厅", "participant")]]),
    ("names a blank apart", L, "甲。（责任单位：省科技厅 省财政厅）", [[("省科技厅", "responsible"), ("省财政厅", "responsible")]]),
    # kinds of department, the bodies a note names where it leaves the level to the reader (as 教基〔2020〕7号's
    # running text names 教育部门, 财政部门): bodies in a bracket with role words, not in a bracket of names alone
    ("kinds of department", L, "甲。（教育行政部门牵头，卫生健康部门配合）乙。（公安机关负责）丙。（民政、财政部门负责）丁。（民政部门）",
     [[("教育行政部门", "lead"), ("卫生健康部门", "participant")], [("公安机关", "responsible")],
      [("民政、财政部门", "responsible")]]),
]


@pytest.mark.parametrize(("name", "region", "text", "expected"), MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_note_variants(name, region, text, expected):
    notes = find_notes(text, 0, len(text), default_gazetteer(), region)
    assert [[(a.surface, a.role) for a in n.assignments] for n in notes] == expected


# Notes quoted from real documents of the dev set (sources in tests/data/README.md, "Notes from
# real documents"), each with the (name as written, role) pairs a reader takes from it, in text order.
JX = "江西省"
REAL_NOTES = [
    ("赣府厅发〔2020〕7号: 列第一的为牵头单位，下同", JX,
     "（省发展改革委、省商务厅、省文化和旅游厅按职责分工负责，列第一的为牵头单位，下同）"
     "甲。（省商务厅、省文化和旅游厅、省体育局按职责分工负责）乙。（省消防救援总队负责）",
     [[("省发展改革委", "lead"), ("省商务厅", "participant"), ("省文化和旅游厅", "participant")],
      [("省商务厅", "lead"), ("省文化和旅游厅", "participant"), ("省体育局", "participant")],
      [("省消防救援总队", "lead")]]),
    ("赣府厅发〔2020〕4号: 责任单位 with a collective and a body no list knows", JX,
     "（责任单位：省委编办、省教育厅、省人力资源社会保障厅、省财政厅，各市、县〔区〕政府，赣江新区管委会）",
     [[("省委编办", "responsible"), ("省教育厅", "responsible"), ("省人力资源社会保障厅", "responsible"),
       ("省财政厅", "responsible"), ("各市、县〔区〕政府", "responsible"), ("赣江新区管委会", "responsible")]]),
    ("赣府发〔2020〕6号: ASCII opening bracket, 等 before the comma", JX,
     "(责任单位：省政务服务办、省市场监管局、省金融监管局等，各市、县〔区〕政府）",
     [[("省政务服务办", "responsible"), ("省市场监管局", "responsible"), ("省金融监管局", "responsible"),
       ("各市、县〔区〕政府", "responsible")]]),
    ("赣府厅字〔2020〕14号: 按职责分工牵头 … 等省直有关部门配合", JX,
     "（人行南昌中心支行、省发展改革委、省工业和信息化厅、省财政厅按职责分工牵头，"
     "省农业农村厅、省商务厅、省国资委、省交通运输厅等省直有关部门配合）",
     [[("人行南昌中心支行", "lead"), ("省发展改革委", "lead"), ("省工业和信息化厅", "lead"), ("省财政厅", "lead"),
       ("省农业农村厅", "participant"), ("省商务厅", "participant"), ("省国资委", "participant"),
       ("省交通运输厅", "participant")]]),
    ("赣府厅字〔2020〕14号: a collective takes part", JX,
     "（省财政厅、省金融监管局按职责分工牵头，各市、县〔区〕人民政府配合）",
     [[("省财政厅", "lead"), ("省金融监管局", "lead"), ("各市、县〔区〕人民政府", "participant")]]),
    ("赣市监综〔2020〕1号: internal units of 省局, written once for the list", JX,
     "（责任单位：省药监局，省局行政审批处、登记注册局、信用监管处，省局行政许可评审中心、信息中心）",
     [[("省药监局", "responsible"), ("省局行政审批处", "responsible"), ("登记注册局", "responsible"),
       ("信用监管处", "responsible"), ("省局行政许可评审中心", "responsible"), ("信息中心", "responsible")]]),
    ("赣市监综〔2020〕1号: a unit of another body", JX, "（责任单位：省局网监处，省消保委秘书处）",
     [[("省局网监处", "responsible"), ("省消保委秘书处", "responsible")]]),
    ("工信部联企业〔2022〕54号: 以下均需各地相关部门落实 reaches a note of generics only", None,
     "（发展改革委、科技部、工业和信息化部、财政部及各地相关部门按职责分工负责，以下均需各地相关部门落实，不再列出）"
     "甲。（各有关部门负责）",
     [[("发展改革委", "responsible"), ("科技部", "responsible"), ("工业和信息化部", "responsible"),
       ("财政部", "responsible"), ("各地相关部门", "responsible")],
      [("各地相关部门", "implementer")]]),
    ("国办函〔2004〕71号: a sentence opening with A、B会同C等有关部门", None,
     "发展改革委、农业部会同财政部等有关部门研究提出了办理意见：发展改革委在安排全国农产品深加工项目和资金工作中，一直对包括你省在内的西部地区予以适当倾斜和重点扶持。",
     [[("发展改革委", "lead"), ("农业部", "lead"), ("财政部", "participant")]]),
    ("国办函〔2004〕71号: 已会同", None,
     "扶贫办已会同交通部、水利部、林业局等部门赴广安市水淹区进行了实地调查，并向国务院上报了",
     [[("扶贫办", "lead"), ("交通部", "participant"), ("水利部", "participant"), ("林业局", "participant")]]),
    ("国发〔2018〕38号: a field beside the bodies names no body", None,
     "（负责部门：人力资源社会保障部、住房城乡建设部、商务部；适用范围：所有自贸试验区，以下除标注适用于特定自贸试验区的"
     "措施外，适用范围均为所有自贸试验区）",
     [[("人力资源社会保障部", "responsible"), ("住房城乡建设部", "responsible"), ("商务部", "responsible")]]),
    ("国发〔2018〕38号: the field after the bodies, with a comma", None, "（负责部门：民航局，适用范围：福建自贸试验区）",
     [[("民航局", "responsible")]]),
    ("闵古办〔2022〕20号: a sentence's own 对应措施：… is no note", None,
     "对应措施：由居委纳入重点关注对象，加大关心关爱频次；会同物业每周对所在楼栋开展巡查。", []),
    ("蚌埠 实施意见: labelled notes on lines of their own; a 下同 gloss widens a collective here and below", "蚌埠市",
     "稳步推进支出型贫困低收入家庭帮扶。\n牵头单位：市民政局、市财政局\n"
     "责任主体：各县、区政府（市高新区管委会、市经开区管委会，下同）\n"
     "2．实施就业创业。\n牵头单位：市人力资源社会保障局、市财政局、市税务局\n责任主体：各县、区政府",
     [[("市民政局", "lead"), ("市财政局", "lead")],
      [("各县、区政府", "responsible"), ("市高新区管委会", "responsible"), ("市经开区管委会", "responsible")],
      [("市人力资源社会保障局", "lead"), ("市财政局", "lead"), ("市税务局", "lead")],
      [("各县、区政府", "responsible"), ("市高新区管委会", "responsible"), ("市经开区管委会", "responsible")]]),
    ("吉市政办发〔2015〕14号: A牵头，B配合 as a sentence after a group's name and colon; a generic group dropped", "吉林市",
     "1.机构职能设置组：市编办牵头，市人社局、市政务公开办、相关行业监管部门配合。主要负责机构设置、编制调整。",
     [[("市编办", "lead"), ("市人社局", "participant"), ("市政务公开办", "participant")]]),
]


@pytest.mark.parametrize(("name", "region", "text", "expected"), REAL_NOTES, ids=[c[0] for c in REAL_NOTES])
def test_real_notes(name, region, text, expected):
    notes = find_notes(text, 0, len(text), default_gazetteer(), region)
    assert [[(a.surface, a.role) for a in n.assignments] for n in notes] == expected
    for note in notes:
        for a in note.assignments:
            if a.source == "note":
                assert text[a.span.start:a.span.end] == a.surface


def test_units_and_collectives_are_bodies_of_the_region():
    text = REAL_NOTES[5][2]
    [note] = find_notes(text, 0, len(text), default_gazetteer(), JX)
    by_surface = {a.surface: a.agency for a in note.assignments}
    assert by_surface["登记注册局"].key == default_gazetteer().resolve("省局登记注册局", JX).key
    assert by_surface["登记注册局"].key.startswith("jx/unit/") and by_surface["登记注册局"].recognised
    assert by_surface["省药监局"].recognised
    [collective] = find_notes(REAL_NOTES[4][2], 0, len(REAL_NOTES[4][2]), default_gazetteer(), JX)
    assert collective.assignments[-1].agency.kind == "collective"


# The label and role forms issue #18 lists as read by nothing before, filled with real bodies.
ISSUE_FORMS = [
    ("负责部门", JX, "甲。（负责部门：省教育厅）", [[("省教育厅", "responsible")]]),
    ("责任部门", JX, "甲。（责任部门：省教育厅、省财政厅）", [[("省教育厅", "responsible"), ("省财政厅", "responsible")]]),
    ("牵头单位，配合单位", JX, "甲。（牵头单位：省发展改革委，配合单位：省财政厅、省商务厅）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant"), ("省商务厅", "participant")]]),
    ("按职责分工牵头，等配合", JX, "甲。（省财政厅、省金融监管局按职责分工牵头，省商务厅等配合）",
     [[("省财政厅", "lead"), ("省金融监管局", "lead"), ("省商务厅", "participant")]]),
    ("ASCII brackets", "广州市", "甲。(市卫生健康委牵头负责)", [[("市卫生健康委", "lead")]]),
    ("mark after a name", JX, "甲。（省发展改革委（牵头）、省财政厅）",
     [[("省发展改革委", "lead"), ("省财政厅", "participant")]]),
    ("label clause mid-paragraph", "广州市", "加快建设。责任单位：市住房城乡建设局、各区、县级市。下一句。",
     [[("市住房城乡建设局", "responsible"), ("各区、县级市", "responsible")]]),
    ("a whole sentence of names and roles", "广州市", "甲。由市医保局牵头，市财政局、团市委、市科协配合。",
     [[("市医保局", "lead"), ("市财政局", "participant"), ("团市委", "participant"), ("市科协", "participant")]]),
    ("several notes in one paragraph, 〔〕 brackets", JX, "甲（省教育厅负责）；乙〔责任单位：省财政厅〕。",
     [[("省教育厅", "responsible")], [("省财政厅", "responsible")]]),
    ("bracketed labels 【牵头单位】", "广州市", "加快建设。【牵头单位】市科技局【配合单位】市财政局、市医保局",
     [[("市科技局", "lead"), ("市财政局", "participant"), ("市医保局", "participant")]]),
    ("a deadline label after the bodies", "广州市", "甲。（责任单位：市科技局；完成时限：2023年底前）",
     [[("市科技局", "responsible")]]),
    ("a deadline clause after the roles", "广州市", "甲。（市科技局牵头，市财政局配合，长期坚持）",
     [[("市科技局", "lead"), ("市财政局", "participant")]]),
    ("role words under a label", "广州市", "甲。（责任单位：市发展改革委牵头，市财政局、市卫生健康委配合）",
     [[("市发展改革委", "lead"), ("市财政局", "participant"), ("市卫生健康委", "participant")]]),
    ("a collective joined by 和 keeps its 、", JX, "甲。（责任单位：省财政厅和各市、县〔区〕人民政府）",
     [[("省财政厅", "responsible"), ("各市、县〔区〕人民政府", "responsible")]]),
    ("a collective under 有关", JX, "甲。（责任单位：省委编办，有关设区市、县〔区〕人民政府）",
     [[("省委编办", "responsible"), ("有关设区市、县〔区〕人民政府", "responsible")]]),
    ("two pattern-shaped names joined by 和", JX, "甲。（责任单位：省发展改革委和省科技厅）",
     [[("省发展改革委", "responsible"), ("省科技厅", "responsible")]]),
    ("括号内列第一位的为牵头单位 said once in the text", "广州市",
     "各项任务括号内为责任单位，列第一位的为牵头单位。一、甲。（市科技局、市财政局）",
     [[("市科技局", "lead"), ("市财政局", "participant")]]),
]


@pytest.mark.parametrize(("name", "region", "text", "expected"), ISSUE_FORMS, ids=[c[0] for c in ISSUE_FORMS])
def test_issue_forms(name, region, text, expected):
    notes = find_notes(text, 0, len(text), default_gazetteer(), region)
    assert [[(a.surface, a.role) for a in n.assignments] for n in notes] == expected
    assert all(a.agency.recognised for n in notes for a in n.assignments)


MORE_NOT_NOTES = [
    "省教育厅负责统筹协调。",                  # a sentence, not a list of bodies
    "（含省教育厅负责的项目）",
    "各地要加强组织领导。",
    "（以下简称《决定》）",
]


@pytest.mark.parametrize("text", MORE_NOT_NOTES)
def test_more_non_notes(text):
    assert find_notes(text, 0, len(text), default_gazetteer(), JX) == []


_KNOWN = ["发展改革委", "科技部", "工业和信息化部", "财政部", "人力资源社会保障部", "商务部", "国资委",
          "市场监管总局", "人民银行", "海关总署", "教育部", "水利部"]
_ROLE_WORDS = [("负责", "responsible"), ("牵头", "lead"), ("配合", "participant"), ("参与", "participant"),
               ("按职责分工负责", "responsible"), ("按职责分工牵头", "lead"), ("分别负责", "responsible")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_KNOWN), min_size=1, max_size=6, unique=True), st.sampled_from(_ROLE_WORDS),
       st.sampled_from(["、", "，", ","]), st.booleans())
def test_any_list_of_bodies_with_a_role_word(names, role_word, sep, ascii_brackets):
    opening, closing = ("(", ")") if ascii_brackets else ("（", "）")
    text = "甲。" + opening + sep.join(names) + role_word[0] + closing
    [note] = find_notes(text, 0, len(text), default_gazetteer(), None)
    assert [(a.surface, a.role) for a in note.assignments] == [(n, role_word[1]) for n in names]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_KNOWN), min_size=1, max_size=5, unique=True),
       st.sampled_from(["某某发展中心", "某某工作领导小组", "某某协会"]), st.integers(0, 5))
def test_an_unknown_name_never_loses_the_known_ones(names, unknown, at):
    items = list(names)
    items.insert(min(at, len(items)), unknown)
    text = "甲。（" + "、".join(items) + "按职责分工负责）"
    [note] = find_notes(text, 0, len(text), default_gazetteer(), None)
    assert [a.surface for a in note.assignments] == items
    assert [a.agency.recognised for a in note.assignments] == [i != unknown for i in items]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_KNOWN), min_size=1, max_size=3, unique=True),
       st.sampled_from(["市城投", "省交投", "济宁能源", "市文旅"]), st.booleans(),
       st.sampled_from(["配合", "参与", "协同", "配合落实"]))
def test_a_shapeless_name_before_a_closing_role_word_is_still_a_name(names, unknown, unknown_leads, role_word):
    # names nothing reads as a body (a company's short name): the role word closing the clause ends it
    # (before, 市城投配合 was one name with no role, and the note's known names were lost with it)
    lead, rest = ([unknown], names) if unknown_leads else (names[:1], names[1:] + [unknown])
    if not rest:
        rest = ["审计署"]
    text = "甲。（" + "、".join(lead) + "牵头，" + "、".join(rest) + role_word + "）"
    [note] = find_notes(text, 0, len(text), default_gazetteer(), None)
    assert [(a.surface, a.role) for a in note.assignments] == \
        [(n, "lead") for n in lead] + [(n, "participant") for n in rest]
    assert [a.agency.recognised for a in note.assignments] == [n != unknown for n in lead + rest]


def test_a_shapeless_name_alone_is_no_note():
    # nothing in the bracket reads as a body: an ordinary parenthesis, as before
    text = "甲。（市城投配合）乙。（做好衔接配合）"
    assert find_notes(text, 0, len(text), default_gazetteer(), None) == []


def test_a_generic_listed_first_under_a_lead_first_declaration_leaves_the_lead_unnamed():
    # 国发〔2018〕39号: its first note declares 列第一位者为牵头单位，下同; （十四）'s note lists the generic first
    from extraction.pipeline import extract_path

    from ..conftest import DATA

    ex = extract_path(DATA / "real" / "国发〔2018〕39号.txt")
    item = next(p for p in ex.provisions if p.label == "（十四）")
    assert [(a.surface, a.role) for a in item.assignments if a.role != "actor"] == [("各省级人民政府", "participant")]
    first = next(p for p in ex.provisions if p.label == "（一）")   # a named body first: the lead
    assert [a.role for a in first.assignments if a.role != "actor"][:2] == ["lead", "participant"]


def test_a_note_of_bare_names_with_a_collective_is_read():
    # 嘉府办发〔2024〕23号 二（一）2.'s note without its label (bench.perturb's bare-names): every name a body,
    # 各街镇 a collective of streets and towns
    from bench.perturb import bare_names
    from extraction.pipeline import extract_text

    from ..conftest import DATA

    text = bare_names((DATA / "real" / "嘉府办发〔2024〕23号.txt").read_text(encoding="utf-8"))
    assert "（区规划资源局、区交通委、区水务局、区绿化市容局、区住房保障房屋管理局，各街镇）" in text
    item = next(p for p in extract_text(text).provisions if p.span.of(text).startswith("2.加强规划指标衔接"))
    assert [(a.surface, a.role) for a in item.assignments if a.role != "actor"] == [
        ("区规划资源局", "responsible"), ("区交通委", "responsible"), ("区水务局", "responsible"),
        ("区绿化市容局", "responsible"), ("区住房保障房屋管理局", "responsible"), ("各街镇", "responsible")]


@pytest.mark.parametrize("rule", ["注：责任单位中排在第一位的为牵头单位。", "各项任务中，牵头单位均排在第一位。",
                                  "（责任单位中列第一位的为牵头单位）"])
def test_a_lead_first_rule_said_once_holds_for_every_note(rule):
    # 赣府发〔2020〕6号 (tests/data/README.md), its notes plain lists of responsible bodies, with the rule written
    # once after its last item, as documents write it in a closing 注: the first body of every note leads
    path = DATA / "real" / "赣府发〔2020〕6号.txt"
    text = path.read_text(encoding="utf-8")
    plain = extract_path(path)
    said = extract_text(text.replace("\n2020年3月2日", "\n" + rule + "\n2020年3月2日"), path=path.name)
    before = [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in plain.provisions if p.assignments]
    after = [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in said.provisions if p.assignments]
    assert all(role == "responsible" for _, pairs in before for _, role in pairs)
    assert [label for label, _ in after] == [label for label, _ in before] and len(before) > 15
    for (_, was), (_, now) in zip(before, after, strict=True):
        assert [s for s, _ in now] == [s for s, _ in was]
        assert [r for _, r in now] == ["lead"] + ["participant"] * (len(was) - 1)
