"""Chinese first, English available: Accept-Language, ?lang= (remembered by a cookie), a link
on every page; roles, coverage and agency kinds in words; error pages in the site's layout."""

from __future__ import annotations

import re

import pytest

PAGES = ["/", "/search?q=海关总署", "/search", "/documents", "/doc/国发〔2019〕3号", "/agency/cn/customs",
         "/query", "/compare", "/compare?local=辽宁省人民政府办公厅关于县域创新驱动发展的实施意见",
         "/doc/国发〔1999〕99号", "/agency/cn/no-such-body", "/no/such/page"]
HTML = {"Accept": "text/html"}


def _get(client, path, **headers):
    resp = client.get(path, headers={**HTML, **headers})
    return resp, resp.get_data(as_text=True)


def _main(page: str) -> str:
    return page.split("<main>", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_chinese_by_default_with_a_link_to_english(client, path):
    client.delete_cookie("lang")
    resp, page = _get(client, path)
    assert '<html lang="zh-CN">' in page and ">搜索</button>" in page and ">文件列表</a>" in page
    link = re.search(r'<a class="lang-switch" href="([^"]+)" hreflang="en"[^>]*>English</a>', page)
    assert link and "lang=en" in link.group(1)
    assert 'name="q"' in page                          # the search box, error pages included
    english = client.get(link.group(1).replace("&amp;", "&"), headers=HTML).get_data(as_text=True)
    assert '<html lang="en">' in english and ">Search</button>" in english and ">中文</a>" in english
    assert resp.headers["Vary"] and "Accept-Language" in resp.headers["Vary"]


@pytest.mark.parametrize("path", PAGES)
def test_english_by_accept_language(client, path):
    client.delete_cookie("lang")
    _, page = _get(client, path, **{"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in page and ">Documents</a>" in page
    nav = re.search(r"<nav>(.*?)</nav>", page, re.S).group(1)
    assert not re.search(r"[\u4e00-\u9fff]", nav.replace("中文", ""))        # the site's words, not the data


def test_the_choice_is_remembered_and_wins_over_the_browser(client):
    client.delete_cookie("lang")
    resp, page = _get(client, "/?lang=en")
    assert "lang=en" in resp.headers["Set-Cookie"] and '<html lang="en">' in page
    _, page = _get(client, "/documents")                                  # the cookie, no ?lang
    assert '<html lang="en">' in page
    _, page = _get(client, "/documents?lang=zh", **{"Accept-Language": "en"})
    assert '<html lang="zh-CN">' in page
    _, page = _get(client, "/documents", **{"Accept-Language": "en"})      # zh remembered over the browser
    assert '<html lang="zh-CN">' in page
    _, page = _get(client, "/documents?lang=xx")                           # unknown: ignored
    assert '<html lang="zh-CN">' in page
    client.delete_cookie("lang")


def test_roles_kinds_and_levels_are_words(client):
    client.delete_cookie("lang")
    _, page = _get(client, "/agency/省科技厅")
    assert "<dt>类别</dt><dd>省级部门</dd>" in page and "ProvincialAgency" not in page
    assert re.search(r'<span class="meta">[^<]*· (参与（配合）|负责|牵头|指导|负责落实|主体)', page)
    _, page = _get(client, "/agency/省科技厅?lang=en")
    assert "<dt>Kind</dt><dd>provincial department</dd>" in page
    client.delete_cookie("lang")
    _, page = _get(client, "/search?q=海关总署")
    roles = re.search(r'<ul class="facet-role">(.*?)</ul>', page, re.S).group(1)
    assert "牵头" in roles and "参与（配合）" in roles and ">participant<" not in roles
    _, page = _get(client, "/doc/国发〔2019〕3号")
    assert "<dt>层级</dt><dd>国家级</dd>" in page
    _, page = _get(client, "/compare?local=辽宁省人民政府办公厅关于县域创新驱动发展的实施意见")
    assert "<td>已落实</td>" in page and "<td>implemented</td>" not in page


@pytest.mark.parametrize(("path", "status", "zh", "en"), [
    ("/doc/国发〔1999〕99号", 404, "库中没有文件“国发〔1999〕99号”。", "There is no document “国发〔1999〕99号” in the store."),
    ("/agency/cn/no-such-body", 404, "库中没有机构“cn/no-such-body”。", "There is no agency “cn/no-such-body” in the store."),
    ("/no/such/page", 404, "该地址没有页面。", "There is no page at this address."),
    ("/compare?local=国发〔1999〕1号", 404, "库中没有文件", "There is no document"),
])
def test_error_pages_are_pages_of_the_site_in_both_languages(client, path, status, zh, en):
    client.delete_cookie("lang")
    resp, page = _get(client, path)
    assert resp.status_code == status and resp.mimetype == "text/html"
    assert "<h1>未找到</h1>" in page and zh in page and 'class="searchbox"' in page and "<footer>" in page
    resp, page = _get(client, path, **{"Accept-Language": "en"})
    assert resp.status_code == status and "<h1>Not found</h1>" in page and en in page
    # an API client still gets JSON, a script plain text
    assert client.get(path, headers={"Accept": "application/json"}).get_json()["error"]["code"] == "HTTP404"
    assert client.get(path, headers={"Accept": "text/plain"}).mimetype == "text/plain"
