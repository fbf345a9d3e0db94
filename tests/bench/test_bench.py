"""The benchmark tools (bench/): a deterministic generator and a script that runs end to end.

The benchmarks themselves are scripts (python -m bench.run), never timed tests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.generate import check, generate, load_material

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
    assert figures["queries"]["quads"] == bulk["triples"]
    assert "| ingest | tx | 1 | 3 |" in res.stdout and "| ingest | bulk | 1 | 3 |" in res.stdout
