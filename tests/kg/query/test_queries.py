"""The example queries in queries/ run, and the co-responsibility answer on the seed is what a
person reads from the text (full names stated here as data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.query.sparql import rows, run_query

from ...conftest import ROOT

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"

# task number -> the full names of the bodies in its (责任单位:…) note, read from the seed
SEED_CO_RESPONSIBILITY = {
    1: {"辽宁省农村经济委员会", "辽宁省质量技术监督局", "辽宁省知识产权局", "辽宁省工业和信息化委员会",
        "辽宁省发展和改革委员会", "辽宁省科学技术厅", "辽宁省商务厅", "辽宁省各市人民政府"},
    2: {"辽宁省科学技术厅", "辽宁省工业和信息化委员会", "辽宁省教育厅", "中国科学院沈阳分院", "辽宁省人民政府金融工作办公室",
        "中国人民银行沈阳分行", "中国银行业监督管理委员会辽宁监管局", "中国证券监督管理委员会辽宁监管局",
        "中国银行业监督管理委员会大连监管局", "中国证券监督管理委员会大连监管局", "辽宁省各市人民政府"},
    3: {"辽宁省科学技术厅", "辽宁省人力资源和社会保障厅", "中国科学院沈阳分院", "中共辽宁省委组织部", "辽宁省教育厅",
        "辽宁省财政厅", "辽宁省农村经济委员会", "辽宁省各市人民政府"},
    4: {"辽宁省科学技术厅", "辽宁省发展和改革委员会", "中国科学院沈阳分院", "辽宁省商务厅", "辽宁省知识产权局",
        "辽宁省各市人民政府"},
    5: {"辽宁省环境保护厅", "辽宁省发展和改革委员会", "辽宁省农村经济委员会", "辽宁省国土资源厅", "辽宁省水利厅",
        "辽宁省林业厅", "辽宁省海洋与渔业厅", "辽宁省卫生和计划生育委员会", "辽宁省科学技术厅", "辽宁省公安厅",
        "辽宁省住房和城乡建设厅", "辽宁省文化厅", "辽宁省各市人民政府"},
    6: {"辽宁省扶贫开发领导小组办公室", "辽宁省科学技术厅", "中国科学院沈阳分院", "中共辽宁省委组织部", "辽宁省教育厅",
        "辽宁省各市人民政府"},
    7: {"辽宁省科学技术协会", "辽宁省科学技术厅", "中国科学院沈阳分院", "辽宁省教育厅", "辽宁省各市人民政府"},
    8: {"辽宁省科学技术厅", "辽宁省地方税务局", "辽宁省财政厅", "辽宁省国家税务局", "辽宁省各市人民政府"},
}


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_example_query_runs_and_answers(store, path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "each example query starts with a comment saying what it asks"
    header, body = rows(run_query(store, text))
    assert body, f"{path.name} returned no rows on the corpus"


def test_co_responsibility_on_the_seed(store):
    text = (ROOT / "queries" / "01-co-responsibility.rq").read_text(encoding="utf-8")
    header, body = rows(run_query(store, text))
    seed = {int(r[header.index("n")]): r for r in body if r[header.index("document")] == SEED_TITLE}
    assert sorted(seed) == list(range(1, 9))
    for n, expected in SEED_CO_RESPONSIBILITY.items():
        row = seed[n]
        assert set(row[header.index("responsible")].split("、")) == expected
        assert int(row[header.index("agencies")]) == len(expected)
        assert row[header.index("lead")] == ""         # the seed names no lead


def test_co_responsibility_leads_on_doc3(store):
    text = (ROOT / "queries" / "01-co-responsibility.rq").read_text(encoding="utf-8")
    header, body = rows(run_query(store, text))
    doc3 = {int(r[1]): r[header.index("lead")] for r in body
            if r[0] == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"}
    assert doc3[1] == "国家税务总局"
    assert doc3[7] == "国家发展和改革委员会"
    assert doc3[9] == "国家药品监督管理局"


def test_readme_lists_every_query():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in QUERIES:
        assert f"queries/{path.name}" in readme
