"""Tasks, their responsible agencies and leads, as a person reads them from the four texts.

Every expected value below was read off the document by hand (surface forms exactly as the
text writes them); none is computed by the code under test.
"""

from __future__ import annotations

import pytest

# (ordinal, title, responsible bodies as written, leads as written)
SEED_TASKS = [
    (1, "推动特色优势产业转型升级",
     {"省农委", "省质监局", "省知识产权局", "省工业和信息化委", "省发展改革委", "省科技厅", "省商务厅", "各市人民政府"}, set()),
    (2, "培育壮大科技型中小企业",
     {"省科技厅", "省工业和信息化委", "省教育厅", "中科院沈阳分院", "省政府金融办", "人民银行沈阳分行",
      "辽宁银监局", "辽宁证监局", "大连银监局", "大连证监局", "各市人民政府"}, set()),
    (3, "引导创新创业人才集聚",
     {"省科技厅", "省人力资源社会保障厅", "中科院沈阳分院", "省委组织部", "省教育厅", "省财政厅", "省农委",
      "各市人民政府"}, set()),
    (4, "完善创新创业载体建设",
     {"省科技厅", "省发展改革委", "中科院沈阳分院", "省商务厅", "省知识产权局", "各市人民政府"}, set()),
    (5, "促进社会事业创新发展",
     {"省环保厅", "省发展改革委", "省农委", "省国土资源厅", "省水利厅", "省林业厅", "省海洋渔业厅",
      "省卫生计生委", "省科技厅", "省公安厅", "省住房城乡建设厅", "省文化厅", "各市人民政府"}, set()),
    (6, "创新驱动精准扶贫精准脱贫",
     {"省扶贫办", "省科技厅", "中科院沈阳分院", "省委组织部", "省教育厅", "各市人民政府"}, set()),
    (7, "大力开展科学普及", {"省科协", "省科技厅", "中科院沈阳分院", "省教育厅", "各市人民政府"}, set()),
    (8, "切实加强政策落地", {"省科技厅", "省地税局", "省财政厅", "省国税局", "各市人民政府"}, set()),
]

# 国发〔2019〕3号: task 1's note declares 排在第一位的部门为牵头部门，下同.
DOC3_TASKS = [
    (1, "拓展两个市场", {"税务总局", "财政部", "海关总署"}, {"税务总局"}),
    (2, "提前适用政策", {"海关总署", "财政部", "税务总局"}, {"海关总署"}),
    (3, "释放企业产能", {"海关总署", "商务部"}, {"海关总署"}),
    (4, "促进内销便利", {"商务部", "海关总署"}, {"商务部"}),
    (5, "强化企业市场主体地位", {"海关总署"}, {"海关总署"}),
    (6, "促进研发创新", {"海关总署", "商务部"}, {"海关总署"}),
    (7, "建设创新高地", {"发展改革委", "科技部", "海关总署"}, {"发展改革委"}),
    (8, "优化信用管理", {"市场监管总局", "海关总署"}, {"市场监管总局"}),
    (9, "支持医疗设备研发", {"药监局", "海关总署"}, {"药监局"}),
    (10, "简化进出区管理", {"海关总署"}, {"海关总署"}),
    (11, "便利货物流转", {"海关总署"}, {"海关总署"}),
    (12, "试行汽车保税存储", {"发展改革委", "海关总署"}, {"发展改革委"}),
    (13, "促进文物回流", {"海关总署", "文化和旅游部", "文物局"}, {"海关总署"}),
    (14, "开展检测维修", {"商务部", "工业和信息化部", "生态环境部", "海关总署"}, {"商务部"}),
    (15, "支持再制造业", {"商务部", "发展改革委", "工业和信息化部", "海关总署"}, {"商务部"}),
    (16, "创新监管模式", {"海关总署"}, {"海关总署"}),
    (17, "发展租赁业态", {"海关总署", "财政部", "税务总局"}, {"海关总署"}),
    (18, "促进跨境电商发展", {"商务部", "海关总署"}, {"商务部"}),
    (19, "支持服务外包", {"海关总署", "财政部", "商务部"}, {"海关总署"}),
    (20, "支持期货交割", {"海关总署", "证监会"}, {"海关总署"}),
    (21, "推广创新制度", {"海关总署", "商务部"}, {"海关总署"}),
]

