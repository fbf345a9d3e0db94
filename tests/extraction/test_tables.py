"""Task-division tables (extraction/tables.py) on the real annex of 穗卫函〔2023〕1930号 and on
the two real non-task tables; the deadline column on a passage built in that table's own form."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.gazetteer import default_gazetteer
from extraction.model import Span
from extraction.pipeline import extract_path, extract_text
from extraction.table_cells import cell_names
from extraction.tables import find_table_rows, header_roles

REAL = Path(__file__).resolve().parent.parent / "data" / "real"
TABLE_DOC = "穗卫函〔2023〕1930号"


def _rows(name: str):
    ex = extract_path(REAL / name)
    return ex, [p for p in ex.provisions if p.kind == "tablerow"]


def _bodies(row, role):
    return [a.surface for a in row.assignments if a.role == role]


# row ordinal, task, leads, participants, restated body provision (附件2 任务分工表, read by hand)
ROWS = [
    (1, "有序扩大家庭医生来源。", ["各区政府"], ["市卫生健康委"], ("task", 1)),
    (2, "有序扩大家庭医生来源。", ["各区政府"], ["市卫生健康委", "市人社局"], ("task", 1)),   # merged 序号 cell
    (5, "完善家庭医生培养培训体系。", ["各区政府", "市卫生健康委"], [], ("task", 3)),          # 配合 "/"
    (11, "保障合理用药。", ["市医保局", "市卫生健康委", "各区政府"], [], ("task", 6)),
    (24, "完善互联网+签约服务。", ["市卫生健康委", "市疾控中心", "各区政府"], [], ("task", 16)),
    (33, "拓宽家庭医生职业上升通道。", ["市人社局"], ["市卫生健康委", "各区政府"], ("safeguard", 3)),
    (39, "加强宣传引导。", ["各区政府", "市卫生健康委"], [], ("safeguard", 7)),
]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_task_division_table_rows(suffix):
    ex, rows = _rows(TABLE_DOC + suffix)
    assert len(rows) == 39                       # 24 numbered tasks, 15 continuation lines
    assert [r.ordinal for r in rows] == list(range(1, 40))
    by_ordinal = {r.ordinal: r for r in rows}
    for ordinal, task, leads, participants, restates in ROWS:
        row = by_ordinal[ordinal]
        assert (row.title, _bodies(row, "lead"), _bodies(row, "participant"), row.restates) == \
            (task, leads, participants, restates)
        for a in row.assignments:                # evidence: each name where the cell writes it
            assert a.span.of(ex.text) == a.surface and a.source == "table"
        assert row.deadline is None              # this table has no 完成时限 column
    # the internal-division columns (市卫健委内牵头处室) are not read as bodies
    assert not any(a.surface.endswith("处") for r in rows for a in r.assignments)


def test_txt_and_html_give_the_same_rows():
    _, txt = _rows(TABLE_DOC + ".txt")
    _, html = _rows(TABLE_DOC + ".html")
    assert [(r.title, [(a.role, a.surface) for a in r.assignments]) for r in txt] == \
        [(r.title, [(a.role, a.surface) for a in r.assignments]) for r in html]


@pytest.mark.parametrize("name", ["穗府办规〔2025〕8号.txt", "穗府办规〔2025〕8号.html",    # 积分指标体系
                                  "国办发〔1996〕32号.txt", "国办发〔1996〕32号.html",      # enrolment numbers
                                  "国发〔2004〕18号.txt"])
def test_tables_that_are_not_task_division_give_nothing(name):
    ex, rows = _rows(name)
    assert rows == []


def test_the_scoring_table_of_the_same_document_is_not_read():
    ex, rows = _rows(TABLE_DOC + ".txt")
    annex1 = ex.text.index("一级指标")
    assert all(r.span.start > ex.text.index("附件2关于") for r in rows) and annex1 < rows[0].span.start


@pytest.mark.parametrize(("cells", "roles"), [
    (["序号", "工作事项", "主要内容", "牵头单位", "配合单位", "市卫健委内牵头处室"],
     {"seq": 0, "task": 1, "content": 2, "lead": 3, "participants": 4}),
    (["序号", "重点任务", "责任单位", "完成时限"], {"seq": 0, "task": 1, "responsible": 2, "deadline": 3}),
    (["一级指标", "二级指标", "评价标准", "指标含义", "数据来源"], None),      # scoring table
    (["序号", "工作任务", "完成时间"], None),                                 # no responsible body
])
def test_header_roles(cells, roles):
    assert header_roles(cells) == roles


# The form of 附件2 with a 完成时限 column; bodies and tasks from the same table.
DEADLINE_TABLE = ("关于推进家庭医生签约服务工作的任务分工表\n"
                  "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
                  "1\t有序扩大家庭医生来源\t各区政府\t市卫生健康委、市人社局\t2023年12月底\n"
                  "各区政府\t/\t持续推进\n"                        # 序号 and 重点任务 merged (rowspan)
                  "2\t强化监管评价\t市卫生健康委\t各区政府\t2025年")


def test_deadline_and_merged_cells_in_a_tab_separated_table():
    text = DEADLINE_TABLE
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        paragraphs.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    rows = find_table_rows(text, tuple(paragraphs), [], default_gazetteer(), "广州市")
    assert [(r.title, r.deadline, _bodies(r, "lead"), _bodies(r, "participant")) for r in rows] == [
        ("有序扩大家庭医生来源", "2023年12月底", ["各区政府"], ["市卫生健康委", "市人社局"]),
        ("有序扩大家庭医生来源", "持续推进", ["各区政府"], []),
        ("强化监管评价", "2025年", ["市卫生健康委"], ["各区政府"]),
    ]
    assert rows[0].deadline_span.of(text) == "2023年12月底"


ROWSPAN_HTML = ("<html><body><div id='zoom'><p>关于推进家庭医生签约服务工作的任务分工表</p><table>"
                "<tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>"
                "<tr><td rowspan='2'>1</td><td rowspan='2'><p>有序扩大家庭医生来源</p></td><td>各区政府</td>"
                "<td>市卫生健康委、市人社局</td><td>2023年12月底</td></tr>"
                "<tr><td>各区政府</td><td>/</td><td>持续推进</td></tr></table></div></body></html>")


def test_an_html_table_with_rowspan_keeps_offsets():
    ex = extract_text(ROWSPAN_HTML, "text/html")
    rows = [p for p in ex.provisions if p.kind == "tablerow"]
    assert [(r.title, r.deadline) for r in rows] == [("有序扩大家庭医生来源", "2023年12月底"),
                                                    ("有序扩大家庭医生来源", "持续推进")]
    assert [a.span.of(ex.text) for a in rows[0].assignments] == ["各区政府", "市卫生健康委", "市人社局"]


def _table(text: str):
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        paragraphs.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return text, find_table_rows(text, tuple(paragraphs), [], default_gazetteer(), "广州市")


@pytest.mark.parametrize(("header", "cell", "expected"), [
    # a 责任单位 cell that words the roles itself is read with the grammar of notes
    ("责任单位", "市卫生健康委牵头，市财政局、市医保局配合",
     [("lead", "市卫生健康委"), ("participant", "市财政局"), ("participant", "市医保局")]),
    # the header declares the first body lead
    ("责任单位（列第一位的为牵头单位）", "市卫生健康委、市财政局",
     [("lead", "市卫生健康委"), ("participant", "市财政局")]),
    ("责任单位", "市卫生健康委、市财政局", [("responsible", "市卫生健康委"), ("responsible", "市财政局")]),
])
def test_responsible_column(header, cell, expected):
    text, rows = _table(f"序号\t工作任务\t{header}\n1\t强化监管评价\t{cell}")
    assert [(a.role, a.surface) for a in rows[0].assignments] == expected
    assert all(a.span.of(text) == a.surface and a.source == "table" for a in rows[0].assignments)


def test_two_row_header_and_empty_edge_cells_in_html():
    """责任单位 split into 牵头单位 | 配合单位 on a second header row; an empty last cell (no deadline)."""
    html = ("<html><body><div id='zoom'><table>"
            "<tr><td rowspan='2'>序号</td><td rowspan='2'>重点任务</td><td colspan='2'>责任单位</td>"
            "<td rowspan='2'>完成时限</td></tr><tr><td>牵头单位</td><td>配合单位</td></tr>"
            "<tr><td>1</td><td>有序扩大家庭医生来源</td><td>各区政府</td><td>市卫生健康委</td><td></td></tr>"
            "<tr><td>2</td><td>强化监管评价</td><td>市卫生健康委</td><td>各区政府</td><td>2025年</td></tr>"
            "</table></div></body></html>")
    ex = extract_text(html, "text/html")
    rows = [p for p in ex.provisions if p.kind == "tablerow"]
    assert [(r.title, _bodies(r, "lead"), _bodies(r, "participant"), r.deadline) for r in rows] == [
        ("有序扩大家庭医生来源", ["各区政府"], ["市卫生健康委"], None),
        ("强化监管评价", ["市卫生健康委"], ["各区政府"], "2025年")]


def test_the_item_before_a_table_ends_at_the_tables_title():
    # 沪交科〔2023〕706号: 四、（三） is followed by 长三角交通领域“一码通行”工作任务分工表 / （2023-2025年） and the
    # table (序号 | 工作任务 | 主要内容 | 责任单位 …); the item used to run over the title and all six rows
    ex = extract_path(REAL / "沪交科〔2023〕706号.txt")
    items = [p for p in ex.provisions if p.kind != "tablerow"]
    rows = [p for p in ex.provisions if p.kind == "tablerow"]
    last = items[-1].span.of(ex.text)
    assert last.startswith("（三）探索研究同城待遇政策。") and last.endswith("跨地区出行和消费服务。")
    assert [r.span.of(ex.text).split("\t", 1)[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert all(r.assignments for r in rows)
    assert "分工表" not in "".join(p.span.of(ex.text) for p in items)


def test_a_district_task_list_read_by_its_header_words_and_cell_forms():
    # 宝府办〔2019〕26号 附件1: 序号 | 任务名称 | 任务内容 | 牵头部门 | 配合部门 | 时间节点, task names merged
    # over rows; a 配合 cell split into two cells at 、 (row 9); bodies under two names (区委组织部（区公务员局）,
    # 区委宣传部（区文明办、区政府新闻办、区委网信办）) are the first name
    ex, rows = _rows("宝府办〔2019〕26号.txt")
    by_seq = {r.span.of(ex.text).split("\t", 1)[0]: r for r in rows}
    assert len(by_seq) == 39
    roles = {k: [(a.surface, a.role) for a in by_seq[k].assignments] for k in ("2", "9", "29", "33")}
    assert roles == {
        "2": [("区委组织部", "lead"), ("区绿化市容局", "participant")],
        "9": [("各街镇（园区）", "lead"), ("区绿化市容局", "participant"), ("区农业农村委", "participant")],
        "29": [("区绿化市容局", "lead"), ("区委宣传部", "participant"), ("区民政局", "participant")],
        "33": [("区科委", "lead"), ("区绿化市容局", "lead"), ("区委宣传部", "lead"), ("各街镇（园区）", "participant")],
    }
    # every body's evidence is where the text writes it, also after a joined cell
    assert all(a.span.of(ex.text) == a.surface for r in rows for a in r.assignments)


def test_a_header_named_by_pattern_and_repeated_after_a_page_break():
    # 嘉府办发〔2024〕23号 附件: 序号 | 任务类型 | 重点内容 | 责任单位 | 参考文件 — none of them a listed label; the
    # header is printed again before row 7; a cell 区绿化市容局等相关部门 names 区绿化市容局
    ex, rows = _rows("嘉府办发〔2024〕23号.txt")
    assert [r.span.of(ex.text).split("\t", 1)[0] for r in rows] == [str(n) for n in range(1, 13)]
    assert _bodies(rows[0], "responsible") == ["区建设管理委", "区发展改革委", "区财政局", "区规划资源局", "区水务局",
                                               "区交通委", "区绿化市容局", "各街镇"]
    assert header_roles(["序号", "任务类型", "重点内容", "责任单位", "参考文件"]) == \
        {"seq": 0, "task": 1, "content": 2, "responsible": 3}
    assert header_roles(["年份", "系统方案编制区域", "系统方案编制区域面积（平方公里）", "达标评估计划"]) is None
    # 沪奉府发〔2021〕16号 附件1, a list of powers and duties: its name, then what it covers, and who exercises it
    assert header_roles(["序号", "权力责任名称", "行使  主体", "权力责任类别", "设定依据", "行使层级", "权力责任事项"]) == \
        {"seq": 0, "task": 1, "responsible": 2, "content": 6}


def test_a_tables_rows_are_no_headings_and_its_group_rows_no_rows():
    # 青府办发〔2025〕20号 附件3: 序号 | 工作任务 | 主要工作内容 | 牵头单位 | 配合单位, rows grouped under
    # —	构建产消平衡的处置体系 / 二	构建全链条全过程闭环管理体系 …, each row's 序号 a bracketed （一）
    ex, rows = _rows("青府办发〔2025〕20号.txt")
    table = ex.text.rindex("任务职责分工表")
    assert not [p for p in ex.provisions if p.kind != "tablerow" and p.span.start > table]   # no task from a row
    assert not [r for r in rows if "构建" in r.span.of(ex.text)[:6]]                         # a group's title row
    assert [r.title for r in rows[:3]] == ["推动源头减量", "提升消纳处置能力", "拓展土方消纳空间"]
    # a cell joining two bodies with 和 names both (区城管执法局和属地街镇)
    source = next(r for r in rows if r.title == "加强源头监管")
    assert ("区城管执法局", "participant") in [(a.surface, a.role) for a in source.assignments]
    assert ("属地街镇", "participant") in [(a.surface, a.role) for a in source.assignments]
    assert _bodies(source, "lead") == ["区城运中心"]


def test_a_guiding_column_and_group_headings_between_rows():
    # 国办发〔2018〕126号 附件: 序号 | 改革举措 | 主 要 内 容 | 指导部门 | 推广范围 — the measure, then what it
    # holds; 指导部门 bodies guide; two group headings in a row (四、军民深度融合方面（共6项）, its six measures
    # left out of the published text, then 五、管理体制创新方面（共3项）) stay inside the table
    assert header_roles(["序号", "改革举措", "主 要 内 容", "指导部门", "推广范围"]) == \
        {"seq": 0, "task": 1, "content": 2, "guide": 3}
    ex, rows = _rows("国办发〔2018〕126号.txt")
    assert [r.span.of(ex.text).split("\t", 1)[0] for r in rows] == [str(n) for n in range(1, 15)] + ["21", "22", "23"]
    assert rows[0].title == "知识产权民事、刑事、行政案件“三合一”审判"
    assert "缩短审判周期。\t最高人民法院" in rows[0].span.of(ex.text)               # the whole row
    assert {a.role for r in rows for a in r.assignments} == {"guide"}
    assert not [p for p in ex.provisions if p.label in ("四、", "五、")]        # group headings, no provisions


def test_merged_cells_on_either_side_are_carried_down_within_a_task():
    # 沪交设养〔2024〕984号: 序号 | 内容 | 牵头部门 | 配合部门 | 2024年工作任务 | 2025年工作计划 | 备注 — 内容 merged
    # over rows 2–3 and 4–6 (row 3 writes 序号, 牵头, 配合 and its work only); an empty 备注 left out; — for
    # no 配合 body
    ex, rows = _rows("沪交设养〔2024〕984号.txt")
    by_label = {r.label: r for r in rows}
    assert [r.label for r in rows] == [str(n) for n in range(1, 18)]
    assert by_label["3"].title == by_label["2"].title == "有序推进城市快速干线交通系统建设"      # 内容 carried
    assert [(a.surface, a.role) for a in by_label["3"].assignments] == [("交通建设处", "lead"), ("设施养护处", "participant")]
    assert [(a.surface, a.role) for a in by_label["2"].assignments] == [("综合规划处", "lead")]      # — is nobody
    assert [(a.surface, a.role) for a in by_label["6"].assignments] == [("客运处", "lead")]
    # 虹府办发〔2018〕19号: 类别 | 序号 | 主要任务 | 节点 | 指标数 | 责任单位 | 配合单位 — the year rows below a task
    # (2019年	26.5万户/733个) take its 序号, task and bodies; a quantity is no body
    ex, rows = _rows("虹府办发〔2018〕19号.txt")
    first, year = rows[0], rows[1]
    assert (first.label, year.label, year.title, year.deadline) == \
        ("1", "1", "垃圾分类绿色账户推进覆盖累计户数/小区数", "2019年")
    assert year.span.of(ex.text) == "2019年\t26.5万户/733个"                          # its own row, from its first cell
    assert first.span.of(ex.text).startswith("1\t垃圾分类")                            # from its 序号, not the 类别 cell
    assert [a.surface for a in year.assignments] == [a.surface for a in first.assignments] == ["各街道办事处", "区绿化市容局"]
    assert not any(a.surface.endswith(("个", "户")) for r in rows for a in r.assignments)
    # its row 6 names four streets sharing one head, 欧阳、曲阳、凉城、广中街道: one body as written, never 欧阳 alone
    six = next(r for r in rows if r.label == "6")
    assert [(a.surface, a.role) for a in six.assignments][0] == ("欧阳、曲阳、凉城、广中街道", "responsible")
    assert six.assignments[0].span.of(ex.text) == "欧阳、曲阳、凉城、广中街道"
    assert not any(a.surface in ("欧阳", "曲阳", "凉城") for r in rows for a in r.assignments)


def test_a_very_wide_table_with_short_rows_is_read_right_aligned():
    # a header of 43 columns (a statistics annex beside the task cells) and rows of 23 cells: weighing
    # every placement would be C(43, 23) choices; such rows take their cells right-aligned instead
    from extraction.pipeline import extract_text

    header = "\t".join(["序号", "重点任务", "牵头单位", *(f"第{i}项指标" for i in range(40))])
    short = "\t".join(["推进绿色发展", "市财政局", *["1"] * 21])
    ex = extract_text("附件\n" + header + "\n" + "\t".join(["1", "加强管理", "市发展改革委", *["1"] * 40]) + "\n" + short)
    rows = [p for p in ex.provisions if p.kind == "tablerow"]
    assert len(rows) == 2 and [a.surface for a in rows[0].assignments] == ["市发展改革委"]


# 沪应急科技〔2021〕47号, 附件3 专项整治实施步骤要求: a table without a header row (task | bodies | deadline),
# its stage lines (部署查改阶段（6月）) between the rows; read by hand
HEADLESS = [
    (1, "成立专项整治工作领导小组", ["各区应急管理局", "临港新片区管委会", "化工区管委会"], "6月20日前报送名单"),
    (7, "安全评价机构资质保持情况复核", ["市级监管部门"], "8月30日前完成资质复核"),
    (8, "延伸检查安全技术服务", ["市级监管部门"], "9月30日前形成专题分析报告"),     # its body cell is the row above's
    (11, "专项整治工作总结", ["各区应急管理局", "自贸区临港新片区管委会", "化工区管委会"], "10月30日前报送专项工作总结、典型案例"),
    (12, "专项整治工作总结", ["市应急局"], "12月30前报送专项整治工作总结、典型执法案例和专题调研报告"),  # task: above's
]


@pytest.mark.parametrize(("ordinal", "task", "bodies", "deadline"), HEADLESS, ids=[str(r[0]) for r in HEADLESS])
def test_a_table_without_its_header_row(ordinal, task, bodies, deadline):
    ex, rows = _rows("沪应急科技〔2021〕47号.txt")
    assert len(rows) == 12                  # the 13th line has a fourth cell (市应急局重点抽查) no column holds
    row = rows[ordinal - 1]
    assert (row.title, _bodies(row, "responsible"), row.deadline) == (task, bodies, deadline)
    assert row.span.of(ex.text).startswith(task if ordinal != 12 else "市应急局")


def _numbered_in_task_cells(name: str) -> str:
    """The real table of ``name`` with its 序号 column dropped and each number written at the start
    of the row's content cell instead (（1）召开全区…), as tables without a 序号 column number their tasks."""
    out = []
    for line in (REAL / name).read_text(encoding="utf-8").split("\n"):
        cells = line.split("\t")
        if len(cells) > 1 and cells[0] == "序号":
            line = "\t".join(cells[1:])
        elif len(cells) >= 5 and cells[0].isdigit():
            rest = cells[1:]
            at = 1 if len(cells) >= 6 else 0         # the content cell (a short row's 任务名称 is merged)
            rest[at] = f"（{cells[0]}）{rest[at]}"
            line = "\t".join(rest)
        out.append(line)
    return "\n".join(out)


