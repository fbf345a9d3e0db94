"""Header and signature lines of a text scraped without line breaks (extraction/unglue.py): real
documents of corpus/ and tests/data/real/ with every line break removed give the title, 文号,
signature date and issuers their text with line breaks gives."""

from __future__ import annotations

import pytest

from extraction.clean import clean
from extraction.model import Decoded
from extraction.pipeline import extract_text
from extraction.unglue import unglue

from ..conftest import CORPUS, DATA

REAL = DATA / "real"
GLUED = [CORPUS / "国发〔2019〕3号.txt", REAL / "国发〔2004〕18号.txt", REAL / "国航天〔2020〕4号.txt",
         REAL / "国发〔2013〕37号.txt", REAL / "国发〔2017〕37号.txt", REAL / "国办发〔1997〕2号.txt",
         # a title with no 文号 nor addressees, before its adoption history or first chapter
         REAL / "三门峡-城市环境卫生管理条例.txt", REAL / "德州-扒鸡保护与发展条例.txt",
         # an order page: 令 and 第N号, the head of government's signature, then the rule's title
         REAL / "广州市人民政府令第179号.txt", REAL / "江西省人民政府令第223号.txt", REAL / "国令第707号.txt",
         REAL / "国办函〔2004〕71号.txt",          # …情况的函国办函〔2004〕71号: 函 ends the title
         REAL / "国办发〔2018〕129号.txt",         # …负责）国务院办公厅2018年12月30日: signed after a note
         REAL / "沪府办发〔2020〕3号.txt",          # …的通知有关区人民政府，…：
         REAL / "赣府厅发〔2020〕6号.txt",          # …任务分工表2020年2月21日（此件主动公开）: a date before the note
         REAL / "蚌埠-城区贫困群众救助帮扶工作实施意见.txt",   # …。2019年11月12日关于…实施意见为…: the title it quoted
         REAL / "沪交法〔2025〕175号.txt",          # 市交通委                市公安局2025年4月1日: two signers
         REAL / "教语用〔2021〕4号.txt"]            # 教育部 国家乡村振兴局 国家语委2021年12月23日国家通用…


def _fields(ex):
    m = ex.metadata
    return m.title, m.identifier, m.date, m.issuers, m.level, m.region


@pytest.mark.parametrize("path", GLUED, ids=lambda p: p.name)
def test_a_glued_text_gives_the_metadata_of_its_lines(path):
    text = path.read_text(encoding="utf-8")
    original, glued = extract_text(text), extract_text(text.replace("\n", ""))
    assert _fields(glued) == _fields(original)
    assert glued.metadata.date is not None


def test_a_notices_own_signature_is_cut_before_the_document_it_issues():
    text = (REAL / "穗府办规〔2020〕10号.txt").read_text(encoding="utf-8").replace("\n", "")
    cleaned = clean(Decoded(text, "utf-8", "text/plain"))
    lines = [p.of(text) for p in unglue(text, cleaned.paragraphs)]
    at = lines.index("广州市人民政府办公厅")
    assert lines[at - 1].endswith("请径向市人力资源社会保障局反映。")
    assert lines[at + 1] == "2020年6月29日" and lines[at + 2].startswith("广州市引进人才入户管理办法")


@pytest.mark.parametrize("path", GLUED + sorted(REAL.glob("*.txt"))[::5], ids=lambda p: p.name)
def test_a_text_with_its_line_breaks_is_left_as_it_is(path):
    cleaned = clean(Decoded(path.read_text(encoding="utf-8"), "utf-8", "text/plain"))
    assert unglue(cleaned.text, cleaned.paragraphs) == cleaned.paragraphs


def test_a_date_without_signer_at_the_end_of_a_glued_page_is_its_date():
    # 赣府厅发〔2020〕4号 shows no signer: …赣江新区管委会）2020年2月5日（此件主动公开）; glued into one line
    import datetime as dt

    text = (REAL / "赣府厅发〔2020〕4号.txt").read_text(encoding="utf-8")
    assert extract_text(text).metadata.date == dt.date(2020, 2, 5)
    glued = extract_text(text.replace("\n", ""))
    assert glued.metadata.date == dt.date(2020, 2, 5)
    assert glued.metadata.date_span.of(glued.text) == "2020年2月5日"


def test_a_bracket_that_is_no_note_does_not_open_a_signature():
    # 国办发〔1996〕32号 forwards a 请示 whose annex title ends in a bracket: …初中班（校）扩大招生计划表国家教委
    # 一九九六年五月十三日 is the 请示's signature, not one whose signer begins after （校）
    text = (REAL / "国办发〔1996〕32号.txt").read_text(encoding="utf-8")
    assert extract_text(text.replace("\n", "")).metadata.issuers == extract_text(text).metadata.issuers == ["国务院办公厅"]


def test_a_date_before_a_long_or_open_note_is_still_cut_and_nothing_breaks():
    # 赣府厅发〔2020〕6号 glued into one line, its （此件主动公开） note written long and left open
    import datetime as dt

    text = (REAL / "赣府厅发〔2020〕6号.txt").read_text(encoding="utf-8").replace("\n", "")
    for note in ("（此件主动公开并报送有关部门备案，供各单位参阅）", "（此件主动公开并报送有关部门"):
        glued = extract_text(text.replace("（此件主动公开）", note))
        assert glued.metadata.date == dt.date(2020, 2, 21)

