"""Citations and implementation, resolved at query time against the documents in the store.

The graph keeps every citation as extracted (``pol:Citation`` with ``pol:citedTitle``,
``pol:citedIdentifier`` and, when a 文号 is given, ``pol:cites`` → the IRI that document has or
would have). Nothing is rewritten when documents are added; instead each query decides:

* ``identifier`` — the cited IRI is a loaded ``pol:PolicyDocument`` (matched by 文号);
* ``title`` — no loaded document by 文号, but one whose ``dcterms:title`` is the cited title, or
  whose ``pol:issuedTitle`` is (``…关于印发《title》的通知``, the notice that issues it; read from
  the notice's title at ingest, so the match is a join on the literal, not a scan of every title);
* ``self`` — the match is the citing document itself (a 通知 citing the plan it issues);
* ``unresolved`` — nothing loaded matches: kept and flagged, resolved as soon as the cited
  document is ingested.

``queries/33-what-cites.rq`` and ``queries/32-what-implements.rq`` are the same queries for
every document; ``cites(store, doc)`` and ``implemented_by(store, doc)`` restrict them to one.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import KGError
from ..graph.namespaces import document_iri, document_key
from ..query.sparql import rows, run_query

PREFIXES = """PREFIX pol: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

CITES = PREFIXES + """
SELECT ?document ?citing ?cited_title ?cited_identifier ?status ?resolved ?resolved_title ?start ?end
WHERE {
  ?c a pol:Citation ; pol:inDocument ?document ; pol:startOffset ?start ; pol:endOffset ?end .
  ?document dcterms:title ?citing .
  OPTIONAL { ?c pol:citedTitle ?cited_title }
  OPTIONAL { ?c pol:citedIdentifier ?cited_identifier }
  OPTIONAL { ?c pol:cites ?by_id . ?by_id a pol:PolicyDocument ; dcterms:title ?id_title }
  OPTIONAL {                                   # by title: a join on the literal, never a scan
    ?c pol:citedTitle ?ct . ?by_title dcterms:title|pol:issuedTitle ?ct .
    ?by_title a pol:PolicyDocument ; dcterms:title ?t .
  }
  BIND(COALESCE(?by_id, ?by_title) AS ?resolved)
  BIND(IF(!BOUND(?resolved), "unresolved", IF(?resolved = ?document, "self",
       IF(BOUND(?by_id), "identifier", "title"))) AS ?status)
  BIND(COALESCE(?id_title, ?t) AS ?resolved_title)
  %FILTER%
}
ORDER BY ?citing ?start
"""

IMPLEMENTS = PREFIXES + """
SELECT ?implemented ?implemented_identifier ?implemented_title ?loaded ?document ?title ?evidence
WHERE {
  ?document pol:implements ?implemented ; dcterms:title ?title .
  OPTIONAL { ?e pol:inDocument ?document ; pol:evidenceFor pol:implements ;
             pol:startOffset ?s ; pol:endOffset ?n . ?document pol:fullText ?text
             BIND(SUBSTR(?text, ?s + 1, ?n - ?s) AS ?evidence) }
  OPTIONAL { ?implemented dcterms:title ?implemented_title }
  OPTIONAL { ?implemented dcterms:identifier ?implemented_identifier }
  BIND(EXISTS { ?implemented a pol:PolicyDocument } AS ?loaded)
  %FILTER%
}
ORDER BY ?implemented ?title
"""


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    header, body = rows(run_query(store, query))
    return [dict(zip(header, r, strict=True)) for r in body]


def find_document(store: ox.Store, name: str) -> str:
    """The IRI of a loaded document named by IRI, 文号 or exact title; K103 if none."""
    candidates = [name] if name.startswith("https://") else [str(document_iri(document_key(name, None, "")))]
    for iri in candidates:
        if store.query(f"ASK {{ GRAPH ?g {{ <{iri}> a <https://w3id.org/policykg/ontology#PolicyDocument> }} }}"):
            return iri
    literal = name.replace("\\", "\\\\").replace('"', '\\"')
    found = _select(store, PREFIXES + f'SELECT ?d WHERE {{ ?d a pol:PolicyDocument ; dcterms:title ?t . '
                                      f'FILTER(STR(?t) = "{literal}") }}')
    if not found:
        raise KGError("K103", name)
    return found[0]["d"]


def cites(store: ox.Store, document: str | None = None) -> list[dict[str, str]]:
    """What ``document`` (IRI, 文号 or title; None = every document) cites, with resolution status."""
    flt = f"FILTER(?document = <{find_document(store, document)}>)" if document else ""
    return _select(store, CITES.replace("%FILTER%", flt))


def implemented_by(store: ox.Store, document: str | None = None) -> list[dict[str, str]]:
    """The loaded documents that implement ``document`` (IRI, 文号 or title; it need not be loaded)."""
    if document is None:
        flt = ""
    elif document.startswith("https://"):
        flt = f"FILTER(?implemented = <{document}>)"
    else:
        try:
            iri = find_document(store, document)
        except KGError:
            iri = str(document_iri(document_key(document, None, "")))
        flt = f"FILTER(?implemented = <{iri}>)"
    return _select(store, IMPLEMENTS.replace("%FILTER%", flt))