# 国办发〔2018〕121号: numbering runs on across parts, tasks are （四）…（十九）; no lead is declared.
DOC121_TASKS = [
    (1, "大力发展职业赛事", {"体育总局", "民政部", "人力资源社会保障部"}, set()),
    (2, "支持引进国际重大赛事", {"体育总局", "北京冬奥组委"}, set()),
    (3, "引导扶持业余精品赛事", {"体育总局"}, set()),
    (4, "积极培育冰雪体育赛事", {"体育总局", "北京冬奥组委"}, set()),
    (5, "促进体育竞赛与文化表演互动融合", {"体育总局", "文化和旅游部"}, set()),
    (6, "支持企业发展", {"体育总局", "市场监管总局"}, set()),
    (7, "鼓励创新创业", {"市场监管总局", "体育总局", "教育部", "网信办", "科技部", "工业和信息化部"}, set()),
    (8, "培育中介机构", {"体育总局", "民政部"}, set()),
    (9, "引导消费理念", {"体育总局", "公安部", "市场监管总局", "财政部"}, set()),
    (10, "改善消费条件", {"体育总局", "教育部", "住房城乡建设部", "公安部", "应急部", "银保监会", "人民银行"}, set()),
    (11, "完善产业链条", {"发展改革委", "工业和信息化部", "体育总局"}, set()),
    (12, "健全产业标准", {"体育总局", "公安部", "标准委", "统计局"}, set()),
    (13, "打造发展平台", {"广电总局", "版权局", "司法部", "体育总局"}, set()),
    (14, "深化国际合作", {"体育总局", "外交部", "公安部", "海关总署", "交通运输部"}, set()),
    (15, "持续推进“放管服”改革",
     {"公安部", "工业和信息化部", "交通运输部", "水利部", "海洋局", "空管委办公室", "体育总局", "发展改革委",
      "市场监管总局"}, set()),
    (16, "完善相关投入机制", {"体育总局", "人民银行", "银保监会", "证监会", "财政部"}, set()),
]

# 国办发〔2018〕128号: (A牵头，B…参与), then (A指导，B负责落实。以下均需B落实，不再列出): 试点城市政府
# is implied for every later note. Leads only where 牵头 is written.
_PILOT = "试点城市政府"
DOC128_TASKS = [
    (1, "强化顶层设计引领，发挥政府宏观指导作用",
     {"生态环境部", "国家发展改革委", "工业和信息化部", "住房城乡建设部", "农业农村部", "国家统计局", _PILOT,
      "财政部", "自然资源部", "商务部", "国家卫生健康委"}, {"生态环境部"}),
    (2, "实施工业绿色生产，推动大宗工业固体废物贮存处置总量趋零增长",
     {"自然资源部", "工业和信息化部", "商务部", "生态环境部", "国家发展改革委", "市场监管总局", _PILOT}, set()),
    (3, "推行农业绿色生产，促进主要农业废弃物全量利用",
     {"农业农村部", "国家发展改革委", "市场监管总局", "生态环境部", "财政部", _PILOT}, set()),
    (4, "践行绿色生活方式，推动生活垃圾源头减量和资源化利用",
     {"生态环境部", "住房城乡建设部", "国家发展改革委", "商务部", "国家邮政局", "市场监管总局", "文化和旅游部",
      "国管局", "工业和信息化部", _PILOT}, set()),
    (5, "提升风险防控能力，强化危险废物全面安全管控",
     {"生态环境部", "交通运输部", "国家卫生健康委", "市场监管总局", _PILOT}, set()),
    (6, "激发市场主体活力，培育产业发展新模式",
     {"生态环境部", "国家发展改革委", "人民银行", "银保监会", "财政部", "税务总局", "工业和信息化部", "农业农村部",
      "住房城乡建设部", "市场监管总局", "国管局", "商务部", "供销合作总社", _PILOT}, set()),
]

TABLES = {"seed": SEED_TASKS, "3": DOC3_TASKS, "121": DOC121_TASKS, "121html": DOC121_TASKS, "128": DOC128_TASKS}
CASES = [(doc, *row) for doc, rows in TABLES.items() for row in rows]


def _task(extract, doc, ordinal):
    tasks = extract(doc).tasks
    return next(t for t in tasks if t.ordinal == ordinal)


@pytest.mark.parametrize("doc", list(TABLES))
def test_task_count(extract, doc):
    assert [t.ordinal for t in extract(doc).tasks] == [row[0] for row in TABLES[doc]]


