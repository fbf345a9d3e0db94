"""The store loses nothing.

* ``policykg ingest`` killed with SIGKILL in the middle of a batch: the store opens again,
  every document reported before the kill is intact (same triples as a clean ingest of the
  same file) and the interrupted one is complete or absent.
* ``policykg ingest --jobs 2`` stopped with SIGTERM: its workers are gone a few seconds later,
  every document in the store is whole.
* A reader polling per-document task counts (``FollowingStore``, and a real server's SPARQL
  endpoint) while ``policykg ingest`` writes never sees a partial document.
* Ingesting the same files twice leaves the same triples: covered by
  tests/kg/store/test_embedded.py::test_ingesting_again_gives_the_same_triples (not repeated here).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from kg.ingest import ingest_paths
from kg.store.embedded import FollowingStore, document_graphs, open_store

from ...conftest import DOC_3, ROOT

COPIES = 40
TASKS_PER_GRAPH = """SELECT ?g (COUNT(?t) AS ?n) WHERE { GRAPH ?g { ?t a <https://w3id.org/policykg/ontology#Task> } }
GROUP BY ?g"""


def _copies(folder, n=COPIES):
    """n distinct documents: 国发〔2019〕3号 with its 文号 line changed."""
    folder.mkdir()
    text = DOC_3.read_text(encoding="utf-8")
    assert text.count("国发〔2019〕3号") == 1
    for i in range(n):
        (folder / f"doc-{i:03d}.txt").write_text(text.replace("国发〔2019〕3号", f"国发〔2019〕{100 + i}号"),
                                                encoding="utf-8")
    return folder


def _triples(store, graph: str) -> set[str]:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    return set(data.decode("utf-8").splitlines())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return _copies(tmp_path_factory.mktemp("copies") / "docs")


@pytest.fixture(scope="module")
def few(tmp_path_factory):
    """12 copies: enough for readers to poll during an ingest, in a quarter of the time."""
    return _copies(tmp_path_factory.mktemp("few") / "docs", 12)


@pytest.fixture(scope="module")
def clean(inputs, tmp_path_factory):
    """The same files ingested without interruption: {graph IRI: N-Triples lines}."""
    st = open_store(tmp_path_factory.mktemp("clean"))
    reports = ingest_paths(st, [inputs])
    assert all(r.status == "loaded" for r in reports), reports
    return {g: _triples(st, g) for g in document_graphs(st)}


def _ingest_process(inputs, store_dir, *flags, **env):
    # per-file lines are printed as each document is written (unbuffered, to see them live)
    return subprocess.Popen([sys.executable, "-m", "policykg", "ingest", str(inputs), "--store", str(store_dir),
                             *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1", **env))


def _kill_after(proc, n: int) -> list[str]:
    """SIGKILL ``proc`` once it has reported ``n`` documents written; their file names."""
    reported = []
    deadline = time.monotonic() + 120
    try:
        for line in proc.stdout:                     # one line per document written
            if line.startswith("loaded"):
                reported.append(line.split()[1].rstrip(":"))
            if len(reported) >= n or time.monotonic() > deadline:
                break
        os.kill(proc.pid, signal.SIGKILL)            # in the middle of the next documents
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(reported) >= n, "the ingest reported documents before it was killed"
    return reported


def _iri(name: str) -> str:
    return f"https://w3id.org/policykg/doc/国发〔2019〕{100 + int(name[-7:-4])}号"


def test_sigkill_during_ingest_loses_nothing(inputs, clean, tmp_path):
    store_dir = tmp_path / "store"
    reported = _kill_after(_ingest_process(inputs, store_dir), 4)

    st = open_store(store_dir)                       # opens again after the crash
    graphs = document_graphs(st)
    assert 4 <= len(graphs) < COPIES, len(graphs)
    for name in reported:                            # reported before the kill: intact
        assert _iri(name) in graphs
    for g in graphs:                                 # each document complete (never half)
        assert _triples(st, g) == clean[g], g
    for g in set(clean) - set(graphs):
        assert not st.contains_named_graph(ox.NamedNode(g))
    # the store keeps working: the rest is loaded on the next run, like a clean ingest
    reports = ingest_paths(st, [inputs])
    assert all(r.status in ("loaded", "replaced") for r in reports)
    assert {g: _triples(st, g) for g in document_graphs(st)} == clean


def test_sigkill_during_a_bulk_ingest_is_repaired_by_running_it_again(inputs, clean, tmp_path):
    # --bulk is not crash-safe (README): what a batch wrote before the kill may be partial,
    # but what was reported is whole, and the same command run again gives the clean store
    store_dir = tmp_path / "store"
    reported = _kill_after(_ingest_process(inputs, store_dir, "--bulk", POLICYKG_BULK_BATCH="3"), 6)
    st = open_store(store_dir)
    graphs = document_graphs(st)
    assert len(graphs) < COPIES
    for name in reported:
        assert _triples(st, _iri(name)) == clean[_iri(name)]
    reports = ingest_paths(st, [inputs], bulk=True)
    assert not [r for r in reports if r.status == "failed"]
    assert {g: _triples(st, g) for g in document_graphs(st)} == clean


def test_sigterm_during_a_parallel_ingest_ends_its_workers_and_keeps_the_store_whole(few, clean, tmp_path):
    from ...processes import left_running, tree

    store_dir = tmp_path / "store"
    proc = _ingest_process(few, store_dir, "--jobs", "2")
    reported = []
    deadline = time.monotonic() + 120
    try:
        for line in proc.stdout:
            if line.startswith("loaded"):
                reported.append(line.split()[1].rstrip(":"))
            if len(reported) >= 2 or time.monotonic() > deadline:
                break
        procs = tree(proc.pid)
        assert len([p for p in procs if "spawn_main" in p.cmdline()]) == 2     # the extraction workers
        proc.send_signal(signal.SIGTERM)
        rest = proc.stdout.read()
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)
        proc.kill()                                  # only if it did not stop
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == 128 + signal.SIGTERM, rest
    assert "stopped (SIGTERM) after" in rest and "Traceback" not in rest
    assert left_running(procs, within=5) == []
    st = open_store(store_dir)
    graphs = document_graphs(st)
    assert len(reported) >= 2 and 2 <= len(graphs) < 12, (reported, graphs)
    for name in reported:
        assert _iri(name) in graphs
    for g in graphs:                                 # each document written whole
        assert _triples(st, g) == clean[g], g


def _counts_following(reader) -> dict[str, int]:
    return {b["g"].value: int(b["n"].value) for b in reader.query(TASKS_PER_GRAPH)}


def test_a_following_reader_never_sees_a_partial_document(few, clean, tmp_path):
    final = sum(1 for t in next(iter(clean.values()))
                if "22-rdf-syntax-ns#type> <https://w3id.org/policykg/ontology#Task>" in t)
    assert final > 0
    store_dir = tmp_path / "store"
    st = open_store(store_dir)
    ingest_paths(st, [])                             # ontology only, so the reader can open it
    st.flush()
    del st
    reader = FollowingStore(store_dir)
    proc = _ingest_process(few, store_dir)
    seen: dict[str, set[int]] = {}
    polls = 0
    try:
        while proc.poll() is None:
            for g, n in _counts_following(reader).items():
                seen.setdefault(g, set()).add(n)
            polls += 1
    finally:
        output = proc.communicate(timeout=180)[0]
    assert proc.returncode == 0, output
    for g, n in _counts_following(reader).items():
        seen.setdefault(g, set()).add(n)
    assert polls > 5 and len(seen) == 12
    bad = {g: ns for g, ns in seen.items() if not ns <= {0, final}}
    assert not bad, bad


@pytest.mark.server
def test_a_server_never_answers_with_a_partial_document(few, clean, tmp_path):
    from tests.web.servers import free_port

    final = sum(1 for t in next(iter(clean.values()))
                if "22-rdf-syntax-ns#type> <https://w3id.org/policykg/ontology#Task>" in t)
    store_dir = tmp_path / "store"
    st = open_store(store_dir)
    ingest_paths(st, [])
    st.flush()
    del st
    port = free_port()
    env = dict(os.environ, POLICYKG_QUERY_TIMEOUT="10", POLICYKG_QUERY_WORKERS="1")
    server = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--store", str(store_dir), "--host",
                               "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": TASKS_PER_GRAPH})

    def counts() -> dict[str, int]:
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                rows = json.loads(resp.read())["results"]["bindings"]
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{e.code} {e.read()!r}") from None
        return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                counts()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
        proc = _ingest_process(few, store_dir)
        seen: dict[str, set[int]] = {}
        polls = 0
        while proc.poll() is None:
            for g, n in counts().items():
                seen.setdefault(g, set()).add(n)
            polls += 1
        assert proc.communicate(timeout=180)[0] is not None and proc.returncode == 0
        for g, n in counts().items():
            seen.setdefault(g, set()).add(n)
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert polls > 3 and len(seen) == 12
    bad = {g: ns for g, ns in seen.items() if not ns <= {0, final}}
    assert not bad, bad


def test_a_query_retries_until_the_store_reopens_cleanly(monkeypatch):
    """Regression: a reader that hit a file the writer's compaction deleted retried once, and
    reopening could race with the same compaction: the server answered 500 (K205 "Corruption
    … No such file") twice in ~8,000 polls during an ingest. Now up to five attempts."""
    from kg.errors import KGError
    from kg.query import pool as querypool

    calls = []

    def flaky(store, job):
        calls.append(store._store)
        if len(calls) < 3:
            raise KGError("K205", "Corruption: IO error: No such file or directory: 000017.sst")
        return "payload"

    class Following:
        _store = "open"

        def forget(self):
            self._store = None

    monkeypatch.setattr(querypool, "execute", flaky)
    monkeypatch.setattr("time.sleep", lambda s: None)
    assert querypool._execute_following(Following(), None) == "payload"
    assert calls == ["open", None, None]
    calls.clear()
    monkeypatch.setattr(querypool, "execute", lambda store, job: (_ for _ in ()).throw(KGError("K205", "bad")))
    with pytest.raises(KGError):                     # other failures are not retried
        querypool._execute_following(Following(), None)


def test_a_following_store_retries_opening_when_files_vanish(monkeypatch, tmp_path):
    """Regression: opening the read-only store can itself race with a compaction
    (RuntimeError "Corruption … No such file … .sst"); FollowingStore raised it at once."""
    from kg.store import embedded as store_module

    st = open_store(tmp_path / "s")
    ingest_paths(st, [])
    st.flush()
    del st
    real = store_module.open_store
    failures = [RuntimeError("Corruption: IO error: No such file or directory: 000015.sst")] * 2

    def flaky(path, read_only=False):
        if failures:
            raise failures.pop()
        return real(path, read_only=read_only)

    monkeypatch.setattr(store_module, "open_store", flaky)
    monkeypatch.setattr("time.sleep", lambda s: None)
    reader = FollowingStore(tmp_path / "s")
    assert failures == []                            # opened at the third attempt
    assert bool(reader.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
