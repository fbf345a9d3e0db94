"""Extraction into shards on a Dask cluster (dask.distributed): ``policykg extract --dask``.

Each shard is one Dask task running ``kg.shards.extract_shard`` on a worker, which reads the
inputs and writes the shard's files itself: inputs and the output directory must be at the
same paths on every worker (a shared filesystem; on one machine, ``--dask local``). Dask
schedules the tasks and, when a worker dies, runs its tasks again on another; a shard's files
are written atomically (temporary file + rename) and its manifest last, so a task cut short
leaves no half shard, and one run twice writes the same bytes. What comes back to the client
is small: each shard's counts and its failed inputs' reports.

dask[distributed] is an optional dependency (``pip install 'policykg[dask]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import KGError
from .shards import Mapper

RETRIES = 2                   # a task that raised runs this many more times (a dead worker: Dask's own count)
CONNECT_TIMEOUT = "30s"


@contextmanager
def dask_mapper(address: str, workers: int = 2, timeout: str = CONNECT_TIMEOUT) -> Iterator[Mapper]:
    """A ``kg.shards.Mapper`` running each shard as a task of the Dask scheduler at
    ``address`` (tcp://host:8786), or of a ``LocalCluster`` of ``workers`` single-threaded
    worker processes when ``address`` is ``local``. Results come as the tasks finish. K704
    when the scheduler does not answer within ``timeout``."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:
        raise KGError("K704", "dask.distributed is not installed: pip install 'policykg[dask]'") from e
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise KGError("K704", f"{address} ({e})") from e

    def run(fn, shards):
        futures = client.map(fn, shards, pure=False, retries=RETRIES)
        try:
            for future in as_completed(futures):
                yield future.result()           # a task that failed for good raises here
                future.release()
        finally:
            client.cancel(futures)

    try:
        yield run
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
