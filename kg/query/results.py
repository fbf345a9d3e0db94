"""Serialise query results with a row cap, signalling the cut instead of hiding it.

pyoxigraph serialises a whole result or nothing, and writing SELECT results row by row in
Python cost more than the query itself for results of a few thousand rows. So the rows are
written by pyoxigraph (Rust) as TSV, where a solution is exactly one line (the format escapes
newlines in literals), into a writer that counts lines and stops the serialisation, and so
the evaluation, once the cap is passed. The TSV of at most ``limit`` solutions is then parsed
and written again by pyoxigraph in the requested format: the body is byte for byte what
pyoxigraph writes for the same solutions (tests/kg/query/test_results.py checks this for random
terms). Graphs go through ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import KGError
from .sparql import GRAPH_FORMATS, RESULT_FORMATS

TSV = ox.QueryResultsFormat.TSV


@dataclass
class Payload:
    body: bytes
    content_type: str
    rows: int | None         # solutions or triples written (None for ASK)
    truncated: bool          # True when more rows existed than ``limit``
    limit: int


class _Full(Exception):
    """Raised by ``_CappedLines.write`` to stop pyoxigraph once enough lines are written."""


class _CappedLines:
    """A binary file object keeping the first ``lines`` newline-terminated lines written to it.

    ``full`` tells whether a further line started; writing then raises ``_Full``.
    """

    def __init__(self, lines: int) -> None:
        self.wanted, self.seen = lines, 0
        self.chunks: list[bytes] = []
        self.full = False

    def write(self, data) -> int:
        data = bytes(data)
        if self.seen >= self.wanted and data:      # a line beyond the wanted ones has started
            self.full = True
            raise _Full
        newlines = data.count(b"\n")
        if self.seen + newlines < self.wanted:
            self.chunks.append(data)
            self.seen += newlines
            return len(data)
        end = -1
        for _ in range(self.wanted - self.seen):
            end = data.index(b"\n", end + 1)
        self.chunks.append(data[:end + 1])
        self.seen = self.wanted
        if end + 1 < len(data):
            self.full = True
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.chunks)


def capped_tsv(result: ox.QuerySolutions, limit: int) -> tuple[bytes, int, bool]:
    """(TSV of the first ``limit`` solutions, solutions written, whether more existed)."""
    out = _CappedLines(limit + 1)                   # the header line, then one line per solution
    try:
        result.serialize(out, format=TSV)
    except Exception:                               # _Full, however pyoxigraph passes it on
        if not out.full:
            raise
    return out.value(), out.seen - 1, out.full


def _with_extra(body: bytes, extra: dict) -> bytes:
    """Add ``"policykg": extra`` as the first member of a SPARQL JSON results object.

    First, not last: streaming parsers such as Oxigraph's stop at the end of the bindings
    and refuse any member after them."""
    if not body.startswith(b"{"):
        raise AssertionError("pyoxigraph's JSON results do not start with '{'")
    member = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    return b'{"policykg":' + member.encode("utf-8") + b"," + body[1:]


def _select(result: ox.QuerySolutions, fmt: str, limit: int, extra: dict | None) -> tuple[bytes, int, bool]:
    tsv, rows, truncated = capped_tsv(result, limit)
    if fmt == "tsv":
        return tsv, rows, truncated
    body = ox.parse_query_results(tsv, format=TSV).serialize(format=RESULT_FORMATS[fmt][0])
    if fmt == "json" and extra:
        body = _with_extra(body, extra | {"truncated": truncated})
    return body, rows, truncated


def write(result, fmt: str, limit: int, extra: dict | None = None) -> Payload:
    """Serialise ``result`` in ``fmt`` with at most ``limit`` solutions or triples."""
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise KGError("K301", fmt)
        rdf_format, content_type = GRAPH_FORMATS[fmt]
        triples = list(itertools.islice(result, limit + 1))
        truncated = len(triples) > limit
        body = ox.serialize(triples[:limit], format=rdf_format)
        return Payload(body, content_type, min(len(triples), limit), truncated, limit)
    if fmt not in RESULT_FORMATS:
        raise KGError("K301", fmt)
    content_type = RESULT_FORMATS[fmt][1]
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULT_FORMATS[fmt][0])
        return Payload(body, content_type, None, False, limit)
    body, n, truncated = _select(result, fmt, limit, extra)
    return Payload(body, content_type, n, truncated, limit)
