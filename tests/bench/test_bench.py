"""The benchmark tools (bench/): a deterministic generator and a script that runs end to end.

The benchmarks themselves are scripts (python -m bench.run), never timed tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.generate import check, generate, load_material
from bench.ingest import check_disk, measure_ingest
from kg.ingest import ingest_paths
from kg.store.embedded import open_store

from ..conftest import CORPUS_FILES, ROOT, extraction_of


@pytest.fixture(scope="module")
def material():
    names = {path: name for name, path in CORPUS_FILES.items()}
    return load_material(extract=lambda path: extraction_of(names[path]))


def test_generator_is_deterministic_and_read_back_as_written(material, tmp_path):
    a = generate(12, tmp_path / "a", seed=7, material=material, per_folder=5)
    b = generate(12, tmp_path / "b", seed=7, material=material, per_folder=5)
    c = generate(12, tmp_path / "c", seed=8, material=material, per_folder=5)
    files = sorted(p.relative_to(a) for p in a.rglob("*.txt"))
    assert len(files) == 12 and len({p.parent for p in files}) == 3
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert (a / "manifest.tsv").read_text() == (b / "manifest.tsv").read_text()
    assert (a / "manifest.tsv").read_text() != (c / "manifest.tsv").read_text()
    rows = [r.split("\t") for r in (a / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert len({r[1] for r in rows}) == 12                         # every 文号 distinct
    assert check(a, 12) == []                                      # the pipeline finds the tasks written


def test_bench_script_runs_end_to_end_at_a_tiny_size(tmp_path):
    out = tmp_path / "figures.json"
    res = subprocess.run([sys.executable, "-m", "bench.run", "--tiny", "--work", str(tmp_path / "w"),
                          "--skip", "rdflib", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    tx, bulk = figures["ingest"]["3"]["tx-j1"], figures["ingest"]["3"]["bulk-j1"]
    assert tx["docs"] == bulk["docs"] == 3 and tx["failed"] == bulk["failed"] == 0
    assert tx["triples"] == bulk["triples"] > 1000             # both modes write the same store
    extract = figures["ingest"]["3"]["extract-j1"]               # the pipeline alone, nothing written
    assert extract["docs"] == 3 and 0 < extract["triples"] < tx["triples"]   # no ontology, no agency sharing
    assert figures["queries"]["quads"] > bulk["triples"]           # plus the real corpus and outline
    assert figures["queries"]["queries"]["20-coverage"]["rows"] > 0   # the outline is there to cover
    assert figures["queries"]["pool_serving"] == ["memory", "memory"]   # the workers' in-memory copies
    assert all(q["raw_memory"]["p50"] > 0 for q in figures["queries"]["queries"].values())
    assert "| ingest | tx | 1 | 3 |" in res.stdout and "| ingest | bulk | 1 | 3 |" in res.stdout
    floor = figures["ingest"]["3"]["store_floor"]           # raw Oxigraph writes of the same documents
    assert floor["tx"]["docs"] == floor["bulk"]["docs"] == 3
    empty = open_store(None)
    ingest_paths(empty, [])                                      # what an ingest writes besides the documents
    assert floor["tx"]["quads"] == floor["bulk"]["quads"] == tx["triples"] - len(empty)
    assert tx["vs_store_floor"] > 0 and bulk["vs_store_floor"] > 0
    # per core: CPU time of every thread and worker, at most the wall-clock time of all the CPUs
    assert all(x["vs_jieba"] / os.cpu_count() * 0.8 <= x["vs_jieba_per_core"] for x in (tx, bulk, extract))
    assert "| raw store write (floor) | tx | 1 | 3 |" in res.stdout
    assert not (tmp_path / "w" / "store.nq").exists()           # the store section's dump is removed


def test_memory_is_reported_by_documents_written(material, tmp_path):
    src = generate(3, tmp_path / "docs", seed=3, material=material)
    r = measure_ingest(src, tmp_path / "store", jobs=1, mode="tx", timeout=120, checkpoint=1)
    assert r["docs"] == 3 and r["failed"] == 0, r
    peaks = [r["peak_by_docs"][k] for k in ("1", "2", "3")]
    assert 0 < peaks[0] <= peaks[1] <= peaks[2] <= r["peak_rss"]
    at = r["seconds_by_docs"]             # lines arrive as documents are written, not all at the end
    assert at["3"] - at["1"] > 0.02, at
    assert r["affinity"] == len(os.sched_getaffinity(0)) and not r["pinned"]


def test_an_ingest_can_be_pinned_to_as_many_cpus_as_its_jobs(material, tmp_path):
    """``bench.run --pin``: how an ingest scales with cores, each run on as many CPUs as --jobs."""
    src = generate(2, tmp_path / "docs", seed=4, material=material)
    r = measure_ingest(src, tmp_path / "store", jobs=1, mode="tx", timeout=120, cpus=1)
    assert r["docs"] == 2 and r["failed"] == 0, r
    assert r["affinity"] == 1 and r["pinned"] and r["cpus"] == 1


def test_two_checkouts_are_compared_run_by_run(material, tmp_path):
    from bench.ab import measure, table

    src = generate(3, tmp_path / "docs", seed=5, material=material)
    r = measure(ROOT, ROOT, src, jobs=[1], rounds=1, mode="tx")
    assert [(x["label"], x["docs"], x["failed"]) for x in r["runs"]] == [("before", 3, 0), ("after", 3, 0)]
    assert all(x["vs_jieba"] > 0 for x in r["runs"])
    assert r["after_over_before"]["1"]["docs_per_s"] > 0
    assert "--jobs 1: after / before" in table(r)


def test_the_stages_of_an_ingest_are_timed_against_jieba(material, tmp_path, capsys):
    from bench.phases import main

    src = generate(6, tmp_path / "docs", seed=4, material=material)
    out = tmp_path / "phases.json"
    assert main(["--docs", str(src), "--count", "6", "--json", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    stages = r["stages"]
    assert r["docs"] == 6 and list(stages)[:3] == ["jieba.lcut", "read", "extract"]
    assert stages["jieba.lcut"]["vs_jieba"] == 1 and all(x["ms_per_doc"] > 0 for x in stages.values())
    assert stages["compare"]["pairs"] > 0             # the generated local documents implement the corpus's
    assert "| load |" in capsys.readouterr().out


def test_a_run_too_large_for_the_disk_is_refused_with_the_reason(tmp_path):
    assert check_disk(tmp_path / "store", 10, "tx") is None
    why = check_disk(tmp_path / "store", 10**9, "tx")
    assert "1000000000 documents (tx) need about" in why and "GiB free under" in why


@pytest.mark.virtuoso
def test_remote_benchmark_runs_against_a_real_virtuoso(tmp_path):
    from bench.remote import bench_remote, report

    r = bench_remote(tmp_path, docs=3, reps=2)
    assert r["quads"] > 5_000 and r["ingest_local_s"] > 0 and r["ingest_remote_s"] > 0
    assert set(r["queries"]) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert all("error" not in x for x in r["queries"].values()), r["queries"]
    assert r["queries"]["03-agency-roles"]["local_rows"] == r["queries"]["03-agency-roles"]["remote_rows"] > 10
    assert "| 04-implements | 1 / 1 |" in report(r)
    assert not list(tmp_path.glob("store-remote-baseline-*"))          # the local store is removed


@pytest.mark.virtuoso
def test_a_store_moved_to_virtuoso_with_its_bulk_loader_holds_every_quad(tmp_path):
    """README "When to switch, and how": dump to N-Quads, Virtuoso's ld_dir + rdf_loader_run."""
    from bench.remote import bench_remote_copy, report
    from kg.ingest import ingest_paths
    from kg.store.embedded import open_store

    from ..conftest import DOC_3, SEED

    store_dir = tmp_path / "store"
    st = open_store(str(store_dir))
    ingest_paths(st, [SEED, DOC_3])
    del st
    r = bench_remote_copy(tmp_path, store_dir, reps=1, buffers=10_000)
    assert r["remote_quads"] == r["quads"] > 10_000
    assert all("error" not in x for x in r["queries"].values()), r["queries"]
    assert all(x["local_rows"] == x["remote_rows"] for x in r["queries"].values())
    assert "moved to Virtuoso on loopback" in report(r)


