"""Cleaning stage: HTML to text, whitespace stripping and web-page debris removal.

All text comes from the bundled corpus. Variants of the scraped seed page are built at run time
by moving its own lines around (its footer lines into the body, a gov.cn signature above its
footer, …); nothing is typed in except the page furniture this stage exists to recognise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.clean import PATTERNS, clean, match_debris
from extraction.errors import ExtractionError
from extraction.htmltext import html_to_text
from extraction.model import Decoded
from extraction.pipeline import extract_text
from extraction.reading import read_path

from ..conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "liaoning-county-innovation.txt"
DOC_3 = CORPUS / "国发〔2019〕3号.txt"
DOC_121 = CORPUS / "国办发〔2018〕121号.txt"
DOC_121_HTML = CORPUS / "国办发〔2018〕121号.html"
DOC_128 = CORPUS / "国办发〔2018〕128号.txt"
STATE_DOCS = [DOC_3, DOC_121, DOC_128]

SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
SEED_LAST = ("（四）及时总结宣传。加强工作经验交流,积极探索县域创新驱动发展的新路径与新模式。"
             "树立创新型县(市)和创新型乡镇典型,发挥示范引导作用。加强舆论引导和媒体宣传,"
             "形成全社会支持和参与县域创新驱动发展的良好局面。").replace("（四）", "(四)")
SEED_DEBRIS = (
    "当前位置: 首页 >科技创新 >创新政策",
    "发布时间:2021-03-25 浏览次数:628",
    "政策解读:https://gxq.panjin.gov.cn/2021_03/25_08/content-314608.html",
    "友情链接:",
    "主办单位:盘锦高新技术产业开发区管理委员会综合办公室 版权所有:盘锦市人民政府办公室",
    "网站标识码:2111030025 ICP备案序号:辽ICP备2023000127号-1 辽公网安备21110302000162号",
    "技术支持单位:0427.com 联系电话:0427-2875687",
)
BREADCRUMB, PAGE_META, INTERPRETATION, LINKS, SPONSOR, SITE_ID, SUPPORT = SEED_DEBRIS
CONTACT = "联系电话:0427-2875687"   # the second half of the seed's last line


def lines_of(path: Path) -> list[str]:
    return [s for s in (line.strip() for line in path.read_text(encoding="utf-8").split("\n")) if s]


def seed_document() -> list[str]:
    """The seed's document lines: title to last body line, page-metadata line left out."""
    lines = lines_of(SEED)
    return [line for line in lines[lines.index(SEED_TITLE):lines.index(SEED_LAST) + 1] if line != PAGE_META]


def clean_lines(lines: list[str], media_type: str = "text/plain"):
    return clean(Decoded("\n".join(lines), "utf-8", media_type))


# --- the corpus ---------------------------------------------------------------------------------

def test_seed_page():
    result = clean(read_path(SEED))
    lines = result.text.split("\n")
    assert lines[0] == SEED_TITLE
    assert lines[-1] == SEED_LAST
    assert result.removed == SEED_DEBRIS
    assert lines == seed_document()
    assert lines[1] == "各市人民政府、省政府各厅委、各直属机构:"


@pytest.mark.parametrize("path", STATE_DOCS, ids=lambda p: p.stem)
def test_state_documents_unchanged_but_for_whitespace(path):
    result = clean(read_path(path))
    assert result.removed == ()
    assert result.text == "\n".join(lines_of(path))


def test_html_twin_equals_text_twin():
    from_html = clean(read_path(DOC_121_HTML))
    from_txt = clean(read_path(DOC_121))
    assert from_html.text.split("\n") == from_txt.text.split("\n")
    assert from_html.removed == ()
    assert "（一）指导思想。以习近平新时代中国特色社会主义思想为指导" in from_html.text  # spans joined


@pytest.mark.parametrize("path", [SEED, DOC_121_HTML, *STATE_DOCS], ids=lambda p: p.name)
def test_paragraph_spans_index_the_stored_text(path):
    result = clean(read_path(path))
    lines = result.text.split("\n")
    assert [span.of(result.text) for span in result.paragraphs] == lines
    assert all(line == line.strip() and line for line in lines)
    assert result.paragraphs[-1].end == len(result.text)


def test_crlf_ideographic_spaces_and_zero_width_stripped():
    lines = lines_of(DOC_3)
    messy = "\r\n".join(f"\u3000\u3000{line}\u00a0\u200b" for line in lines) + "\r\n\r\n"
    assert clean(Decoded(messy, "utf-8", "text/plain")).text == "\n".join(lines)


