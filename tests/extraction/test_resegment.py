"""A text scraped without line breaks gives the provisions of the original.

Each case is a real document (corpus/, tests/data/real/) whose body — everything from its first
numbered item on — is glued into one paragraph, as a page scraped as one block of text comes.
The resegment stage must find the same items: same labels and kinds, each starting at the same
words, every span an offset into the glued text itself (which is stored unchanged).
"""

from __future__ import annotations

import re

import pytest

from extraction.clean import clean
from extraction.model import Decoded
from extraction.pipeline import extract_path, extract_text
from extraction.resegment import resegment

from ..conftest import CORPUS, DATA

REAL = DATA / "real"
DOCS = [
    CORPUS / "国发〔2019〕3号.txt", CORPUS / "国办发〔2018〕128号.txt", CORPUS / "liaoning-county-innovation.txt",
    REAL / "国发〔2004〕18号.txt", REAL / "穗府办规〔2024〕13号.txt", REAL / "国令第707号.txt",
    REAL / "三门峡-城市环境卫生管理条例.txt", REAL / "国办函〔2004〕71号.txt", REAL / "赣府发〔2020〕7号.txt",
]


def _glued(path):
    """The original extraction and the text with its body glued into one line."""
    ex = extract_path(path)
    cut = ex.provisions[0].span.start
    cut = ex.text.rfind("\n", 0, cut) + 1          # from the line of the first item (its heading)
    heads = [s.span.start for s in ex.sections if s.span.start < cut]
    cut = min([cut, *heads])
    return ex, ex.text[:cut] + ex.text[cut:].replace("\n", "")


def _view(ex):
    return [(p.kind, p.label, re.sub(r"\s+", "", p.span.of(ex.text))[:12]) for p in ex.provisions]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_glued_text_gives_the_same_provisions(path):
    original, glued = _glued(path)
    ex = extract_text(glued)
    assert ex.text == glued.strip() or ex.text == glued          # the stored text is not rewritten
    assert _view(ex) == _view(original)
    for p in ex.provisions:                                      # offsets into the glued text itself
        assert p.span.of(ex.text).startswith(p.label or "")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_a_text_with_line_breaks_is_left_as_it_is(path):
    cleaned = clean(Decoded(path.read_text(encoding="utf-8"), "utf-8", "text/plain"))
    assert resegment(cleaned.text, cleaned.paragraphs) == cleaned.paragraphs


def test_a_cited_article_does_not_cut():
    """第三十四条 and 第三十五条 of 穗府办规〔2024〕13号 glued: the second article is cut off, the
    article it cites (参照本办法第二十五条相关规定执行) is not."""
    lines = (REAL / "穗府办规〔2024〕13号.txt").read_text(encoding="utf-8").split("\n")
    glued = next(x for x in lines if x.startswith("第三十四条")) + next(x for x in lines if x.startswith("第三十五条"))
    cleaned = clean(Decoded(glued, "utf-8", "text/plain"))
    pieces = [p.of(cleaned.text) for p in resegment(cleaned.text, cleaned.paragraphs)]
    assert [p[:5] for p in pieces] == ["第三十四条", "第三十五条"]
    assert "参照本办法第二十五条相关规定执行" in pieces[1]


# pages scraped as one line from the very first character: title, adoption history and body run
# together (…管理办法第一章总则第一条…, …会议通过第一章　总则…, …育人合力。（三）目标任务。…)
WHOLE = [REAL / "国航天〔2020〕4号.txt", REAL / "浙江-数字经济促进条例.txt", REAL / "赣府厅发〔2020〕4号.txt",
         REAL / "上海市人民政府令第77号.txt"]    # 第一条（目的和依据）: an article's title in brackets, not a citation


@pytest.mark.parametrize("path", WHOLE, ids=lambda p: p.name)
def test_a_text_without_any_line_break_gives_the_same_provisions(path):
    original = extract_path(path)
    ex = extract_text(original.text.replace("\n", ""))
    assert _view(ex) == _view(original)


def test_a_task_tables_rows_glued_into_one_line_are_cut_where_the_numbers_go_on():
    # 宝府办〔2019〕26号 (tests/data/README.md) scraped without line breaks: each row's last cell runs into the next
    # row's 序号 (…\t2019年3月2\t将生活垃圾…) and the header into the sentence before it (…清单序号\t任务名称\t…)
    path = REAL / "宝府办〔2019〕26号.txt"
    text = path.read_text(encoding="utf-8")
    rows = [r for r in extract_path(path).provisions if r.kind == "tablerow"]
    glued = [r for r in extract_text(text.replace("\n", ""), path=path.name).provisions if r.kind == "tablerow"]
    assert [r.label for r in rows] == [str(n) for n in range(1, 40)]
    # every row but the last (which runs on into the text after the table, with no line to end it)
    assert [(r.label, [(a.surface, a.role) for a in r.assignments]) for r in glued[:38]] == \
        [(r.label, [(a.surface, a.role) for a in r.assignments]) for r in rows[:38]]
    assert sum(len(r.assignments) for r in glued[:38]) > 100


def test_label_lines_glued_into_one_line_end_where_the_next_item_begins():
    # 蚌埠-城区贫困群众救助帮扶工作实施意见 (tests/data/README.md) closes each item with label lines
    # (牵头单位：… / 责任主体：…); scraped without line breaks they run into the next item's number, right after a
    # body's name (…责任主体：各县、区政府2．实施就业创业。…, …各县、区政府（二）完善工作机制。…)
    path = next(REAL.glob("蚌埠-*.txt"))
    text = path.read_text(encoding="utf-8")
    plain = extract_path(path)
    glued = extract_text(text.replace("\n", ""), path=path.name)
    expected = [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in plain.provisions]
    assert sum(len(bodies) for _, bodies in expected) > 50
    assert [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in glued.provisions] == expected
