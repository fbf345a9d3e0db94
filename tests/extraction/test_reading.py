"""Reading stage: encoding detection, media type, normalisation and every E1xx error path.

Fixtures are generated at run time from the bundled corpus (re-encodings written to tmp_path);
the one stored fixture is tests/data/input/guideline-2017-43-opening.zh-Hant.txt (UTF-8 text
of a traditional-character passage, see tests/data/README.md), encoded to Big5 here.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.errors import ExtractionError
from extraction.model import Decoded
from extraction.pipeline import extract_path
from extraction.reading import decode_bytes, read_path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
INPUT = ROOT / "tests" / "data" / "input"
DOC_3 = CORPUS / "国发〔2019〕3号.txt"
DOC_121 = CORPUS / "国办发〔2018〕121号.txt"
DOC_121_HTML = CORPUS / "国办发〔2018〕121号.html"
SEED = CORPUS / "liaoning-county-innovation.txt"
HANT = INPUT / "guideline-2017-43-opening.zh-Hant.txt"


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def error_of(fn, *args, **kwargs) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        fn(*args, **kwargs)
    return info.value


# --- encodings -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("codec", "reported"), [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),      # GB18030 is a superset: the same text comes back
    ("gb2312", "gb18030"),
    ("utf-16", "utf-16"),    # with byte-order mark
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
    ("utf-32", "utf-32"),
])
def test_corpus_document_in_each_encoding(tmp_path, codec, reported):
    text = text_of(DOC_3)
    path = write(tmp_path, "国发〔2019〕3号.txt", text.encode(codec))
    decoded = read_path(path)
    assert decoded == Decoded(text=text, encoding=reported, media_type="text/plain", path=str(path))


def test_seed_page_in_gb18030_needs_more_than_gbk(tmp_path):
    text = text_of(SEED)
    with pytest.raises(UnicodeEncodeError):   # U+2002 EN SPACE before 政策解读 is outside GBK
        text.encode("gbk")
    decoded = read_path(write(tmp_path, "seed.txt", text.encode("gb18030")))
    assert (decoded.encoding, decoded.text) == ("gb18030", text)


def test_big5_traditional_passage(tmp_path):
    text = text_of(HANT)
    decoded = read_path(write(tmp_path, "opening.txt", text.encode("big5")))
    assert (decoded.encoding, decoded.text) == ("big5", text)
    first_sentence = text[: text.index("。") + 1]
    assert decode_bytes(first_sentence.encode("big5")).encoding == "big5"


def test_traditional_passage_in_gb18030_is_not_mistaken_for_big5():
    text = text_of(HANT)
    assert decode_bytes(text.encode("gb18030")).encoding == "gb18030"


@pytest.mark.parametrize("length", [8, 12, 24])
def test_short_snippets_of_the_corpus_in_gb18030(length):
    text = "".join(text_of(DOC_3).split())
    for i in range(0, len(text) - length, 37):
        snippet = text[i:i + length]
        decoded = decode_bytes(snippet.encode("gb18030"))
        assert decoded.text == snippet, (snippet, decoded)


def test_html_meta_charset_is_honoured(tmp_path):
    words = "推動縣域"     # four characters of the traditional passage; alone, ambiguous
    assert words in text_of(HANT)
    assert decode_bytes(words.encode("big5")).encoding == "gb18030"   # why the declaration matters
    page = f'<html><head><meta charset="big5"></head><body><p>{words}</p></body></html>'
    decoded = read_path(write(tmp_path, "p.html", page.encode("big5")))
    assert (decoded.encoding, decoded.media_type) == ("big5", "text/html")
    assert words in decoded.text
    equiv = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=BIG5">'
             f"</head><body><p>{words}</p></body></html>")
    assert decode_bytes(equiv.encode("big5"), suffix=".htm").encoding == "big5"


def test_gb2312_declaration_decodes_as_gb18030():
    html = text_of(DOC_121_HTML).replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    decoded = decode_bytes(html.encode("gb18030"), suffix=".html")
    assert (decoded.encoding, decoded.text) == ("gb18030", html)


def test_wrong_declaration_does_not_override_strict_utf8():
    html = text_of(DOC_121_HTML).replace('<meta charset="utf-8">', '<meta charset="gbk">')
    assert decode_bytes(html.encode("utf-8"), suffix=".html").encoding == "utf-8"


def test_latin1_declaration_on_a_gbk_page_is_ignored():
    html = text_of(DOC_121_HTML).replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    assert decode_bytes(html.encode("gbk"), suffix=".html").encoding == "gb18030"


# --- media type and normalisation ------------------------------------------------------------

def test_html_suffixes_case_insensitive(tmp_path):
    data = DOC_121_HTML.read_bytes()
    for name in ("a.html", "b.HTM", "c.Html"):
        assert read_path(write(tmp_path, name, data)).media_type == "text/html"
    assert read_path(DOC_121_HTML).media_type == "text/html"


def test_txt_that_is_html_is_html(tmp_path):
    data = DOC_121_HTML.read_bytes()
    assert read_path(write(tmp_path, "page.txt", b"\n  " + data)).media_type == "text/html"
    lower = data.replace(b"<!DOCTYPE html>", b"<!doctype html>")
    assert read_path(write(tmp_path, "lower.txt", lower)).media_type == "text/html"
    no_doctype = data.replace(b"<!DOCTYPE html>", b"")
    assert read_path(write(tmp_path, "bare.txt", no_doctype)).media_type == "text/html"
    assert read_path(DOC_3).media_type == "text/plain"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_newlines_normalised(newline):
    text = text_of(DOC_3)
    assert decode_bytes(text.replace("\n", newline).encode("utf-8")).text == text


def test_nfc_applied():
    # 六 written as the CJK compatibility ideograph U+F9D1 (as some Big5/HKSCS conversions do)
    text = text_of(DOC_121)
    assert "（六）" in text
    decoded = decode_bytes(text.replace("（六）", "（\uf9d1）").encode("utf-8"))
    assert decoded.text == text
    assert unicodedata.is_normalized("NFC", decoded.text)


# --- errors ------------------------------------------------------------------------------------

def test_e101_empty_and_whitespace_only(tmp_path):
    err = error_of(read_path, write(tmp_path, "empty.txt", b""))
    assert err.code == "E101" and err.path.endswith("empty.txt")
    assert error_of(decode_bytes, b" \r\n\t ").code == "E101"
    assert error_of(decode_bytes, "\u3000\u3000\n\u00a0".encode()).code == "E101"
    assert error_of(decode_bytes, "\u3000\r\n".encode("utf-16")).code == "E101"


def test_e102_nul_byte_with_offset():
    data = text_of(DOC_3).encode("utf-8")
    at = data.index("国发〔2019〕3号".encode())
    err = error_of(decode_bytes, data[:at] + b"\x00" + data[at:])
    assert (err.code, err.offset) == ("E102", at)
    assert "NUL" in err.detail


@pytest.mark.parametrize(("magic", "word"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE"),
])
def test_e102_known_magic_numbers(tmp_path, magic, word):
    body = text_of(DOC_3).encode("utf-8")   # even with text after the header
    err = error_of(read_path, write(tmp_path, "disguised.txt", magic + body))
    assert err.code == "E102" and word in err.detail and err.offset == 0


def test_e102_control_bytes():
    data = bytes(range(1, 9)) * 50 + text_of(DOC_3).encode("utf-8")[:200]
    err = error_of(decode_bytes, data)
    assert err.code == "E102" and "control" in err.detail


def test_e103_undecodable_with_offset():
    prefix = text_of(DOC_3).encode("utf-8")[:300]
    data = prefix + b"\xff\xff" + prefix
    err = error_of(decode_bytes, data)
    assert (err.code, err.offset) == ("E103", len(prefix))
    assert "utf-8" in err.detail and "gb18030" in err.detail and "big5" in err.detail
    assert f"at byte {len(prefix)}" in str(err)


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_e103_broken_bytes_after_bom(codec):
    good = "国务院".encode(codec)
    bad = {"utf-8-sig": b"\xff", "utf-16": b"\x00\xd8", "utf-32": b"\x00\x00\x11\x00"}[codec]
    err = error_of(decode_bytes, good + bad + good)
    assert (err.code, err.offset) == ("E103", len(good))


@pytest.mark.parametrize("name", ["doc.pdf", "doc.docx", "doc", "doc.txt.bak", "doc.xml"])
def test_e104_unsupported_suffix(tmp_path, name):
    err = error_of(read_path, write(tmp_path, name, DOC_3.read_bytes()))
    assert err.code == "E104"
    assert error_of(decode_bytes, b"x", suffix=".doc").code == "E104"


def test_e105_too_large_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", DOC_3.read_bytes())

    def no_open(*_a, **_k):
        raise AssertionError("file opened although it is over the limit")

    monkeypatch.setattr(Path, "open", no_open)
    err = error_of(read_path, path, max_bytes=100)
    assert err.code == "E105" and str(path.stat().st_size) in err.detail


def test_e106_os_error(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert error_of(read_path, folder).code == "E106"


def test_e107_missing(tmp_path):
    err = error_of(read_path, tmp_path / "nowhere.txt")
    assert err.code == "E107"
    assert err.to_dict() == {"code": "E107", "message": "path does not exist",
                             "path": str(tmp_path / "nowhere.txt"), "offset": None}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_decoded_text_or_an_extraction_error(data):
    try:
        decoded = decode_bytes(data)
    except ExtractionError as exc:
        assert exc.code in {"E101", "E102", "E103"}
        if exc.code == "E103":
            assert 0 <= exc.offset < len(data)
        return
    assert decoded.text.strip()
    assert "\r" not in decoded.text
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_a_pages_article_saved_as_txt_is_read_as_the_page(tmp_path):
    # 赣府发〔2020〕6号.html (tests/data/README.md) is the article of its page, no <html> around it
    # (<!--ZJEG_RSS.content.begin--><meta …><p>…</p>…): saved under .txt it is still that page
    page = Path(__file__).resolve().parent.parent / "data" / "real" / "赣府发〔2020〕6号.html"
    assert not page.read_text(encoding="utf-8").lstrip().lower().startswith(("<html", "<!doctype"))
    shutil.copy(page, tmp_path / "saved.txt")
    as_txt, as_html = extract_path(tmp_path / "saved.txt"), extract_path(page)
    assert as_txt.source.media_type == "text/html"
    assert as_txt.text == as_html.text and "<p" not in as_txt.text
    assert [p.label for p in as_txt.provisions] == [p.label for p in as_html.provisions]
    plain = tmp_path / "plain.txt"                  # a text that only speaks of a tag stays a text
    plain.write_text("一、总体要求\n网页用<p>标签分段。\n", encoding="utf-8")
    assert extract_path(plain).source.media_type == "text/plain"