# --- debris rules, on variants of the seed ------------------------------------------------------------

def test_footer_type_lines_inside_the_document_are_kept():
    body = seed_document()
    middle = len(body) // 2
    lines = [BREADCRUMB, *body[:middle], CONTACT, SPONSOR, LINKS, *body[middle:], INTERPRETATION, SUPPORT]
    result = clean_lines(lines)
    assert result.text.split("\n") == [*body[:middle], CONTACT, SPONSOR, LINKS, *body[middle:]]
    assert result.removed == (BREADCRUMB, INTERPRETATION, SUPPORT)


def test_page_metadata_is_removed_anywhere():
    body = seed_document()
    lines = [*body[:5], PAGE_META, *body[5:10], "【字号：大 中 小】【打印】【关闭】", *body[10:]]
    result = clean_lines(lines)
    assert result.text.split("\n") == body
    assert result.removed == (PAGE_META, "【字号：大 中 小】【打印】【关闭】")


def test_contact_line_ending_a_document_without_site_footer_is_kept():
    body = seed_document()
    assert clean_lines([*body, CONTACT]).removed == ()


def test_contact_line_within_the_site_footer_is_removed():
    body = seed_document()
    lines = [*body, INTERPRETATION, SPONSOR, CONTACT, SITE_ID]
    assert clean_lines(lines).removed == (INTERPRETATION, SPONSOR, CONTACT, SITE_ID)


def test_signature_above_the_footer_is_kept():
    signature = lines_of(DOC_121)[-3:]
    assert signature == ["国务院办公厅", "2018年12月11日", "（此件公开发布）"]
    body = seed_document()
    result = clean_lines([*body, *signature, INTERPRETATION, LINKS, SPONSOR, SITE_ID, SUPPORT])
    assert result.text.split("\n") == [*body, *signature]


def test_link_list_items_between_footer_lines_are_removed():
    items = ["中国政府网", "辽宁省人民政府", "盘锦市人民政府"]
    body = seed_document()
    result = clean_lines([*body, LINKS, *items, SPONSOR, SITE_ID])
    assert result.text.split("\n") == body
    assert result.removed == (LINKS, *items, SPONSOR, SITE_ID)


def test_site_header_before_the_breadcrumb_is_removed():
    site = "盘锦高新技术产业开发区管理委员会"   # from the seed's 主办单位 line
    body = seed_document()
    result = clean_lines([site, "网站地图 | 联系我们", BREADCRUMB, *body])
    assert result.text.split("\n")[0] == SEED_TITLE
    assert result.removed == (site, "网站地图 | 联系我们", BREADCRUMB)


def test_navigation_widgets_and_neighbours_removed():
    other = lines_of(DOC_3)[0] + lines_of(DOC_3)[1]   # 国务院关于促进综合保税区高水平开放高质量发展的若干意见
    widgets = ["扫一扫在手机打开当前页", "分享到：", "打印本页 关闭窗口", f"上一篇：{other}", "下一篇：无"]
    result = clean_lines([*seed_document(), *widgets])
    assert result.removed == tuple(widgets)


def test_source_in_a_sentence_is_kept():
    body = seed_document()
    sentence = "来源:" + body[-1]            # field-like start, but a sentence follows
    lines = [*body[:3], sentence, "资金来源:" + body[4], *body[5:]]
    assert clean_lines(lines).removed == ()


def test_short_source_field_is_removed():
    source = "来源:辽宁省人民政府办公厅"
    result = clean_lines([*seed_document()[:3], source, *seed_document()[3:]])
    assert result.removed == (source,)


def test_nothing_left_is_e201():
    with pytest.raises(ExtractionError) as info:
        clean(Decoded("\n".join(SEED_DEBRIS), "utf-8", "text/plain", path="seed-footer.txt"))
    assert (info.value.code, info.value.path) == ("E201", "seed-footer.txt")
    with pytest.raises(ExtractionError):
        clean(Decoded(" \u3000\n\u00a0", "utf-8", "text/plain"))
    with pytest.raises(ExtractionError):
        clean(Decoded("<html><script>var x = 1;</script><style>p{}</style></html>", "utf-8", "text/html"))


# --- the pattern table is auditable -------------------------------------------------------------