def test_a_table_whose_tasks_carry_their_own_numbers():
    name = "宝府办〔2019〕26号.txt"
    _, rows = _rows(name)
    numbered = [p for p in extract_text(_numbered_in_task_cells(name)).provisions if p.kind == "tablerow"]
    assert len(numbered) == len(rows) == 39
    assert [p.label for p in numbered] == [f"（{p.label}）" for p in rows]
    assert [p.title for p in numbered] == [p.title for p in rows]
    assert [[(a.surface, a.role) for a in p.assignments] for p in numbered] == \
        [[(a.surface, a.role) for a in p.assignments] for p in rows]


def test_merged_cells_written_as_blank_cells_are_carried_down():
    # 宝府办〔2019〕26号's table as a spreadsheet exports it: a merged 任务名称 cell is blank below its first row
    name = "宝府办〔2019〕26号.txt"
    _, rows = _rows(name)
    out = []
    for line in (REAL / name).read_text(encoding="utf-8").split("\n"):
        cells = line.split("\t")
        out.append("\t".join([cells[0], "", *cells[1:]]) if len(cells) == 5 and cells[0].isdigit() else line)
    blank = [p for p in extract_text("\n".join(out)).provisions if p.kind == "tablerow"]
    assert [(p.label, p.title) for p in blank] == [(p.label, p.title) for p in rows]
    assert [[(a.surface, a.role) for a in p.assignments] for p in blank] == \
        [[(a.surface, a.role) for a in p.assignments] for p in rows]


