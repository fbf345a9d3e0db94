"""Pages, the API and SPARQL agree on what the store holds within one refresh interval of a
write (issue #17, defect 5): a real `policykg serve` while `policykg ingest` writes to its store,
with the workers' in-memory copy on and with a store above POLICYKG_MEMORY_COPY_QUADS, after an
ingest that ends and after one killed with SIGKILL.

Before, the service reopened the store only when the directory's mtime changed, which a
transaction does not do: /doc and /api/documents/… answered 404 for ~50 s after an ingest
(minutes after a killed one), and above the copy limit /sparql never saw the document.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.ingest import ingest_paths
from kg.store.embedded import open_store
from web.cache import REFRESH_SECONDS

from ..conftest import DOC_3, ROOT, SEED
from ..kg.store.test_crash_safety import _copies, _ingest_process
from .servers import running_server

pytestmark = pytest.mark.server
SLACK = 4.0               # seconds for the requests themselves on a busy machine (the bug was ~50 s)


def _status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _seen_by(base: str, key: str) -> dict[str, object]:
    """Whether each of /doc, /api/documents/…, /api/documents and /sparql shows document ``key``
    (for /sparql: its error instead, if it answered one)."""
    iri = "https://w3id.org/policykg/doc/" + key
    quoted = urllib.parse.quote(key)
    ask = urllib.parse.urlencode({"query": f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"})
    listed = json.loads(_status(f"{base}/api/documents")[1])["documents"]
    return {
        "page": _status(f"{base}/doc/{quoted}")[0] == 200,
        "api": _status(f"{base}/api/documents/{quoted}")[0] == 200,
        "list": any(d["key"] == key for d in listed),
        "sparql": (lambda a: a.get("boolean", a))(json.loads(_status(f"{base}/sparql?{ask}")[1])),
    }


def _all_see_within(base: str, key: str, since: float) -> float:
    """Poll until every route shows ``key``; the seconds that took after ``since``."""
    while True:
        seen = _seen_by(base, key)
        took = time.monotonic() - since
        if all(v is True for v in seen.values()):
            return took
        assert took < REFRESH_SECONDS + SLACK, f"after {took:.1f} s: {seen}"
        time.sleep(0.1)


# enough that the ingest still runs when it is killed (at 25 documents/s, 200 were done before
# the first two had been looked for on every route)
COPIES = 1000                   # doc-000 … doc-999: the walk's (sorted) order is the 文号 order


@pytest.mark.parametrize("copy_quads", ["2000000", "1"], ids=["memory-copy", "above-copy-limit"])
def test_every_route_sees_an_ingest_within_the_refresh_interval(copy_quads, tmp_path):
    store_dir = tmp_path / "store"
    st = open_store(store_dir)
    assert all(r.status == "loaded" for r in ingest_paths(st, [SEED]))
    st.flush()
    del st
    copies = _copies(tmp_path / "copies", COPIES)  # the ingest still runs when it is killed
    with running_server(store_dir, tmp_path / "server.log", POLICYKG_QUERY_WORKERS="1",
                        POLICYKG_MEMORY_COPY_QUADS=copy_quads) as (base, _):
        assert not any(_seen_by(base, "国发〔2019〕3号").values())   # asked before: nothing stale may stay
        time.sleep(3)                                                # the worker's copy (if any) is made
        done = subprocess.run([sys.executable, "-m", "policykg", "ingest", str(DOC_3), "--store", str(store_dir)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        _all_see_within(base, "国发〔2019〕3号", time.monotonic())
        # while an ingest runs: each document is seen as it is reported; then the ingest is killed,
        # and the last document it reported (committed after any change of the directory) is seen
        proc = _ingest_process(copies, store_dir)
        reported = []
        try:
            for line in proc.stdout:
                if line.startswith("loaded"):
                    reported.append(line)
                    if len(reported) <= 2:
                        _all_see_within(base, f"国发〔2019〕{99 + len(reported)}号", time.monotonic())
                if len(reported) == 6:
                    break
        finally:
            proc.kill()
            proc.wait(timeout=30)
            reported += [ln for ln in proc.stdout.read().splitlines() if ln.startswith("loaded")]
            proc.stdout.close()
        killed = time.monotonic()
        assert 6 <= len(reported) < COPIES, "the ingest was killed in the middle"
        _all_see_within(base, f"国发〔2019〕{99 + len(reported)}号", killed)
