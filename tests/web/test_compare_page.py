"""The comparison view: aligned tasks in rows, coverage, and reused passages highlighted."""

from __future__ import annotations

import re

SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"

# national key task -> the seed task a person reads as implementing it
ALIGNED = {1: "推动特色优势产业转型升级", 2: "培育壮大科技型中小企业", 3: "引导创新创业人才集聚",
           4: "完善创新创业载体建设", 5: "促进社会事业创新发展", 6: "创新驱动精准扶贫精准脱贫",
           7: "大力开展科学普及", 8: "切实加强政策落地"}


def test_form_without_documents(client):
    page = client.get("/compare").get_data(as_text=True)
    assert "<select name=\"local\">" in page and SEED_TITLE in page


def test_seed_against_the_guideline_it_implements(client):
    resp = client.get("/compare", query_string={"local": SEED_TITLE})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "国务院办公厅关于县域创新驱动发展的若干意见" in page and "仅有提纲（不完整文件）" in page
    rows = re.findall(r'<tr class="cov-ok">\s*<td>(\d+)\. [^<]+</td>\s*<td>已落实</td>\s*<td><a href="[^"]+#task-(\d+)">\d+\. ([^<]+)</a>',
                      page)
    assert {int(n): title for n, _, title in rows} == ALIGNED
    assert "cov-added" not in page and "cov-missing" not in page
    assert "辽宁省科学技术厅 → 科学技术部" in page
    assert "文本沿用分析需要两份文件的全文" in page


def test_reused_passages_are_highlighted_between_full_texts(client):
    page = client.get("/compare", query_string={"local": "国发〔2019〕3号", "national": "国办发〔2018〕121号"}
                      ).get_data(as_text=True)
    # both are State Council documents: their addressee line is copied word for word
    assert re.search(r'<mark class="r-copied">[^<]*各省、自治区、直辖市人民政府，国务院各部委、各直属机构', page)
    assert 'class="r-omitted"' in page


def test_document_page_links_to_its_comparison(client):
    home = client.get("/").get_data(as_text=True)
    seed = re.search(r'href="(/doc/t-[0-9a-f]+)">' + SEED_TITLE, home).group(1)
    page = client.get(seed).get_data(as_text=True)
    assert "逐项对比任务" in page


def test_unknown_documents_are_404(client):
    assert client.get("/compare", query_string={"local": "国发〔1999〕1号"}).status_code == 404
    assert client.get("/compare", query_string={"local": "国发〔2019〕3号"}).status_code == 404   # implements nothing


def test_the_form_submits_document_keys(client):
    home = client.get("/").get_data(as_text=True)
    key = re.search(r'href="/doc/(t-[0-9a-f]+)">' + SEED_TITLE, home).group(1)
    page = client.get("/compare", query_string={"local": key, "national": "国办发〔2017〕43号"}).get_data(as_text=True)
    assert page.count('class="cov-ok"') == 8


def test_a_store_with_many_documents_gets_text_fields(client, monkeypatch):
    from web import compare

    monkeypatch.setattr(compare, "SELECT_MAX", 2)          # the corpus has 5 documents
    page = client.get("/compare").get_data(as_text=True)
    assert "<select" not in page and '<input name="local" value=""' in page and SEED_TITLE not in page
    page = client.get("/compare", query_string={"local": SEED_TITLE}).get_data(as_text=True)
    assert page.count('class="cov-ok"') == 8 and f'<input name="local" value="{SEED_TITLE}"' in page
