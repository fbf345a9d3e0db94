"""``policykg compare``: the seed against 国办发〔2017〕43号 in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from policykg.cli import main

from ..conftest import CORPUS, DOC_3, SEED

OUTLINE = CORPUS / "national" / "guideline-2017-43.json"
SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
PAIRS = [("推动特色优势产业转型升级", "加快产业转型升级"), ("培育壮大科技型中小企业", "培育壮大创新型企业"),
         ("引导创新创业人才集聚", "集聚创新创业人才"), ("完善创新创业载体建设", "加强创新创业载体建设"),
         ("促进社会事业创新发展", "促进县域社会事业发展"), ("创新驱动精准扶贫精准脱贫", "创新驱动精准扶贫精准脱贫"),
         ("大力开展科学普及", "加大科学普及力度"), ("切实加强政策落地", "抓好科技创新政策落地")]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("compare") / "s"
    assert main(["ingest", str(SEED), str(OUTLINE), str(DOC_3), "--store", str(path)]) == 0
    return str(path)


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(["compare", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_default_national_is_what_the_seed_implements(store_dir, capsys):
    code, out, _ = _run(capsys, SEED_TITLE, "--store", store_dir, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["national"]["identifier"] == "国办发〔2017〕43号" and data["national"]["partial"] is True
    assert [(a["local_title"], a["national_title"]) for a in data["alignments"]] == PAIRS
    for a in data["alignments"]:
        assert a["local_ordinal"] == a["national_ordinal"] and a["method"] == "hungarian"
        assert 0.3 <= a["score"] <= 0.9
        assert set(a["features"]) == {"title_words", "title_chars", "body_words", "body_chars"}
    assert data["national_uncovered"] == [] and data["local_added"] == []
    assert [c["status"] for c in data["coverage"]] == ["implemented"] * 8
    assert [t["year"] for t in data["targets"]] == [2020, 2030]
    assert all(0 < t["wording_similarity"] < 1 and len(t["local"]) == len(t["national"]) == 1 for t in data["targets"])
    assert {p["national"]: p["wording"] for p in data["principles"] if p["national"]} == {
        "创新驱动": "same", "人才为先": "same", "需求导向": "not found", "差异发展": "not found"}
    assert "names no responsible ministries" in data["agencies"]["note"]
    first = data["agencies"]["tasks"][0]["local_bodies"]
    assert {"name": "辽宁省科学技术厅", "national_counterpart": "科学技术部"} in first
    assert data["reuse"] is None          # the national side has no full text


def test_national_by_identifier_or_iri_gives_the_same(store_dir, capsys):
    _, by_default, _ = _run(capsys, SEED_TITLE, "--store", store_dir, "--format", "csv")
    _, by_id, _ = _run(capsys, SEED_TITLE, "国办发〔2017〕43号", "--store", store_dir, "--format", "csv")
    _, by_iri, _ = _run(capsys, SEED_TITLE, "https://w3id.org/policykg/doc/国办发〔2017〕43号",
                        "--store", store_dir, "--format", "csv")
    assert by_default == by_id == by_iri
    rows = list(csv.DictReader(io.StringIO(by_id)))
    assert [(r["local_title"], r["national_title"]) for r in rows] == PAIRS
    assert {r["coverage"] for r in rows} == {"implemented"}


@pytest.mark.parametrize("fmt, marker", [("table", "任务对应"), ("markdown", "| 1 推动特色优势产业转型升级 |"),
                                         ("html", "<td>1 推动特色优势产业转型升级</td>")])
def test_human_formats(store_dir, capsys, fmt, marker):
    code, out, _ = _run(capsys, SEED_TITLE, "--store", store_dir, "--format", fmt)
    assert code == 0 and marker in out and "加大科学普及力度" in out


def test_two_full_texts_get_text_reuse(store_dir, capsys):
    code, out, _ = _run(capsys, "国发〔2019〕3号", SEED_TITLE, "--store", store_dir, "--format", "json")
    assert code == 0
    reuse = json.loads(out)["reuse"]
    assert reuse["passages"] and reuse["copied_share"] < 0.1


def test_errors(store_dir, capsys):
    code, _, err = _run(capsys, "国发〔2019〕3号", "--store", store_dir)
    assert code == 2 and "K502" in err          # it implements no document
    code, _, err = _run(capsys, "国发〔2099〕1号", "--store", store_dir)
    assert code == 2 and "K103" in err


def test_save_writes_the_comparison_graph(store_dir, capsys):
    code, out, _ = _run(capsys, SEED_TITLE, "--store", store_dir, "--format", "json", "--save")
    assert code == 0
    graph = json.loads(out)["graph"]
    assert graph.startswith("https://w3id.org/policykg/graph/comparison/")
    assert main(["query", "--store", store_dir, "--format", "json",
                 f"SELECT (COUNT(?a) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a a <https://w3id.org/policykg/ontology#Alignment> }} }}"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]["bindings"][0]["n"]["value"] == "8"
