"""kg.query.results: capped SELECT results are exactly what pyoxigraph writes for the same solutions.

The results are written by pyoxigraph as TSV, cut after ``limit`` lines, parsed and written
again in the requested format. These tests check that the round trip loses nothing (random
literals with quotes, backslashes, newlines, control characters, language tags, datatypes;
blank nodes; unbound variables), that the cut is at the right row wherever pyoxigraph's
buffer boundaries fall, and that the pool returns the same bytes as the inline runner.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.query.results import _CappedLines, capped_tsv, write
from kg.query.sparql import GRAPH_FORMATS, RESULT_FORMATS

XSD = "http://www.w3.org/2001/XMLSchema#"
ROW = "http://example.org/row/"
FORMATS = ("json", "xml", "csv", "tsv")

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
tricky = st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "\x01", "\x1f", "\x7f", "\u2028", "<&>", "'",
                          "中文", "\\n", '"""', "_:b", "?x", "\ufeff", "é"])
values = st.lists(st.one_of(text, tricky), max_size=4).map("".join)
languages = st.one_of(st.from_regex(r"[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-[A-Z]{2}|-[0-9]{3})?", fullmatch=True),
                      st.sampled_from(["zh-Hans-CN", "EN-us", "de-CH-1996", "en-GB-oxendict", "zh-x-private"]))
datatypes = st.sampled_from([XSD + t for t in ("integer", "decimal", "double", "boolean", "dateTime", "date",
                                               "int", "anyURI")] + ["http://example.org/dt#x"])
lexicals = st.one_of(values, st.from_regex(r"[+-]?[0-9]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?", fullmatch=True),
                     st.sampled_from(["true", "false", "1", "0", "01", "NaN", "INF", "-INF", "2019-01-01",
                                      "2019-01-01T00:00:00Z", " 1", "1.0E0"]))
iris = st.from_regex(r"http://example\.org/([a-zA-Z0-9_~.\-/中文]|%[0-9A-F]{2}){0,12}(#[a-z]{0,4})?", fullmatch=True)
terms = st.one_of(
    st.builds(ox.NamedNode, iris),
    st.builds(ox.BlankNode, st.from_regex(r"[a-zA-Z0-9_]{1,10}", fullmatch=True)),
    st.builds(ox.Literal, values),
    st.builds(lambda v, lang: ox.Literal(v, language=lang), values, languages),
    st.builds(lambda v, dt: ox.Literal(v, datatype=ox.NamedNode(dt)), lexicals, datatypes),
)
directional = st.builds(lambda v, lang, d: ox.Literal(v, language=lang, direction=d), values, languages,
                        st.sampled_from([ox.BaseDirection.LTR, ox.BaseDirection.RTL]))
triple_terms = st.builds(lambda s, o: ox.Triple(s, ox.NamedNode("http://example.org/p"), o),
                         st.builds(ox.NamedNode, iris), st.one_of(terms, directional))
terms = st.one_of(terms, directional, triple_terms)     # RDF 1.2 terms, which pyoxigraph 0.5 supports


def _store(rows: list[list]) -> ox.Store:
    store = ox.Store()
    index = ox.NamedNode(ROW + "index")
    for i, row in enumerate(rows):
        subject = ox.NamedNode(f"{ROW}{i}")
        store.add(ox.Quad(subject, index, ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))))
        for j, term in enumerate(row):
            if term is not None:
                store.add(ox.Quad(subject, ox.NamedNode(f"{ROW}v{j}"), term))
    return store


def _query(width: int) -> str:
    names = " ".join(f"?v{j}" for j in range(width))
    optionals = " ".join(f"OPTIONAL {{ ?r <{ROW}v{j}> ?v{j} }}" for j in range(width))
    return f"SELECT ?i {names} WHERE {{ ?r <{ROW}index> ?i {optionals} }} ORDER BY ?i"


def _solutions(body: bytes, fmt: str) -> list[tuple]:
    return [tuple(s) for s in ox.parse_query_results(body, format=RESULT_FORMATS[fmt][0])]


