"""Compare a local document with the national document it implements, from the store.

``compare(store, local, national=None)`` reads both documents (named by 文号, title or IRI;
the national one defaults to what the local one ``pol:implements``), aligns their tasks
(kg/compare/align.py), sets targets and principles side by side, lists the local bodies of each aligned
task with their national counterparts, and — when both documents have a full text — finds
reused text (kg/compare/reuse.py). ``write_comparison`` stores the result as alignment nodes in the
graph ``https://w3id.org/policykg/graph/comparison/{local key}/{national key}``, replaced in one
SPARQL Update like a document graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import KGError
from ..graph.namespaces import DOC, GRAPH, PREFIXES
from .align import TaskText, align_tasks

_PRINCIPLE = re.compile(r"——([^。\n]+)。")


def _rows(store: ox.Store, query: str, **bind: str) -> list[dict]:
    for name, value in bind.items():
        query = query.replace(f"?{name}", f"<{value}>")
    solutions = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in solutions]


def resolve_document(store: ox.Store, name: str) -> str:
    """The IRI of the document named by ``name`` (IRI, key, 文号 or exact title); K103 if none."""
    if not name.startswith(str(DOC)) and not any(c in name for c in '<>"{}|\\^` ') \
            and store.contains_named_graph(ox.NamedNode(str(DOC) + name)):
        return str(DOC) + name
    if name.startswith(str(DOC)):
        if store.contains_named_graph(ox.NamedNode(name)):
            return name
        raise KGError("K103", name)
    literal = name.replace("\\", "\\\\").replace('"', '\\"')
    q = ("SELECT DISTINCT ?d WHERE { ?d a pol:PolicyDocument . { ?d dcterms:identifier ?v } UNION "
         f'{{ ?d dcterms:title ?v }} FILTER(STR(?v) = "{literal}") }} ORDER BY ?d')
    hits = _rows(store, q)
    if not hits:
        raise KGError("K103", name)
    return hits[0]["d"]


def implemented_by(store: ox.Store, local: str) -> str | None:
    hits = _rows(store, "SELECT ?n WHERE { ?doc pol:implements ?n } ORDER BY ?n", doc=local)
    return hits[0]["n"] if hits else None


@dataclass
class DocInfo:
    iri: str
    title: str
    identifier: str | None
    partial: bool
    text: str | None
    tasks: list[TaskText]
    targets: list[dict]
    principles: list[str]
    agencies: dict[str, list[dict]]        # task IRI -> [{name, key, counterpart}]


def read_document(store: ox.Store, iri: str) -> DocInfo:
    head = _rows(store, """SELECT ?title ?id ?partial ?text WHERE { ?doc dcterms:title ?title .
        OPTIONAL { ?doc dcterms:identifier ?id } OPTIONAL { ?doc pol:isPartial ?partial }
        OPTIONAL { ?doc pol:fullText ?text } }""", doc=iri)
    if not head:
        raise KGError("K103", iri)
    h = head[0]
    partial = h["partial"] == "true"
    tasks = [TaskText(int(r["n"]), r["title"] or "", r["text"] or "", r["t"]) for r in _rows(store, """
        SELECT ?t ?n ?title ?text WHERE { ?t a pol:Task ; pol:inDocument ?doc ; pol:ordinal ?n ; pol:text ?text .
        OPTIONAL { ?t pol:title ?title } } ORDER BY ?n""", doc=iri)]
    targets = [{"year": int(r["year"]) if r["year"] else None, "text": r["text"],
                "value": r["value"], "unit": r["unit"]} for r in _rows(store, """
        SELECT ?year ?text ?value ?unit ?s WHERE { ?x a pol:Target ; pol:inDocument ?doc ; pol:text ?text ;
        pol:startOffset ?s . OPTIONAL { ?x pol:year ?year } OPTIONAL { ?x pol:value ?value }
        OPTIONAL { ?x pol:unit ?unit } } ORDER BY ?s""", doc=iri)]
    principles = [r["text"] for r in _rows(store, """SELECT ?text WHERE { ?p a pol:Principle ;
        pol:inDocument ?doc ; pol:statement ?text ; pol:startOffset ?s } ORDER BY ?s""", doc=iri)]
    if not principles and h["text"]:
        for r in _rows(store, """SELECT ?s ?e WHERE { ?x a pol:Section ; pol:inDocument ?doc ; pol:title ?t ;
                pol:startOffset ?s ; pol:endOffset ?e FILTER(CONTAINS(STR(?t), "原则")) } ORDER BY ?s""", doc=iri):
            principles += [m.group(1) for m in _PRINCIPLE.finditer(h["text"][int(r["s"]):int(r["e"])])]
    agencies: dict[str, list[dict]] = {}
    for r in _rows(store, """SELECT ?t ?a ?name ?cp ?cpname WHERE { ?t a pol:Task ; pol:inDocument ?doc ;
            pol:responsibleAgency ?a . ?a skos:prefLabel ?name .
            OPTIONAL { ?a pol:counterpart ?cp . ?cp skos:prefLabel ?cpname } } ORDER BY ?t ?name""", doc=iri):
        agencies.setdefault(r["t"], []).append(
            {"name": r["name"], "agency": r["a"], "counterpart": r["cp"], "counterpart_name": r["cpname"]})
    return DocInfo(iri, h["title"], h["id"], partial, h["text"], tasks, targets, principles, agencies)


def _targets_side_by_side(local: DocInfo, national: DocInfo) -> list[dict]:
    """Per year, both sides' targets and the wording similarity (character-bigram cosine)."""
    from .align import char_bigrams, cosine

    out = []
    for y in sorted({t["year"] for t in local.targets + national.targets if t["year"]}):
        loc = [t for t in local.targets if t["year"] == y]
        nat = [t for t in national.targets if t["year"] == y]
        sim = cosine(char_bigrams("".join(t["text"] for t in loc)), char_bigrams("".join(t["text"] for t in nat)))
        out.append({"year": y, "local": loc, "national": nat, "wording_similarity": round(sim, 4),
                    "quantified": {"local": sum(t["value"] is not None for t in loc),
                                   "national": sum(t["value"] is not None for t in nat)}})
    return out


