"""The atheris fuzz target (fuzz/fuzz_extract.py): stored inputs replayed on every run, and a
bounded coverage-guided run (marker ``fuzz``, about 20 s)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
STORED = ROOT / "tests" / "data" / "fuzz"


def test_stored_fuzz_inputs_replay_cleanly():
    sys.path.insert(0, str(ROOT))
    from fuzz.replay import run_stages

    files = sorted(p for p in STORED.iterdir() if p.is_file())
    assert files, "tests/data/fuzz/ holds the inputs to replay"
    for path in files:
        run_stages(path.read_bytes())


@pytest.mark.fuzz
def test_fuzz_target_finds_no_crash_in_20_seconds(tmp_path):
    import importlib.util

    from fuzz.run import run

    assert importlib.util.find_spec("atheris"), "atheris is required for this test: pip install 'atheris>=2.3,<4'"

    done = run(20, tmp_path / "artifacts")
    crashes = sorted(p.name for p in (tmp_path / "artifacts").iterdir())
    assert done.returncode == 0 and not crashes, (crashes, done.stderr[-3000:])
    assert "Done" in done.stderr and "stat::number_of_executed_units" in done.stderr
