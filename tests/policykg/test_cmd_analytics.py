"""policykg instruments / agreement / continuity / cites / implementers (policykg/cmd_analytics.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from policykg.cli import main

from ..conftest import DOC_3, SEED

SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"


@pytest.fixture(scope="module")
def analytics_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("analytics") / "store"
    assert main(["ingest", str(SEED), str(DOC_3), "--store", str(store)]) == 0
    return str(store)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_measure_and_tag(analytics_store, capsys, tmp_path):
    capsys.readouterr()
    out = tmp_path / "tags.csv"
    assert main(["instruments", "--by", "measure", "--format", "csv", "-o", str(out),
                 "--store", analytics_store]) == 0
    rows = _csv(out.read_text(encoding="utf-8"))
    # seed task 8 measure 3: 重点落实好研发费用加计扣除、高新技术企业税收优惠等普惠性政策。
    tax = [r for r in rows if r["title"] == SEED_TITLE and (r["task"], r["measure"]) == ("8", "3")]
    assert [(r["rank"], r["subtype"], r["subtype_label"]) for r in tax][0] == ("1", "E3", "税收优惠")
    assert set(tax[0]["evidence"].split("|")) == {"加计扣除", "税收优惠"}
    assert "辽宁省地方税务局" in tax[0]["agencies"].split("|")
    # 国发〔2019〕3号 task 19: …国际服务外包业务 → 服务外包
    doc3 = {r["subtype"] for r in rows if r["identifier"] == "国发〔2019〕3号" and r["task"] == "19"}
    assert "D2" in doc3
    assert len({(r["document"], r["kind"], r["task"], r["measure"], r["rank"]) for r in rows}) == len(rows)


def test_counts_by_document_agency_and_instrument(analytics_store, capsys):
    capsys.readouterr()
    assert main(["instruments", "--by", "document", "--format", "csv", "--store", analytics_store]) == 0
    by_doc = _csv(capsys.readouterr().out)
    seed_tax = [r for r in by_doc if r["title"] == SEED_TITLE and r["subtype"] == "E3"]
    assert seed_tax and int(seed_tax[0]["measures"]) >= 1
    assert main(["instruments", "--by", "agency", "--format", "json", "--store", analytics_store]) == 0
    by_agency = json.loads(capsys.readouterr().out)
    assert any(r["agency"] == "国家税务总局" and r["subtype"] == "E3" for r in by_agency)
    assert main(["instruments", "--store", analytics_store]) == 0
    table = capsys.readouterr().out
    assert "税收优惠" in table and "rows)" in table
    assert main(["instruments", "--by", "task", "--format", "csv", "--store", analytics_store]) == 0
    assert {"identifier", "title", "kind", "task", "measures"} <= set(_csv(capsys.readouterr().out)[0])


def test_agreement_command(capsys):
    assert main(["agreement", "--format", "json"]) == 0
    rows = {r["variable"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["primary"]["n"] == 130 and rows["primary"]["kappa"] == 0.646
    assert main(["agreement", "--lexicon", "/nonexistent/lexicon.csv"]) == 2
    assert "K602" in capsys.readouterr().err


def test_continuity_command(capsys):
    assert main(["continuity", "省农委", "--region", "辽宁省", "--format", "csv"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert [(r["direction"], r["agency"]) for r in rows] == [("now", "辽宁省农村经济委员会"),
                                                             ("after", "辽宁省农业农村厅")]
    assert main(["continuity", "农业农村部", "--format", "csv"]) == 0
    assert [r["agency"] for r in _csv(capsys.readouterr().out) if r["direction"] == "before"] == ["农业部"]
    assert main(["continuity", "不存在的机构"]) == 2


def test_cites_and_implementers(analytics_store, capsys):
    capsys.readouterr()
    assert main(["cites", SEED_TITLE, "--format", "csv", "--store", analytics_store]) == 0
    rows = _csv(capsys.readouterr().out)
    # the implemented 国办发〔2017〕43号 is not in this store: kept and flagged
    assert {(r["cited_identifier"], r["status"]) for r in rows} == {("国办发〔2017〕43号", "unresolved"),
                                                                  ("", "unresolved")}
    assert main(["implementers", "国办发〔2017〕43号", "--format", "json", "--store", analytics_store]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["loaded"]) for r in found] == [(SEED_TITLE, "false")]
