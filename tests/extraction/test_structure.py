"""Structure that follows the genre: articles, chapters, items running across chapters, intros
beside their items, one-sentence items, decimal and circled outlines, and the genre itself.

Every expected value below was read off the documents in tests/data/real/ and corpus/ by hand
(labels and first/last characters exactly as the text writes them); none is computed by the code
under test. The decimal and circled cases are real documents whose markers were rewritten
(一、→8. and 1.→8.1; （1）→①), built in the test from the real text.
"""

from __future__ import annotations

import functools
import re

import pytest

from extraction.genre import genre_of
from extraction.pipeline import extract_path, extract_text

from ..conftest import CORPUS, DATA

REAL = DATA / "real"
CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九",
      "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八", "二十九", "三十", "三十一", "三十二", "三十三", "三十四",
      "三十五", "三十六", "三十七", "三十八", "三十九", "四十", "四十一", "四十二", "四十三", "四十四", "四十五", "四十六", "四十七", "四十八", "四十九",
      "五十", "五十一", "五十二", "五十三", "五十四"]


@functools.cache
def real(name: str):
    return extract_path(REAL / f"{name}.txt")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# (document, label sequence of its provisions, kind of every provision)
SEQUENCES = [
    # 国务院工作规则: 第一章…第十章 are only parts; items 一、…五十四、 run across them (not articles)
    ("国发〔2004〕18号", [f"{n}、" for n in CN], "task-or-safeguard"),
    # 广州市公共租赁住房管理办法: 第一条为完善… with no space after the number, 54 articles in 8 chapters
    ("穗府办规〔2024〕13号", [f"第{n}条" for n in CN], "article"),
    # 个人所得税法实施条例: 第一条　(full-width space) … 第三十六条; the order's own lines carry none
    ("国令第707号", [f"第{n}条" for n in CN[:36]], "article"),
    # 三门峡市城市环境卫生管理条例: 第一条 (ASCII space) … 第四十七条 in five chapters
    ("三门峡-城市环境卫生管理条例", [f"第{n}条" for n in CN[:47]], "article"),
    # 国函〔2018〕144号: a 批复 with no item of its own; its 附件 (the 联席会议制度) is a document of its own
    ("国函〔2018〕144号", ["一、", "二、", "三、", "四、"], "task-or-safeguard"),
    # 国办函〔2004〕71号: 八、 and 十、 have an intro beside their numbered answers 1. 2. (3.)
    ("国办函〔2004〕71号", ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "1.", "2.", "九、", "十、",
                         "1.", "2.", "3.", "十一、"], "task-or-safeguard"),
    # 国家粮食应急预案 (国办函〔2005〕57号): a decimal outline whose first level is a bare number
    # (1　总则 > 1.1　编制目的及依据 > 1.2.1 …); 1.4 and 2.1.1 are headings only, 2.1.2 has an intro
    # (…承担以下职责：) beside its duties （1）…（5）, each a sentence of its own; its table of contents
    # (目　　录 1　总则 1.1 …) gives nothing
    # 沪绿容〔2026〕102号: （一）…（十八） run on across 二、…七、 (一、 and 八、 have text of their own);
    # no label of a 专栏's projects (1. 2. 3.)
    ("沪绿容〔2026〕102号", ["一、", "（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）",
                         "（十一）", "（十二）", "（十三）", "（十四）", "（十五）", "（十六）", "（十七）", "（十八）", "八、"],
     "task-or-safeguard"),
    ("国办函〔2005〕57号", ["1.1", "1.2", "1.2.1", "1.2.2", "1.2.3", "1.3", "（1）", "（2）", "（3）", "2.1", "（1）", "（2）",
                         "（3）", "（4）", "2.1.2", "（1）", "（2）", "（3）", "（4）", "（5）"], "prefix"),
]


@pytest.mark.parametrize(("doc", "labels", "kind"), SEQUENCES)
def test_label_sequence(doc, labels, kind):
    provisions = real(doc).provisions
    if kind == "prefix":
        provisions = provisions[:len(labels)]
    assert [p.label for p in provisions] == labels
    if kind == "article":
        assert {p.kind for p in provisions} == {"article"}
        assert [p.number for p in provisions] == list(range(1, len(labels) + 1))
    else:
        assert "article" not in {p.kind for p in provisions}