def _principles_side_by_side(local: DocInfo, national: DocInfo) -> list[dict]:
    out = []
    for p in national.principles:
        hits = [lp for lp in local.principles if p in lp]
        out.append({"national": p, "local": hits, "wording": "same" if hits else "not found"})
    taken = {lp for row in out for lp in row["local"]}
    out += [{"national": None, "local": [lp], "wording": "local only"} for lp in local.principles if lp not in taken]
    return out


def _agencies(alignment, local: DocInfo, national: DocInfo) -> dict:
    rows = []
    for a in alignment.alignments:
        bodies = local.agencies.get(a.local.iri, [])
        nat = national.agencies.get(a.national.iri, [])
        rows.append({
            "local_ordinal": a.local.ordinal, "national_ordinal": a.national.ordinal,
            "local_bodies": [{"name": b["name"], "national_counterpart": b["counterpart_name"]} for b in bodies],
            "national_bodies": [{"name": n["name"], "local_counterparts": [
                b["name"] for b in bodies if b["counterpart"] == n["agency"]]} for n in nat],
        })
    named = any(national.agencies.values())
    note = ("national bodies matched to the local bodies whose gazetteer counterpart they are" if named else
            "the national document names no responsible ministries here; shown instead: "
            "the national counterpart of each local body")
    return {"note": note, "tasks": rows}


def compare(store: ox.Store, local: str, national: str | None = None, reuse: bool = True) -> dict:
    local_iri = resolve_document(store, local)
    national_iri = resolve_document(store, national) if national else implemented_by(store, local_iri)
    if national_iri is None:
        raise KGError("K502", f"{local_iri} implements no document; name the national one")
    if not store.contains_named_graph(ox.NamedNode(national_iri)):
        raise KGError("K103", national_iri)
    return compare_documents(read_document(store, local_iri), read_document(store, national_iri), reuse)


def compare_documents(loc: DocInfo, nat: DocInfo, reuse: bool = True) -> dict:
    """The comparison of two documents already read (no store: it can run in a worker)."""
    result = align_tasks(loc.tasks, nat.tasks)
    out = {
        "local": {"document": loc.iri, "title": loc.title, "identifier": loc.identifier, "tasks": len(loc.tasks)},
        "national": {"document": nat.iri, "title": nat.title, "identifier": nat.identifier,
                     "tasks": len(nat.tasks), "partial": nat.partial},
        "alignments": [a.to_dict() for a in result.alignments],
        "coverage": [{"national_ordinal": t.ordinal, "national_title": t.title, "national_task": t.iri,
                      "status": result.coverage[t.ordinal][0], "score": round(result.coverage[t.ordinal][1], 4)}
                     for t in nat.tasks],
        "national_uncovered": [{"ordinal": t.ordinal, "title": t.title} for t in result.national_uncovered],
        "local_added": [{"ordinal": t.ordinal, "title": t.title} for t in result.local_added],
        "targets": _targets_side_by_side(loc, nat),
        "principles": _principles_side_by_side(loc, nat),
        "agencies": _agencies(result, loc, nat),
        "reuse": None,
    }
    if reuse and loc.text and nat.text and not nat.partial and not loc.partial:
        from .reuse import find_reuse

        out["reuse"] = find_reuse(loc.text, nat.text).to_dict()
    return out


def comparison_graph_iri(local_iri: str, national_iri: str) -> str:
    return str(GRAPH[f"comparison/{local_iri[len(str(DOC)):]}/{national_iri[len(str(DOC)):]}"])
