"""Run SPARQL on the store with Oxigraph's own engine, and write the results.

Queries see the union of all graphs as the default graph. ``check_query`` is the read-only
guard used by every entry point: from a real parse of the query it refuses SPARQL Update, and
SERVICE / LOAD (which would make Oxigraph open outbound connections), before anything is
evaluated; ``kg.query.sandbox`` makes sure the processes that evaluate queries could not connect anyway.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import KGError
from ..graph.namespaces import PREFIXES
from ..texttable import text_table

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

_SUSPECT = re.compile("service|insert|delete|load|clear|drop|create|add|move|copy", re.I)
_BRACKETS = re.compile(r"[(){}\[\]]")
MAX_NESTING = 200          # Oxigraph's parser overflows its stack far deeper (tens of thousands)
MAX_TERMS = 1500           # terms and operators outside VALUES blocks (Oxigraph crashed from ~4,000: see _terms)
_TERM = re.compile(r"""\#[^\n]*                                       # a comment: not counted
                     |('{3}.*?'{3}|"{3}.*?"{3}|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"   # a string
                      |<[^<>"{}|^`\\\s]*>                           # an IRI
                      |[?$]?[\w:%]+                                 # a name, variable, number, keyword
                      |&&|\|\||\^\^|!=|<=|>=|\S)                       # an operator or punctuation""",
                   re.S | re.X)
_OUTBOUND = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def check_query(query: str) -> None:
    """Raise ``KGError`` unless ``query`` is a read-only query that makes no outbound request.

    The decision comes from a real parse of the query (rdflib's SPARQL 1.1 grammar, after the
    ``\\u`` escapes the standard has expanded first), not from its text: K202 for an update, K203
    for a SERVICE pattern anywhere (subqueries, OPTIONAL, MINUS, EXISTS, any query form) or a LOAD.
    A query this parser cannot read is refused (K201) even when Oxigraph could read it: the guard
    and the engine must agree on what a query says. Behind the guard, the processes that evaluate
    queries on an embedded store cannot open a network connection at all (``kg.query.sandbox``).

    A query whose text, escapes expanded, holds neither the letters ``service`` nor those of an
    update keyword anywhere (in any case, inside names, strings or IRIs too) cannot be either,
    whatever a parser makes of it: it is not parsed here (Oxigraph reads it and reports its own
    syntax errors). That keeps the guard free for the project's own many small queries."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        expanded = expandUnicodeEscapes(query)
    except ValueError as e:                          # \U beyond the last code point
        raise KGError("K201", f"bad \\u or \\U escape ({e})") from e
    if _depth(expanded) > MAX_NESTING:
        raise KGError("K201", f"the query is nested too deeply (more than {MAX_NESTING} levels of brackets)")
    if _terms(expanded) > MAX_TERMS:
        raise KGError("K201", f"the query is too long: more than {MAX_TERMS} terms and operators outside "
                              "VALUES blocks (split it, or list the values in a VALUES block)")
    if not _SUSPECT.search(expanded):
        return
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
    except RecursionError as e:
        raise KGError("K201", "the query is nested too deeply") from e
    except ParseBaseException as e:
        try:
            update = parseUpdate(query)
        except (ParseBaseException, RecursionError):
            raise KGError("K201", _syntax_error(query, e)) from e
        if _find(update, "Load"):
            raise KGError("K203", "LOAD") from e
        raise KGError("K202") from e
    outbound = _find(tree, *_OUTBOUND)
    if outbound:
        raise KGError("K203", _OUTBOUND[outbound])


def _depth(text: str) -> int:
    """The deepest nesting of (), {} and [] in ``text`` (brackets inside strings count too: an
    upper bound is all the guard needs)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        depth += 1 if bracket in "({[" else -1
        deepest = max(deepest, depth)
    return deepest


def _terms(text: str) -> int:
    """How many terms and operators ``text`` holds outside comments and VALUES data blocks,
    counting at most up to ``MAX_TERMS`` + 1.

    Brackets are not the only way to make Oxigraph recurse: every operator of a chain (``!!!…``,
    ``1+1+…``, ``a&&b&&…``, ``p/p/…``, ``{…} UNION {…} UNION …``, OPTIONAL after OPTIONAL,
    triple after triple, ``o, o, …``, a long ``( … )`` collection) adds a level to its parse or
    evaluation, and from about 2,500 to 9,000 of them (the fewest for a list of objects) the
    process running the query crashed with a stack overflow (issue #17). VALUES data blocks are
    flat (50,000 values answered), so they are not counted."""
    count, values = 0, 0             # values: 1 after the keyword VALUES, 2 inside its { }
    for match in _TERM.finditer(text):
        token = match.group(1)
        if token is None:
            continue
        if values == 2:
            values = 0 if token == "}" else 2
            continue
        if values == 1 and token == "{":
            values = 2
            continue
        if token.upper() == "VALUES":
            values = 1
        count += 1
        if count > MAX_TERMS:
            break
    return count


def _find(node, *names: str) -> str | None:
    """The first parse-tree node named one of ``names`` (depth first), or None."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in names:
                return item.name
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return None


def _syntax_error(query: str, error) -> str:
    """Oxigraph's own message where this process may ask Oxigraph (it cannot open a connection:
    ``kg.query.sandbox``), else the guard parser's, both as ``line:column: what``."""
    from .sandbox import network_denied

    if network_denied():
        try:
            ox.Store().query(query, prefixes=PREFIXES)     # parsed, never iterated; no network here
        except SyntaxError as e:
            return str(e)
        except (OSError, ValueError, RuntimeError):
            pass
        return (f"{error.lineno}:{error.col}: PolicyKG's query guard cannot read this query ({error.msg}), "
                "so it is refused although the engine could read it")
    return f"{error.lineno}:{error.col}: {error.msg}"


def run_query(store: ox.Store, query: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
    """Evaluate a read-only query. ``default_graphs`` / ``named_graphs`` follow the SPARQL
    protocol's default-graph-uri / named-graph-uri; without them the default graph is the union."""
    check_query(query)
    kwargs: dict = {"prefixes": PREFIXES}
    if default_graphs:
        kwargs["default_graph"] = _graphs("default-graph-uri", default_graphs)
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = _graphs("named-graph-uri", named_graphs)
    try:
        return store.query(query, **kwargs)
    except SyntaxError as e:
        raise KGError("K201", str(e)) from e
    except (OSError, ValueError, RuntimeError) as e:
        raise KGError("K205", str(e)) from e


def _graphs(parameter: str, iris: list[str]) -> list[ox.NamedNode]:
    """The graphs a request names, K201 for one that is not an IRI (``%20bad``)."""
    try:
        return [ox.NamedNode(g) for g in iris]
    except ValueError as e:
        raise KGError("K201", f"{parameter} is not an IRI: {e}") from e


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
