"""A ceiling on each query worker's memory (POLICYKG_WORKER_MEMORY).

A query can make Oxigraph allocate without bound — a literal built by ``CONCAT`` of itself ten
times over grows tenfold at each ``BIND`` — and the time limit stops it only after the memory
of the machine may be gone. Each worker therefore limits its data segment (``RLIMIT_DATA``: the
heap and private writable mappings, which is what a query grows). Not its address space
(``RLIMIT_AS``): that counts the store's mapped files and the address space threads only
reserve, about 1 GB for a worker holding 130 MB of data on the bundled corpus.

Past the limit an allocation fails: in Python with ``MemoryError`` (the worker reports K214 and
exits), in Oxigraph's Rust code by aborting the process (SIGABRT; the pool reports K214 when a
worker with a limit dies so). Either way the pool replaces the worker; the service and the
other workers go on.
"""

from __future__ import annotations

import resource
import signal

from ..errors import KGError


def limit_memory(mib: int) -> None:
    """Limit this process's data segment to ``mib`` MiB (soft and hard: it cannot be raised
    again); 0 or less: no limit."""
    if mib <= 0:
        return
    limit = mib << 20
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def out_of_memory(mib: int) -> KGError:
    return KGError("K214", f"limit {mib} MiB")


def died_of_memory(exitcode: int | None, mib: int) -> bool:
    """Whether a worker that stopped with ``exitcode`` ran past its limit: Rust aborts the
    process when an allocation fails ("memory allocation of N bytes failed")."""
    return mib > 0 and exitcode == -signal.SIGABRT
