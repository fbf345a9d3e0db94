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
    truncated: bool          # True when more rows existed than ``limit`` or than ``max_bytes`` allowed
    limit: int
    max_bytes: int | None = None
    cut: str | None = None   # what cut the answer when truncated: "rows" or "bytes"

    def header(self) -> tuple:
        """Everything but the body, in field order (the workers send the body apart)."""
        return self.content_type, self.rows, self.truncated, self.limit, self.max_bytes, self.cut


class _Full(Exception):
    """Raised by ``_CappedLines.write`` to stop pyoxigraph once enough lines are written."""


class _CappedLines:
    """A binary file object keeping the first ``lines`` newline-terminated lines written to it,
    and no more than ``max_bytes`` bytes of them (whole lines only; the first line is always kept).

    ``full`` tells whether a further line started (``cut``: "rows") or would not fit ("bytes");
    writing then raises ``_Full``, which stops pyoxigraph's serialisation and so the evaluation.
    """

    def __init__(self, lines: int, max_bytes: int | None = None) -> None:
        self.wanted, self.seen = lines, 0
        self.max_bytes = max_bytes
        self.buf = bytearray()
        self.full, self.cut = False, None

    def _stop(self, cut: str):
        self.full, self.cut = True, cut
        return _Full()

    def write(self, data) -> int:
        data = bytes(data)
        if self.full:                               # pyoxigraph may write again after an error
            raise _Full
        if self.seen >= self.wanted and data:      # a line beyond the wanted ones has started
            raise self._stop("rows")
        if self.seen + data.count(b"\n") < self.wanted:
            end = len(data)
        else:
            end = -1
            for _ in range(self.wanted - self.seen):
                end = data.index(b"\n", end + 1)
            end += 1
        limit = self.max_bytes
        if limit is not None and self.seen == 0:    # the first line (the header) is always kept
            first = data.find(b"\n", 0, end)
            limit = max(limit, len(self.buf) + (first + 1 if first >= 0 else end))
        if limit is not None and len(self.buf) + end > limit:
            room = data[:max(0, min(end, limit - len(self.buf)))]
            last = room.rfind(b"\n")
            if last >= 0:                           # the lines that still fit whole
                self.buf += room[:last + 1]
                self.seen += room.count(b"\n", 0, last + 1)
            else:                                   # drop the line begun in an earlier write
                del self.buf[self.buf.rfind(b"\n") + 1:]
            raise self._stop("bytes")
        self.buf += data[:end]
        self.seen += data.count(b"\n", 0, end)
        if end < len(data):
            raise self._stop("rows")
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return bytes(self.buf)


def capped_tsv(result: ox.QuerySolutions, limit: int, max_bytes: int | None = None) -> tuple[bytes, int, str | None]:
    """(TSV of the first ``limit`` solutions in at most ``max_bytes`` bytes, solutions written,
    what cut them: None when nothing was left out, "rows" or "bytes")."""
    out = _CappedLines(limit + 1, max_bytes)        # the header line, then one line per solution
    try:
        result.serialize(out, format=TSV)
    except Exception:                               # _Full, however pyoxigraph passes it on
        if not out.full:
            raise
    return out.value(), out.seen - 1, out.cut


def _first_lines(tsv: bytes, lines: int) -> bytes:
    end = -1
    for _ in range(lines):
        end = tsv.index(b"\n", end + 1)
    return tsv[:end + 1]


def _with_extra(body: bytes, extra: dict) -> bytes:
    """Add ``"policykg": extra`` as the first member of a SPARQL JSON results object.

    First, not last: streaming parsers such as Oxigraph's stop at the end of the bindings
    and refuse any member after them."""
    if not body.startswith(b"{"):
        raise AssertionError("pyoxigraph's JSON results do not start with '{'")
    member = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    return b'{"policykg":' + member.encode("utf-8") + b"," + body[1:]


_MEMBER_ROOM = 200           # bytes kept for the "policykg" member of JSON results


def _select(result: ox.QuerySolutions, fmt: str, limit: int, extra: dict | None,
            max_bytes: int | None) -> tuple[bytes, int, str | None]:
    tsv, rows, cut = capped_tsv(result, limit, max_bytes)
    if fmt == "tsv":
        return tsv, rows, cut
    results_format = RESULT_FORMATS[fmt][0]
    body = ox.parse_query_results(tsv, format=TSV).serialize(format=results_format)
    room = _MEMBER_ROOM if fmt == "json" and extra else 0
    budget = None if max_bytes is None else max(0, max_bytes - room)
    while budget is not None and len(body) > budget and rows > 0:
        # the other formats spell a solution out at greater length than TSV: fewer rows, the
        # same share of the limit again, until the body fits
        rows = min(rows - 1, int(rows * budget / len(body) * 0.95))
        tsv, cut = _first_lines(tsv, rows + 1), "bytes"
        body = ox.parse_query_results(tsv, format=TSV).serialize(format=results_format)
    if fmt == "json" and extra:
        member = extra | {"truncated": cut is not None}
        if max_bytes is not None:                  # which limit cut it, when there are two
            member["byte_limit"] = max_bytes
            if cut:
                member["cut"] = cut
        body = _with_extra(body, member)
    return body, rows, cut


def _graph(result: ox.QueryTriples, fmt: str, limit: int, max_bytes: int | None) -> Payload:
    """At most ``limit`` triples, and no more than fit in ``max_bytes`` once written."""
    rdf_format, content_type = GRAPH_FORMATS[fmt]
    triples, size, cut = [], 0, None
    for triple in result:
        if len(triples) == limit:
            cut = "rows"
            break
        size += len(str(triple)) + 3               # about its N-Triples line
        if max_bytes is not None and size > max_bytes and triples:
            cut = "bytes"
            break
        triples.append(triple)
    body = ox.serialize(triples, format=rdf_format)
    while max_bytes is not None and len(body) > max_bytes and triples:
        del triples[min(len(triples) - 1, int(len(triples) * max_bytes / len(body) * 0.95)):]
        cut = "bytes"
        body = ox.serialize(triples, format=rdf_format)
    return Payload(body, content_type, len(triples), cut is not None, limit, max_bytes, cut)


def write(result, fmt: str, limit: int, extra: dict | None = None, max_bytes: int | None = None) -> Payload:
    """Serialise ``result`` in ``fmt`` with at most ``limit`` solutions or triples, in at most
    ``max_bytes`` bytes (None: no byte limit); a cut is said in the payload and, for JSON results
    given ``extra``, in the body's "policykg" member."""
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise KGError("K301", fmt)
        return _graph(result, fmt, limit, max_bytes)
    if fmt not in RESULT_FORMATS:
        raise KGError("K301", fmt)
    content_type = RESULT_FORMATS[fmt][1]
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULT_FORMATS[fmt][0])
        return Payload(body, content_type, None, False, limit, max_bytes)
    body, n, cut = _select(result, fmt, limit, extra, max_bytes)
    return Payload(body, content_type, n, cut is not None, limit, max_bytes, cut)
