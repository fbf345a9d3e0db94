"""Co-responsibility per task, agency pairs, agency profiles, tasks without a lead, documents —
on the real corpus. Expected values are the person-read tables of tests/extraction/test_tasks.py
(bodies as written) and facts read from the texts, stated here as data."""

from __future__ import annotations

import itertools

import pytest

from kg.errors import KGError
from kg.network.profiles import (
    agency_pairs,
    agency_profile,
    document_detail,
    list_documents,
    resolve_agency,
    resolve_document,
    task_agencies,
    task_detail,
    tasks_without_lead,
)

from ...extraction.test_tasks import DOC3_TASKS, DOC121_TASKS, DOC128_TASKS, SEED_TASKS

DOC3 = "国发〔2019〕3号"
SEED_TITLE = "辽宁省人民政府办公厅关于县域创新驱动发展的实施意见"

# The bodies of 国发〔2019〕3号 as written, and their full names (the gazetteer's prefLabel).
DOC3_FULL = {"税务总局": "国家税务总局", "财政部": "财政部", "海关总署": "海关总署", "商务部": "商务部",
             "发展改革委": "国家发展和改革委员会", "科技部": "科学技术部", "市场监管总局": "国家市场监督管理总局",
             "药监局": "国家药品监督管理局", "文化和旅游部": "文化和旅游部", "文物局": "国家文物局",
             "工业和信息化部": "工业和信息化部", "生态环境部": "生态环境部", "证监会": "中国证券监督管理委员会"}

# 国发〔2019〕3号, read from the text: 海关总署 is named first (lead) in these notes …
CUSTOMS_LEADS = [2, 3, 5, 6, 10, 11, 13, 16, 17, 19, 20, 21]
# … and named, not first, in these
CUSTOMS_SHARES = [1, 4, 7, 8, 9, 12, 14, 15, 18]
# 海关总署 and 商务部 are named together in these notes
CUSTOMS_MOFCOM = [3, 4, 6, 14, 15, 18, 19, 21]


def _seed_key(store):
    """The seed has no 文号: its key (t-…) found by its title."""
    return next(d["key"] for d in list_documents(store) if d["title"] == SEED_TITLE)


def test_documents_list_the_corpus(store):
    docs = {d["identifier"]: d for d in list_documents(store)}
    for ident, table in (("国发〔2019〕3号", DOC3_TASKS), ("国办发〔2018〕121号", DOC121_TASKS),
                         ("国办发〔2018〕128号", DOC128_TASKS)):
        assert docs[ident]["tasks"] == len(table)
        assert docs[ident]["iri"] == "https://w3id.org/policykg/doc/" + ident
        assert docs[ident]["level"] == "national"
    seed = next(d for d in list_documents(store) if d["title"] == SEED_TITLE)
    assert seed["identifier"] is None and seed["key"].startswith("t-") and seed["tasks"] == 8
    assert docs[DOC3]["issued"] == "2019-01-12"       # 2019年1月12日, the signature date


@pytest.mark.parametrize("spelling", ["国发〔2019〕3号", "国发[2019]3号", "国发［2019］3号",
                                      "https://w3id.org/policykg/doc/国发〔2019〕3号"])
def test_document_spellings(store, spelling):
    assert resolve_document(store, spelling)["identifier"] == DOC3


def test_a_document_by_key_and_what_is_no_key(store):
    seed = next(d for d in list_documents(store) if d["title"] == SEED_TITLE)
    assert resolve_document(store, seed["key"]) == seed == resolve_document(store, seed["iri"])
    for bad in ("t-0000", "a b", "<x>", "\"", "", "国发〔2019〕"):
        with pytest.raises(KGError) as e:
            resolve_document(store, bad)
        assert e.value.code == "K103", bad


def test_unknown_document_is_k103(store):
    with pytest.raises(KGError) as e:
        resolve_document(store, "国发〔2099〕1号")
    assert e.value.code == "K103"
    with pytest.raises(KGError):
        task_agencies(store, "国发〔2099〕1号")


