"""The read-only guard decides from a parse, and the query workers cannot connect anyway (#17, 1).

Every SERVICE variant of tests/kg/sparql_attacks.py is first shown to be a real attack: Oxigraph,
unguarded and unsandboxed, connects to a loopback listener for (nearly) all of them. Then the
guard refuses every one of them, the sandbox alone stops every one of them, and the service's
query workers run sandboxed.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

import pytest

from kg.errors import KGError
from kg.query.pool import QueryPool
from kg.query.sandbox import network_denied
from kg.query.sparql import check_query, run_query

from .sparql_attacks import NAMED_IN_THE_ISSUE, attack, variants

POL = "https://w3id.org/policykg/ontology#"


def _attack_in_a_child(sandboxed: bool) -> dict[str, str]:
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(attack, sandboxed).result(timeout=300)


@pytest.fixture(scope="module")
def unguarded():
    return _attack_in_a_child(sandboxed=False)


def test_the_variants_are_real_attacks(unguarded):
    connected = {name for name, outcome in unguarded.items() if outcome == "connected"}
    assert set(NAMED_IN_THE_ISSUE) <= connected
    assert len(connected) >= 100, sorted(set(unguarded) - connected)


def test_the_guard_refuses_every_variant():
    for name, query in variants("http://127.0.0.1:9"):
        with pytest.raises(KGError) as e:
            check_query(query)
        assert e.value.code in ("K203", "K201"), (name, e.value)


def test_the_guard_names_service_where_it_can_read_the_query(unguarded):
    readable = [(n, q) for n, q in variants("http://127.0.0.1:9") if "glued" not in n and "escape" not in n
                and "\\u" not in n]
    for name, query in readable:
        with pytest.raises(KGError) as e:
            check_query(query)
        assert e.value.code == "K203" and "SERVICE" in str(e.value), name


def test_a_sandboxed_process_never_connects_whatever_oxigraph_is_asked(unguarded):
    sandboxed = _attack_in_a_child(sandboxed=True)
    assert sandboxed.keys() == unguarded.keys()
    assert "connected" not in sandboxed.values()
    assert sum(1 for n in sandboxed if unguarded[n] == "connected" and sandboxed[n] == "no connection") >= 100


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service a pol:Task } LIMIT 1",
    f"PREFIX with: <{POL}> SELECT ?t WHERE {{ ?t a with:Task }} LIMIT 1",
    f"PREFIX service: <{POL}> SELECT ?t WHERE {{ ?t a service:Task }} LIMIT 1",
    f"PREFIX load: <{POL}> SELECT ?load ?with WHERE {{ ?load a load:Task . BIND(1 AS ?with) }} LIMIT 1",
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) }',
    "SELECT ?t WHERE { ?t a <https://w3id.org/policykg/ontology#Task> # SERVICE <http://127.0.0.1:9/>\n } LIMIT 1",
])
def test_names_and_words_that_look_like_keywords_are_answered(store, query):
    assert len(list(run_query(store, query))) == 1, query


@pytest.mark.parametrize(("query", "code"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "K202"),
    ("prefix p: <urn:>\n# c\ndelete where { ?s p:x ?o }", "K202"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "K203"),
    ("load silent <http://127.0.0.1:9/x> into graph <urn:g>", "K203"),
    ("SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }", "K201"),
    ("SELECT * WHERE { " + "{ " * 400 + "?s ?p ?o" + " }" * 400 + " }", "K201"),
    ("ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }", "K201"),
])
def test_updates_loads_and_unreadable_queries_are_refused(query, code):
    with pytest.raises(KGError) as e:
        check_query(query)
    assert e.value.code == code


def test_project_queries_without_suspect_words_skip_the_parse_but_not_the_depth_limit():
    from kg.query.sparql import MAX_NESTING

    assert check_query("SELECT ?t WHERE { ?t a pol:Task }") is None
    with pytest.raises(KGError) as e:
        check_query("ASK { FILTER(" + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1) + ") }")
    assert e.value.code == "K201" and "nested too deeply" in str(e.value)


def test_query_workers_run_sandboxed_and_the_setting_turns_it_off(store_dir, store):
    assert not network_denied()                      # this test process keeps its network
    for sandbox in (True, False):
        pool = QueryPool(str(store_dir), workers=1, timeout=60, call_timeout=60, sandbox=sandbox)
        try:
            assert pool.call(network_denied) is sandbox
        finally:
            pool.close()


def test_a_syntax_error_in_a_worker_is_oxigraphs_own_message(store_dir, store):
    from kg.query.pool import Job

    pool = QueryPool(str(store_dir), workers=1, timeout=60)
    try:
        with pytest.raises(KGError) as e:
            pool.run(Job("SELECT ?x WHERE { ?x ", "json", "ttl", 10))
        assert e.value.code == "K201" and "1:22" in str(e.value)
        glued = dict(variants("http://127.0.0.1:9"))["SERVICE/pname-glued/top"]
        with pytest.raises(KGError) as e:
            pool.run(Job(glued, "json", "ttl", 10))
        assert e.value.code == "K201" and "guard cannot read this query" in str(e.value)
    finally:
        pool.close()


CHAINS = {       # (query, how many repetitions crashed Oxigraph in a process of its own, ~2× the least)
    "objects": (lambda n: "ASK { <http://a> <http://b> 1" + ", 1" * n + " }", 5_000),
    "collection": (lambda n: "ASK { <http://a> <http://b> (" + " 1" * n + ") }", 9_000),
    "not": (lambda n: "ASK { FILTER(" + "!" * n + "true) }", 19_000),
    "union": (lambda n: "SELECT * WHERE { {?s ?p ?o}" + " UNION {?s ?p ?o}" * n + " }", 14_000),
}


def _crashes(query: str) -> int:
    import subprocess
    import sys

    code = "import pyoxigraph as ox, sys\nlist(ox.Store().query(sys.stdin.read()) or [])"
    return subprocess.run([sys.executable, "-c", code], input=query, capture_output=True, text=True,
                          timeout=120).returncode


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chains_that_overflow_oxigraphs_stack_are_refused(name):
    """Issue #17, defect 8: not only brackets make Oxigraph recurse. Each chain first crashes a
    process of its own (SIGSEGV: its stack overflowed), then the guard refuses it (K201)."""
    make, crashing = CHAINS[name]
    assert _crashes(make(crashing)) < 0
    with pytest.raises(KGError) as e:
        check_query(make(crashing))
    assert e.value.code == "K201" and "too long" in e.value.message
    check_query(make(100))                           # a short one passes


def test_values_blocks_are_not_counted():
    """VALUES data are flat (50,000 values answered): a long list of values passes the guard."""
    check_query("SELECT ?x WHERE { VALUES ?x { " + " ".join(f"<http://example.org/{i}>" for i in range(50_000)) + " } }")
    check_query("SELECT ?x ?y WHERE { ?x ?p ?y } VALUES (?x ?y) { " + "(1 2) " * 20_000 + "}")
