"""Hard-wrapped paragraphs joined again (extraction/dewrap.py, run by the cleaning stage).

Real dev documents (tests/data/real/, sources in tests/data/README.md) written as text taken out of a
PDF gives them: every paragraph indented and broken into lines 38 columns wide (bench.perturb.hard_wrap).
"""

from __future__ import annotations

import json

import pytest

from bench.gold import source_of
from bench.perturb import hard_wrap, marker_lines
from extraction.dewrap import dewrap, join_markers, width
from extraction.pipeline import extract_text

from ..conftest import CORPUS, DATA

# documents of every kind of responsibility: notes (国办发, 赣府发), label lines (沪安委会), tables (静发改委,
# 虹府办发, 穗卫函), lead-first declarations (工信部联企业), the seed
WRAPPED = ["国办发〔2018〕128号", "国办发〔2018〕129号", "赣府发〔2020〕6号", "赣府厅发〔2020〕7号", "沪安委会〔2023〕9号",
           "静发改委〔2025〕11号", "虹府办发〔2018〕19号", "穗卫函〔2023〕1930号", "工信部联企业〔2022〕54号"]


def _read(name: str, text: str):
    ex = extract_text(text, path=f"{name}.txt")
    m = ex.metadata
    return (sorted((p.label, a.surface, a.role) for p in ex.provisions for a in p.assignments),
            [p.label for p in ex.provisions], (m.title, m.identifier, m.issuers, m.date))


@pytest.mark.parametrize("name", WRAPPED)
def test_a_hard_wrapped_text_reads_as_the_text_itself(name):
    path = DATA / "real" / f"{name}.txt"
    text = (path if path.exists() else CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    wrapped = hard_wrap(text)
    assert wrapped.count("\n") > text.count("\n") + 20      # really wrapped
    plain = _read(name, text)
    assert len(plain[0]) > 40
    assert _read(name, wrapped) == plain


def test_the_seed_hard_wrapped():
    text = (CORPUS / "liaoning-county-innovation.txt").read_text(encoding="utf-8")
    assert _read("liaoning-county-innovation", hard_wrap(text)) == _read("liaoning-county-innovation", text)


def _dev_texts():
    for path in sorted((DATA / "gold" / "dev").glob("*.json")):
        source = source_of(path, json.loads(path.read_text(encoding="utf-8")))
        if source.suffix == ".txt":
            yield source


def test_no_dev_text_is_taken_for_a_wrapped_one():
    # the dev texts have paragraphs of every length: none is wrapped, so none is changed
    texts = list(_dev_texts())
    assert len(texts) > 60
    for source in texts:
        lines = source.read_text(encoding="utf-8").splitlines()
        assert width(lines) is None, source.name
        assert dewrap(lines) is lines


def test_lines_are_joined_up_to_a_paragraph_start():
    # 赣府发〔2020〕6号's first item and its note, wrapped at 24 characters, between two headings and a numbered item
    text = (DATA / "real" / "赣府发〔2020〕6号.txt").read_text(encoding="utf-8")
    item = next(line for line in text.splitlines() if line.startswith("（一）"))
    assert len(item) > 200 and item.endswith("）")
    cut = [item[i:i + 24] for i in range(0, len(item), 24)]
    lines = ["一、全力以赴抓项目扩投资", *cut, "（二）加快推进项目建设", "1.强化调度。" + item[6:24]]
    out = dewrap(lines)
    assert out[0] == lines[0]                          # short: a heading, not a wrapped line
    assert out[1] == item                              # the item and its note, whole again
    assert out[2:] == lines[-2:]                       # a numbering marker begins a paragraph
    assert dewrap(lines[:4]) == lines[:4]              # too few lines to tell a wrap from a text


@pytest.mark.parametrize("name", ["赣府发〔2020〕6号", "沪安委会〔2023〕9号", "国发〔2018〕39号"])
def test_a_number_on_a_line_of_its_own_is_its_items(name):
    # each item's number set on a line of its own above its words (（一）\n坚决落实…): the same items and bodies
    text = (DATA / "real" / f"{name}.txt").read_text(encoding="utf-8")
    moved = marker_lines(text)
    assert moved.count("\n") > text.count("\n") + 10
    assert _read(name, moved) == _read(name, text)


def test_only_a_marker_joins_the_next_line():
    lines = ["（一）", "加强创新。", "3", "推进改革。", "二、", "（三）推进开放。", "第五条", "本办法自印发之日起施行。"]
    assert join_markers(lines) == ["（一）加强创新。", "3", "推进改革。", "二、", "（三）推进开放。", "第五条本办法自印发之日起施行。"]