@pytest.mark.parametrize("name", ["海关总署", "cn/customs", "https://w3id.org/policykg/agency/cn/customs"])
def test_agency_names(store, name):
    assert resolve_agency(store, name)["key"] == "cn/customs"


def test_provincial_short_form_and_full_name(store):
    assert resolve_agency(store, "省科技厅")["label"] == "辽宁省科学技术厅"
    assert resolve_agency(store, "辽宁省科学技术厅")["key"] == resolve_agency(store, "省科技厅")["key"]
    with pytest.raises(KGError) as e:
        resolve_agency(store, "不存在的局")
    assert e.value.code == "K401"


@pytest.mark.parametrize("table_doc", ["3", "121", "128"])
def test_task_agencies_match_the_person_read_table(store, table_doc):
    ident, table = {"3": (DOC3, DOC3_TASKS), "121": ("国办发〔2018〕121号", DOC121_TASKS),
                    "128": ("国办发〔2018〕128号", DOC128_TASKS)}[table_doc]
    tasks = task_agencies(store, ident)
    assert [t["ordinal"] for t in tasks] == [row[0] for row in table]
    for t, (_n, title, responsible, leads) in zip(tasks, table, strict=True):
        assert t["title"] == title
        assert len(t["agencies"]) == len(responsible)       # one body per name as written
        assert len(t["leads"]) == len(leads)


def test_doc3_roles_per_task(store):
    tasks = {t["ordinal"]: t for t in task_agencies(store, DOC3)}
    for n, _title, responsible, leads in DOC3_TASKS:
        by_label = {a["label"]: a["roles"] for a in tasks[n]["agencies"]}
        assert set(by_label) == {DOC3_FULL[s] for s in responsible}
        assert {lab for lab, roles in by_label.items() if "lead" in roles} == {DOC3_FULL[s] for s in leads}
        # lead-first declaration: everyone named after the first is a participant
        assert {lab for lab, roles in by_label.items() if roles == ["participant"]} == \
            {DOC3_FULL[s] for s in responsible - leads}
        assert tasks[n]["agencies"][0]["label"] == DOC3_FULL[next(iter(leads))]   # lead listed first


def test_doc3_pairs_are_the_co_listed_names(store):
    expected: dict[frozenset, set] = {}
    for n, _title, responsible, _leads in DOC3_TASKS:
        for a, b in itertools.combinations(sorted(DOC3_FULL[s] for s in responsible), 2):
            expected.setdefault(frozenset((a, b)), set()).add(n)
    pairs = agency_pairs(store, DOC3)
    got = {frozenset((p["source_label"], p["target_label"])): {t["ordinal"] for t in p["tasks"]} for p in pairs}
    assert got == expected
    assert all(p["weight"] == len(p["tasks"]) and p["source"] < p["target"] for p in pairs)
    assert [p["weight"] for p in pairs] == sorted((p["weight"] for p in pairs), reverse=True)
    top = pairs[0]
    assert {top["source_label"], top["target_label"]} == {"海关总署", "商务部"}
    assert sorted(t["ordinal"] for t in top["tasks"]) == CUSTOMS_MOFCOM


def test_customs_profile_in_doc3(store):
    p = agency_profile(store, "海关总署", DOC3)
    assert p["key"] == "cn/customs" and p["label"] == "海关总署"
    assert [t["ordinal"] for t in p["led"]] == CUSTOMS_LEADS
    assert [t["ordinal"] for t in p["participated"]] == CUSTOMS_SHARES
    assert all(t["roles"] == ["participant"] for t in p["participated"])
    partners = {q["label"]: q["shared_tasks"] for q in p["partners"]}
    assert partners["商务部"] == len(CUSTOMS_MOFCOM)
    assert partners["财政部"] == 4            # tasks 1, 2, 17, 19
    assert partners["国家税务总局"] == 3       # tasks 1, 2, 17
    assert len(partners) == len(DOC3_FULL) - 1
    assert p["documents"] == [{"iri": "https://w3id.org/policykg/doc/" + DOC3, "identifier": DOC3,
                               "tasks": 21, "title": "国务院关于促进综合保税区高水平开放高质量发展的若干意见"}]


