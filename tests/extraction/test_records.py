"""The crawl's records beside the documents (extraction/records.py) and how metadata uses them.

Real text: the 赣 pages of tests/data/real start at their addressee line, so the text holds neither
title nor 文号; their records are the shared corpus's SOURCES.json, copied unchanged to
tests/data/real/SOURCES.json (tests/data/README.md).
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from extraction.errors import ExtractionError
from extraction.pipeline import extract_decoded, extract_path
from extraction.reading import read_path
from extraction.records import Record, load_records, parse_records, record_for

from ..conftest import DATA

REAL = DATA / "real"
PAGE = "赣府发〔2020〕6号"     # text starts at its addressee line; …现提出以下实施意见 names no subject: no title implied
PAGE_TITLE = "江西省人民政府关于抢时间保进度强弱项补缺口努力实现全年经济社会发展目标的实施意见"


def _with_record(path, name="SOURCES.json"):
    return extract_decoded(dataclasses.replace(read_path(path), record=record_for(path, name)))


@pytest.mark.parametrize(("name", "text"), [
    ("r.json", json.dumps({"a": {"title": "T", "文号": "赣府发〔2020〕6号", "issuer": "X", "date": "2020-03-05",
                                 "source_url": "http://example.org/a", "level": "provincial"}})),
    ("r.json", json.dumps([{"file": "dir/a.txt", "标题": "T", "发文字号": "赣府发〔2020〕6号", "发文机关": "X",
                            "成文日期": "2020年3月5日", "url": "http://example.org/a"}])),
    ("r.jsonl", '{"name": "a", "title": "T", "doc_number": "赣府发〔2020〕6号", "issuers": ["X"], '
                '"written": "2020-03-05", "page_url": "http://example.org/a"}\n\n'),
    ("r.csv", "file,title,文号,issuer,date,source_url,notes\n"
              "a,T,赣府发〔2020〕6号,X,2020-03-05,http://example.org/a,一条备注\n"),
])
def test_records_are_read_in_each_shape_with_the_usual_field_names(name, text):
    (key, record), = parse_records(text, name).items()
    assert key in ("a", "a.txt")
    assert (record.title, record.identifier, record.issuer, record.url) == \
        ("T", "赣府发〔2020〕6号", "X", "http://example.org/a")
    assert record.date in ("2020-03-05", "2020年3月5日")


@pytest.mark.parametrize(("name", "text", "says"), [
    ("r.json", '{"a": {"title": "T"},\n "b": [}', "line 2 column 8"),
    ("r.json", '"just a string"', "expected an object or a list, got str"),
    ("r.json", '{"a": "T"}', "entry 'a' is not an object"),
    ("r.json", '[{"title": "T"}]', "entry 1 names no file"),
    ("r.jsonl", '{"file": "a"}\n{"file": }\n', "line 2:"),
    ("r.csv", "title,文号\nT,赣府发〔2020〕6号\n", "row 1 names no file"),
])
def test_a_broken_records_file_says_what_and_where(name, text, says):
    with pytest.raises(ExtractionError) as e:
        parse_records(text, name)
    assert e.value.code == "E108" and says in str(e.value)


def test_the_record_is_found_by_file_name_then_stem(tmp_path):
    (tmp_path / "SOURCES.json").write_text(json.dumps({"a.html": {"title": "H"}, "a": {"title": "S"}}),
                                          encoding="utf-8")
    assert record_for(tmp_path / "a.html", "SOURCES.json") == Record(title="H")
    assert record_for(tmp_path / "a.txt", "SOURCES.json") == Record(title="S")
    assert record_for(tmp_path / "b.txt", "SOURCES.json") is None
    assert record_for(tmp_path / "a.txt", "records.csv") is None         # no such file: no record
    assert record_for(tmp_path / "a.txt", "-") is None                   # records switched off
    (tmp_path / "SOURCES.json").write_text("{", encoding="utf-8")      # a new version is read again
    with pytest.raises(ExtractionError, match="SOURCES.json"):
        load_records(tmp_path / "SOURCES.json")


def test_a_page_without_title_line_gets_the_records_title_and_says_so():
    alone = extract_path(REAL / f"{PAGE}.txt").metadata
    assert alone.title is None and alone.origins["identifier"] == "filename"
    m = _with_record(REAL / f"{PAGE}.txt").metadata
    assert (m.title, m.identifier, m.issuers, m.genre) == (PAGE_TITLE, PAGE, ["江西省人民政府"], "实施意见")
    assert m.title_span is None                                      # not in the text: no evidence
    assert m.origins == {"title": "record", "identifier": "record", "issuer": "record"}
    assert (m.level, m.region) == ("provincial", "江西省")


def test_a_record_never_overrides_what_the_text_states(tmp_path):
    # 穗府办规〔2020〕10号 has its own title line, 文号 and signature; a record saying otherwise is ignored
    name = "穗府办规〔2020〕10号"
    shutil.copy(REAL / f"{name}.txt", tmp_path / f"{name}.txt")
    (tmp_path / "SOURCES.json").write_text(json.dumps(
        {name: {"title": "另一个标题的通知", "文号": "穗府办〔1999〕1号", "issuer": "某某局", "date": "1999-01-01"}},
        ensure_ascii=False), encoding="utf-8")
    alone = extract_path(REAL / f"{name}.txt").metadata
    m = _with_record(tmp_path / f"{name}.txt").metadata
    assert (m.title, m.identifier, m.issuers, m.date) == (alone.title, alone.identifier, alone.issuers, alone.date)
    assert m.origins == {}


def test_a_records_wenhao_is_trusted_before_the_file_name(tmp_path):
    shutil.copy(REAL / f"{PAGE}.txt", tmp_path / "page.txt")
    (tmp_path / "SOURCES.json").write_text(json.dumps({"page": {"文号": PAGE}}, ensure_ascii=False), encoding="utf-8")
    m = _with_record(tmp_path / "page.txt").metadata
    assert (m.identifier, m.origins["identifier"]) == (PAGE, "record")
    assert m.issuers == ["江西省人民政府"] and m.origins["issuer"] == "identifier"   # 赣府发 -> the government


@pytest.mark.parametrize(("file_name", "title"), [
    (f"{PAGE_TITLE}.txt", PAGE_TITLE),                          # a page saved under its title
    ("关于印发《某市物业管理办法》的通知.txt", "关于印发《某市物业管理办法》的通知"),
    ("某某省实施妇女权益保障法办法.txt", "某某省实施妇女权益保障法办法"),
    (f"{PAGE}.txt", None),                                      # a 文号 is no title
    ("实施意见.txt", None),                                       # a genre alone is no title
    ("重庆-河长制条例.txt", None),                                  # a name of the corpus's own making
    ("page-2020-关于做好工作的通知.txt", None),
])
def test_a_file_named_by_its_title_gives_the_title_the_text_lacks(tmp_path, file_name, title):
    shutil.copy(REAL / f"{PAGE}.txt", tmp_path / file_name)
    m = extract_path(tmp_path / file_name).metadata
    assert m.title == title
    assert m.origins.get("title") == ("filename" if title else None)
    assert m.title_span is None                                  # not in the text: no evidence


def test_the_records_title_is_trusted_before_the_file_name(tmp_path):
    shutil.copy(REAL / f"{PAGE}.txt", tmp_path / "关于另一件事的通知.txt")
    (tmp_path / "SOURCES.json").write_text(json.dumps({"关于另一件事的通知": {"title": PAGE_TITLE}}, ensure_ascii=False),
                                           encoding="utf-8")
    m = _with_record(tmp_path / "关于另一件事的通知.txt").metadata
    assert (m.title, m.origins["title"]) == (PAGE_TITLE, "record")
