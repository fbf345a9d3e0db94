"""Serialise query results with a row cap, signalling the cut instead of hiding it.

pyoxigraph serialises a whole result or nothing, so capped SELECT results are written here
(SPARQL 1.1 results JSON, XML, CSV, TSV); graphs go through ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import KGError
from .sparql import GRAPH_FORMATS, RESULT_FORMATS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class Payload:
    body: bytes
    content_type: str
    rows: int | None         # solutions or triples written (None for ASK)
    truncated: bool          # True when more rows existed than ``limit``
    limit: int


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value if hasattr(term, "value") else str(term)


def _select(result, fmt: str, limit: int, extra: dict | None) -> tuple[bytes, int, bool]:
    names = [v.value for v in result.variables]
    rows = list(itertools.islice(result, limit + 1))
    truncated = len(rows) > limit
    rows = rows[:limit]
    if fmt == "json":
        doc = {"head": {"vars": names}, "results": {"bindings": [
            {n: _json_term(r[n]) for n in names if r[n] is not None} for r in rows]}}
        if extra:
            doc["policykg"] = extra | {"truncated": truncated}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8"), len(rows), truncated
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(n)}/>" for n in names]
        parts.append("</head><results>")
        for r in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(n)}>{_xml_term(r[n])}</binding>" for n in names if r[n] is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8"), len(rows), truncated
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_value(r[n]) for n in names] for r in rows)
        return buf.getvalue().encode("utf-8"), len(rows), truncated
    lines = ["\t".join("?" + n for n in names)]
    lines += ["\t".join(str(r[n]) if r[n] is not None else "" for n in names) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8"), len(rows), truncated


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
