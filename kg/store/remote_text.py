"""SPARQL text for ``kg.store.remote``: terms, INSERT DATA operations a server accepts, prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

# What can hide a keyword from a regular expression: comments, strings, IRIs. Used only on text
# this project writes itself (updates) and to find prefix declarations; the read-only guard on
# users' queries parses them instead (kg.query.sparql.check_query).
_LEXICAL_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r"|<[^<>\"{}|^`\\\s]*>" r"|#[^\n]*",
)
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
_INSERT_DATA = re.compile(_LEXICAL_NOISE.pattern + r"|\bINSERT\s+DATA\b|[{}]", re.I)
_PROLOGUE = re.compile(r"\b(?:PREFIX\s+[\w.-]*:\s*|BASE\s+)<[^<>\s]*>", re.I)
CHUNK = 2000           # triples per INSERT DATA operation (Virtuoso's parser fails near 5 000)


def term(node) -> str:
    """A pyoxigraph term in SPARQL / N-Triples syntax."""
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return str(node)


def split_inserts(update: str) -> str:
    """Rewrite each ``INSERT DATA { … }`` of an update as ``insert_operations`` (same triples,
    same request): Virtuoso's parser gives up on one INSERT DATA of more than about 5 000
    triples (SP030 "memory exhausted") and refuses blank nodes in it (SP031)."""
    prologue = "\n".join(m.group(0) for m in _PROLOGUE.finditer(_LEXICAL_NOISE.sub(_blank, update)))
    out, last, start, depth = [], 0, None, 0
    for m in _INSERT_DATA.finditer(update):
        tok = m.group(0)
        if start is None:
            if tok[0] in "iI":
                start, depth = m, 0
        elif tok in "{}":
            depth += 1 if tok == "{" else -1
            if depth == 0:
                body = update[update.index("{", start.end()) + 1:m.start()]
                try:
                    quads = list(ox.parse(f"{prologue}\n{body}", format=ox.RdfFormat.TRIG))
                except SyntaxError:          # not plain data: let the server judge it as written
                    start = None
                    continue
                out += [update[last:start.start()], insert_operations(quads)]
                last, start = m.end(), None
    out.append(update[last:])
    return "".join(out)


def _blank(m: re.Match) -> str:
    """Keep IRIs (prefix declarations need them), blank out strings and comments."""
    return m.group(0) if m.group(0).startswith("<") else " " * len(m.group(0))


def insert_operations(quads: Iterable[ox.Quad]) -> str:
    """SPARQL Update operations adding ``quads``: ``INSERT DATA`` of at most ``CHUNK`` triples
    each, joined by ``;`` (one request). Quads with blank nodes go together in one
    ``INSERT { … } WHERE {}``, which keeps their identity and which Virtuoso accepts."""
    plain, blank = [], []
    for q in quads:
        has_blank = any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
        (blank if has_blank else plain).append(q)
    ops = [f"INSERT DATA {{\n{_quad_block(plain[i:i + CHUNK])}\n}}" for i in range(0, len(plain), CHUNK)]
    if blank:
        ops.append(f"INSERT {{\n{_quad_block(blank)}\n}} WHERE {{}}")
    return " ;\n".join(ops) or "INSERT DATA {}"


def _quad_block(quads: list[ox.Quad]) -> str:
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(f"{term(q.subject)} {term(q.predicate)} {term(q.object)} .")
    return "\n".join("\n".join(lines) if isinstance(g, ox.DefaultGraph) else f"GRAPH {term(g)} {{\n" + "\n".join(lines) + "\n}"
                     for g, lines in by_graph.items())


def with_prefixes(text: str, prefixes: dict[str, str] | None, base_iri: str | None) -> str:
    """Declare the ``prefixes`` the text does not declare itself (and the base IRI)."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(_LEXICAL_NOISE.sub(" ", text))}
    head = [f"PREFIX {p}: <{iri}>" for p, iri in (prefixes or {}).items() if p not in declared]
    if base_iri:
        head.insert(0, f"BASE <{base_iri}>")
    return "\n".join([*head, text]) if head else text
