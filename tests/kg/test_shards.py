"""``policykg extract`` / ``policykg load`` (kg/shards.py, kg/load.py) without a cluster: the
shards of the corpus (plus generated documents and a failing file) loaded into a store give
exactly the store and search index of a plain ingest; running either again writes nothing;
a changed input re-extracts its shard only and is replaced whole; shards are written whole
or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import KGError
from kg.search import connect

from ..conftest import DOC_3, DOC_128, SEED
from .scaleout_helpers import SHARD_SIZE, graphs, hits


def _stamps(out) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted((out / "shards").iterdir())}


@pytest.mark.parametrize("bulk", [False, True], ids=["transactional", "bulk"])
def test_loading_the_shards_gives_the_store_and_index_of_an_ingest(scaleout_shards, scaleout_ingest, tmp_path, bulk):
    from kg.load import load_shards

    ref_store, ref_index, ref_reports = scaleout_ingest
    store, index = ox.Store(), connect(tmp_path / "index.sqlite")
    reports = load_shards(store, scaleout_shards, bulk=bulk, index=index)
    assert [r.to_dict() for r in reports] == [r.to_dict() for r in ref_reports]
    failed = [r for r in reports if r.status == "failed"]
    assert [(r.path.rsplit("/", 1)[-1], r.error["code"]) for r in failed] == [("empty.txt", "E101")]
    assert graphs(store) == graphs(ref_store)            # documents, agencies, ontology, reforms, comparisons
    assert len([g for g in graphs(store) if "/comparison/" in g]) >= 1
    assert hits(index) == hits(ref_index)
    assert hits(index)["科技特派员"][0] > 0


def test_the_shard_directory(scaleout_shards, scaleout_inputs):
    from kg.prepare import iter_inputs

    manifest = json.loads((scaleout_shards / "manifest.json").read_text(encoding="utf-8"))
    inputs = [str(p) for p in iter_inputs(scaleout_inputs)]
    assert manifest["counts"]["inputs"] == len(inputs) and manifest["counts"]["failed"] == 1
    assert len(manifest["shards"]) == -(-len(inputs) // SHARD_SIZE)
    listed = []
    for name in manifest["shards"]:
        shard = json.loads((scaleout_shards / "shards" / f"{name}.json").read_text(encoding="utf-8"))
        listed += [d["path"] for d in shard["documents"]]
        nq = (scaleout_shards / "shards" / f"{name}.nq").read_bytes()
        assert sum(1 for _ in ox.parse(nq, format=ox.RdfFormat.N_QUADS)) == nq.count(b"\n")
        for d in shard["documents"]:
            if d["status"] != "failed":
                assert d["sha256"] == hashlib.sha256(Path(d["path"]).read_bytes()).hexdigest()
                assert d["fingerprint"] == f"{d['sha256']}:{d['triples']}"
    assert listed == inputs
    assert not [p for p in (scaleout_shards / "shards").iterdir() if p.name.startswith(".")]   # no temp file left


def test_running_extract_or_load_again_writes_nothing(scaleout_shards, scaleout_inputs, tmp_path):
    from kg.load import load_shards
    from kg.shards import extract

    before = _stamps(scaleout_shards)
    summaries = []
    extract(scaleout_inputs, scaleout_shards, SHARD_SIZE, progress=summaries.append)
    assert summaries and all(s["skipped"] for s in summaries)
    assert _stamps(scaleout_shards) == before
    store = ox.Store()
    first = load_shards(store, scaleout_shards)
    size = len(store)
    again = load_shards(store, scaleout_shards)
    assert {r.status for r in again} == {"unchanged", "failed"}
    assert len([r for r in first if r.status in ("loaded", "replaced")]) == len([r for r in again if r.status == "unchanged"])
    assert len(store) == size


def test_a_changed_input_is_extracted_again_and_replaced_whole(tmp_path):
    from kg.ingest import ingest_paths
    from kg.load import load_shards
    from kg.shards import extract

    src = tmp_path / "src"
    src.mkdir()
    for f in (SEED, DOC_128, DOC_3):
        shutil.copy(f, src / f.name)
    out = tmp_path / "out"
    extract([src], out, 1)
    store = ox.Store()
    load_shards(store, out)
    stamps = _stamps(out)
    changed = src / DOC_3.name
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "\n（本文有删减）\n", encoding="utf-8")
    summaries = []
    extract([src], out, 1, progress=summaries.append)
    k = sorted(p.name for p in src.iterdir()).index(DOC_3.name)              # its shard (one input each)
    assert [s["skipped"] for s in summaries] == [i != k for i in range(3)]
    after = _stamps(out)
    assert {name for name in after if after[name] != stamps[name]} == {
        f"{k:06d}{suffix}" for suffix in (".nq", ".json", ".search.jsonl", ".reports.jsonl")}
    reports = load_shards(store, out)
    assert [r.status for r in reports] == ["replaced" if i == k else "unchanged" for i in range(3)]
    reference = ox.Store()
    ingest_paths(reference, [src])
    assert graphs(store) == graphs(reference)


def test_a_shard_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from kg import shards

    target = tmp_path / "shards" / "000000.nq"

    def fail(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        shards.write_atomically(target, b"<urn:a> <urn:b> <urn:c> <urn:g> .\n")
    assert list(target.parent.iterdir()) == []


def test_load_refuses_what_is_not_a_whole_shard_directory(scaleout_shards, tmp_path):
    from kg.load import load_shards

    with pytest.raises(KGError) as e:
        load_shards(ox.Store(), tmp_path)
    assert e.value.code == "K701"
    partial = tmp_path / "partial"
    shutil.copytree(scaleout_shards, partial)
    (partial / "shards" / "000001.json").unlink()          # a shard whose task never finished
    with pytest.raises(KGError) as e:
        load_shards(ox.Store(), partial)
    assert e.value.code == "K702" and "000001" in str(e.value)


def test_cli_extract_and_load(scaleout_inputs, tmp_path, capsys):
    from kg.search import index_path
    from policykg.cli import main

    out, store = tmp_path / "out", tmp_path / "store"
    assert main(["extract", *scaleout_inputs, "--out", str(out), "--shard-size", "4"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.err and "empty.txt" in captured.err and "E101" in captured.err
    assert "1 failed" in captured.out and str(out) in captured.out
    assert main(["load", str(out), "--store", str(store), "--bulk"]) == 1
    captured = capsys.readouterr()
    assert "0 unchanged, 1 failed" in captured.out
    assert main(["load", str(out), "--store", str(store), "--json"]) == 1
    statuses = [r["status"] for r in json.loads(capsys.readouterr().out)]
    assert set(statuses) == {"unchanged", "failed"}
    assert index_path(store).is_file()
    assert main(["extract", *scaleout_inputs, "--out", str(out), "--shard-size", "4", "--shard", "99"]) == 2
    assert "K705" in capsys.readouterr().err


def test_one_command_per_shard_gives_the_same_shards_and_load_finds_them(scaleout_inputs, tmp_path, capsys):
    """A cluster that runs ``policykg extract … --shard K`` once per K: the same files as one
    run, no manifest.json, and ``load`` takes the shards by their own manifests."""
    from policykg.cli import main

    whole, apart = tmp_path / "whole", tmp_path / "apart"
    main(["extract", *scaleout_inputs, "--out", str(whole), "--shard-size", "4"])
    shards = json.loads((whole / "manifest.json").read_text(encoding="utf-8"))["shards"]
    for k in reversed(range(len(shards))):                  # in any order
        main(["extract", *scaleout_inputs, "--out", str(apart), "--shard-size", "4", "--shard", str(k)])
    assert not (apart / "manifest.json").exists()
    assert {p.name: p.read_bytes() for p in (apart / "shards").iterdir()} == \
        {p.name: p.read_bytes() for p in (whole / "shards").iterdir()}
    capsys.readouterr()
    assert main(["load", str(apart), "--store", str(tmp_path / "store"), "--json"]) == 1
    statuses = [r["status"] for r in json.loads(capsys.readouterr().out)]
    assert statuses.count("failed") == 1 and len(statuses) == sum(
        len(json.loads((whole / "shards" / f"{n}.json").read_text(encoding="utf-8"))["documents"]) for n in shards)


def test_local_worker_processes_run_the_shards_and_a_failure_names_its_shard():
    """``--jobs N``: shards in N worker processes (kg/workers.py); here with a cheap function."""
    from operator import attrgetter

    from kg.shards import Shard, local_mapper

    shards = [Shard(0, ("a",)), Shard(1, ("b", "c"))]
    assert list(local_mapper(2)(attrgetter("paths"), shards)) == [("a",), ("b", "c")]
    with pytest.raises(RuntimeError, match="shard 000000 failed: .*no_such_field"):
        list(local_mapper(2)(attrgetter("no_such_field"), shards))
