"""Bodies in the order the note names them: the search hits, ``task_agencies`` (API and CLI) and
the note as written, checked against the assignments' evidence offsets read with SPARQL."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kg import search
from kg.graph.namespaces import PREFIXES
from kg.network.profiles import agency_key, task_agencies

FIRST = """SELECT ?holder ?agency (MIN(?start) AS ?first) WHERE {
  ?a pol:assignmentOf ?holder ; pol:agency ?agency ; pol:startOffset ?start } GROUP BY ?holder ?agency"""


@pytest.fixture(scope="module")
def first(store):
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in store.query(FIRST, prefixes=PREFIXES):
        out[r["holder"].value][r["agency"].value] = int(r["first"].value)
    return out


@pytest.fixture
def index(search_index):
    return search_index


def test_every_task_lists_its_bodies_in_text_order(store, first):
    tasks = task_agencies(store)
    assert len(tasks) > 30
    for t in tasks:
        at = {agency_key(a): n for a, n in first[t["iri"]].items()}
        keys = [a["key"] for a in t["agencies"] if a["key"] in at]
        assert [at[k] for k in keys] == sorted(at[k] for k in keys), t["title"]


def test_the_issues_example_keeps_the_lead_first(store):
    task = next(t for t in task_agencies(store, "国发〔2019〕3号") if t["ordinal"] == 1)
    assert [a["label"] for a in task["agencies"]] == ["国家税务总局", "财政部", "海关总署"]
    assert task["leads"] == ["cn/sat"] or task["agencies"][0]["roles"] == ["lead"]


@pytest.mark.parametrize("q", ["海关总署", "科技", "创新", "税务总局"])
def test_search_hits_list_bodies_in_text_order_with_the_note(index, first, q):
    results = search.search(index, q, per_page=500)
    assert results.hits
    noted = 0
    for h in results.hits:
        own = first.get(h.node, {})
        named = [a for a, _, _ in h.agencies]
        mentioned = [a for a in dict.fromkeys(named) if a in own]
        assert [own[a] for a in mentioned] == sorted(own[a] for a in mentioned), (h.title, h.agencies)
        if h.note:
            noted += 1
            assert h.note in h.text
            # every body named in the item's own text is inside the note
            inside = [a for a in mentioned if h.start <= own[a] < h.start + len(h.text)]
            note_at = h.text.index(h.note) + h.start
            assert all(note_at <= own[a] < note_at + len(h.note) for a in inside), (h.note, h.title)
    assert noted


def test_the_issue_note_is_shown_as_written(index):
    hits = search.search(index, "拓展两个市场", per_page=50).hits
    hit = next(h for h in hits if h.kind == "task" and h.title == "拓展两个市场")
    assert hit.note.startswith("（税务总局、财政部、海关总署负责")
    assert [label for _, label, _ in hit.agencies] == ["国家税务总局", "财政部", "海关总署"]
    assert hit.agencies[0][2] == "lead"


def test_an_old_index_is_emptied_and_refilled(tmp_path, store):
    import sqlite3

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript("CREATE TABLE item_agencies (item INTEGER, agency TEXT, label TEXT, role TEXT);"
                      "CREATE TABLE docs (doc TEXT PRIMARY KEY, fingerprint TEXT, title TEXT, identifier TEXT);"
                      "INSERT INTO docs VALUES ('x', 'y', 'z', NULL);")
    old.commit()
    old.close()
    conn = search.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 0
    assert search.sync(conn, store)["indexed"] >= 5
    assert search.search(conn, "海关总署").hits[0].agencies
