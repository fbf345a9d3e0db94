"""``policykg load`` into a real Virtuoso (bench/virtuoso.py): the shards of the scale-out inputs
(tests/conftest.py) go in through Virtuoso's own bulk loader where a whole shard is new
(``ld_dir`` + ``rdf_loader_run``, POLICYKG_VIRTUOSO_SQL) and through SPARQL Update otherwise;
the result holds the graphs of a plain embedded ingest, the search index gives its hits, and
loading again writes nothing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kg.errors import KGError

from ..scaleout_helpers import graphs, hits

pytestmark = pytest.mark.virtuoso


def _loaded_files(server) -> list[tuple[str, str]]:
    script = "SELECT ll_file, ll_state FROM DB.DBA.LOAD_LIST;\n"
    out = subprocess.run(["isql-vt", f"127.0.0.1:{server.sql_port}", "dba", "dba"], input=script, text=True,
                         capture_output=True, timeout=60).stdout
    return [tuple(line.split()[:2]) for line in out.splitlines() if line.strip().endswith(".nq") or ".nq " in line]


def test_bulk_load_into_virtuoso_gives_the_ingest_graphs_and_search_hits(server, scaleout_shards, scaleout_ingest):
    from kg.load import load_shards
    from kg.search import connect, index_path
    from kg.store.embedded import open_store

    out = server.folder / "load" / "shards-dir"             # under the server's DirsAllowed
    shutil.copytree(scaleout_shards, out)
    store, index = open_store(server.url), connect(index_path(server.url))
    reports = load_shards(store, out, bulk=True, index=index)
    ref_store, ref_index, ref_reports = scaleout_ingest
    assert [r.to_dict() for r in reports] == [r.to_dict() for r in ref_reports]
    loaded = _loaded_files(server)
    assert loaded and all(state == "2" for _, state in loaded)             # Virtuoso's loader was used …
    assert len(loaded) < len(list((out / "shards").glob("*.nq")))            # … and SPARQL for the shard with 121 twice
    assert graphs(store) == graphs(ref_store)
    assert hits(index) == hits(ref_index)
    again = load_shards(store, out, bulk=True, index=index)
    assert {r.status for r in again} == {"unchanged", "failed"}
    assert _loaded_files(server) == loaded


def test_files_the_server_cannot_load_are_k703(server):
    """A shard path the server does not see (another machine's disk) and a file it cannot
    parse both fail with K703 and Virtuoso's own words, not with a silent partial load."""
    from kg.store.virtuoso import bulk_load

    with pytest.raises(KGError) as e:
        bulk_load([server.folder / "load" / "nowhere" / "000000.nq"])
    assert e.value.code == "K703"
    broken = server.folder / "load" / "broken.nq"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("<urn:a> <urn:b> this is not N-Quads .\n", encoding="utf-8")
    with pytest.raises(KGError) as e:
        bulk_load([broken])
    assert e.value.code == "K703" and "broken.nq" in str(e.value)