# (document, label, occurrence of that label (0 = first), first characters, last characters)
PROVISIONS = [
    ("国发〔2004〕18号", "一、", 0, "一、第十届全国人民代表大会", "制定本规则。"),
    ("国发〔2004〕18号", "九、", 0, "九、秘书长在总理领导下", "负责处理国务院的日常工作。"),   # one sentence
    ("国发〔2004〕18号", "三十六、", 0, "三十六、国务院全体会议由", "单位负责人列席会议。"),        # (一)…(三) inside
    ("国发〔2004〕18号", "五十四、", 0, "五十四、国务院及各部门要实行政务公开", "要严肃查处。"),
    ("穗府办规〔2024〕13号", "第一条", 0, "第一条为完善本市住房保障", "制定本办法。"),
    ("穗府办规〔2024〕13号", "第十八条", 0, "第十八条市、区人民政府应", "（五）可以纳入的其他资金。"),
    ("穗府办规〔2024〕13号", "第五十四条", 0, "第五十四条本办法自印发之日起施行", "依法评估修订。"),
    ("国令第707号", "第一条", 0, "第一条　根据《中华人民共和国个人所得税", "制定本条例。"),
    ("国令第707号", "第三条", 0, "第三条　除国务院财政、税务主管", "红利所得。"),
    ("国令第707号", "第三十六条", 0, "第三十六条　本条例自2019年1月1日起施行", "起施行。"),
    ("三门峡-城市环境卫生管理条例", "第一条", 0, "第一条 为了加强城市环境卫生管理", "制定本条例。"),
    ("三门峡-城市环境卫生管理条例", "第四十七条", 0, "第四十七条 本条例自2017年1月1日起施行", "起施行。"),
    # the intro of 八、 is a provision of its own, ending before 1.
    ("国办函〔2004〕71号", "八、", 0, "八、关于防灾抗灾和移民安置问题", "给予专项支持。"),
    ("国办函〔2004〕71号", "1.", 0, "1.关于防治地质灾害问题", "标准支出因素。"),
    # 二、's intro paragraph sits beside （一）…（五）
    ("赣府发〔2020〕7号", "二、", 0, "二、严格管控好“四类人员”", "按照“四类人员”管控。"),
    ("赣府发〔2020〕7号", "（一）", 0, "（一）所有确诊病例、疑似病例", "隔离治疗至符合出院标准。"),
    ("赣府发〔2020〕7号", "（4）", 0, "（4）收治疑似或确诊病例的病区", "采取隔离措施。"),
    # 6.4.1's list （1）出色完成应急任务的；…（4）有其他突出贡献的。: each clause a provision
    ("国办函〔2005〕57号", "6.4.1", 0, "6.4.1　对参加应急工作的人员", "应给予表彰和奖励。"),
    ("国办函〔2005〕57号", "（1）", 8, "（1）出色完成应急任务的；", "出色完成应急任务的；"),
    ("国办函〔2005〕57号", "（3）", 8, "（3）及时提供应急粮食或节约经费开支", "成绩显著的；"),
    # 3.落实属地管理 under 附件1 三、（四）: its 一是…四是… lines enumerate its own text
    ("青府办发〔2025〕20号", "3.", 2, "3.落实属地管理", "同步制定相应的管理方案。"),
    # 嘉府办发〔2024〕23号: a data table and its caption (表2 …编制计划表 / 年份	区域	面积…) inside an item
    # are not its sentences: the item ends where its text does
    ("嘉府办发〔2024〕23号", "3.", 0, "3.编制系统方案。", "编制计划见表2。（责任单位：区建设管理委）"),
    # 沪绿容〔2026〕102号, a 十五五 plan: an item ends where its 专栏 box begins; the box's own numbered
    # projects (专栏2 > 1.新建及改造公园建设工程…) and its indicator table are no provisions
    ("沪绿容〔2026〕102号", "（一）", 0, "（一）启动新一轮公园建设", "植物园建设工作。"),
    # 国务院令第619号: an 附录 (appendix) is a part of its own, its 一、 > (一) items provisions
    ("国务院令第619号", "第十六条", 0, "第十六条 本规定自公布之日起施行", "同时废止。"),
    ("国务院令第619号", "(十)", 0, "(十)在密闭空间、高压室作业", "作业。"),
    # 赣市监综〔2020〕1号: 一是…二是…三是… number the notice itself, nothing else does
    ("赣市监综〔2020〕1号", "二是", 0, "二是细化举措，做好公示。", "进一步提升社会知晓度。"),
]


@pytest.mark.parametrize(("doc", "label", "occurrence", "first", "last"), PROVISIONS)
def test_provision_first_and_last_characters(doc, label, occurrence, first, last):
    ex = real(doc)
    provision = [p for p in ex.provisions if p.label == label][occurrence]
    text = provision.span.of(ex.text)
    assert text.startswith(first)
    assert _squash(text).endswith(_squash(last))


