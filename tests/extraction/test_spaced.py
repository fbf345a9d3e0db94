"""Tables whose cells are set apart by runs of blanks (extraction/spaced.py, run by the cleaning stage).

The tables are the real task tables of dev documents (tests/data/real/, sources in tests/data/README.md),
written as a word processor or a PDF gives them when copied: their tabs turned into blanks.
"""

from __future__ import annotations

import pytest

from extraction.pipeline import extract_text
from extraction.spaced import tabulate

from ..conftest import DATA

# dev documents with a task table under a header row, or numbered rows without one
TABLED = ["宝府办〔2019〕26号", "静发改委〔2025〕11号", "穗卫函〔2023〕1930号", "虹府办发〔2018〕19号", "青府办发〔2025〕20号",
          "国办发〔2018〕126号", "嘉府办发〔2024〕23号", "沪交科〔2023〕706号", "沪交设养〔2024〕984号", "西政办发〔2021〕20号"]
BLANKS = {"two spaces": "  ", "four spaces": "    ", "ideographic": "\u3000\u3000", "mixed": " \u3000 "}


def _read(doc: str, text: str):
    ex = extract_text(text, path=f"{doc}.txt")
    return (sorted((p.label, a.surface, a.role) for p in ex.provisions for a in p.assignments),
            sorted((p.kind, p.label) for p in ex.provisions))


@pytest.mark.parametrize("doc", TABLED)
@pytest.mark.parametrize("blank", list(BLANKS), ids=list(BLANKS))
def test_a_table_of_blank_separated_cells_reads_as_its_tab_separated_self(doc, blank):
    text = (DATA / "real" / f"{doc}.txt").read_text(encoding="utf-8")
    assert "\t" in text
    assignments, provisions = _read(doc, text)
    rows = sum(kind == "tablerow" for kind, _ in provisions)
    assert rows >= 5
    assert _read(doc, text.replace("\t", BLANKS[blank])) == (assignments, provisions)


def test_header_rows_and_the_rows_below_are_cut_at_runs_of_blanks():
    lines = ["附件", "重点任务分工表", "序号    重点任务    牵头单位    配合单位    完成时限",
             "1    建立健全工作机制    区发展改革委    区财政局、区商务委    2025年6月",
             "二    完善政策体系",                                 # a group row of two cells
             "2    加强督促检查    区政府办公室    2025年12月",         # a short row: a merged cell left out
             "各单位要按照分工抓好落实。"]
    out = tabulate(lines)
    assert out[:2] == lines[:2] and out[-1] == lines[-1]
    assert out[2].split("\t") == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert out[3].split("\t") == ["1", "建立健全工作机制", "区发展改革委", "区财政局、区商务委", "2025年6月"]
    assert out[4] == "二\t完善政策体系" and out[5].count("\t") == 3
    signed = tabulate([*lines[2:4], "区发展改革委    2025年3月1日"])          # a signature below a table: no row
    assert signed[-1] == "区发展改革委    2025年3月1日"


def test_numbered_rows_without_a_header_are_cut():
    lines = ["1  推进老旧小区改造  区住房保障局  2025年底", "2  实施道路修缮  区建设管理委  2025年6月",
             "3  完善公共服务设施  各街镇  长期坚持"]
    assert [line.count("\t") for line in tabulate(lines)] == [3, 3, 3]
    data = ["年份    系统方案编制区域    面积（平方公里）", "2024年    马陆社区    4.42", "2025年    嘉定工业区1    14.00"]
    assert [line.count("\t") for line in tabulate(data)] == [2, 2, 2]      # as many cells in every line


@pytest.mark.parametrize("lines", [
    ["国  家  突  发  事  件  预  案", "各省、自治区、直辖市人民政府："],          # a letter-spaced title
    ["国  家  突  发", "公  共  事  件", "总  体  预  案"],                     # …over three lines
    ["加强组织领导。  压实工作责任。  确保落到实处。", "完善工作机制。  强化督促检查。  严格考核问责。",
     "加大资金投入。  优化资金使用。  提高资金效益。"],                          # sentences, not cells
    ["上海市人民政府办公厅    上海市发展和改革委员会", "2021年6月1日"],          # a signature side by side
    ["一、　总体要求", "第一条　为了规范管理，制定本办法。"],                    # a single ideographic blank
    ["加强组织领导。　　二、保障措施　　（一）强化资金保障。", "　　三、附则"],   # paragraphs glued at their indent
    ["1  推进改造  区住房保障局", "2  实施修缮  区建设管理委"],                # two numbered lines: too few for a table
    ["序号\t重点任务\t牵头单位", "1\t建立机制\t区发展改革委"],                 # tab-separated already
])
def test_lines_that_are_no_blank_separated_table_are_left_alone(lines):
    assert tabulate(lines) == lines
