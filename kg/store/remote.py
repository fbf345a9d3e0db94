"""A store on a remote SPARQL server (Virtuoso, Fuseki …) behind the ``pyoxigraph.Store`` API.

``RemoteStore`` offers the part of ``pyoxigraph.Store`` PolicyKG uses (query, update, load,
bulk_load, named_graphs, contains_named_graph, quads_for_pattern, dump, remove_graph,
clear_graph, flush, len, iter) over the SPARQL 1.1 Protocol (query and update) and, when a
GSP URL is set, the SPARQL 1.1 Graph Store HTTP Protocol (reading and adding one graph).
Results come back as pyoxigraph objects, so the rest of the code runs unchanged.

* The server must answer plain patterns from the union of its named graphs (Virtuoso does by
  default; Fuseki needs ``tdb2:unionDefaultGraph true``). ``use_default_graph_as_union`` is
  therefore not sent; ``default_graph`` / ``named_graphs`` become default-graph-uri /
  named-graph-uri.
* Whole-store operations (len, named_graphs, dump of everything, iteration) see only graphs
  whose IRI starts with ``graph_prefix`` (PolicyKG's https://w3id.org/policykg/): a server
  also holds its own graphs (Virtuoso's virtrdf# …).
* Each request is one HTTP call with a timeout; every failure is a ``KGError``: K104 (cannot
  reach the server), K105 (the server refused or failed), K201 (the server's parser refused a
  query), K204 (a query ran past its time limit).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

import pyoxigraph as ox

from .. import settings
from ..errors import KGError
from ..graph.namespaces import BASE
from .remote_http import Http
from .remote_text import _LEXICAL_NOISE, insert_operations, split_inserts, term, with_prefixes

RESULTS_XML = "application/sparql-results+xml"    # Virtuoso's JSON writes booleans as 1/0
GRAPH_TYPES = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
_RDF_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
              "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")   # Virtuoso's ids (nodeID://b1) are not valid labels
_ASK_VAR = "__ASK_RETVAL"     # Virtuoso 7 answers ASK as a one-column SELECT of this variable


def is_url(location) -> bool:
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


class RemoteStore:
    """A SPARQL 1.1 server used like a ``pyoxigraph.Store`` (see the module docstring)."""

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 60.0,
                 query_timeout: float | None = None, read_only: bool = False,
                 graph_prefix: str = BASE) -> None:
        self.url, self.update_url, self.gsp_url = url, update_url or url, gsp_url or None
        self.read_only, self.graph_prefix = read_only, graph_prefix
        self.timeout = timeout                  # seconds for every request …
        self.query_timeout = query_timeout      # … except queries, when set (the service's time limit)
        self.http = Http(user, password)

    @classmethod
    def from_settings(cls, url: str, read_only: bool = False, **overrides) -> RemoteStore:
        """A store for ``url`` configured by the POLICYKG_STORE_* settings."""
        get = settings.get
        kwargs = {"update_url": get("POLICYKG_STORE_UPDATE_URL"), "gsp_url": get("POLICYKG_STORE_GSP_URL"),
                  "user": get("POLICYKG_STORE_USER"), "password": get("POLICYKG_STORE_PASSWORD"),
                  "timeout": get("POLICYKG_STORE_HTTP_TIMEOUT")}
        return cls(url, read_only=read_only, **{**kwargs, **overrides})

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # -- queries ---------------------------------------------------------------------------

    def query(self, query: str, *, base_iri: str | None = None, use_default_graph_as_union: bool = False,
              default_graph=None, named_graphs=None, prefixes: dict[str, str] | None = None,
              substitutions=None):
        """Evaluate a query on the server; answers as ``pyoxigraph`` results."""
        if substitutions:
            raise KGError("K205", "substitutions are not supported by the remote store")
        text = with_prefixes(query, prefixes, base_iri)
        params: list[tuple[str, str]] = [("query", text)]
        params += [("default-graph-uri", _iri(g)) for g in _listed(default_graph)]
        params += [("named-graph-uri", _iri(g)) for g in _listed(named_graphs)]
        timeout = self.query_timeout or self.timeout
        if self.query_timeout:
            params.append(("timeout", str(int(self.query_timeout * 1000))))   # Virtuoso, milliseconds
        form = (_FORM.search(_LEXICAL_NOISE.sub(" ", query)) or [None, "SELECT"])[1].upper()
        accept = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_XML
        started = time.monotonic()
        reply = self.http.request(self.url, urlencode(params).encode("utf-8"), accept, "query", timeout,
                                  content_type="application/x-www-form-urlencoded")
        if reply.headers.get("X-SQL-State") == "S1TAT":     # Virtuoso's "anytime" partial answer
            raise KGError("K204", f"{time.monotonic() - started:.3g}")
        if form in ("CONSTRUCT", "DESCRIBE"):
            return _query_triples(ox.parse(reply.body, format=_rdf_format(reply.content_type, self.url)))
        body = _BNODE.sub(lambda m: b"<bnode>b%s</bnode>" % m.group(1).hex().encode(), reply.body)
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        if form == "ASK" and isinstance(results, ox.QuerySolutions) and \
                [v.value for v in results.variables] == [_ASK_VAR]:
            answer = any(s[_ASK_VAR] is not None and s[_ASK_VAR].value not in ("0", "false") for s in results)
            return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"),
                                          format=ox.QueryResultsFormat.JSON)
        return results

    def _select(self, query: str) -> list:
        return list(self.query(query))

    # -- updates and loading ---------------------------------------------------------------

    def update(self, update: str, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None) -> None:
        """Run a SPARQL Update on the update endpoint (one request)."""
        if self.read_only:
            raise KGError("K202")
        text = split_inserts(with_prefixes(update, prefixes, base_iri))
        self.http.request(self.update_url, text.encode("utf-8"), "*/*", "update", self.timeout,
                          content_type="application/sparql-update; charset=utf-8")

    def load(self, input=None, format=None, *, path=None, base_iri=None, to_graph=None,  # noqa: A002
             lenient: bool = False) -> None:
        """Add RDF (N-Quads, N-Triples, Turtle …) in one request: a GSP POST when the data is
        one graph and a GSP URL is set, else one SPARQL Update."""
        if self.read_only:
            raise KGError("K202")
        quads = list(ox.parse(input, format=format, path=path, base_iri=base_iri, lenient=lenient))
        if to_graph is not None:
            quads = [ox.Quad(q.subject, q.predicate, q.object, to_graph) for q in quads]
        graphs = {q.graph_name for q in quads}
        if self.gsp_url and len(graphs) == 1 and isinstance(next(iter(graphs)), ox.NamedNode):
            body = "".join(f"{term(q.subject)} {term(q.predicate)} {term(q.object)} .\n" for q in quads)
            url = f"{self.gsp_url}?{urlencode({'graph': next(iter(graphs)).value})}"
            self.http.request(url, body.encode("utf-8"), "*/*", "GSP POST", self.timeout,
                              content_type="text/turtle; charset=utf-8")
        elif quads:
            self.update(insert_operations(quads))

    bulk_load = load

    def remove_graph(self, graph) -> None:
        self.update(f"DROP SILENT GRAPH <{_iri(graph)}>")

    def clear_graph(self, graph) -> None:
        self.update(f"CLEAR SILENT GRAPH <{_iri(graph)}>")

    def add_graph(self, graph) -> None:
        """Nothing to do: a SPARQL store creates a graph with its first triple."""

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""

    def optimize(self) -> None:
        """Nothing to do."""

    # -- graphs and quads ------------------------------------------------------------------

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self._select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                            f'FILTER(STRSTARTS(STR(?g), "{self.graph_prefix}")) }}')
        return iter(sorted((r["g"] for r in rows), key=lambda g: g.value))

    def contains_named_graph(self, graph) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{_iri(graph)}> {{ ?s ?p ?o }} }}"))

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):  # noqa: A002
        """Quads matching the pattern (``None`` = any; a graph of None = every PolicyKG graph)."""
        s, p, o = (term(t) if t is not None else v for t, v in ((subject, "?s"), (predicate, "?p"), (object, "?o")))
        if graph_name is None or isinstance(graph_name, ox.DefaultGraph):
            g, where = "?g", f'GRAPH ?g {{ {s} {p} {o} }} FILTER(STRSTARTS(STR(?g), "{self.graph_prefix}"))'
        else:
            g, where = term(graph_name), f"GRAPH {term(graph_name)} {{ {s} {p} {o} }}"
        fixed = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        for row in self._select(f"SELECT * WHERE {{ {where} }}"):
            def pick(name, row=row):
                return row[name] if fixed[name] is None or name == "g" and g == "?g" else fixed[name]
            yield ox.Quad(pick("s"), pick("p"), pick("o"), pick("g"))

    def __iter__(self):
        return self.quads_for_pattern()

    def __len__(self) -> int:
        rows = self._select(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                            f'FILTER(STRSTARTS(STR(?g), "{self.graph_prefix}")) }}')
        return int(rows[0]["n"].value) if rows else 0

    def dump(self, output=None, format=None, *, from_graph=None, prefixes=None):  # noqa: A002
        """Serialise one graph (GSP GET when a GSP URL is set, else CONSTRUCT) or every
        PolicyKG graph (a dataset format); bytes, or written to ``output``."""
        if from_graph is not None:
            triples = list(self._graph(from_graph))
            data = ox.serialize(triples, format=format, prefixes=prefixes)
        else:
            quads = list(self.quads_for_pattern())
            data = ox.serialize(ox.Dataset(quads), format=format, prefixes=prefixes)
        if output is None:
            return data
        if hasattr(output, "write"):
            output.write(data)
        else:
            with open(output, "wb") as f:
                f.write(data)
        return None

    def _graph(self, graph) -> Iterable[ox.Triple]:
        if self.gsp_url:
            url = f"{self.gsp_url}?{urlencode({'graph': _iri(graph)})}"
            reply = self.http.request(url, None, GRAPH_TYPES, "GSP GET", self.timeout, missing_ok=True)
            if reply is None:
                return []
            return ox.parse(reply.body, format=_rdf_format(reply.content_type, url))
        return self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{_iri(graph)}> {{ ?s ?p ?o }} }}")


def _query_triples(triples: Iterable) -> ox.QueryTriples:
    """Parsed triples as a real ``pyoxigraph.QueryTriples`` (the code checks that type): read
    back from a small in-memory store."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _iri(node) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def _listed(graphs) -> list:
    if graphs is None:
        return []
    return [graphs] if isinstance(graphs, (str, ox.NamedNode, ox.DefaultGraph)) else list(graphs)


def _rdf_format(content_type: str, url: str) -> ox.RdfFormat:
    fmt = _RDF_TYPES.get(content_type)
    if fmt is None:
        raise KGError("K105", f"{url}: unexpected answer type {content_type or 'none'} for a graph")
    return fmt
