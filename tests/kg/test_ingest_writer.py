"""``ingest_paths`` writes the store in a thread of its own: the next document is extracted
while one is being written, the writes stay in input order, and a write that fails is that
document's failure only."""

from __future__ import annotations

import threading

import pytest

from kg import ingest, write
from kg import prepare as prep
from kg.store.embedded import open_store

from ..conftest import DOC_3, DOC_121, DOC_128, SEED

FILES = [SEED, DOC_128, DOC_3]


def _signal_extractions(monkeypatch, files) -> dict[str, threading.Event]:
    """An event per file, set once ``ingest`` has extracted it."""
    extracted = {p.name: threading.Event() for p in files}
    real_prepare = prep.prepare_file

    def prepare(path, max_bytes=None):
        out = real_prepare(path, max_bytes)
        extracted[path.name].set()
        return out

    monkeypatch.setattr(prep, "prepare_file", prepare)
    return extracted


def test_the_next_document_is_extracted_while_one_is_written(monkeypatch):
    extracted = _signal_extractions(monkeypatch, FILES)
    overlapped, written = [], []
    real_commit = write.commit

    def commit(store, item):
        name = item.path.rsplit("/", 1)[-1]
        k = [p.name for p in FILES].index(name)
        if k + 1 < len(FILES):       # without the writer's thread this would wait in vain
            overlapped.append(extracted[FILES[k + 1].name].wait(30))
        written.append((name, threading.current_thread().name))
        return real_commit(store, item)

    monkeypatch.setattr(write, "commit", commit)
    store = open_store(None)
    reports = ingest.ingest_paths(store, FILES)
    assert overlapped == [True, True]
    assert [name for name, _ in written] == [p.name for p in FILES]          # input order
    assert all(thread.startswith("policykg-writer") for _, thread in written)
    assert [r.status for r in reports] == ["loaded"] * 3
    assert [r.path for r in reports] == [str(p) for p in FILES]


def test_a_failing_write_fails_its_document_only(monkeypatch):
    real_replace = write.replace_document

    def replace(store, iri, graph, agencies):
        if "128" in str(iri):
            raise OSError("disk full (simulated)")
        return real_replace(store, iri, graph, agencies)

    monkeypatch.setattr(write, "replace_document", replace)
    store = open_store(None)
    reports = ingest.ingest_paths(store, FILES)
    by_file = {r.path.rsplit("/", 1)[-1]: r for r in reports}
    assert by_file[DOC_128.name].status == "failed"
    assert "disk full" in by_file[DOC_128.name].error["message"]
    assert [by_file[p.name].status for p in (SEED, DOC_3)] == ["loaded", "loaded"]
    graphs = {str(g.value) for g in store.named_graphs()}
    assert {by_file[p.name].document for p in (SEED, DOC_3)} <= graphs
    assert not any("128" in g for g in graphs)


def test_bulk_documents_are_extracted_while_a_batch_is_loaded(monkeypatch):
    """``--bulk``: while one batch is bulk-loaded, the next batch's documents are extracted
    (with one write in flight only, the ingest would wait for the load after one document)."""
    files = [SEED, DOC_128, DOC_3, DOC_121]
    extracted = _signal_extractions(monkeypatch, files)
    waited = []
    real_bulk = write.bulk_write

    def bulk_write(store, nquads):
        if not waited:                 # the first batch (two documents) waits for the fourth
            waited.append(extracted[files[3].name].wait(30))
        return real_bulk(store, nquads)

    monkeypatch.setenv("POLICYKG_BULK_BATCH", "2")
    monkeypatch.setattr(write, "bulk_write", bulk_write)
    store = open_store(None)
    reports = ingest.ingest_paths(store, files, bulk=True)
    assert waited == [True]
    assert [r.path for r in reports] == [str(p) for p in files]
    assert [r.status for r in reports] == ["loaded"] * 4


def test_an_error_in_the_writer_is_raised_by_the_ingest(monkeypatch):
    """An exception out of the writer's thread (here: the outline reader) comes out of
    ``ingest_paths`` as it did before the thread; what was written before it stays."""
    from pathlib import Path

    files = [SEED, Path("outline.json"), DOC_3]
    monkeypatch.setattr(prep, "is_outline_input", lambda path: path.name == "outline.json")
    monkeypatch.setattr(prep, "iter_inputs", lambda paths, *flags: iter(paths))

    def broken_outline(store, path):
        raise RuntimeError("outline reader failed (simulated)")

    monkeypatch.setattr(write, "write_outline", broken_outline)
    seed_iri = ingest.prepare_file(SEED).iri
    for bulk in (False, True):
        store = open_store(None)
        with pytest.raises(RuntimeError, match="simulated"):
            ingest.ingest_paths(store, files, bulk=bulk)
        assert seed_iri in {str(g.value) for g in store.named_graphs()}


def test_an_ingest_that_keeps_no_reports_hands_each_to_progress_and_still_compares():
    """``policykg ingest`` keeps no report (an ingest of any size holds none): each goes to
    ``progress`` as it is made; the comparisons after the ingest still find the documents."""
    national = SEED.parent / "national" / "guideline-2017-43.json"
    kept, streamed = open_store(None), open_store(None)
    reports = ingest.ingest_paths(kept, [national, SEED, DOC_3])
    seen = []
    assert ingest.ingest_paths(streamed, [national, SEED, DOC_3], seen.append, keep_reports=False) == []
    assert [r.to_dict() for r in seen] == [r.to_dict() for r in reports]
    assert [r.status for r in seen] == ["loaded"] * 3
    comparisons = "SELECT ?c ?l WHERE { GRAPH ?c { ?c a pol:Comparison ; pol:localDocument ?l } }"
    prefix = "PREFIX pol: <https://w3id.org/policykg/ontology#> "
    found = [(r["c"].value, r["l"].value) for r in streamed.query(prefix + comparisons)]
    assert len(found) == 1 and found[0][1] == seen[1].document          # the seed against the guideline
    assert found == [(r["c"].value, r["l"].value) for r in kept.query(prefix + comparisons)]
    assert len(streamed) == len(kept)
