"""Run SPARQL on the store with Oxigraph's own engine, and write the results.

Queries see the union of all graphs as the default graph. ``check_query`` is the read-only
guard used by every entry point: it refuses SPARQL Update, and SERVICE / LOAD (which would
make Oxigraph open outbound connections), before anything is evaluated.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import KGError
from .namespaces import PREFIXES
from .texttable import text_table

RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}

# Strip what can hide keywords: comments, strings, IRIs. What is left is keywords and names.
_LEXICAL_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r"|<[^<>\"{}|^`\\\s]*>" r"|#[^\n]*",
)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_SERVICE = re.compile(r"\bSERVICE\b", re.I)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def check_query(query: str) -> str:
    """Return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) or raise ``KGError``."""
    bare = _LEXICAL_NOISE.sub(" ", query)
    if _SERVICE.search(bare):
        raise KGError("K203", "SERVICE")
    update = _UPDATE.search(bare)
    if update and update.group(1).upper() == "LOAD":
        raise KGError("K203", "LOAD")
    form = _FORM.search(bare)
    if update and (form is None or update.start() < form.start()):
        raise KGError("K202")
    if form is None:
        if update:
            raise KGError("K202")
        raise KGError("K201", "expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form.group(1).upper()


def run_query(store: ox.Store, query: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
    """Evaluate a read-only query. ``default_graphs`` / ``named_graphs`` follow the SPARQL
    protocol's default-graph-uri / named-graph-uri; without them the default graph is the union."""
    check_query(query)
    kwargs: dict = {"prefixes": PREFIXES}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        return store.query(query, **kwargs)
    except SyntaxError as e:
        raise KGError("K201", str(e)) from e
    except (OSError, ValueError, RuntimeError) as e:
        raise KGError("K205", str(e)) from e


def serialize(result, fmt: str) -> tuple[bytes, str]:
    """Results in ``fmt`` (json, xml, csv, tsv for SELECT/ASK; ttl, nt, jsonld, rdfxml for graphs)."""
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise KGError("K301", fmt)
        rdf_format, content_type = GRAPH_FORMATS[fmt]
        return result.serialize(format=rdf_format), content_type
    if fmt not in RESULT_FORMATS:
        raise KGError("K301", fmt)
    results_format, content_type = RESULT_FORMATS[fmt]
    return result.serialize(format=results_format), content_type


def term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def rows(result) -> tuple[list[str], list[list[str]]]:
    """SELECT results as (header, rows of plain strings); ASK as one boolean row."""
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [[str(bool(result)).lower()]]
    names = [v.value for v in result.variables]
    return names, [[term_text(sol[n]) for n in names] for sol in result]


def table(result) -> str:
    """A plain-text table for the terminal."""
    header, body = rows(result)
    return text_table(header, body) + f"\n({len(body)} row{'s' if len(body) != 1 else ''})"
