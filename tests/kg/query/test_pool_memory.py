"""kg.query.memory: a query worker past its memory ceiling (POLICYKG_WORKER_MEMORY) fails with
K214 and is replaced; the pool answers the next query. Also the per-document calls' time limit."""

from __future__ import annotations

import json
import os

import pytest

from kg.docview import document_page
from kg.errors import KGError
from kg.network.profiles import list_documents
from kg.query.pool import Job, QueryPool, wait_pool

from .test_pool import sleeping

CEILING = 400          # MiB: a worker on the bundled corpus holds about 130 MB of data


def literal_of(digits: int) -> str:
    """A query binding one literal of 10**digits characters, built by CONCAT from ten characters
    (its text is about 80 characters a step): Oxigraph allocates it whole."""
    binds = ['BIND("0123456789" AS ?v1)']
    for i in range(2, digits + 1):
        binds.append(f"BIND(CONCAT({', '.join([f'?v{i - 1}'] * 10)}) AS ?v{i})")
    return f"SELECT (STRLEN(?v{digits}) AS ?n) WHERE {{ {' '.join(binds)} }}"


def allocate(store, size: int) -> int:
    """A call that allocates ``size`` bytes in the worker (run there by reference)."""
    return len(bytearray(size))


def worker_pid(store) -> int:
    return os.getpid()


def count(payload) -> int:
    return int(json.loads(payload.body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def limited(store, store_dir):
    store.flush()
    p = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=60, memory_mib=CEILING)
    yield p
    p.close()


def test_a_literal_within_the_ceiling_is_answered(limited):
    assert count(limited.run(Job(literal_of(7), "json", "nt", 10))) == 10**7        # 10 MB


def test_a_literal_past_the_ceiling_stops_its_worker_with_k214_and_the_next_query_works(limited):
    before = limited.call(worker_pid)
    with pytest.raises(KGError) as e:
        limited.run(Job(literal_of(9), "json", "nt", 10))                         # 1 GB: Oxigraph aborts
    assert e.value.code == "K214" and f"{CEILING} MiB" in e.value.message and "POLICYKG_WORKER_MEMORY" in e.value.message
    assert limited.call(worker_pid) != before                                    # replaced
    assert count(limited.run(Job(literal_of(6), "json", "nt", 10))) == 10**6


def test_python_out_of_memory_in_a_call_is_k214_too(limited):
    before = limited.call(worker_pid)
    with pytest.raises(KGError) as e:
        limited.call(allocate, 1 << 30)                                          # MemoryError in the worker
    assert e.value.code == "K214"
    assert limited.call(worker_pid) != before
    assert limited.call(allocate, 10 << 20) == 10 << 20


def test_without_a_ceiling_the_same_allocation_is_made(store_dir):
    p = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=60, memory_mib=0)
    try:
        assert p.call(allocate, 1 << 30) == 1 << 30
    finally:
        p.close()


def test_the_in_memory_copy_is_made_under_the_ceiling(store_dir):
    p = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=60, memory_quads=2_000_000,
                  memory_mib=CEILING)
    try:
        assert wait_pool(p, 1, 60.0) == ["memory"]
        assert count(p.run(Job(literal_of(7), "json", "nt", 10))) == 10**7
    finally:
        p.close()


def test_a_document_call_has_the_query_time_limit(store, store_dir):
    key = next(d["key"] for d in list_documents(store) if not d["partial"])
    p = QueryPool(str(store_dir), workers=1, timeout=2.0, call_timeout=60)
    try:
        assert p.call(document_page, key, document=True) == document_page(store, key)
        with pytest.raises(KGError) as e:
            p.call(sleeping, 30, document=True)
        assert e.value.code == "K204" and "2 s" in e.value.message
        assert p.call(sleeping, 3) == "late"               # without ``document``: the whole-store limit
    finally:
        p.close()
