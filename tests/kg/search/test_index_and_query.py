"""The full-text index (kg/search.py) kept in step with the store by ``sync``.

A sync compares documents by source hash in one query and reads in full only what is new,
changed, or just written by an ingest; these tests count the full reads.
"""

from __future__ import annotations

import pytest

from kg import search
from kg.ingest import ingest_paths, prepare_file
from kg.store.embedded import open_store

from ...conftest import CORPUS, DOC_3, DOC_121, DOC_128, SEED


@pytest.fixture
def indexed(tmp_path, monkeypatch):
    """A store with two documents, its index synced, and a counter of full document reads."""
    st = open_store(None)
    reports = ingest_paths(st, [SEED, DOC_3])
    conn = search.connect(tmp_path / "index.sqlite")
    assert search.sync(conn, st) == {"indexed": 2, "removed": 0}
    reads: list[str] = []
    real = search.index._fingerprint
    monkeypatch.setattr(search.index, "_fingerprint", lambda store, doc: reads.append(doc) or real(store, doc))
    docs = {r.path: r.document for r in reports}
    return st, conn, reads, docs[str(SEED)], docs[str(DOC_3)]


def _hits(conn, q: str) -> set[str]:
    return {h.doc for h in search.search(conn, q, per_page=100).hits}


def test_a_sync_with_nothing_changed_reads_no_document(indexed):
    st, conn, reads, seed, doc3 = indexed
    assert search.sync(conn, st) == {"indexed": 0, "removed": 0}
    assert reads == []
    assert _hits(conn, "科技特派员") == {seed}
    assert _hits(conn, "综合保税区") == {doc3}


def test_a_document_written_again_is_reindexed_even_with_the_same_source(indexed):
    st, conn, reads, seed, doc3 = indexed
    # the same source, other triples (as after an upgrade of the extraction): a task's text changes
    st.update(f"""PREFIX pol: <https://w3id.org/policykg/ontology#>
        DELETE {{ GRAPH <{seed}> {{ <{seed}/task/1> pol:text ?t }} }}
        INSERT {{ GRAPH <{seed}> {{ <{seed}/task/1> pol:text "一项全新的试验措施" }} }}
        WHERE {{ GRAPH <{seed}> {{ <{seed}/task/1> pol:text ?t }} }}""")
    assert search.sync(conn, st) == {"indexed": 0, "removed": 0}     # not announced: hash unchanged
    assert _hits(conn, "全新") == set()
    assert search.sync(conn, st, written=[seed]) == {"indexed": 1, "removed": 0}
    assert reads == [seed]                                           # only the written one is read
    assert _hits(conn, "全新") == {seed} and _hits(conn, "科技特派员") == {seed}   # other texts remain


def test_a_changed_source_hash_is_noticed_without_being_told(indexed):
    st, conn, reads, seed, doc3 = indexed
    st.update(f"""PREFIX pol: <https://w3id.org/policykg/ontology#>
        DELETE {{ GRAPH <{doc3}> {{ <{doc3}> pol:sourceSha256 ?s }} }}
        INSERT {{ GRAPH <{doc3}> {{ <{doc3}> pol:sourceSha256 "0000" }} }}
        WHERE {{ GRAPH <{doc3}> {{ <{doc3}> pol:sourceSha256 ?s }} }}""")
    assert search.sync(conn, st) == {"indexed": 1, "removed": 0}
    assert reads == [doc3]


def test_a_removed_document_leaves_the_index(indexed):
    st, conn, reads, seed, doc3 = indexed
    st.update(f"DROP GRAPH <{doc3}>")
    assert search.sync(conn, st) == {"indexed": 0, "removed": 1}
    assert _hits(conn, "综合保税区") == set() and _hits(conn, "科技特派员") == {seed}


def test_the_document_facet_lists_the_largest_and_counts_the_rest(indexed, monkeypatch):
    st, conn, reads, seed, doc3 = indexed
    full = search.search(conn, "发展")
    assert full.documents == 2 and {d for d, _, _ in full.facets["doc"]} == {seed, doc3}
    monkeypatch.setattr(search.query, "FACET_SIZE", 1)
    cut = search.search(conn, "发展")
    top = max(full.facets["doc"], key=lambda f: f[2])
    assert cut.documents == 2 and cut.facets["doc"] == [top] and cut.total == full.total