@st.composite
def tables(draw):
    width = draw(st.integers(0, 3))
    rows = draw(st.lists(st.lists(st.one_of(st.none(), terms), min_size=width, max_size=width), max_size=8))
    return rows, width, draw(st.integers(0, len(rows) + 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(FORMATS))
def test_same_bytes_as_pyoxigraph_for_random_terms(table, fmt):
    rows, width, limit = table
    store, query = _store(rows), _query(width)
    payload = write(store.query(query), fmt, limit, {"limit": limit})
    native = store.query(f"{query} LIMIT {limit}").serialize(format=RESULT_FORMATS[fmt][0])
    assert payload.rows == min(limit, len(rows))
    assert payload.truncated is (len(rows) > limit)
    assert payload.content_type == RESULT_FORMATS[fmt][1]
    if fmt == "json":
        expected = json.loads(native) | {"policykg": {"limit": limit, "truncated": payload.truncated}}
        assert json.loads(payload.body) == expected
    else:
        assert payload.body == native
    if fmt != "csv":                              # CSV is lossy by design; its bytes are compared above
        assert _solutions(payload.body, fmt) == _solutions(native, fmt)
        reference = [tuple(s) for s in store.query(f"{query} LIMIT {limit}")]
        assert _solutions(payload.body, fmt) == reference


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("limit", [0, 1, 2999, 3000, 3001, 10_000])
def test_cut_at_the_cap_across_buffer_boundaries(fmt, limit):
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    for i in range(3000):               # a few hundred kB of TSV: many of pyoxigraph's write calls
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i:05d}"), p, ox.Literal(f"line {i}\nnext\t\"q\"")))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    payload = write(store.query(query), fmt, limit, {"limit": limit})
    native = store.query(f"{query} LIMIT {limit}").serialize(format=RESULT_FORMATS[fmt][0])
    assert payload.rows == min(limit, 3000) and payload.truncated is (limit < 3000)
    if fmt == "json":
        assert json.loads(payload.body)["results"] == json.loads(native)["results"]
        assert json.loads(payload.body)["policykg"] == {"limit": limit, "truncated": limit < 3000}
    else:
        assert payload.body == native


@pytest.mark.parametrize(("query", "limit", "rows", "truncated"), [
    ("SELECT * WHERE {}", 0, 0, True), ("SELECT * WHERE {}", 1, 1, False),
    ("SELECT ?x WHERE {}", 1, 1, False), ("SELECT * WHERE { FILTER(false) }", 0, 0, False),
    ("SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF 1 } }", 2, 2, True),
])
def test_no_variables_and_empty_rows(query, limit, rows, truncated):
    store = ox.Store()
    for fmt in FORMATS:
        payload = write(store.query(query), fmt, limit)
        assert (payload.rows, payload.truncated) == (rows, truncated)
        if fmt in ("xml", "tsv"):
            assert len(_solutions(payload.body, fmt)) == rows
    assert "policykg" not in json.loads(write(store.query(query), "json", limit).body)


def test_ask_and_graphs_unchanged():
    store = _store([[ox.Literal("a")], [ox.Literal("b")]])
    ask = write(store.query("ASK { ?s ?p ?o }"), "json", 1)
    assert json.loads(ask.body) == {"head": {}, "boolean": True} and ask.rows is None
    graph = write(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "nt", 3)
    assert graph.rows == 3 and graph.truncated and len(graph.body.splitlines()) == 3


def _write_in_pieces(out: _CappedLines, data: bytes, cuts: list[int]) -> bool:
    """Write ``data`` to ``out`` cut at ``cuts``, as pyoxigraph's buffers might; whether it stopped."""
    bounds = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    for start, end in zip(bounds, bounds[1:], strict=False):
        try:
            out.write(data[start:end])
        except Exception:                             # _Full
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("ab\n", max_size=6), max_size=8), st.integers(1, 6),
       st.lists(st.integers(0, 40), max_size=6))
def test_capped_lines_for_any_chunking(pieces, wanted, cuts):
    data = "".join(pieces).encode()
    out = _CappedLines(wanted)
    stopped = _write_in_pieces(out, data, cuts)
    lines = data.split(b"\n")
    kept = b"".join(line + b"\n" for line in lines[:wanted]) if data.count(b"\n") >= wanted else data
    assert out.value() == kept
    assert out.full is stopped is (len(data) > len(kept))


