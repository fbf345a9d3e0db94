"""Every route and command names a document by 文号, key, IRI or exact title; the server log shows
Chinese paths as written."""

from __future__ import annotations

import logging

import pytest

from policykg.cli import main
from web.serve import RequestLog, readable_path

SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"
DOC3_TITLE = "国务院关于促进综合保税区高水平开放高质量发展的若干意见"


@pytest.mark.parametrize(("name", "key"), [
    ("国发〔2019〕3号", "国发〔2019〕3号"), ("国发[2019]3号", "国发〔2019〕3号"), (DOC3_TITLE, "国发〔2019〕3号"),
    ("https://w3id.org/policykg/doc/国发〔2019〕3号", "国发〔2019〕3号"), (SEED_TITLE, None),
])
def test_the_document_page_and_the_api_take_every_name(client, name, key):
    resp = client.get(f"/doc/{name}", headers={"Accept": "text/html"})
    if resp.status_code in (301, 302):              # another name of the document: to its own address
        resp = client.get(resp.headers["Location"], headers={"Accept": "text/html"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and (key is None or key in page)
    assert (SEED_TITLE if key is None else DOC3_TITLE) in page.split("</h1>")[0]
    api = client.get(f"/api/documents/{name}")
    assert api.status_code == 200 and api.get_json()["title"] == (SEED_TITLE if key is None else DOC3_TITLE)


def test_a_title_shared_by_none_is_not_found(client):
    assert client.get("/doc/国务院关于促进综合保税区", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/api/documents/国务院关于促进综合保税区").status_code == 404


@pytest.mark.parametrize("name", ["国发〔2019〕3号", DOC3_TITLE, "https://w3id.org/policykg/doc/国发〔2019〕3号"])
def test_task_agencies_takes_the_title_compare_takes(store_dir, store, capsys, name):
    assert main(["task-agencies", "--document", name, "--store", str(store_dir), "--json"]) == 0
    tasks = __import__("json").loads(capsys.readouterr().out)
    assert len(tasks) == 21 and {t["identifier"] for t in tasks} == {"国发〔2019〕3号"}


def test_the_log_shows_chinese_paths_as_written(caplog):
    environ = {"PATH_INFO": "/doc/国发〔2019〕3号".encode().decode("latin-1"),
               "QUERY_STRING": "q=%E6%B5%B7%E5%85%B3%E6%80%BB%E7%BD%B2&role=lead", "REQUEST_METHOD": "GET",
               "REMOTE_ADDR": "127.0.0.1"}
    assert readable_path(environ) == "/doc/国发〔2019〕3号?q=海关总署&role=lead"
    forged = {"PATH_INFO": "/x\n2026-01-01 fake line", "QUERY_STRING": ""}
    assert "\n" not in readable_path(forged) and "\\n" in readable_path(forged)
    assert readable_path({"PATH_INFO": "/\xff\xfe"}) == "/ÿþ"                 # not UTF-8: left as given

    def app(env, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    with caplog.at_level(logging.INFO, logger="policykg.access"):
        list(RequestLog(app)(environ, lambda *a: None))
    assert "GET /doc/国发〔2019〕3号?q=海关总署&role=lead 200" in caplog.text