EXAMPLES = {
    "breadcrumb": BREADCRUMB,
    "breadcrumb-path": "首页 > 科技创新 > 创新政策",
    "publish-date": "发布时间:2021-03-25",
    "view-count": "浏览次数:628",
    "source-author": "来源:盘锦市人民政府办公室",
    "index-number": "索引号:000014349/2018-00217",   # corpus/SOURCES.json, 国办发〔2018〕121号
    "page-widgets": "【打印】【关闭】",
    "page-metadata": PAGE_META,
    "share": "分享到：微信 微博",
    "prev-next": "下一篇：" + SEED_TITLE,
    "link-list": LINKS,
    "interpretation-link": INTERPRETATION,
    "url-only": INTERPRETATION.split(":", 1)[1],
    "sponsor": SPONSOR,
    "copyright": "版权所有:盘锦市人民政府办公室",
    "site-id": SITE_ID,
    "icp": "ICP备案序号:辽ICP备2023000127号-1",
    "police-record": "辽公网安备21110302000162号",
    "tech-support": SUPPORT,
    "site-nav": "网站地图 | 联系我们",
    "contact": CONTACT,
}


def test_every_pattern_is_named_scoped_and_exemplified():
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names))
    assert {p.scope for p in PATTERNS} <= {"anywhere", "edge"}
    assert set(EXAMPLES) == set(names)
    for name, line in EXAMPLES.items():
        hit = match_debris(line)
        assert hit is not None and hit.name == name, (name, line, hit)


@pytest.mark.parametrize("path", [SEED, *STATE_DOCS], ids=lambda p: p.name)
def test_no_document_line_matches_a_pattern(path):
    document = seed_document() if path == SEED else lines_of(path)
    assert [line for line in document if match_debris(line)] == []


# --- HTML -------------------------------------------------------------------------------------------

def test_scripts_styles_frames_and_comments_are_dropped():
    hidden = lines_of(DOC_3)[4][:40]     # a sentence from another document, to be kept out
    body = "".join(f"<p>{line}</p>" for line in lines_of(DOC_121))
    page = (f"<!DOCTYPE html><html><head><title>{hidden}</title><style>p{{content:'{hidden}'}}</style>"
            f"<script>var s = '<p>{hidden}</p>';</script></head><body>"
            f"<!-- {hidden} --><noscript>{hidden}</noscript><iframe src=x>{hidden}</iframe>"
            f"<object data=x>{hidden}</object><embed src=x><template><p>{hidden}</p></template>"
            f"<svg><text>{hidden}</text></svg><select><option>{hidden}</option></select>"
            f"<textarea>{hidden}</textarea><button>{hidden}</button><div hidden>{hidden}</div>"
            f"<div style='display: none'>{hidden}</div>{body}</body></html>")
    text = html_to_text(page)
    assert hidden not in text
    assert text.split("\n") == lines_of(DOC_121)


def test_known_container_wins_over_page_furniture():
    lines = lines_of(DOC_3)
    page = (f"<body><div class='nav'>{BREADCRUMB}</div>"
            f"<div class='pages_content'>{''.join(f'<p>{x}</p>' for x in lines)}</div>"
            f"<div class='footer'><p>{SPONSOR}</p></div></body>")
    assert html_to_text(page).split("\n") == lines
    without = page.replace("pages_content", "main")
    assert html_to_text(without).split("\n") == [BREADCRUMB, *lines, SPONSOR]


def test_scraped_page_as_html_cleans_like_the_text():
    rows = lines_of(SEED)
    page = ("<html><body><div class='crumb'>" + rows[0] + "</div><h1>" + rows[1] + "</h1>"
            + "".join(f"<p>&nbsp;&nbsp;{x}</p>" for x in rows[2:]) + "</body></html>")
    result = clean(Decoded(page, "utf-8", "text/html"))
    assert result.text == clean(read_path(SEED)).text
    assert result.removed == SEED_DEBRIS


