"""The search reads what a reader reads: tasks, measures, safeguards and their measures, the
general requirements (principles, targets), the opening text and the rest; quoted phrases are
found exactly; a query word the text holds whole is highlighted whole."""

from __future__ import annotations

import re

import pytest

from kg import search
from kg.passages import of_extraction

DOCS = ["seed", "3", "121", "128"]


@pytest.fixture(scope="module")
def index(store, tmp_path_factory):
    conn = search.connect(tmp_path_factory.mktemp("everything") / "index.sqlite")
    search.sync(conn, store)
    return conn


def _phrase(text: str) -> str:
    """A stretch of ``text`` to look for: its longest run without punctuation, at most 14 characters."""
    runs = re.findall(r"[\u4e00-\u9fff\w]+", text)
    return max(runs, key=len)[:14]


def _found(conn, text: str, node: str) -> bool:
    hits = search.search(conn, f'"{_phrase(text)}"', per_page=200).hits
    return any(h.node == node for h in hits)


@pytest.mark.parametrize("name", DOCS)
def test_every_safeguard_and_its_measures_can_be_found(index, extract, name):
    ex = extract(name)
    iri = index.execute("SELECT doc FROM docs WHERE title = ?", (ex.metadata.title,)).fetchone()[0]
    safeguards = [p for p in ex.provisions if p.kind == "safeguard"]
    if name != "seed":
        assert safeguards
    for p in safeguards:
        node = f"{iri}/safeguard/{p.ordinal}"
        assert _found(index, p.span.of(ex.text), node), p.span.of(ex.text)[:40]
        for j, m in enumerate(p.measures, 1):
            assert _found(index, m.span.of(ex.text), f"{node}/measure/{j}")


@pytest.mark.parametrize("name", DOCS)
def test_the_opening_and_the_general_requirements_can_be_found(index, extract, name):
    ex = extract(name)
    iri = index.execute("SELECT doc FROM docs WHERE title = ?", (ex.metadata.title,)).fetchone()[0]
    passages = of_extraction(ex)
    kinds = {p.kind for p in passages}
    assert "opening" in kinds
    for p in passages:
        text = ex.text[p.start:p.end]
        if re.search(r"[\u4e00-\u9fff]{2}", text):
            assert _found(index, text, f"{iri}#passage-{p.start}"), (p.kind, text[:40])
    # passages never repeat a provision's text, but for the general part's items (指导思想, 基本原则 …),
    # whose text is searched paragraph by paragraph as before they were provisions
    for p in passages:
        assert not any(q.span.start < p.end and p.start < q.span.end for q in ex.provisions if q.kind != "general")
    general = [q for q in ex.provisions if q.kind == "general"]
    assert general and all(any(p.kind == "general" and q.span.start <= p.start < q.span.end for p in passages)
                           for q in general)


def test_principles_and_targets_are_in_the_general_requirements(index):
    principles = search.search(index, "基本原则", {"kind": "general"}, per_page=50)
    assert principles.total >= 2
    # a target sentence of the general requirements: dated by its year
    dated = [v for v, _, n in search.search(index, "2020年", per_page=500).facets["year"]]
    assert dated
    general_years = search.search(index, "2020年", {"kind": "general"}, per_page=500)
    assert general_years.total and any(f[0] == "2020" for f in general_years.facets["year"])


def test_a_quoted_phrase_is_found_exactly(index):
    exact = search.search(index, '"加强组织领导"', per_page=500)
    holding = {node for node, text, title in index.execute("SELECT node, text, title FROM items")
               if "加强组织领导" in text or "加强组织领导" in (title or "")}
    assert exact.total == len(holding) > 1 and {h.node for h in exact.hits} == holding
    for quotes in ("“加强组织领导”", "「加强组织领导」"):
        assert {h.node for h in search.search(index, quotes, per_page=500).hits} == holding
    # the same words in another order: found by their tokens, not as a phrase
    assert search.search(index, "领导组织加强").total > 0 and search.search(index, '"领导组织加强"').total == 0
    # a phrase with another word: both must hold
    both = search.search(index, '"加强组织领导" 体育', per_page=500)
    assert 0 < both.total < exact.total and all("体育" in h.text + (h.title or "") for h in both.hits)


def test_a_whole_word_is_highlighted_whole(index):
    results = search.search(index, "科技特派员", per_page=50)
    assert results.total == 2
    for h in results.hits:
        marked = [piece for piece, hit in h.snippet if hit]
        assert marked and set(marked) == {"科技特派员"}, marked
    # a word the text does not hold whole is highlighted by its parts
    assert search.highlights("科技创新与特派员", ["科技特派员"]) == ["科技", "特派员"]
    assert search.highlights("科技特派员和科技创新", ["科技特派员"]) == ["科技特派员"]
    assert search.query_words('科技特派员 "组织领导" 海关总署、商务部') == ["科技特派员", "组织领导", "海关总署", "商务部"]