def test_names_run_together_in_a_cell_are_cut_apart():
    # 宝府办〔2019〕26号's table as a scraper that joins a cell's lines with nothing between them gives it:
    # 区委组织部区民政局区住房保障房屋管理局区绿化市容局 (a cell of one name per line)
    name = "宝府办〔2019〕26号.txt"
    _, rows = _rows(name)

    def glued(cell: str) -> str:
        names = cell.split("、")
        return "".join(names) if len(names) > 1 and all(n.endswith(("局", "委", "部", "办", "室", "单位", "（园区）"))
                                                        for n in names) else cell
    text = "\n".join("\t".join(glued(c) for c in line.split("\t"))
                     for line in (REAL / name).read_text(encoding="utf-8").split("\n"))
    assert text != (REAL / name).read_text(encoding="utf-8")
    run_together = [p for p in extract_text(text).provisions if p.kind == "tablerow"]
    assert [[(a.surface, a.role) for a in p.assignments] for p in run_together] == \
        [[(a.surface, a.role) for a in p.assignments] for p in rows]


def test_a_merged_cell_written_twice_side_by_side_is_one_cell():
    # 虹府办发〔2018〕19号: 3.分类实效及区域、条线推进	3.分类实效及区域、条线推进	1	干垃圾末端控制量	… — the group
    # cell copied twice makes the row one cell wider than its header; its year rows take its bodies, not the last group's
    _, rows = _rows("虹府办发〔2018〕19号.txt")
    first = [r for r in rows if r.title == "干垃圾末端控制量"]
    assert len(first) == 3 and first[0].span.of(_rows("虹府办发〔2018〕19号.txt")[0].text).startswith("1\t干垃圾末端控制量")
    assert all([a.surface for a in r.assignments] == ["区绿化市容局"] for r in first)


