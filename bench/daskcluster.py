"""A real Dask cluster on loopback: a ``dask scheduler`` process and ``dask worker`` processes.

For the cluster tests (tests/kg/test_cluster.py) and the scale-out benchmark
(bench/scaleout.py): each is its own process started from the command line, as on a real
cluster, reached only over TCP; the scheduler's address comes from its scheduler file. Each
worker command runs one single-threaded worker under its nanny (which starts it again when
it dies). The workers import PolicyKG as this process does (same interpreter, same
environment: PYTHONPATH included).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SCHEDULER = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
WORKER = [sys.executable, "-m", "distributed.cli.dask_worker"]


@dataclass
class DaskCluster:
    folder: Path
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)
    address: str = ""

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    def processes(self) -> list[subprocess.Popen]:
        return [*self.workers, self.scheduler]

    def stop(self, wait: float = 30.0) -> None:
        """SIGTERM to the workers (each closes its worker and nanny), then to the scheduler;
        what has not exited after ``wait`` seconds gets SIGKILL, its whole process group."""
        for group in (self.workers, [self.scheduler]):
            for p in group:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + wait
            for p in group:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(timeout=10)
        for p in self.processes():               # a nanny's worker left behind by a killed nanny
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)

    def log(self) -> str:
        return "\n".join(f"--- {f.name}\n" + f.read_text(errors="replace")[-3000:]
                         for f in sorted(self.folder.glob("*.log")))


def _spawn(command: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:                      # the child keeps its own copy
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def start(folder: Path, workers: int = 2, wait: float = 120.0) -> DaskCluster:
    """Start a scheduler on 127.0.0.1 (a free port) and ``workers`` worker processes in
    ``folder``; return once every worker has joined. RuntimeError with the processes' output
    when the cluster is not up within ``wait`` seconds (everything started is stopped)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scheduler.json").unlink(missing_ok=True)          # an earlier cluster's address
    cluster = DaskCluster(folder, _spawn([*SCHEDULER, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                          "--scheduler-file", str(folder / "scheduler.json")],
                                         folder / "scheduler.log"))
    try:
        deadline = time.monotonic() + wait
        cluster.address = _read_address(cluster, deadline)
        for k in range(workers):
            cluster.workers.append(_spawn(
                [*WORKER, "--scheduler-file", str(cluster.scheduler_file), "--host", "127.0.0.1",
                 "--nthreads", "1", "--nworkers", "1", "--name", f"worker-{k}", "--no-dashboard",
                 "--local-directory", str(folder / f"worker-{k}"), "--death-timeout", "60"],
                folder / f"worker-{k}.log"))
        _wait_for_workers(cluster, workers, deadline)
    except BaseException:
        cluster.stop(wait=10)
        raise
    return cluster


def _read_address(cluster: DaskCluster, deadline: float) -> str:
    while time.monotonic() < deadline:
        if cluster.scheduler.poll() is not None:
            break
        try:
            return json.loads(cluster.scheduler_file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise RuntimeError(f"the Dask scheduler did not start:\n{cluster.log()}")


def _wait_for_workers(cluster: DaskCluster, n: int, deadline: float) -> None:
    from distributed import Client

    with Client(cluster.address, timeout="30s") as client:
        while time.monotonic() < deadline:
            if len(client.scheduler_info()["workers"]) >= n:
                return
            if any(p.poll() is not None for p in cluster.processes()):
                break
            time.sleep(0.2)
    raise RuntimeError(f"{n} Dask workers did not join {cluster.address}:\n{cluster.log()}")