def test_items_inside_an_article_are_not_provisions():
    ex = real("穗府办规〔2024〕13号")
    eighteen = next(p for p in ex.provisions if p.label == "第十八条")
    assert "（三）每年从" in eighteen.span.of(ex.text)
    assert not any(p.label and p.label.startswith("（") for p in ex.provisions)


def test_articles_keep_their_chapter_in_the_outline():
    ex = real("穗府办规〔2024〕13号")
    chapters = [s for s in ex.sections if s.heading and s.heading.marker_kind == "chapter"]
    assert [c.heading.title for c in chapters] == ["总则", "规划与建设", "申请与准入", "住房租赁补贴与配租",
                                                   "保障期管理、期满审查与退出", "社会力量参与", "监督与责任", "附则"]
    assert [c.heading.marker_kind for c in chapters[1].children][:1] == ["article"]


def test_a_notice_signature_closes_its_items():
    """赣府发〔2020〕7号 ends with the signature: the last item stops before it."""
    ex = real("赣府发〔2020〕7号")
    assert "2020年" not in ex.provisions[-1].span.of(ex.text)[-20:]


def _rewritten(path, pairs):
    text = path.read_text(encoding="utf-8")
    for pattern, repl in pairs:
        text = re.sub(pattern, repl, text, flags=re.M)
    return extract_text(text)


@pytest.mark.parametrize("after", [" ", "."])
def test_decimal_outline(after):
    """国办函〔2004〕71号 renumbered as a decimal outline: 八、→8. and its 1. 2.→8.1 8.2 (or 8.1.)."""
    parts = iter(CN)
    top = {f"{n}、": f"{i}." for i, n in enumerate(parts, 1)}
    text = (REAL / "国办函〔2004〕71号.txt").read_text(encoding="utf-8")
    out, current = [], None
    for line in text.split("\n"):
        head = re.match(r"^([一二三四五六七八九十]+、)", line)
        sub = re.match(r"^(\d)\.", line)
        if head:
            current = top[head.group(1)]
            line = current + line[head.end():]
        elif sub and current:
            line = f"{current}{sub.group(1)}{after}" + line[sub.end():]
        out.append(line)
    ex = extract_text("\n".join(out))
    sub = after.strip()
    assert [p.label for p in ex.provisions] == ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "8.1" + sub, "8.2" + sub,
                                                "9.", "10.", "10.1" + sub, "10.2" + sub, "10.3" + sub, "11."]
    p = next(p for p in ex.provisions if p.label == "8.2" + sub)
    assert p.span.of(ex.text).startswith(f"8.2{after}关于生态移民问题")


def test_circled_digits_are_an_outline_level():
    ex = _rewritten(REAL / "赣府发〔2020〕7号.txt", [(r"^（([1-4])）", lambda m: "①②③④"[int(m.group(1)) - 1])])
    labels = [p.label for p in ex.provisions]
    at = labels.index("①")           # under （十三） 2.重点部门管理。, a heading only (not a provision)
    assert labels[at - 1:at + 5] == ["1.", "①", "②", "③", "④", "3."]
    assert [p.label for p in real("赣府发〔2020〕7号").provisions][at - 1:at + 5] == \
        ["1.", "（1）", "（2）", "（3）", "（4）", "3."]
    fourth = ex.provisions[at + 3]
    assert fourth.span.of(ex.text).startswith("④收治疑似或确诊病例的病区")


# Other ways of writing the same markers, on real documents rewritten line by line:
# (document, pattern at the start of a line, replacement, the original label -> the new label)
VARIANTS = [
    ("穗府办规〔2024〕13号", r"^(第[一二三四五六七八九十]+条)", r"\1：", lambda label: label + "："),
    ("国令第707号", r"^(第[一二三四五六七八九十]+条)　", r"\1 ", lambda label: label),
    ("国办函〔2004〕71号", r"^(\d)\.", r"\1）", lambda label: label.replace(".", "）")),
    ("国办函〔2004〕71号", r"^(\d)\.", r"\1)", lambda label: label.replace(".", ")")),
    ("赣府发〔2020〕7号", r"^（([1-4])）", lambda m: "⑴⑵⑶⑷"[int(m.group(1)) - 1],
     lambda label: {"（1）": "⑴", "（2）": "⑵", "（3）": "⑶", "（4）": "⑷"}.get(label, label)),
]


