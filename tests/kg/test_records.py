"""Ingest reads the crawl's records beside the documents (POLICYKG_RECORDS_FILE, extraction/records.py).

Real text: 赣府厅发〔2020〕6号 of tests/data/real (a page that starts at its addressee line) with
its record from the shared corpus's SOURCES.json (copied to tests/data/real/SOURCES.json).
"""

from __future__ import annotations

import json
import shutil

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from kg.graph.namespaces import POL
from kg.graph.validate import validate
from kg.ingest import ingest_paths, prepare_file
from kg.store.embedded import open_store

from ..conftest import DATA

PAGE = "赣府厅发〔2020〕6号"
TITLE = "江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见"
URL = "http://www.jiangxi.gov.cn/art/2020/2/26/art_4975_1510362.html"


def _copy(tmp_path, records: dict | str | None):
    shutil.copy(DATA / "real" / f"{PAGE}.txt", tmp_path / f"{PAGE}.txt")
    if records is not None:
        text = records if isinstance(records, str) else json.dumps(records, ensure_ascii=False)
        (tmp_path / "SOURCES.json").write_text(text, encoding="utf-8")
    return tmp_path / f"{PAGE}.txt"


def test_the_records_title_and_page_are_in_the_graph_and_conform(tmp_path):
    prepared = prepare_file(DATA / "real" / f"{PAGE}.txt")
    assert prepared.report.title == TITLE and prepared.report.warnings == []
    g = prepared.agencies.to_rdflib(prepared.document.to_rdflib())
    (doc,) = g.subjects(RDF.type, POL.PolicyDocument)
    assert (doc, POL.titleOrigin, Literal("record")) in g
    assert (doc, POL.sourcePage, Literal(URL, datatype=XSD.anyURI)) in g
    assert validate(g).conforms


def test_an_address_that_is_not_a_web_page_is_not_kept(tmp_path):
    path = _copy(tmp_path, {PAGE: {"title": TITLE, "url": "javascript:alert(1)"}})
    g = prepare_file(path).document.to_rdflib()
    assert not list(g.triples((None, POL.sourcePage, None)))
    assert (None, POL.titleOrigin, Literal("record")) in g


def test_a_broken_records_file_is_a_warning_and_the_text_still_loads(tmp_path, monkeypatch):
    path = _copy(tmp_path, '{"赣府厅发〔2020〕6号": {"title": }')
    st = open_store(tmp_path / "store")
    (report,) = ingest_paths(st, [path])
    assert report.status == "loaded" and report.provisions == 18
    assert report.title == "江西省人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见"   # the body's, not the record's
    (w,) = report.warnings
    assert w["code"] == "W202" and "SOURCES.json: line 1 column 28" in w["message"]
    monkeypatch.setenv("POLICYKG_RECORDS_FILE", "-")                  # records switched off: not read at all
    assert prepare_file(path).report.warnings == []
