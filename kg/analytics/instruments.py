"""Researcher analytics over the store: instrument tags per measure, and counts by document,
task, agency and instrument (for R / Stata: flat rows, UTF-8 CSV).

``tag_rows(store)`` gives one row per measure × instrument tag; ``counts(rows, by)`` aggregates.
Concept labels and notations come from the ontology graph (ontologies/instruments.ttl).
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from extraction.fold import fold

from ..query.sparql import rows as result_rows
from ..query.sparql import run_query

PREFIXES = """PREFIX pol: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

TAGS = PREFIXES + """
SELECT ?document ?title ?identifier ?provision ?kind ?task ?measure_iri ?measure ?measure_start ?text ?tag
       ?rank ?score ?class ?class_label ?subtype ?subtype_label ?spans
WHERE {
  ?measure_iri pol:hasInstrumentTag ?tag ; pol:inTask ?provision ; pol:ordinal ?measure ;
               pol:startOffset ?measure_start ; pol:endOffset ?measure_end .
  ?provision pol:inDocument ?document ; pol:ordinal ?task .
  ?document pol:fullText ?full .
  BIND(SUBSTR(?full, ?measure_start + 1, ?measure_end - ?measure_start) AS ?text)
  BIND(IF(EXISTS { ?provision a pol:Task }, "task", IF(EXISTS { ?provision a pol:Article }, "article", "safeguard")) AS ?kind)
  ?document dcterms:title ?title .
  OPTIONAL { ?document dcterms:identifier ?identifier }
  ?tag pol:instrumentRank ?rank ; pol:instrumentScore ?score ; pol:instrumentType ?concept ;
       pol:evidenceSpans ?spans .
  ?concept skos:notation ?subtype ; skos:prefLabel ?subtype_label ; skos:broader ?c .
  ?c skos:notation ?class ; skos:prefLabel ?class_label .
  FILTER(lang(?subtype_label) = "zh" && lang(?class_label) = "zh")
}
"""

AGENCIES = PREFIXES + """
SELECT DISTINCT ?provision ?name WHERE { ?provision a pol:Provision ; pol:responsibleAgency ?a . ?a skos:prefLabel ?name }
"""

ROW_COLUMNS = ["document", "identifier", "title", "kind", "task", "measure", "rank", "class", "class_label",
               "subtype", "subtype_label", "score", "evidence", "evidence_offsets", "start", "end", "agencies",
               "text"]
BY = ("measure", "document", "task", "agency", "instrument")


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    header, body = result_rows(run_query(store, query))
    return [dict(zip(header, r, strict=True)) for r in body]


def evidence_spans(value: str) -> list[tuple[int, int]]:
    """The offsets of a tag's ``pol:evidenceSpans`` ("12-14 30-32"), in the order written."""
    return [(int(s), int(e)) for s, e in (pair.split("-") for pair in value.split())]


def tag_rows(store: ox.Store) -> list[dict]:
    """One row per measure × instrument tag, document order (columns ``ROW_COLUMNS``)."""
    agencies = defaultdict(set)
    for a in _select(store, AGENCIES):
        agencies[a["provision"]].add(a["name"])
    out = []
    for r in _select(store, TAGS):
        spans = evidence_spans(r["spans"])
        at = int(r["measure_start"])     # each word is the measure's text at its offsets, as the rules read it
        ev = sorted((s, e, fold(r["text"][s - at:e - at])) for s, e in spans)
        out.append({
            "document": r["document"], "identifier": r["identifier"], "title": r["title"], "kind": r["kind"],
            "task": int(r["task"]), "measure": int(r["measure"]), "rank": int(r["rank"]),
            "class": r["class"], "class_label": r["class_label"], "subtype": r["subtype"],
            "subtype_label": r["subtype_label"], "score": float(r["score"]),
            "evidence": "|".join(w for _, _, w in ev),
            "evidence_offsets": "|".join(f"{s}-{e}" for s, e, _ in ev),
            "start": spans[0][0], "end": spans[0][1],
            "agencies": "|".join(sorted(agencies[r["provision"]])), "text": r["text"],
        })
    out.sort(key=lambda x: (x["title"], x["kind"] != "task", x["task"], x["measure"], x["rank"]))
    return out


def counts(rows: list[dict], by: str) -> tuple[list[str], list[dict]]:
    """Aggregate tag rows: (columns, rows). ``measures`` counts distinct measures with the sub-type,
    ``primary`` those whose strongest tag it is; ``by=agency`` counts the measures of the
    provisions each body is responsible for (a measure counts once for each of its bodies)."""
    if by == "measure":
        return ROW_COLUMNS, rows
    keys = {"document": ["identifier", "title"], "task": ["identifier", "title", "kind", "task"],
            "agency": ["agency"], "instrument": []}[by]
    groups: dict[tuple, dict] = {}
    for r in rows:
        owners = r["agencies"].split("|") if by == "agency" and r["agencies"] else [None]
        if by == "agency" and not r["agencies"]:
            continue
        for owner in owners:
            base = {k: (owner if k == "agency" else r[k]) for k in keys}
            key = tuple(base.values()) + (r["class"], r["subtype"])
            g = groups.setdefault(key, {**base, "class": r["class"], "class_label": r["class_label"],
                                        "subtype": r["subtype"], "subtype_label": r["subtype_label"],
                                        "measures": set(), "primary": set(), "documents": set()})
            m = (r["document"], r["kind"], r["task"], r["measure"])
            g["measures"].add(m)
            g["documents"].add(r["document"])
            if r["rank"] == 1:
                g["primary"].add(m)
    columns = keys + ["class", "class_label", "subtype", "subtype_label", "measures", "primary", "documents"]
    out = []
    for key in sorted(groups, key=lambda k: tuple("" if v is None else str(v).zfill(6) for v in k)):
        g = groups[key]
        out.append({**g, "measures": len(g["measures"]), "primary": len(g["primary"]),
                    "documents": len(g["documents"])})
    return columns, out