@pytest.mark.virtuoso
def test_the_virtuoso_ci_starts_outlives_its_command_and_stops(tmp_path):
    """.ci/run: ``python -m bench.virtuoso start DIR`` prints the exports that hand a running
    server to the tests (``attach``), the server answers after the command is gone, and
    ``stop DIR`` ends it and removes its folder."""
    import urllib.request

    from bench import virtuoso

    from ..processes import tree

    folder = tmp_path / "vt"

    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bench.virtuoso", *args, str(folder)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    started = command("start")
    assert started.returncode == 0, started.stderr
    env = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines())
    pid = int((folder / "virtuoso.pid").read_text())
    try:
        assert sorted(env) == sorted(virtuoso.TEST_ENV)
        server = virtuoso.attach(env, tmp_path / "own")
        assert server.load_folder == folder / "load" and server.load_folder.is_dir()
        with urllib.request.urlopen(server.url + "?query=ASK%7B%7D", timeout=10) as r:
            assert r.status == 200
        assert virtuoso.attach({}, tmp_path) is None
        with pytest.raises(RuntimeError, match="POLICYKG_TEST_VIRTUOSO_LOAD"):
            virtuoso.attach({k: v for k, v in env.items() if not k.endswith("_LOAD")}, tmp_path)
    finally:
        stopped = command("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert tree(pid) == [] and not folder.exists()                     # gone (at most a zombie)
    assert command("stop").returncode == 1                           # nothing started there


def test_the_answers_benchmark_runs_on_a_store(store, tmp_path, capsys):
    from bench.answers import main
    from kg.search import connect, index_path, sync

    # a consistent copy: opening the session's store read-only while this process still has it open
    # for writing can meet an SST file its background compaction has just removed (RocksDB)
    copy = tmp_path / "store"
    store.backup(str(copy))
    sync(connect(index_path(copy)), store)               # the search figures need the index beside the store
    out = tmp_path / "answers.json"
    assert main(["--store", str(copy), "--reps", "1", "--agencies", "cn/customs", "--json", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["documents"] == 5 and r["quads"] == len(store)
    assert set(r["bound"]) == {"document_detail", "task_detail", "document_view", "agency_profile cn/customs",
                               "neighbourhood cn/customs"}
    assert r["bound"]["agency_profile cn/customs"]["tasks"] > 5
    assert all(x["seconds"] > 0 and x["ratio"] == x["baseline"] / x["seconds"] for x in r["bound"].values())
    assert len(r["search"]) == 9 and any(x["hits"] for x in r["search"])
    assert "| agencies_with_metrics |" in capsys.readouterr().out


def test_the_pages_benchmark_serves_the_store_and_times_every_page(store, tmp_path, capsys):
    from bench.pages import main

    copy = tmp_path / "store"
    store.backup(str(copy))
    out = tmp_path / "pages.json"
    assert main(["--store", str(copy), "--reps", "1", "--baseline", "--json", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    assert len(r["pages"]) == 17 and all(p["status"] == 200 and p["warm_status"] == [200] for p in r["pages"])
    assert all(p["bytes"] > 20 and p["first_s"] > 0 for p in r["pages"])
    assert r["baseline"]["documents"] == 5 and r["baseline"]["whole_store_document_list_s"] > 0
    assert r["baseline"]["agency_documents"] >= 1 and r["baseline"]["agency_from_store_s"] > 0
    printed = capsys.readouterr().out
    assert "baseline: the whole-store document list" in printed and "profile and picture from the store" in printed


def test_the_comparison_pass_is_measured_per_checkout_against_the_pairs(material, tmp_path):
    from bench.compare_memory import measure, table
    from kg.compare.graph import PARALLEL_FROM

    from ..conftest import CORPUS

    src = generate(40, tmp_path / "docs", seed=5, material=material)
    base = tmp_path / "store-compare-40-s5"                # where measure looks for its store
    store = open_store(base)
    ingest_paths(store, [CORPUS, src])                     # the national documents they implement
    comparisons = [g.value for g in store.named_graphs() if "/graph/comparison/" in g.value]
    for g in comparisons:
        store.update(f"DROP GRAPH <{g}>")
    del store
    (base / ".complete").write_text("ok")
    r = measure(tmp_path, 40, 5, 2, before=ROOT)           # this checkout twice
    before, after = r["runs"]["before"], r["runs"]["after"]
    assert after["pairs"] == after["graphs"] == len(comparisons) >= PARALLEL_FROM and r["same_graphs"]
    assert before["digest"] == after["digest"] and after["workers_seen"] == 2
    marks = [x["pairs"] for x in after["by_pairs"]]
    assert marks[-1] == len(comparisons) and marks == sorted(marks)
    assert all(x["writer"] > 0 for x in after["by_pairs"]) and after["by_pairs"][-1]["worker"] > 0
    assert "same comparison graphs: yes" in table(r) and not (tmp_path / f"{base.name}.run").exists()


def test_one_worker_aligning_new_text_is_measured_per_checkout(tmp_path, capsys):
    from bench.compare_memory import main

    out = tmp_path / "worker.json"
    assert main(["--count", "0", "--worker-pairs", "12", "--before", str(ROOT), "--json", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["runs"] == {} and set(r["worker_alone"]) == {"before", "after"}
    assert [x["pairs"] for x in r["worker_alone"]["after"]] == [2, 4, 6, 8, 10, 12]
    assert all(x["rss"] > 50 * 2**20 for x in r["worker_alone"]["after"])      # jieba's dictionary at least
    assert "one worker aligning new text, after: 2 pairs" in capsys.readouterr().out
