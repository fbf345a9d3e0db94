"""What a list of documents shows of each document, read from the store by IRI.

``describe`` gives the metadata and task count of every document or of the given ones (the
document list, ``resolve_document``, an agency's documents); ``catalog_rows`` adds the counts the
document catalog of the search index keeps per document (kg/search/catalog.py), so the pages can
list, filter, sort and count 10^5 documents without asking the store about all of them.
"""

from __future__ import annotations

from ..graph.namespaces import DOC, POL, PREFIXES
from ..graph.ntriples import iri as nt_iri
from .sparql import run_query

_LEVEL_PREFIX = str(POL)


def _v(term):
    return None if term is None else term.value


def _values(iris: list[str] | None) -> str:
    return "" if iris is None else "VALUES ?doc { " + " ".join(nt_iri(i) for i in iris) + " }"


CHUNK = 500       # documents per query when read by IRI: 2,679 in one VALUES took 10 s, in chunks 2.5 s


def describe(store, iris: list[str] | None = None) -> list[dict]:
    """Every document, or those of ``iris`` (read by IRI, ``CHUNK`` at a time, not by scanning the
    store): iri, key, identifier (文号 or None), title, issued, issuer, level, region, tasks, partial
    (known only in outline, e.g. 国办发〔2017〕43号); ordered by 文号 then title (within a chunk)."""
    if iris is not None and len(iris) > CHUNK:
        return [d for n in range(0, len(iris), CHUNK) for d in describe(store, iris[n:n + CHUNK])]
    q = f"""SELECT ?doc ?id ?title ?issued ?issuer ?level ?region ?partial (COUNT(DISTINCT ?t) AS ?tasks) WHERE {{
      {_values(iris)}
      ?doc a pol:PolicyDocument . OPTIONAL {{ ?doc dcterms:title ?title }} OPTIONAL {{ ?doc dcterms:identifier ?id }}
      OPTIONAL {{ ?doc dcterms:issued ?issued }} OPTIONAL {{ ?doc pol:issuerName ?issuer }}
      OPTIONAL {{ ?doc pol:adminLevel ?level }} OPTIONAL {{ ?doc pol:region ?region }}
      OPTIONAL {{ ?doc pol:isPartial ?partial }}
      OPTIONAL {{ ?t a pol:Task ; pol:inDocument ?doc }}
    }} GROUP BY ?doc ?id ?title ?issued ?issuer ?level ?region ?partial ORDER BY ?id ?title"""
    out = {}
    for r in run_query(store, q):
        iri = r["doc"].value
        level = _v(r["level"])
        out.setdefault(iri, {
            "iri": iri, "key": iri[len(str(DOC)):], "identifier": _v(r["id"]), "title": _v(r["title"]),
            "issued": _v(r["issued"]), "issuer": _v(r["issuer"]),
            "level": level[len(_LEVEL_PREFIX):].removesuffix("Level").lower() if level else None,
            "region": _v(r["region"]), "tasks": int(r["tasks"].value), "partial": _v(r["partial"]) == "true"})
    return list(out.values())


# per document graph: its measures and targets, and its triples (the graph's own, as the search
# index's fingerprint counts them)
_COUNTS = """SELECT ?doc (SUM(?m) AS ?measures) (SUM(?g) AS ?targets) (COUNT(*) AS ?triples) WHERE {
  {values} GRAPH ?doc { ?s ?p ?o BIND(IF(?p = rdf:type && ?o = pol:Measure, 1, 0) AS ?m)
                                 BIND(IF(?p = rdf:type && ?o = pol:Target, 1, 0) AS ?g) } } GROUP BY ?doc"""


def catalog_rows(store, iris: list[str]) -> list[dict]:
    """``describe`` of ``iris`` plus each document's ``measures``, ``targets`` and ``triples``
    (two queries however many documents; the documents the store does not hold are left out)."""
    if not iris:
        return []
    counts = {r["doc"].value: (int(r["measures"].value), int(r["targets"].value), int(r["triples"].value))
              for r in store.query(_COUNTS.replace("{values}", _values(iris)), prefixes=PREFIXES)}
    rows = describe(store, iris)
    for row in rows:
        row["measures"], row["targets"], row["triples"] = counts.get(row["iri"], (0, 0, 0))
    return rows
