"""Run the fuzz target for a bounded time: ``python -m fuzz.run --seconds 60``.

Seeds are cut from the bundled corpus at run time (paragraph runs of each .txt and .html
document, and each document whole), written to a temporary directory with the working
corpus libFuzzer grows. Exit status 0: no crash in the time given; 1: a crash, whose input
is left as ``crash-*`` in ``--artifacts`` (default: a temporary directory, printed).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(__file__).resolve().parent / "fuzz_extract.py"


def write_seeds(folder: Path, max_len: int) -> int:
    count = 0
    for path in sorted((ROOT / "corpus").glob("*.*")):
        if path.suffix not in (".txt", ".html"):
            continue
        data = path.read_bytes()
        pieces = [data[:max_len]]
        lines = data.split(b"\n")
        for i in range(0, len(lines), 12):
            pieces.append(b"\n".join(lines[i:i + 12])[:max_len])
        for piece in pieces:
            (folder / hashlib.sha1(piece).hexdigest()).write_bytes(piece)
            count += 1
    return count


def run(seconds: int, artifacts: Path, max_len: int = 4096, jobs_dir: Path | None = None) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="policykg-fuzz-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        write_seeds(seeds, max_len)
        artifacts.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(TARGET), f"-max_total_time={seconds}", f"-max_len={max_len}",
               "-timeout=20", "-rss_limit_mb=3072", f"-artifact_prefix={artifacts}/", "-print_final_stats=1",
               str(seeds)]
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=seconds + 120,
                              cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--artifacts", type=Path, default=None)
    args = ap.parse_args(argv)
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="policykg-fuzz-artifacts-"))
    done = run(args.seconds, artifacts)
    tail = "\n".join(done.stderr.splitlines()[-25:])
    print(tail)
    crashes = sorted(artifacts.glob("crash-*")) + sorted(artifacts.glob("timeout-*"))
    print(f"exit {done.returncode}; artifacts in {artifacts}: {[c.name for c in crashes] or 'none'}")
    return 0 if done.returncode == 0 and not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
