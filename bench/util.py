"""Helpers shared by the benchmark sections: paths, the generated corpus, memory, percentiles."""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def corpus(work: Path, count: int, seed: int = 1) -> Path:
    """The generated corpus of ``count`` documents (made once, kept under ``work``)."""
    out = work / f"docs-{count}-s{seed}"
    if not (out / "manifest.tsv").exists() or not (out / ".complete").exists():
        from .generate import generate

        log(f"generating {count} documents in {out}")
        shutil.rmtree(out, ignore_errors=True)
        generate(count, out, seed)
        (out / ".complete").write_text("ok")
    return out


def manifest(folder: Path) -> list[tuple[Path, int]]:
    rows = (folder / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(folder / r.split("\t")[0], int(r.split("\t")[3])) for r in rows]


def proc_rss(pid: int) -> int:
    """Resident memory of one process, bytes (OSError once it has ended)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def proc_children(pid: int) -> list[int]:
    """The process ids of a process's children (OSError once it has ended)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def rss_tree(pid: int) -> int:
    """Resident memory of a process and all its descendants, bytes (read from /proc; a
    process that ends while it is read counts 0)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError, ValueError):
            total += proc_rss(p)
            todo += proc_children(p)
    return total


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def finish(result: dict, table, json_path: str | None) -> int:
    """What each benchmark script ends with: its table on stdout, its figures as JSON if asked."""
    print(table(result))
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0