# --- indexing while ingesting, with the tokens computed where the document was extracted --------

def _rows(conn) -> list[tuple]:
    """The whole index by content (item ids depend on the order documents were indexed in)."""
    return sorted(conn.execute(
        "SELECT items.doc, kind, node, task, ordinal, title, text, start, year, items_fts.words, "
        "(SELECT group_concat(x, ',') FROM (SELECT agency || ' ' || role AS x FROM item_agencies "
        "WHERE item = items.id ORDER BY 1)) FROM items JOIN items_fts ON items_fts.rowid = items.id"))


@pytest.fixture(scope="module")
def reference(store, tmp_path_factory):
    """The index a sync builds from the session's corpus store."""
    conn = search.connect(tmp_path_factory.mktemp("ref") / "index.sqlite")
    search.sync(conn, store)
    return conn


@pytest.mark.parametrize(("jobs", "bulk"), [(1, False), (2, False), (1, True)])
def test_indexing_while_ingesting_gives_the_index_a_sync_builds(tmp_path, reference, jobs, bulk):
    st, conn = open_store(tmp_path / "store"), search.connect(tmp_path / "index.sqlite")
    reports = ingest_paths(st, [CORPUS], jobs=jobs, bulk=bulk, index=conn)
    assert not [r for r in reports if r.status == "failed"]
    assert search.sync(conn, st) == {"indexed": 0, "removed": 0}          # nothing left for the sync
    rows = _rows(conn)
    assert len(rows) > 250 and rows == _rows(reference)
    assert sorted(conn.execute("SELECT * FROM docs")) == sorted(reference.execute("SELECT * FROM docs"))


def test_the_words_of_the_extraction_cover_every_indexed_text(store, reference, tmp_path, monkeypatch):
    prepared = [prepare_file(p) for p in (SEED, DOC_3, DOC_121, DOC_128)]
    conn = search.connect(tmp_path / "index.sqlite")
    monkeypatch.setattr(search.index, "search_tokens", lambda text: pytest.fail(f"cut again in the writer: {text[:30]}"))
    for p in prepared:
        assert search.index_document(conn, store, p.iri, words=p.words) > 0
    docs = {p.iri for p in prepared}
    assert _rows(conn) == [r for r in _rows(reference) if r[0] in docs]


@pytest.mark.parametrize("name", ["seed", "3", "121", "128"])
def test_a_title_and_text_cut_apart_give_the_tokens_of_both_cut_together(extract, name):
    """index_document cuts a task's title and text separately (so each is looked up alone):
    jieba never makes a token across the space that joined them."""
    ex = extract(name)
    tasks = [t for t in ex.tasks if t.title]
    assert tasks
    for t in tasks:
        body = t.span.of(ex.text)
        assert search.search_tokens(t.title + " " + body) == search.search_tokens(t.title) + search.search_tokens(body)


@pytest.mark.parametrize(("q", "key", "value"), [
    ("海关总署", "role", "lead"), ("海关总署", "role", "participant"), ("科技", "role", "lead"),
    ("海关总署", "agency", "https://w3id.org/policykg/agency/cn/customs"),
    ("创新", "agency", "https://w3id.org/policykg/agency/cn/most"),
])
def test_an_agency_or_role_filter_keeps_exactly_the_hits_with_such_an_assignment(reference, q, key, value):
    everything = search.search(reference, q, per_page=1000)
    column = {"agency": 0, "role": 2}[key]
    expected = {h.node for h in everything.hits if any(a[column] == value for a in h.agencies)}
    filtered = search.search(reference, q, {key: value}, per_page=1000)
    assert expected and {h.node for h in filtered.hits} == expected and filtered.total == len(expected)
    assert {v: n for v, _, n in filtered.facets[key]}[value] == len(expected)


@pytest.mark.parametrize("year", ["²", "9" * 30, "abc", "2019 ", "-1"])
def test_a_year_filter_that_is_no_year_finds_nothing(indexed, year):
    """Issue #17, defect 8: ``int("²")`` raised, and a 30-digit year overflowed SQLite."""
    conn = indexed[1]
    assert search.search(conn, "科技").total > 0
    assert search.search(conn, "科技", {"year": year}).total == 0
