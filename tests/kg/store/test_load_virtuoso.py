"""``policykg load`` into a running Virtuoso: the one CI starts before the tests
(POLICYKG_TEST_VIRTUOSO_*, README "Run the tests"), else one the test module starts
(bench/virtuoso.py). The shards of the scale-out inputs (tests/conftest.py) go in through
Virtuoso's own bulk loader where a whole shard is new (``ld_dir`` + ``rdf_loader_run``,
POLICYKG_VIRTUOSO_SQL) and through SPARQL Update otherwise; the result holds the graphs of a
plain embedded ingest, the search index gives its hits, and loading again writes nothing.

The server outlives the run and may have served earlier ones: the files go to a folder of
this run's own, and the graphs the test writes are dropped before and after it."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest

from kg.errors import KGError

from ..scaleout_helpers import graphs, hits

pytestmark = pytest.mark.virtuoso


@pytest.fixture()
def load_dir(running_virtuoso):
    """A folder of this test's own the server may bulk-load from; its files and their rows in
    Virtuoso's DB.DBA.LOAD_LIST are removed afterwards."""
    folder = running_virtuoso.load_folder / f"test-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    yield folder
    _isql(running_virtuoso, f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '{folder}/%';")
    shutil.rmtree(folder, ignore_errors=True)


def _isql(server, script: str) -> str:
    return subprocess.run(["isql-vt", server.sql, "dba", "dba"], input=script + "\n", text=True,
                          capture_output=True, timeout=60, check=True).stdout


def _loaded_files(server, folder) -> list[tuple[str, str]]:
    out = _isql(server, f"SELECT ll_file, ll_state FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '{folder}/%';")
    return [tuple(line.split()[:2]) for line in out.splitlines() if line.strip().startswith(str(folder))]


def _drop(store, names) -> None:
    store.update(" ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in names))


def test_bulk_load_into_virtuoso_gives_the_ingest_graphs_and_search_hits(running_virtuoso, load_dir,
                                                                         scaleout_shards, scaleout_ingest):
    from kg.load import load_shards
    from kg.search import connect, index_path
    from kg.store.embedded import open_store

    out = load_dir / "shards-dir"
    shutil.copytree(scaleout_shards, out)
    ref_store, ref_index, ref_reports = scaleout_ingest
    # what the load writes (its documents, the agencies, the ontology, the comparisons), maybe
    # left on the server by an earlier run
    written = sorted(graphs(ref_store))
    store, index = open_store(running_virtuoso.url), connect(index_path(running_virtuoso.url))
    _drop(store, written)
    try:
        before = {g.value for g in store.named_graphs()}
        reports = load_shards(store, out, bulk=True, index=index)
        assert [r.to_dict() for r in reports] == [r.to_dict() for r in ref_reports]
        loaded = _loaded_files(running_virtuoso, out)
        assert loaded and all(state == "2" for _, state in loaded)         # Virtuoso's loader was used …
        assert len(loaded) < len(list((out / "shards").glob("*.nq")))       # … and SPARQL for the shard with 121 twice
        assert sorted({g.value for g in store.named_graphs()} - before) == written
        assert graphs(store, written) == graphs(ref_store)
        assert hits(index) == hits(ref_index)
        again = load_shards(store, out, bulk=True, index=index)
        assert {r.status for r in again} == {"unchanged", "failed"}
        assert _loaded_files(running_virtuoso, out) == loaded
    finally:
        _drop(store, written)


def test_files_the_server_cannot_load_are_k703(running_virtuoso, load_dir):
    """A shard path the server does not see (another machine's disk) and a file it cannot
    parse both fail with K703 and Virtuoso's own words, not with a silent partial load."""
    from kg.store.virtuoso import bulk_load

    with pytest.raises(KGError) as e:
        bulk_load([load_dir / "nowhere" / "000000.nq"])
    assert e.value.code == "K703"
    broken = load_dir / "broken.nq"
    broken.write_text("<urn:a> <urn:b> this is not N-Quads .\n", encoding="utf-8")
    with pytest.raises(KGError) as e:
        bulk_load([broken])
    assert e.value.code == "K703" and "broken.nq" in str(e.value)
