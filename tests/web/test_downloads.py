"""/documents as a researcher's list (issuer, date, level, region, tasks, partial; filters and
sorting) and every table of the pages as CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from kg.network.profiles import agency_profile, document_detail, list_documents
from web.downloads import _xlsx

PARTIAL = "国办发〔2017〕43号"
SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"


def _csv(resp) -> list[dict]:
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.data.startswith("\ufeff".encode())                       # Excel reads it as UTF-8
    assert "attachment" in resp.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))


def _xlsx_rows(resp) -> list[dict]:
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", tr, re.S) for tr in body.split("<tr>")[1:]]


def test_the_list_shows_what_a_researcher_needs(client, store):
    page = client.get("/documents").get_data(as_text=True)
    rows = _rows(page)
    docs = list_documents(store)
    assert len(rows) == len(docs) == 5
    partial = next(r for r in rows if r[1] == PARTIAL)
    assert "仅有提纲" in partial[2] and partial[3] == "国务院办公厅" and partial[4] == "2017-05-11"
    assert partial[5] == "国家级" and partial[6] == "—" and partial[7] == "8"
    seed = next(r for r in rows if SEED_TITLE in r[2])
    assert seed[5] == "省级" and seed[6] == "辽宁省" and "仅有提纲" not in seed[2]
    assert sum("仅有提纲" in r[2] for r in rows) == sum(d["partial"] for d in docs) == 1


@pytest.mark.parametrize(("args", "keep"), [
    ({"level": "provincial"}, lambda d: d["level"] == "provincial"),
    ({"level": "national"}, lambda d: d["level"] == "national"),
    ({"region": "辽宁省"}, lambda d: d["region"] == "辽宁省"),
    ({"year": "2018"}, lambda d: (d["issued"] or "").startswith("2018")),
    ({"year": "2018", "level": "national"}, lambda d: (d["issued"] or "").startswith("2018")),
    ({"year": "1999"}, lambda d: False),
])
def test_filters_by_level_region_and_year(client, store, args, keep):
    expected = {d["title"] for d in list_documents(store) if keep(d)}
    got = _csv(client.get("/documents", query_string={**args, "format": "csv"}))
    assert {r["title"] for r in got} == expected
    page = client.get("/documents", query_string=args).get_data(as_text=True)
    assert len([r for r in _rows(page) if len(r) == 8]) == len(expected)


@pytest.mark.parametrize("column", ["identifier", "issued", "tasks", "title", "issuer"])
def test_sorting_by_a_column_both_ways_with_empty_values_last(client, store, column):
    docs = list_documents(store)
    for sort, reverse in ((column, False), ("-" + column, True)):
        got = [r["title"] for r in _csv(client.get("/documents", query_string={"sort": sort, "format": "csv"}))]
        present = sorted((d for d in docs if d[column] not in (None, "")), key=lambda d: d[column], reverse=reverse)
        assert got[:len(present)] == [d["title"] for d in present]
        assert set(got[len(present):]) == {d["title"] for d in docs if d[column] in (None, "")}
    page = client.get("/documents", query_string={"sort": column}).get_data(as_text=True)
    assert f'href="/documents?sort=-{column}"' in page                      # the header turns the order


def test_documents_as_csv_and_xlsx_are_the_same_table(client, store):
    as_csv = _csv(client.get("/documents?format=csv"))
    as_xlsx = _xlsx_rows(client.get("/documents?format=xlsx"))
    docs = list_documents(store)
    assert [r["title"] for r in as_csv] == [r["title"] for r in as_xlsx] == [d["title"] for d in docs]
    assert {r["identifier"]: r["partial"] for r in as_csv}[PARTIAL] == "true"
    assert [int(r["tasks"]) for r in as_xlsx] == [d["tasks"] for d in docs]


def test_a_documents_tasks_by_bodies(client, store):
    detail = document_detail(store, "国发〔2019〕3号")
    rows = _csv(client.get("/doc/国发〔2019〕3号?format=csv"))
    assert len(rows) == sum(len(t["agencies"]) for t in detail["tasks"]) > 21
    first = [r for r in rows if r["task"] == "1"]
    assert [r["agency"] for r in first] == ["国家税务总局", "财政部", "海关总署"] and first[0]["lead"] == "true"
    assert _xlsx_rows(client.get("/doc/国发〔2019〕3号?format=xlsx"))[0]["agency"] == "国家税务总局"


def test_an_agencys_tasks(client, store):
    profile = agency_profile(store, "海关总署")
    rows = _csv(client.get("/agency/cn/customs?format=csv"))
    assert len(rows) == len(profile["led"]) + len(profile["participated"])
    assert sum(r["roles"] == "lead" for r in rows) == len(profile["led"]) == 12


def test_search_results_every_page_and_partial_marked(client):
    page = client.get("/search", query_string={"q": "县域"}).get_data(as_text=True)
    total = int(re.search(r"共 (\d+) 条结果", page).group(1))
    rows = _csv(client.get("/search", query_string={"q": "县域", "format": "csv"}))
    assert len(rows) == total > 20                                      # not only the first page
    outline = [r for r in rows if r["partial"] == "true"]
    assert outline
    assert {r["document_title"] for r in outline} == {"国务院办公厅关于县域创新驱动发展的若干意见"}
    assert '<em class="partial">仅有提纲</em>' in page                  # marked in the results too
    doc = client.get(f"/doc/{PARTIAL}").get_data(as_text=True)
    assert '<em class="partial">仅有提纲</em>' in doc.split("</h1>")[0]


def test_the_comparison_table(client):
    rows = _csv(client.get("/compare", query_string={"local": SEED_TITLE, "format": "csv"}))
    assert [r["coverage"] for r in rows] == ["implemented"] * 8
    assert [r["national_ordinal"] for r in rows] == [str(n) for n in range(1, 9)]
    assert len(_xlsx_rows(client.get("/compare", query_string={"local": SEED_TITLE, "format": "xlsx"}))) == 8


def test_text_is_never_a_formula_in_xlsx():
    sheet = load_workbook(io.BytesIO(_xlsx("t", ["a", "b"], [["=1+1", 3], ["@SUM(A1)", None]]))).active
    cells = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in cells[0]] == ["=1+1", 3] and cells[0][0].data_type == "s"
    assert cells[1][0].value == "@SUM(A1)"