def test_a_lead_first_rule_said_once_holds_for_a_tables_responsible_column():
    # 静发改委〔2025〕11号: 序号 | 重点任务 | 具体工作 | 时间进度 | 责任部门, with the rule a 注 under the table would state
    path = REAL / "静发改委〔2025〕11号.txt"
    text = path.read_text(encoding="utf-8")
    plain = [r for r in _rows(path.name)[1]]
    said = [r for r in extract_text(text + "注：责任部门中排在第一位的为牵头部门。\n", path=path.name).provisions
            if r.kind == "tablerow"]
    assert len(said) == len(plain) > 60
    assert all(a.role == "responsible" for r in plain for a in r.assignments)
    first = said[0]
    assert [(a.surface, a.role) for a in first.assignments][:2] == [("发展改革委", "lead"), ("生态环境局", "participant")]
    assert all([a.role for a in r.assignments] == ["lead"] + ["participant"] * (len(r.assignments) - 1)
               for r in said if r.assignments)


@pytest.mark.parametrize(("cell", "names"), [
    ("区绿化市容局 区房管局 区城管执法局", ["区绿化市容局", "区房管局", "区城管执法局"]),   # 虹府办发〔2018〕19号: blanks between names
    ("省人力资源 社会保障厅、省财政厅", ["省人力资源 社会保障厅", "省财政厅"]),           # a stray blank inside one
    ("省财 政厅 省科技厅", ["省财 政厅", "省科技厅"]),
])
def test_a_cells_names_and_a_stray_blank_inside_one(cell, names):
    found = cell_names((cell, Span(10, 10 + len(cell))), "responsible", default_gazetteer(), "四川省")
    assert [a.surface for a in found] == names
    assert all(cell[a.span.start - 10:a.span.end - 10] == a.surface for a in found)
