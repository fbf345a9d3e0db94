"""The CLI: per-file reports, exit codes, query formats, export, validate, stats."""

from __future__ import annotations

import json
import shutil

import pytest

from policykg.cli import main

from ..conftest import CORPUS, DOC_3, SEED

CO_RESPONSIBILITY = """
PREFIX pol: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?task (COUNT(DISTINCT ?agency) AS ?n) WHERE {
  ?task a pol:Task ; pol:responsibleAgency ?agency .
} GROUP BY ?task ORDER BY ?task
"""


@pytest.fixture()
def corpus_store(tmp_path):
    store = tmp_path / "store"
    assert main(["ingest", str(SEED), str(DOC_3), "--store", str(store)]) == 0
    return store


def _bad_inputs(folder):
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\t\n")
    (folder / "binary.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    (folder / "gbk.txt").write_bytes(DOC_3.read_text(encoding="utf-8").encode("gb18030"))
    return folder


def test_ingest_reports_each_bad_file_and_loads_the_rest(tmp_path, capsys):
    folder = _bad_inputs(tmp_path / "in")
    code = main(["ingest", str(folder), "--store", str(tmp_path / "store"), "--json"])
    assert code == 1                               # some input failed: non-zero exit
    reports = {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(capsys.readouterr().out)}
    assert reports["good.txt"]["status"] == "loaded"
    assert reports["gbk.txt"]["status"] == "loaded"
    assert reports["gbk.txt"]["identifier"] == "国发〔2019〕3号"
    assert reports["empty.txt"]["error"]["code"] == "E101"
    assert reports["blank.txt"]["error"]["code"] == "E101"
    assert reports["binary.txt"]["error"]["code"] == "E102"
    for name in ("empty.txt", "binary.txt"):
        assert name in reports[name]["error"]["path"]
    # the good files are in the store
    assert main(["stats", "--store", str(tmp_path / "store"), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 2
    assert stats["tasks"] == 8 + 21


def test_ingest_json_stays_an_array_of_the_documents_done_when_the_ingest_stops(tmp_path, capsys, monkeypatch):
    """The reports are written out as they come (none is kept in memory); an ingest stopped by an
    error still leaves a whole JSON array, of the documents done before it."""
    from kg import write
    from kg.errors import KGError

    real_commit = write.commit

    def commit(store, item):
        if item.path == str(DOC_3):
            raise KGError("K105", "connection reset (simulated)")
        return real_commit(store, item)

    monkeypatch.setattr(write, "commit", commit)
    code = main(["ingest", str(SEED), str(DOC_3), "--store", str(tmp_path / "store"), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and "K105" in err and "connection reset" in err
    assert [(r["path"], r["status"]) for r in json.loads(out)] == [(str(SEED), "loaded")]


def test_ingest_names_an_unsupported_file(tmp_path, capsys):
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert main(["ingest", str(doc), "--store", str(tmp_path / "s")]) == 1
    assert "E104" in capsys.readouterr().err


def test_ingest_missing_path(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")]) == 1
    assert "E107" in capsys.readouterr().err


def test_a_failed_file_leaves_earlier_documents_intact(tmp_path, capsys):
    store = tmp_path / "s"
    assert main(["ingest", str(SEED), "--store", str(store)]) == 0
    assert main(["export", "--format", "nq", "--store", str(store), "-o", str(tmp_path / "a.nq")]) == 0
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfd\x00\x00")
    assert main(["ingest", str(tmp_path / "bad.txt"), "--store", str(store)]) == 1
    assert main(["export", "--format", "nq", "--store", str(store), "-o", str(tmp_path / "b.nq")]) == 0
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


@pytest.mark.parametrize(("fmt", "marker"), [("json", '"head"'), ("csv", "task,n"), ("tsv", "?task\t?n"),
                                             ("table", "rows)")])
def test_query_formats(corpus_store, capsys, fmt, marker):
    capsys.readouterr()
    assert main(["query", CO_RESPONSIBILITY, "--store", str(corpus_store), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert marker in out
    if fmt == "json":
        rows = json.loads(out)["results"]["bindings"]
        assert len(rows) == 8 + 21


def test_query_from_file_and_refusals(corpus_store, tmp_path, capsys):
    rq = tmp_path / "q.rq"
    rq.write_text("PREFIX pol: <https://w3id.org/policykg/ontology#>\nASK { ?t a pol:Task }", encoding="utf-8")
    assert main(["query", f"@{rq}", "--store", str(corpus_store), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True
    assert main(["query", "INSERT DATA { <a:a> <a:b> <a:c> }", "--store", str(corpus_store)]) == 2
    assert "K202" in capsys.readouterr().err
    assert main(["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                 "--store", str(corpus_store)]) == 2
    assert "K203" in capsys.readouterr().err
    assert main(["query", "SELECT ?x WHERE { ?x ", "--store", str(corpus_store)]) == 2
    assert "K201" in capsys.readouterr().err
    assert main(["query", "@/nonexistent/q.rq", "--store", str(corpus_store)]) == 2
    assert "K206" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "rdf_format"), [("ttl", "TURTLE"), ("nt", "N_TRIPLES"), ("jsonld", "JSON_LD"),
                                                  ("trig", "TRIG"), ("nq", "N_QUADS")])
def test_export_parses_back(corpus_store, tmp_path, fmt, rdf_format):
    import pyoxigraph as ox

    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "--store", str(corpus_store), "-o", str(out)]) == 0
    quads = list(ox.parse(path=str(out), format=getattr(ox.RdfFormat, rdf_format)))
    assert len(quads) > 1000
    graphs = {str(q.graph_name) for q in quads}
    if fmt in ("trig", "nq"):       # two document graphs, the agencies, the ontology and the reforms
        assert len(graphs) == 5
    else:                           # the union as one graph
        assert graphs == {"DEFAULT"}


def test_validate_and_stats(corpus_store, capsys):
    assert main(["validate", "--store", str(corpus_store)]) == 0
    assert "2 份文件中有 2 份符合" in capsys.readouterr().out      # Chinese unless LANG/--lang say en
    assert main(["stats", "--store", str(corpus_store)]) == 0
    out = capsys.readouterr().out
    assert "国发〔2019〕3号" in out and "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见" in out


def test_whole_corpus_folder_ingests(tmp_path, capsys):
    assert main(["ingest", str(CORPUS), "--store", str(tmp_path / "s")]) == 0
    assert "已载入 6 份，失败 0 份" in capsys.readouterr().out
