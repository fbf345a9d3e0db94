"""How kg's worker processes end: never after their parent, and at once when the parent is asked to stop.

The query workers (``kg.query.pool``) and the extraction and comparison workers
(``kg.workers``) are separate processes. A parent that is stopped with a signal's default
action, or killed, would leave them running — a query over a cartesian product for hours.

- ``as_worker(parent)`` is the first thing a worker runs. On Linux it asks the kernel to send
  the worker SIGKILL the moment its parent dies, however the parent dies (SIGKILL included):
  ``prctl(PR_SET_PDEATHSIG, SIGKILL)``. It also ignores SIGINT: Ctrl-C in a terminal reaches the
  whole process group, and the parent decides how its workers end. On other systems only the
  second holds (README, "Stopping").
- The kernel's "parent" is the *thread* that started the worker: when that thread ends, the
  worker is killed although the process lives on. Workers that outlive the call that started
  them (the query pool's, replaced from whichever request thread saw a query overrun) are
  therefore started by ``start``, from one thread that lives as long as the process.
- ``stop_on_signals`` turns SIGTERM, SIGINT and SIGHUP into ``Stopped``, raised in the main
  thread, so that the parent unwinds and ends its workers; ``end`` terminates, then kills,
  then waits for a list of processes.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future

PR_SET_PDEATHSIG = 1                    # <linux/prctl.h>
PR_GET_PDEATHSIG = 2
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """SIGTERM, SIGINT or SIGHUP arrived (``stop_on_signals``). A KeyboardInterrupt, so that
    what already ends cleanly on Ctrl-C (waitress's loop, ``finally`` blocks) does so here too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _prctl(option: int, arg: ctypes.c_ulong) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, arg, ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def die_with_parent() -> bool:
    """Have the kernel kill this process (SIGKILL) when its parent dies; False where the
    system has no such thing (only Linux has)."""
    if not sys.platform.startswith("linux"):
        return False
    _prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL))
    return True


def parent_death_signal() -> int:
    """The signal this process gets when its parent dies (0: none)."""
    if not sys.platform.startswith("linux"):
        return 0
    value = ctypes.c_int(0)
    _prctl(PR_GET_PDEATHSIG, ctypes.c_ulong(ctypes.addressof(value)))
    return value.value


def as_worker(parent: int) -> None:
    """Run first in a worker whose parent process is ``parent`` (its pid): die with the parent,
    leave SIGINT to it. A parent that died before this ran sends no signal any more: the
    worker then exits at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


_starts: queue.SimpleQueue | None = None
_starts_lock = threading.Lock()


def _starter() -> None:
    while True:
        process, done = _starts.get()
        try:
            process.start()
        except BaseException as e:  # noqa: BLE001 - handed to the caller of start()
            done.set_exception(e)
        else:
            done.set_result(None)


def start(process) -> None:
    """``process.start()`` (a ``multiprocessing`` process) from one thread that lives as long
    as this process, so that the worker's parent-death signal fires only when the process ends,
    not when the thread that asked for the worker does."""
    global _starts
    with _starts_lock:
        if _starts is None:
            _starts = queue.SimpleQueue()
            threading.Thread(target=_starter, name="policykg-process-starter", daemon=True).start()
    done: Future = Future()
    _starts.put((process, done))
    done.result()


def end(processes: Iterable, wait: float = 0.0, grace: float = 1.0) -> None:
    """End ``multiprocessing`` processes: give them ``wait`` seconds to exit by themselves (after
    being asked to by the caller), then SIGTERM, ``grace`` seconds later SIGKILL, and wait for
    each (at most 5 s: a process in an uninterruptible wait dies when that wait ends)."""
    alive = list(processes)
    for limit, action in ((wait, None), (grace, "terminate"), (5.0, "kill")):
        alive = [p for p in alive if p.is_alive()]
        if action:
            for p in alive:
                getattr(p, action)()
        deadline = time.monotonic() + limit
        for p in alive:
            p.join(max(0.0, deadline - time.monotonic()))


def stop_on_signals(on_stop: Callable[[int], None] | None = None) -> None:
    """From now on SIGTERM, SIGINT and SIGHUP stop this process: the first calls ``on_stop(signum)``
    (when given) and raises ``Stopped`` in the main thread; later ones are ignored, so that the
    stopping itself (ending workers, finishing the write under way) is not cut short. Call it
    from the main thread."""
    fired: list[int] = []

    def handler(signum, _frame) -> None:
        if fired:
            return
        fired.append(signum)
        if on_stop is not None:
            on_stop(signum)
        raise Stopped(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, handler)