def _kept(data: bytes, wanted: int, max_bytes: int) -> tuple[bytes, bool]:
    """What a capped writer must keep of ``data``: whole lines, at most ``wanted``, in at most
    ``max_bytes`` bytes unless it is the first line; a trailing part-line only when it fits."""
    *complete, tail = data.split(b"\n")
    kept, n = b"", 0
    for line in complete:
        line += b"\n"
        if n == wanted or (n > 0 and len(kept) + len(line) > max_bytes):
            return kept, True
        kept, n = kept + line, n + 1
    if tail and (n == wanted or (n > 0 and len(kept) + len(tail) > max_bytes)):
        return kept, True
    return kept + tail, False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ab\n", max_size=6), max_size=8), st.integers(1, 6),
       st.lists(st.integers(0, 40), max_size=6), st.integers(0, 30))
def test_capped_lines_by_bytes_for_any_chunking(pieces, wanted, cuts, max_bytes):
    data = "".join(pieces).encode()
    out = _CappedLines(wanted, max_bytes)
    stopped = _write_in_pieces(out, data, cuts)
    kept, cut = _kept(data, wanted, max_bytes)
    assert (out.value(), out.full, stopped) == (kept, cut, cut)


def test_tsv_cut_keeps_whole_lines():
    store = _store([[ox.Literal("x\ny")]] * 5)
    body, rows, cut = capped_tsv(store.query(_query(1)), 2)
    assert (rows, cut) == (2, "rows") and body.count(b"\n") == 3 and body.endswith(b"\n")


def _big_store(rows: int = 3000) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    for i in range(rows):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i:05d}"), p, ox.Literal(f"line {i}\nnext\t\"q\" 中文")))
    return store


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("max_bytes", [0, 500, 20_000, 10**9])
def test_select_cut_in_bytes_is_the_first_rows_that_fit(fmt, max_bytes):
    store = _big_store()
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    payload = write(store.query(query), fmt, 10_000, {"limit": 10_000}, max_bytes=max_bytes)
    cut = max_bytes < 10**9
    assert payload.truncated is cut and payload.cut == ("bytes" if cut else None)
    assert len(payload.body) <= max(max_bytes, 200) or payload.rows == 0
    n = payload.rows
    assert (n < 3000) is cut and (n > 0 if max_bytes >= 20_000 else n < 10)
    native = store.query(f"{query} LIMIT {n}").serialize(format=RESULT_FORMATS[fmt][0])
    if fmt == "json":
        data = json.loads(payload.body)
        assert data["results"] == json.loads(native)["results"]
        assert data["policykg"] == {"limit": 10_000, "truncated": cut, "byte_limit": max_bytes} | (
            {"cut": "bytes"} if cut else {})
    else:
        assert payload.body == native
    if cut and max_bytes >= 20_000:                # and most of the room is used
        assert len(payload.body) > 0.85 * max_bytes


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld", "rdfxml"])
def test_graphs_cut_in_bytes(fmt):
    store = _big_store()
    payload = write(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), fmt, 10_000, max_bytes=30_000)
    assert payload.truncated and payload.cut == "bytes" and 0 < payload.rows < 3000
    assert len(payload.body) <= 30_000
    parsed = list(ox.parse(payload.body, format=GRAPH_FORMATS[fmt][0]))
    assert len(parsed) == payload.rows
    rows = write(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), fmt, 10, max_bytes=30_000)
    assert rows.cut == "rows" and rows.rows == 10


def test_a_worker_stops_evaluating_once_the_bytes_are_written():
    """A query whose whole answer would be about 54 GB (90,000 rows of 600 kB): cut at 1 MB
    while it is written, the peak memory growing by less than 200 MB."""
    import resource

    store = ox.Store()
    big = ox.Literal("字" * 100_000)
    p = ox.NamedNode("http://example.org/p")
    for i in range(300):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, big))
    query = "SELECT ?s ?o ?o2 WHERE { ?s ?p ?o . ?s2 ?p ?o2 }"     # 90,000 rows of 600 kB each
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    payload = write(store.query(query), "json", 10_000, {"limit": 10_000}, max_bytes=1_000_000)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert payload.cut == "bytes" and len(payload.body) <= 1_000_000 and payload.rows == 1
    assert grown_mb < 200
