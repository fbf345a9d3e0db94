"""Triples as N-Triples text: the fast way to build a document's graph and hand it to the store.

Building a document with rdflib cost about 80 ms for 4,000 triples (term objects, URI checks,
indexed in-memory store) and serialising it again for the store another 14 ms. A document graph
is write-once, so it is built here as N-Triples lines directly: the term helpers return the
N-Triples form of a term, ``Triples.add`` joins three of them. The store parses the lines in
Rust (``pyoxigraph.Store.load``); ``to_rdflib`` gives an rdflib ``Graph`` for validation and tests.

IRIs come from kg/graph/namespaces.py, which never puts a character that N-Triples forbids into an
IRI; ``iri`` checks it anyway, so a mistake fails loudly instead of corrupting the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import Graph

XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NOT_IN_IRI = frozenset('<>"{}|^`\\ \t\n\r')


def iri(value: str) -> str:
    """``<value>``; an IRI with a character N-Triples forbids is a programming error."""
    if not _NOT_IN_IRI.isdisjoint(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _quoted(value: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"'


def string(value: str) -> str:
    return _quoted(value)


def zh(value: str) -> str:
    """A Chinese-language literal (``"…"@zh``)."""
    return _quoted(value) + "@zh"


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD}integer>'


def decimal(value: float | Decimal) -> str:
    """Canonical xsd:decimal of a float (via its shortest repr) or Decimal: no exponent."""
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    text = format(d.normalize(), "f")
    return f'"{text}"^^<{XSD}decimal>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'


def date(value: str) -> str:
    return f'"{value}"^^<{XSD}date>'


def any_uri(value: str) -> str:
    """An address as an ``xsd:anyURI`` literal (a value to show, not a node of the graph)."""
    return f"{_quoted(value)}^^<{XSD}anyURI>"


class Vocabulary:
    """``Vocabulary(base).name`` is the N-Triples form of the IRI ``base + name``, cached."""

    def __init__(self, base: str) -> None:
        self._base = str(base)
        self._cache: dict[str, str] = {}

    def __getattr__(self, name: str) -> str:      # only called the first time: then cached
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        term = self._cache.get(name)
        if term is None:
            term = self._cache[name] = iri(self._base + name)
        return term


class Triples:
    """One graph: a set of N-Triples lines kept in insertion order (so output is stable)."""

    __slots__ = ("_lines",)

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self._lines: dict[str, None] = dict.fromkeys(lines)

    def add(self, s: str, p: str, o: str) -> None:
        """Add the triple whose terms are given in N-Triples form (see the helpers above)."""
        self._lines[f"{s} {p} {o} ."] = None

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def ntriples(self) -> str:
        return "".join(line + "\n" for line in self._lines)

    def nquads(self, graph: str) -> str:
        """The lines as N-Quads in the named graph ``graph`` (an IRI, not yet in ``<>``)."""
        tail = f" <{graph}> .\n"
        return "".join(line[:-2] + tail for line in self._lines)

    def to_rdflib(self, graph: Graph | None = None) -> Graph:
        graph = Graph() if graph is None else graph
        if self._lines:
            graph.parse(data=self.ntriples(), format="nt")
        return graph

    @classmethod
    def from_rdflib(cls, graph: Graph) -> Triples:
        text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        return cls(line for line in text.splitlines() if line.strip())