def test_customs_profile_over_the_store(store):
    """国办发〔2018〕121号 （十七）深化国际合作 also names 海关总署 (task 14), without a lead."""
    p = agency_profile(store, "cn/customs")
    assert len(p["led"]) == 12
    docs = {d["identifier"]: d["tasks"] for d in p["documents"]}
    assert docs[DOC3] == 21 and docs["国办发〔2018〕121号"] == 1
    sport = [t for t in p["participated"] if t["identifier"] == "国办发〔2018〕121号"]
    assert [(t["ordinal"], t["title"]) for t in sport] == [(14, "深化国际合作")]


def test_seed_profile_of_the_provincial_science_department(store):
    """省科技厅 is in all eight (责任单位:…) lists of the seed, always with 各市人民政府."""
    p = agency_profile(store, "省科技厅")
    assert p["led"] == []
    assert sorted(t["ordinal"] for t in p["participated"]) == list(range(1, 9))
    assert all(t["roles"] == ["responsible"] for t in p["participated"])
    assert p["partners"][0] == {"key": "ln/city-governments", "label": "辽宁省各市人民政府", "shared_tasks": 8}
    seed_names = set().union(*(row[2] for row in SEED_TASKS))
    assert len(p["partners"]) == len(seed_names) - 1
    assert [d["title"] for d in p["documents"]] == [SEED_TITLE]


def test_tasks_without_lead(store):
    by_doc = {DOC3: [], "国办发〔2018〕121号": [row[0] for row in DOC121_TASKS],
              "国办发〔2018〕128号": [row[0] for row in DOC128_TASKS if not row[3]]}
    assert by_doc["国办发〔2018〕128号"] == [2, 3, 4, 5, 6]
    for ident, ordinals in by_doc.items():
        assert [t["ordinal"] for t in tasks_without_lead(store, ident)] == ordinals
    seed = tasks_without_lead(store, _seed_key(store))
    assert [t["ordinal"] for t in seed] == list(range(1, 9))


def test_document_detail_outline_and_tasks(store):
    d = document_detail(store, DOC3)
    assert d["identifier"] == DOC3
    first = d["sections"][0]
    assert (first["number"], first["label"], first["title"], first["level"]) == ("1", "一、", "指导思想", 1)
    assert first["kind"] == "GeneralRequirements" and first["parent"] is None
    child = next(s for s in d["sections"] if s["number"] == "2.1")
    assert child["label"] == "（一）" and child["parent"].endswith("/section/2")
    assert [t["title"] for t in d["tasks"]] == [row[1] for row in DOC3_TASKS]
    assert all(t["section"] for t in d["tasks"])


def test_task_detail(store):
    t = task_detail(store, DOC3, 3)
    assert t["title"] == "释放企业产能"
    assert t["text"].endswith("（海关总署、商务部负责）")
    assert t["leads"] == ["cn/customs"]
    assert t["measures"][0]["text"] == "允许综合保税区内加工制造企业利用剩余产能承接境内区外委托加工。"
    assert t["measures"][0]["agencies"] == ["cn/customs", "cn/mofcom"]
    with pytest.raises(KGError) as e:
        task_detail(store, DOC3, 22)
    assert e.value.code == "K403"


@pytest.mark.parametrize("key", ["cn/customs", "ln/dost", "cn/ndrc", "cn/most"])
def test_an_agency_s_tasks_read_alone_are_its_tasks_in_the_whole_list(store, key):
    """task_agencies(agency=…) reads only that agency's tasks (the cost of a profile at 10M
    triples: 21 s → 0.8 s); the answer is the whole store's list filtered to the agency."""
    iri = f"https://w3id.org/policykg/agency/{key}"
    whole = [t for t in task_agencies(store) if any(a["key"] == key for a in t["agencies"])]
    assert whole and task_agencies(store, agency=iri) == whole
    doc = whole[0]["document"]
    assert task_agencies(store, doc, agency=iri) == [t for t in whole if t["document"] == doc]
    assert task_agencies(store, agency="https://w3id.org/policykg/agency/cn/nobody") == []