@pytest.mark.parametrize(("doc", "ordinal", "title", "responsible", "leads"), CASES)
def test_task_title_agencies_and_leads(extract, doc, ordinal, title, responsible, leads):
    task = _task(extract, doc, ordinal)
    assert task.title == title
    assert {a.surface for a in task.assignments} == responsible
    assert {a.surface for a in task.assignments if a.role == "lead"} == leads


@pytest.mark.parametrize("doc", list(TABLES))
def test_every_named_agency_is_recognised(extract, doc):
    unknown = {a.surface for t in extract(doc).tasks for a in t.assignments if not a.agency.recognised}
    assert unknown == set()


@pytest.mark.parametrize("doc", list(TABLES))
def test_assignment_spans_are_the_names_in_the_text(extract, doc):
    ex = extract(doc)
    for task in ex.provisions:
        assert task.span.of(ex.text).strip()
        for a in task.assignments:
            if a.source != "declaration":
                assert a.span.of(ex.text) == a.surface
                assert task.span.contains(a.span)


def test_html_and_text_give_the_same_tasks(extract):
    txt, html = extract("121"), extract("121html")
    assert [(t.title, [(a.agency.key, a.role) for a in t.assignments]) for t in txt.tasks] == \
           [(t.title, [(a.agency.key, a.role) for a in t.assignments]) for t in html.tasks]


def test_roles_in_128_first_notes(extract):
    task = _task(extract, "128", 1)
    roles = [(a.surface, a.role, a.source) for a in task.assignments]
    assert roles[:6] == [("生态环境部", "lead", "note"), ("国家发展改革委", "participant", "note"),
                         ("工业和信息化部", "participant", "note"), ("住房城乡建设部", "participant", "note"),
                         ("农业农村部", "participant", "note"), ("国家统计局", "participant", "note")]
    assert ("生态环境部", "guide", "note") in roles
    assert ("试点城市政府", "implementer", "note") in roles
    # the declaration adds 试点城市政府 to every later note, pointing at the declaring note
    third = task.notes[2]
    assert [(a.surface, a.role, a.source) for a in third.assignments][-1] == ("试点城市政府", "implementer",
                                                                               "declaration")


def test_guide_and_participant_in_one_note(extract):
    """（商务部指导，供销合作总社参与）in 国办发〔2018〕128号."""
    task = _task(extract, "128", 6)
    roles = {(a.surface, a.role) for a in task.assignments}
    assert ("商务部", "guide") in roles
    assert ("供销合作总社", "participant") in roles


def test_measures_take_the_note_that_follows_them(extract):
    """121 （十）: three notes in one paragraph, each covering the sentences before it."""
    ex = extract("121")
    task = _task(extract, "121", 7)
    by_text = {m.span.of(ex.text): {a.surface for a in m.assignments} for m in task.measures}
    assert by_text["大力推进商事制度改革，营造良好的体育竞赛表演产业准入环境。"] == {"市场监管总局"}
    assert by_text["鼓励退役运动员投身体育竞赛表演产业。"] == {"体育总局", "教育部"}
    assert by_text["重视和鼓励新型转播技术、安全监控技术、人工智能等高新技术在体育竞赛表演产业中的应用。"] == \
        {"体育总局", "网信办", "科技部", "工业和信息化部"}
    assert all("负责）" not in text for text in by_text)


# (doc, safeguard ordinal, title, actors as written) — bodies named as the subject of an action
SAFEGUARD_ACTORS = [
    ("seed", 1, "强化组织领导", {"省科技创新领导小组", "省直相关部门", "各市政府"}),
    ("seed", 2, "加大资金投入", set()),
    ("seed", 3, "开展监测评价", {"各市政府"}),
    ("3", 1, "有关要求", {"海关总署", "国务院有关部门", "各省、自治区、直辖市人民政府"}),
]


@pytest.mark.parametrize(("doc", "ordinal", "title", "actors"), SAFEGUARD_ACTORS)
def test_safeguard_actors(extract, doc, ordinal, title, actors):
    item = [p for p in extract(doc).provisions if p.kind == "safeguard"][ordinal - 1]
    assert item.title == title
    assert {a.surface for a in item.assignments if a.role == "actor"} == actors


def test_closing_paragraph_is_not_part_of_the_last_task(extract):
    ex = extract("121")
    last = ex.tasks[-1]
    assert "各地区、各有关部门" not in last.span.of(ex.text)
    closing = [p for p in ex.provisions if p.section_id == "closing"]
    assert len(closing) == 1
    assert {(a.surface, a.role) for a in closing[0].assignments} == {("体育总局", "actor")}