def test_table_cells_and_entities():
    a, b = "体育总局", "发展改革委"   # bodies named in 国办发〔2018〕121号
    # a data row is one line of tab-separated cells (extraction/tables.py reads them) …
    assert html_to_text(f"<table><tr><td>{a}</td><td>{b}</td></tr></table>") == f"{a}\t{b}"
    assert html_to_text(f"<table><tr><td><p>{a}</p><p>{b}</p></td><td>{b}</td></tr></table>") == f"{a}{b}\t{b}"
    # … a layout row (one holding a table) puts each cell on its own line
    inner = f"<table><tr><td>{a}</td><td>{b}</td></tr></table>"
    assert html_to_text(f"<table><tr><td>{a}</td><td>{inner}</td></tr></table>") == f"{a}\n{a}\t{b}"
    assert html_to_text(f"<table><tr><td><span>{a}</span>、<span>{b}</span></td></tr></table>") == f"{a}、{b}"
    assert html_to_text(f"<p>&ldquo;{a}&rdquo;&nbsp;&#x3001;&#12289;&amp;</p>") == f"“{a}” 、、&"
    assert html_to_text(f"<p>{a}<br>{b}</p>") == f"{a}\n{b}"
    # a source line break between two hanzi is not a space
    assert html_to_text(f"<p>{a}\n{b}</p>") == a + b


@pytest.mark.parametrize("html", [
    "<p>国务院<div>办公厅</p></div></span>",
    "<p>国务院 < 办公厅 <<>> </p><",
    "<p class=\"" + "x" * 200_000 + "\">国务院</p>",
    "<div id=zoom><p>国务院<!-- never closed",
    "<![if !IE]><p>国务院</p><![endif]><![CDATA[x]]><!x>",
    "<table><tr><td>国务院<tr><td>办公厅</table></table></tr>",
    "<p>国务院" + "<span>" * 5000 + "办公厅" + "</div>" * 5000,
    "<head><title>t</title>国务院<p>办公厅",
    "<![ x <p>国务院</p>",   # html.parser raises on this declaration; the fallback must cope
])
def test_malformed_html_does_not_crash(html):
    text = html_to_text(html)
    assert "国务院" in text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "<p>", "</p>", "<div id='zoom'>", "</div>", "<script>", "</script>", "<!--", "-->", "<", ">",
    "<![", "]]>", "&nbsp;", "&#", "&", "<br/>", "<td>", "<tr>", "</table>", "<style>", "\"", "'",
    "=", " ", "\n", "国务院", "办公厅", "<span>", "</span>", "<iframe/>", "<!DOCTYPE html>", "</",
]), max_size=60))
def test_html_to_text_never_crashes(parts):
    text = html_to_text("".join(parts))
    assert isinstance(text, str)
    # every line holds text; a table row's cells are tab-separated (an empty first or last cell
    # keeps its tab, so the columns stay aligned) and each cell is stripped
    assert all(line.strip() and all(cell == cell.strip() for cell in line.split("\t"))
               for line in text.split("\n") if text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_html_to_text_never_crashes_on_any_text(text):
    assert isinstance(html_to_text(text), str)


def test_a_related_interpretation_named_by_its_title_is_page_furniture():
    # the 赣府厅字〔2020〕14号 page (../shared/corpus/real, .html) ends with a link named by the interpretation's
    # title; its .txt copy does not have it, and both give the same provisions
    from extraction.pipeline import extract_path

    line = "相关解读：解读《关于金融支持防控疫情稳定经济增长若干措施》"
    assert match_debris(line).name == "interpretation-link"
    assert match_debris("政策解读：为落实本意见，省发展改革委牵头制定了配套措施。") is None   # a sentence stays
    page, text = (extract_path(ROOT / "tests" / "data" / "real" / f"赣府厅字〔2020〕14号.{ext}") for ext in ("html", "txt"))
    assert [p.label for p in page.provisions] == [p.label for p in text.provisions]
    assert "相关解读" not in page.text


def test_character_references_left_in_a_plain_text_are_read_as_their_characters():
    # 赣府发〔2020〕6号 (tests/data/README.md) as a scraper that kept the page's references writes it:
    # &nbsp; indents, &ldquo;…&rdquo; quotes, a numeric reference; an unknown reference stays as written
    text = (DATA / "real" / "赣府发〔2020〕6号.txt").read_text(encoding="utf-8")
    assert "“" in text
    kept = text.replace("“", "&ldquo;").replace("”", "&#8221;").replace("\n", "\n&nbsp;&nbsp;&nbsp;&nbsp;")
    plain, scraped = extract_text(text, path="a.txt"), extract_text(kept, path="a.txt")
    assert scraped.text == plain.text
    assert [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in scraped.provisions] == \
        [(p.label, [(a.surface, a.role) for a in p.assignments]) for p in plain.provisions]
    assert "加强&foo;管理" in extract_text("一、总体要求。加强&foo;管理。", path="a.txt").text
