"""`policykg serve` as a real process on loopback: the production server, its request log,
and the safety rules under real HTTP (a SERVICE aimed at a socket of the test's own must
never connect; a runaway query is stopped and the server keeps answering; a 10 MB body is
refused)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.ingest import ingest_paths
from kg.store.embedded import open_store

from ..conftest import DOC_3, SEED
from .servers import running_server, untouched_listener

pytestmark = pytest.mark.server
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?t a <https://w3id.org/policykg/ontology#Task> }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("served")
    st = open_store(store_dir)
    ingest_paths(st, [SEED, DOC_3])
    st.flush()
    del st
    log = tmp_path_factory.mktemp("log") / "server.log"
    with running_server(store_dir, log, POLICYKG_QUERY_TIMEOUT="2", POLICYKG_QUERY_WORKERS="1",
                        POLICYKG_MAX_REQUEST_BYTES="1000000") as (base, _port):
        yield base, log


def _get(base: str, query: str, accept: str = "application/sparql-results+json"):
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, dict(e.headers), e.read()


def test_answers_and_logs_requests(server):
    base, log = server
    status, headers, body = _get(base, ASK)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    time.sleep(0.3)
    text = log.read_text(errors="replace")
    assert "GET /sparql 200" in text
    assert "waitress" in text.lower()          # the production server, not Flask's development server


def test_service_is_never_contacted(server):
    base, _ = server
    with untouched_listener() as port:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"LOAD <http://127.0.0.1:{port}/data.ttl>"):
            status, _, body = _get(base, query)
            assert status == 403, body


def test_runaway_query_is_stopped_and_server_stays_responsive(server):
    base, _ = server
    started = time.monotonic()
    status, _, body = _get(base, CARTESIAN)
    assert status == 503 and json.loads(body)["error"]["code"] == "K204"
    assert time.monotonic() - started < 2 + 8
    started = time.monotonic()
    status, _, body = _get(base, ASK)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert time.monotonic() - started < 5


def test_ten_megabyte_body_is_refused(server):
    base, _ = server
    body = b"query=" + b"x" * (10 * 1024 * 1024)
    req = urllib.request.Request(base + "/sparql", data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    e.value.close()
    assert e.value.code == 413


def test_update_over_http_is_refused(server):
    base, _ = server
    req = urllib.request.Request(base + "/sparql", data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    e.value.close()
    assert e.value.code == 403
    status, _, body = _get(base, ASK)
    assert json.loads(body)["boolean"] is True
