"""kg.docview.document_page: what the document page shows, as plain data a query worker can send."""

from __future__ import annotations

import pickle

import pytest

from kg.docview import document_page, document_view
from kg.errors import KGError

FULL = "国发〔2019〕3号"


def test_the_blocks_hold_the_whole_text_in_order_and_each_provision_once(store):
    view, page = document_view(store, FULL), document_page(store, FULL)
    assert "".join(text for _, pieces in page.blocks for text, _ in pieces) == view.text
    cut = [p["ordinal"] for p, _ in page.blocks if p and p["kind"] == "task"]
    assert cut == sorted(cut) and len(cut) == len(set(cut)) > 0
    marked = {m.kind for _, pieces in page.blocks for _, m in pieces if m}
    assert "agency" in marked
    assert (page.iri, page.key, page.meta, page.sections, page.provisions) == \
           (view.iri, view.key, view.meta, view.sections, view.provisions)


def test_the_page_survives_pickling(store):
    page = document_page(store, FULL)
    assert pickle.loads(pickle.dumps(page)) == page


@pytest.mark.parametrize("key", ["国发〔1999〕99号", "%zz", "\ufffd", "x]y", "a<b", ""])
def test_no_such_document_is_k103_also_for_keys_no_iri_can_hold(store, key):
    with pytest.raises(KGError) as e:
        document_page(store, key)
    assert e.value.code == "K103" and e.value.detail == key


def test_a_task_tables_rows_are_listed_among_the_provisions(tmp_path):
    # 穗卫函〔2023〕1930号 附件2 任务分工表: each row a pol:TableRow, on the page beside the tasks it restates
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store

    from ..conftest import DATA

    st = open_store(tmp_path / "store")
    ingest_paths(st, [DATA / "real" / "穗卫函〔2023〕1930号.txt"])
    view = document_view(st, "穗卫函〔2023〕1930号")
    rows = [p for p in view.provisions if p["kind"] == "tablerow"]
    assert len(rows) == 39 and rows[0]["title"] == "有序扩大家庭医生来源。"
    assert [p["start"] for p in view.provisions] == sorted(p["start"] for p in view.provisions)
