"""A process and everything it started, read from /proc (Linux): to check that none of them is
left running after the process was stopped or killed."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state is [0], parent [1], start
    time [19]); None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


@dataclass(frozen=True)
class Proc:
    pid: int
    started: str            # start time in clock ticks since boot: tells a reused pid apart

    def running(self) -> bool:
        """Not exited (a zombie has exited: it only waits for its parent to read its status)."""
        fields = _stat(self.pid)
        return fields is not None and fields[19] == self.started and fields[0] != "Z"

    def cmdline(self) -> str:
        try:
            with open(f"/proc/{self.pid}/cmdline", "rb") as f:
                return f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return "?"


def tree(root: int) -> list[Proc]:
    """``root`` and all its descendants now running."""
    children: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
            started[int(entry)] = fields[19]
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in started:
            found.append(Proc(pid, started[pid]))
            todo.extend(children.get(pid, []))
    return found


def left_running(procs: list[Proc], within: float) -> list[str]:
    """The command lines of those of ``procs`` still running ``within`` seconds from now (an
    empty list as soon as none is)."""
    deadline = time.monotonic() + within
    while True:
        alive = [p for p in procs if p.running()]
        if not alive or time.monotonic() > deadline:
            return [f"{p.pid}: {p.cmdline()}" for p in alive]
        time.sleep(0.1)


def busy(procs: list[Proc], cpu_seconds: float, within: float) -> bool:
    """Whether ``procs`` together used ``cpu_seconds`` of CPU from now on, waiting at most ``within``."""
    ticks = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        return sum((int(f[11]) + int(f[12])) / ticks for p in procs if (f := _stat(p.pid)) is not None)

    start, deadline = used(), time.monotonic() + within
    while time.monotonic() < deadline:
        if used() - start >= cpu_seconds:
            return True
        time.sleep(0.1)
    return False
