"""The network commands: agencies, network, agency, path, task-agencies — outputs and exit codes,
on a store holding the seed and 国发〔2019〕3号. Expected values are read from the two texts."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from policykg.cli import main

from ..conftest import DOC_3, SEED
from ..kg.network.test_profiles import CUSTOMS_LEADS, CUSTOMS_SHARES, DOC3, DOC3_FULL


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory):
    store = tmp_path_factory.mktemp("netcli") / "store"
    assert main(["ingest", str(SEED), str(DOC_3), "--store", str(store)]) == 0
    return str(store)


def _run(capsys, *argv):
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_agencies_table_json_csv(two_docs, capsys):
    code, out, _ = _run(capsys, "agencies", "--store", two_docs, "--document", DOC3)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["key", "label", "kind", "tasks", "led"]
    assert lines[2].split()[:5] == ["cn/customs", "海关总署", "国务院部门", "21", "12"]
    assert lines[-1] == f"（共 {len(DOC3_FULL)} 个机构）"
    code, out, _ = _run(capsys, "agencies", "--store", two_docs, "--document", DOC3, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["label"] for r in rows} == set(DOC3_FULL.values())
    code, out, _ = _run(capsys, "agencies", "--store", two_docs, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # both documents: 13 bodies of 国发〔2019〕3号 and the seed's, none shared
    assert code == 0 and len(rows) > len(DOC3_FULL)
    assert {"辽宁省科学技术厅", "海关总署"} <= {r["label"] for r in rows}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "json"])
def test_network_export_to_file(two_docs, tmp_path, capsys, fmt):
    out_file = tmp_path / f"net.{fmt}"
    code, out, _ = _run(capsys, "network", "--store", two_docs, "--format", fmt, "-o", str(out_file),
                        "--document", DOC3)
    assert code == 0 and out == ""
    data = out_file.read_bytes()
    if fmt == "graphml":
        assert len(nx.read_graphml(io.BytesIO(data))) == len(DOC3_FULL)
    elif fmt == "gexf":
        assert len(nx.read_gexf(io.BytesIO(data))) == len(DOC3_FULL)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert (rows[0]["source_label"], rows[0]["target_label"], rows[0]["weight"]) == ("海关总署", "商务部", "8")
    else:
        assert len(json.loads(data)["nodes"]) == len(DOC3_FULL)


def test_network_to_stdout(two_docs, capsysbinary):
    assert main(["network", "--store", two_docs, "--format", "json"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert any(n["label"] == "辽宁省科学技术厅" for n in data["nodes"])


def test_agency_profile_text_and_json(two_docs, capsys):
    code, out, _ = _run(capsys, "agency", "海关总署", "--store", two_docs)
    assert code == 0
    assert out.splitlines()[0] == "海关总署  (cn/customs, 国务院部门)"
    assert f"牵头 {len(CUSTOMS_LEADS)} 项任务：" in out
    assert f"参与（非牵头）{len(CUSTOMS_SHARES)} 项任务：" in out
    assert "    8  商务部  (cn/mofcom)" in out
    code, out, _ = _run(capsys, "agency", "省科技厅", "--store", two_docs, "--json")
    p = json.loads(out)
    assert code == 0 and p["label"] == "辽宁省科学技术厅" and len(p["participated"]) == 8
    code, out, _ = _run(capsys, "agency", "cn/customs", "--store", two_docs, "--json")
    assert [t["ordinal"] for t in json.loads(out)["led"]] == CUSTOMS_LEADS


def test_path(two_docs, capsys):
    code, out, _ = _run(capsys, "path", "药监局", "证监会", "--store", two_docs)
    assert code == 0
    assert out.splitlines()[1:] == ["国家药品监督管理局 — 海关总署  (共同任务 1 项)",
                                    f"    {DOC3} 9. 支持医疗设备研发",
                                    "海关总署 — 中国证券监督管理委员会  (共同任务 1 项)",
                                    f"    {DOC3} 20. 支持期货交割"]


def test_errors_exit_2(two_docs, capsys):
    code, _, err = _run(capsys, "path", "省科技厅", "海关总署", "--store", two_docs)
    assert code == 2 and "K404" in err
    code, _, err = _run(capsys, "agency", "不存在的局", "--store", two_docs)
    assert code == 2 and "K401" in err
    code, _, err = _run(capsys, "agencies", "--document", "国发〔2099〕1号", "--store", two_docs)
    assert code == 2 and "K103" in err
    with pytest.raises(SystemExit) as e:
        main(["network", "--format", "pajek", "--store", two_docs])
    assert e.value.code == 2


def test_task_agencies_without_lead(two_docs, capsys):
    code, out, _ = _run(capsys, "task-agencies", "--no-lead", "--store", two_docs, "--json")
    tasks = json.loads(out)
    # 国发〔2019〕3号 names a lead for every task; the seed names none
    assert code == 0 and [t["ordinal"] for t in tasks] == list(range(1, 9))
    code, out, _ = _run(capsys, "task-agencies", "--document", DOC3, "--store", two_docs)
    assert code == 0 and out.splitlines()[0] == f"{DOC3} 1. 拓展两个市场"
    assert out.splitlines()[1].strip().startswith("国家税务总局(牵头)")
    assert out.splitlines()[-1] == "（共 21 项任务）"


@pytest.mark.parametrize(("flags", "env", "lang"), [
    ([], {}, "zh"), ([], {"LANG": "C.UTF-8"}, "zh"), ([], {"LANG": "en_US.UTF-8"}, "en"),
    ([], {"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"), (["--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "en"),
    (["--lang", "zh"], {"LANG": "en_US.UTF-8"}, "zh"),
])
def test_human_output_follows_lang_and_json_does_not(two_docs, capsys, monkeypatch, flags, env, lang):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = _run(capsys, "agency", "海关总署", "--store", two_docs, *flags)
    expected = {"zh": ("海关总署  (cn/customs, 国务院部门)", f"牵头 {len(CUSTOMS_LEADS)} 项任务："),
                "en": ("海关总署  (cn/customs, State Council department)", f"leads {len(CUSTOMS_LEADS)} task(s):")}
    assert code == 0 and out.splitlines()[0] == expected[lang][0] and expected[lang][1] in out
    code, out, _ = _run(capsys, "task-agencies", "--document", DOC3, "--store", two_docs, *flags)
    lead = {"zh": "(牵头)", "en": "(lead)"}[lang]
    assert out.splitlines()[1].strip().startswith("国家税务总局" + lead)
    code, as_json, _ = _run(capsys, "agency", "海关总署", "--store", two_docs, "--json", *flags)
    assert json.loads(as_json)["kind"] == "CentralAgency"          # JSON keeps the graph's codes
    code, as_csv, _ = _run(capsys, "agencies", "--store", two_docs, "--format", "csv", *flags)
    assert as_csv.splitlines()[0].split(",")[:3] == ["key", "label", "kind"] and ",CentralAgency," in as_csv
