"""``policykg extract --dask`` (kg/cluster.py) on a real Dask cluster on loopback: a ``dask
scheduler`` process and two ``dask worker`` processes (bench/daskcluster.py), reached over TCP
like a remote one, the scheduler's address read from its scheduler file.

The shards made through Dask are byte for byte those made in one process (test_shards.py
checks that these load into the store and index of a plain ingest), and loading them gives
that store again; a worker process killed with SIGKILL in the middle of the run loses no
document. When the module is done, no process of the cluster is left running.
"""

from __future__ import annotations

import os
import signal
import time

import pyoxigraph as ox
import pytest

from ..processes import left_running, tree
from .scaleout_helpers import SHARD_SIZE, graphs, hits


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from bench import daskcluster

    try:
        c = daskcluster.start(tmp_path_factory.mktemp("dask"), workers=2)
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    started = [p for process in c.processes() for p in tree(process.pid)]
    yield c
    running = started + [p for process in c.processes() for p in tree(process.pid)]   # restarted workers too
    c.stop()
    assert left_running(running, 10) == []


def _files(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "shards").iterdir())}


def test_dask_extract_writes_the_shards_of_a_local_run_and_loads_into_the_ingest_store(
        cluster, scaleout_inputs, scaleout_shards, scaleout_ingest, tmp_path, capsys):
    """``policykg extract … --dask tcp://…``: per-file errors on stderr as in a local run, the
    same files, and loaded they give the store and search hits of a plain ingest."""
    from kg.load import load_shards
    from kg.search import connect
    from policykg.cli import main

    assert cluster.address.startswith("tcp://127.0.0.1:")
    out = tmp_path / "out"
    code = main(["extract", *scaleout_inputs, "--out", str(out), "--shard-size", str(SHARD_SIZE),
                 "--dask", cluster.address])
    captured = capsys.readouterr()
    assert code == 1                                               # one input failed, the rest done
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in captured.err.splitlines()
            if line.startswith("FAILED")] == ["empty.txt"]
    assert "1 failed" in captured.out
    assert _files(out) == _files(scaleout_shards)
    assert (out / "manifest.json").read_bytes() == (scaleout_shards / "manifest.json").read_bytes()
    ref_store, ref_index, _ = scaleout_ingest
    store, index = ox.Store(), connect(tmp_path / "index.sqlite")
    load_shards(store, out, index=index)
    assert graphs(store) == graphs(ref_store)
    assert hits(index) == hits(ref_index)


def test_a_worker_killed_mid_run_loses_no_document(cluster, scaleout_inputs, scaleout_shards, tmp_path):
    """After the first shard is back, the process of a worker that is running a shard gets
    SIGKILL; Dask runs its shards again (on the other worker, or on the one its nanny starts
    again) and every shard is written."""
    from distributed import default_client

    from kg.cluster import dask_mapper
    from kg.shards import extract

    ours = {p.pid: p for process in cluster.workers for p in tree(process.pid)}
    killed = []

    def kill_a_busy_worker(summary: dict) -> None:
        deadline = time.monotonic() + 30
        while not killed and time.monotonic() < deadline:
            for address, keys in client.processing().items():
                if keys:
                    os.kill(pids[address], signal.SIGKILL)
                    killed.append((address, ours[pids[address]]))
                    return
            time.sleep(0.02)

    out = tmp_path / "out"
    with dask_mapper(cluster.address) as mapper:
        client = default_client()                      # the mapper's
        pids = client.run(os.getpid)                   # worker address -> its process
        assert len(pids) == 2 and set(pids.values()) <= set(ours)
        extract(scaleout_inputs, out, SHARD_SIZE, mapper, kill_a_busy_worker)
        assert len(killed) == 1
        address, process = killed[0]
        assert not process.running() and address not in client.scheduler_info()["workers"]
    assert _files(out) == _files(scaleout_shards)
    assert (out / "manifest.json").read_bytes() == (scaleout_shards / "manifest.json").read_bytes()


def test_a_scheduler_that_does_not_answer_is_k704():
    from bench.virtuoso import free_port
    from kg.cluster import dask_mapper
    from kg.errors import KGError

    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(KGError) as e, dask_mapper(address, timeout="1s"):
        pass
    assert e.value.code == "K704" and address in str(e.value)
