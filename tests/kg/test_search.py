"""The full-text index (kg/search.py) kept in step with the store by ``sync``.

A sync compares documents by source hash in one query and reads in full only what is new,
changed, or just written by an ingest; these tests count the full reads.
"""

from __future__ import annotations

import pytest

from kg import search
from kg.ingest import ingest_paths
from kg.store import open_store

from ..conftest import DOC_3, SEED


@pytest.fixture
def indexed(tmp_path, monkeypatch):
    """A store with two documents, its index synced, and a counter of full document reads."""
    st = open_store(None)
    reports = ingest_paths(st, [SEED, DOC_3])
    conn = search.connect(tmp_path / "index.sqlite")
    assert search.sync(conn, st) == {"indexed": 2, "removed": 0}
    reads: list[str] = []
    real = search._fingerprint
    monkeypatch.setattr(search, "_fingerprint", lambda store, doc: reads.append(doc) or real(store, doc))
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
    # the same source, other triples (as after an upgrade of the extraction): a measure's text changes
    st.update(f"""PREFIX pol: <https://w3id.org/policykg/ontology#>
        DELETE {{ GRAPH <{seed}> {{ ?m pol:text ?t }} }} INSERT {{ GRAPH <{seed}> {{ ?m pol:text "一项全新的试验措施" }} }}
        WHERE {{ GRAPH <{seed}> {{ ?m a pol:Measure ; pol:text ?t }} }}""")
    assert search.sync(conn, st) == {"indexed": 0, "removed": 0}     # not announced: hash unchanged
    assert _hits(conn, "全新") == set()
    assert search.sync(conn, st, written=[seed]) == {"indexed": 1, "removed": 0}
    assert reads == [seed]                                           # only the written one is read
    assert _hits(conn, "全新") == {seed} and _hits(conn, "科技特派员") == {seed}   # task texts remain


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
    monkeypatch.setattr(search, "FACET_SIZE", 1)
    cut = search.search(conn, "发展")
    top = max(full.facets["doc"], key=lambda f: f[2])
    assert cut.documents == 2 and cut.facets["doc"] == [top] and cut.total == full.total