@pytest.mark.parametrize(("doc", "pattern", "repl", "relabel"), VARIANTS, ids=lambda v: v if isinstance(v, str) else "")
def test_marker_variants_give_the_same_provisions(doc, pattern, repl, relabel):
    original = real(doc)
    ex = _rewritten(REAL / f"{doc}.txt", [(pattern, repl)])
    assert [(p.kind, p.label) for p in ex.provisions] == [(p.kind, relabel(p.label)) for p in original.provisions]
    assert [p.span.of(ex.text)[-8:] for p in ex.provisions] == [p.span.of(original.text)[-8:] for p in original.provisions]


# (title as written, genre) — titles of real documents (corpus/SOURCES.json, tests/data/real, gov.cn)
TITLES = [
    ("辽宁省人民政府办公厅关于县域创新驱动发展的实施意见", "实施意见"),
    ("国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "指导意见"),
    ("国务院关于促进综合保税区高水平开放高质量发展的若干意见", "意见"),
    ("国务院办公厅关于印发“无废城市”建设试点工作方案的通知", "通知"),
    ("国务院关于同意建立国务院职业教育工作部际联席会议制度的批复", "批复"),
    ("国务院办公厅关于四川省在温家宝总理考察工作时所提问题和建议办理情况的函", "函"),
    ("三门峡市城市环境卫生管理条例", "条例"),
    ("广州市临时救助实施细则", "实施细则"),
    ("广州市引进人才入户管理办法", "办法"),
    ("月球样品管理办法（试行）", "办法"),
    ("关于开展“携手行动” 促进大中小企业融通创新（2022-2025年） 的通知", "通知"),
]


@pytest.mark.parametrize(("title", "genre"), TITLES)
def test_genre_of_a_title(title, genre):
    assert genre_of(title) == genre


# (document, genre, genre of the document it carries)
DOC_GENRES = [
    (CORPUS / "liaoning-county-innovation.txt", "实施意见", None),
    (CORPUS / "国办发〔2018〕128号.txt", "通知", "工作方案"),
    (REAL / "国发〔2004〕18号.txt", "通知", "规则"),                  # 关于印发《国务院工作规则》的通知
    (REAL / "国令第707号.txt", "条例", None),                          # an order is what it enacts
    (REAL / "穗府办规〔2024〕13号.txt", "通知", "办法"),              # no title line: …现印发给你们
    (REAL / "赣府发〔2020〕6号.txt", "实施意见", None),               # no title line: 现提出以下实施意见
]


@pytest.mark.parametrize(("path", "genre", "attached"), DOC_GENRES, ids=lambda v: getattr(v, "name", None))
def test_genre_of_a_document(path, genre, attached):
    meta = extract_path(path).metadata
    assert (meta.genre, meta.attached_genre) == (genre, attached)
    assert meta.genre_span is not None


def test_a_document_without_provisions_is_warned():
    """The 批复 without its annex: no numbered item at all."""
    text = (REAL / "国函〔2018〕144号.txt").read_text(encoding="utf-8")
    ex = extract_text(text[:text.index("附件")])
    assert ex.provisions == [] and ex.warnings == ["W201"]
    assert extract_path(REAL / "国函〔2018〕144号.txt").warnings == []


def test_a_table_row_ending_with_a_genre_word_is_no_title():
    # 嘉府办发〔2024〕23号: under 二、（一）3. a data table whose header 年份	…	达标评估计划 ends with 计划; read as a
    # document title it closed the outline, and （二）…（六） and 三、组织保障 were misplaced
    from extraction.outline import walk

    ex = extract_path(DATA / "real" / "嘉府办发〔2024〕23号.txt")
    top = [(s.heading.marker, s.heading.title) for s in ex.sections]
    assert top[:3] == [("一、", "工作目标"), ("二、", "重点任务"), ("三、", "组织保障")]
    assert [s.heading.marker for s in ex.sections[1].children] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert all(s.heading.marker != "三、" for s in walk(ex.sections[1:2]))


def test_what_follows_the_last_items_note_is_closing_text_when_every_item_ends_with_one():
    # 国发〔2018〕39号: every item ends with its note; after （十五）'s note a paragraph on 工业企业结构调整专项
    # 奖补资金 and reporting to 人力资源社会保障部 closes the document: not part of （十五）
    ex = extract_path(DATA / "real" / "国发〔2018〕39号.txt")
    last_item = next(p for p in reversed(ex.provisions) if p.label == "（十五）")
    assert last_item.span.of(ex.text).endswith("（各有关部门和单位，各省级人民政府按职责分工负责）")
    closing = ex.provisions[-1]
    assert closing.section_id == "closing" and closing.span.of(ex.text).startswith("从工业企业结构调整专项奖补资金")


def test_the_general_parts_items_are_provisions_of_their_own_kind_without_measures():
    # the seed: 一、总体要求 (heading only) with （一）指导思想 （二）基本原则 （三）主要目标
    ex = extract_path(CORPUS / "liaoning-county-innovation.txt")
    general = [p for p in ex.provisions if p.kind == "general"]
    assert [(p.ordinal, p.label, p.title) for p in general] == \
        [(1, "(一)", "指导思想"), (2, "(二)", "基本原则"), (3, "(三)", "主要目标")]
    assert all(not p.measures for p in general) and general[0].span.of(ex.text).startswith("(一)指导思想")
    assert general not in ex.tasks and all(p.kind != "general" for p in ex.tasks)
    # a part of general items only is no work: W201 still says so
    only = extract_text("一、总体要求\n（一）指导思想。坚持以人民为中心。\n（二）基本原则。坚持统筹推进。")
    assert [p.kind for p in only.provisions] == ["general", "general"] and only.warnings == ["W201"]


def test_a_headings_gloss_is_no_intro_sentence():
    # 沪应急科技〔2021〕47号: （三）监管部门（包括市应急局、…，2个管理委员会以下分别简称…） heads 1. 2.; the comma is
    # inside its gloss, so the heading is a title, not a heading glued to an intro of its own
    labels = [(p.label, p.span.of(real("沪应急科技〔2021〕47号").text)[:8]) for p in real("沪应急科技〔2021〕47号").provisions
              if p.kind != "tablerow"]
    assert not any(text.startswith("（三）监管部门") for _, text in labels)
    assert ("（1）", "（1）是否存在不") in labels          # its items are provisions


def test_a_note_on_a_line_of_its_own_after_the_last_item_is_the_items():
    # 蚌埠: every item closes with two note lines (牵头单位：… / 责任主体：…); after the last one nothing is left over
    ex = real("蚌埠-城区贫困群众救助帮扶工作实施意见")
    last = ex.provisions[-1]
    assert last.label == "（五）" and last.span.of(ex.text).startswith("（五）注重宣传引导")
    assert ("各县、区政府", "responsible") in [(a.surface, a.role) for a in last.assignments]



def test_a_number_that_lost_its_dot_is_a_marker_only_before_the_next_number():
    from extraction.outline import match_marker
    # 筑府办函〔2017〕145号: 1在市政府的统一部署下… then 2.对需领导小组协调处理的… (the first duty lost its dot)
    text = "1在市政府的统一部署下，牵头统筹。\n2.对需领导小组协调处理的重要工作，牵头协调。\n3个方面的工作要做好。\n5.另一项。"
    hit = match_marker(text, 0)
    assert hit is not None and hit[0] == "arabic" and hit[1].group(1) == "1"
    third = text.index("3个")
    assert match_marker(text, third) is None           # 3个方面: the next line is 5., no list goes on
    assert match_marker("2016年全市完成。\n2017.", 0) is None


@pytest.mark.parametrize("where", ["in the heading", "opening the heading"])
def test_a_note_written_in_an_items_heading_is_the_items(where):
    # 赣府发〔2020〕6号 (tests/data/README.md) closes each item with its note: （一）坚决落实…要求。…（责任单位：…）.
    # Other documents write the note in the heading (（一）坚决落实…要求（责任单位：…）。…) or open the item with it
    # (（一）【责任单位：…】坚决落实…要求。…): the same bodies, the same title
    path = DATA / "real" / "赣府发〔2020〕6号.txt"
    text = path.read_text(encoding="utf-8")
    item = re.compile(r"^(（[一二三四五六七八九十]+）)([^。\n]{2,40})。(.*)(（责任单位：[^（）\n]*(?:（[^（）\n]*）[^（）\n]*)*）)$", re.M)
    assert len(item.findall(text)) >= 10

    def move(m: re.Match[str]) -> str:
        label, heading, rest, note = m.groups()
        if where == "in the heading":
            return f"{label}{heading}{note}。{rest}"
        return f"{label}【{note[1:-1]}】{heading}。{rest}"

    plain, moved = extract_path(path), extract_text(item.sub(move, text), path=path.name)
    numbered = [(p.label, p.title, [(a.surface, a.role) for a in p.assignments]) for p in plain.provisions if p.label]
    assert [(p.label, p.title, [(a.surface, a.role) for a in p.assignments]) for p in moved.provisions if p.label] == \
        numbered
    assert sum(len(bodies) for _, _, bodies in numbered) > 100
