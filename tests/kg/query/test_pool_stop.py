"""How kg.query.pool's workers end: a worker replaced from a thread that then ends keeps
answering; ``close`` ends a worker in the middle of a job, and the caller hears why."""

from __future__ import annotations

import threading
import time

import pytest

from kg.errors import KGError
from kg.query.pool import QueryPool

from .test_pool import sleeping


def test_a_worker_replaced_from_a_thread_that_ended_keeps_answering(store, store_dir):
    store.flush()
    pool = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=2.0)
    try:
        seen = []

        def request() -> None:                 # like a request thread of a server that makes one per request
            with pytest.raises(KGError) as e:
                pool.call(sleeping, 60)        # overruns: its worker is killed and replaced from here
            seen.append(e.value.code)
            seen.append(pool.call(sleeping, 0))    # the new worker is up (it has asked to die with its parent)

        thread = threading.Thread(target=request)
        thread.start()
        thread.join()
        assert seen == ["K209", "late"]
        time.sleep(1.0)
        assert pool.call(sleeping, 0) == "late"   # still there after the thread that replaced it ended
    finally:
        pool.close()


def test_close_ends_a_busy_worker_and_its_caller_hears_the_service_is_stopping(store, store_dir):
    store.flush()
    pool = QueryPool(str(store_dir), workers=2, timeout=60, call_timeout=600)
    processes = [w.process for w in pool._all]
    errors = []

    def request() -> None:
        try:
            pool.call(sleeping, 600)
        except KGError as e:
            errors.append(e)

    thread = threading.Thread(target=request)
    thread.start()
    time.sleep(1.0)
    started = time.monotonic()
    pool.close(wait=0.5)
    assert time.monotonic() - started < 10
    thread.join(timeout=30)
    assert [(e.code, e.detail) for e in errors] == [("K205", "the service is stopping")]
    assert len(processes) == 2 and not any(p.is_alive() for p in processes)
    with pytest.raises(KGError) as e:          # nothing more runs, and no worker is started again
        pool.call(sleeping, 0)
    assert e.value.detail == "the service is stopping" and pool._all == []
