"""Documents, tasks and agencies as plain data: co-responsibility per task, agency pairs, agency
profiles, tasks without a lead. Every fact comes from SPARQL run by Oxigraph (``run_query``).

Identifiers accepted wherever a document is named: its 文号 (国发〔2019〕3号; 〔〕, [] and ［］ are
read alike), its key (the last part of its IRI, e.g. ``t-b992b91be46f98b6``), its full IRI or its
exact title (when one document only has it).
An agency is named by its key (``cn/customs``), its IRI, its full name (skos:prefLabel) or any
surface form seen in a document (skos:altLabel, e.g. 省科技厅).

A task is ``pol:Task`` only (safeguards are not tasks). A body shares a task when the task has
it as ``pol:responsibleAgency`` (any role); its roles come from the task's assignments and
``pol:leadAgency``.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

from ..errors import KGError
from ..graph.namespaces import AGENCY, DOC, POL, agency_key
from ..graph.ntriples import iri as nt_iri
from ..graph.ntriples import string as nt_string
from ..query.documents import describe
from ..query.sparql import run_query

_ROLE_PREFIX = str(POL)
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕"})


def _v(term):
    return None if term is None else term.value


def list_documents(store) -> list[dict]:
    """Every document: iri, key, identifier (文号 or None), title, issued, issuer, level, region, tasks,
    partial (known only in outline, e.g. 国办发〔2017〕43号)."""
    return describe(store)


_OPENING, _CLOSING = "〔[［【", "〕]］】"


def _bracket_spellings(wenhao: str) -> list[str]:
    """``wenhao`` (its brackets read as 〔〕) with each pair of brackets a 文号 is written with:
    the identifiers are then looked up by value (an index read), not all read and compared."""
    if "〔" not in wenhao or "〕" not in wenhao:
        return [wenhao]
    return sorted({wenhao.replace("〔", o).replace("〕", c) for o in _OPENING for c in _CLOSING})


def resolve_document(store, doc_id: str) -> dict:
    """The document named by 文号, key, IRI or exact title (see the module docstring); ``K103`` if none."""
    wanted = doc_id.strip().translate(_BRACKETS)
    if wanted.startswith(str(DOC)):
        candidates = [wanted]
    else:              # a key, or a 文号 as the store may hold it (any of the brackets), looked up by value
        spellings = " ".join(nt_string(v) for v in _bracket_spellings(wanted))
        ids = run_query(store, f"SELECT ?doc WHERE {{ VALUES ?id {{ {spellings} }} "
                               "?doc dcterms:identifier ?id ; a pol:PolicyDocument }")
        candidates = [str(DOC) + wanted, *sorted({r["doc"].value for r in ids})]
    for candidate in candidates:
        try:
            found = describe(store, [candidate])
        except ValueError:             # not an IRI (a key with a space, <, …): no such document
            continue
        if found:
            return found[0]
    # the exact title (as ``compare`` accepts it): one document only, else not a name
    titled = sorted(r["doc"].value for r in run_query(
        store, f"SELECT ?doc WHERE {{ ?doc a pol:PolicyDocument ; dcterms:title ?t "
               f"FILTER(STR(?t) = {nt_string(doc_id.strip())}) }}"))
    if len(titled) == 1:
        return describe(store, titled)[0]
    raise KGError("K103", doc_id)




def agency_info(store) -> dict[str, dict]:
    """Every body of the shared agencies graph by key: key, iri, label, alt_labels, kind, region."""
    q = """SELECT ?a ?label ?alt ?type ?region WHERE { GRAPH <https://w3id.org/policykg/graph/agencies> {
      ?a a org:Organization . OPTIONAL { ?a skos:prefLabel ?label } OPTIONAL { ?a skos:altLabel ?alt }
      OPTIONAL { ?a a ?type FILTER(?type != org:Organization) } OPTIONAL { ?a pol:region ?region } } }"""
    out: dict[str, dict] = {}
    for r in run_query(store, q):
        key = agency_key(r["a"].value)
        a = out.setdefault(key, {"key": key, "iri": r["a"].value, "label": _v(r["label"]) or key,
                                 "alt_labels": [], "kind": None, "region": _v(r["region"])})
        if r["alt"] is not None and r["alt"].value not in a["alt_labels"]:
            a["alt_labels"].append(r["alt"].value)
        if r["type"] is not None:     # one class per agency today; keep the choice deterministic
            kind = r["type"].value.rsplit("#", 1)[-1]
            a["kind"] = min(a["kind"], kind) if a["kind"] else kind
    for a in out.values():
        a["alt_labels"].sort()
    return out


def agency_labels(store) -> dict[str, str]:
    """Agency key -> its preferred label."""
    return {k: a["label"] for k, a in agency_info(store).items()}


def resolve_agency(store, name_or_key: str) -> dict:
    """The agency named by key, IRI, full name or any surface form; ``K401`` / ``K402``."""
    wanted = name_or_key.strip()
    agencies = agency_info(store)
    for field in ("key", "iri", "label"):
        hits = [a for a in agencies.values() if a[field] == wanted]
        if len(hits) == 1:
            return hits[0]
    hits = [a for a in agencies.values() if wanted in a["alt_labels"]]
    if len(hits) > 1:
        raise KGError("K402", f"{wanted} ({', '.join(sorted(a['key'] for a in hits))})")
    if not hits:
        raise KGError("K401", wanted)
    return hits[0]


def task_agencies(store, document: str | None = None, agency: str | None = None) -> list[dict]:
    """For each task: iri, document, identifier, ordinal, title, and ``agencies``
    [{key, label, roles}] in the order the text names them (roles sorted; ``lead`` where
    pol:leadAgency names it), ``leads`` [keys].
    ``document`` keeps one document's tasks, ``agency`` (an IRI) the tasks that agency shares:
    both are bound before the rest is read, so the cost follows the answer, not the store."""
    scope = ""
    if document is not None:
        scope += f"VALUES ?doc {{ {nt_iri(resolve_document(store, document)['iri'])} }} "
    if agency is not None:          # first in each of the simple reads below, so they start from it
        scope += f"?t pol:responsibleAgency {nt_iri(agency)} . "
    # four simple reads joined here: one query with the three OPTIONALs took twice as long
    # (16.5 s against 7.4 s for the whole store at 10.5M triples)
    head = f"{scope} ?t a pol:Task ; pol:inDocument ?doc ."
    labels = agency_labels(store)
    tasks: dict[str, dict] = {}
    for r in run_query(store, f"""SELECT ?t ?doc ?id ?n ?title WHERE {{ {head}
            OPTIONAL {{ ?t pol:ordinal ?n }} OPTIONAL {{ ?t pol:title ?title }}
            OPTIONAL {{ ?doc dcterms:identifier ?id }} }}"""):
        tasks.setdefault(r["t"].value, {"iri": r["t"].value, "document": r["doc"].value, "identifier": _v(r["id"]),
                                        "ordinal": int(r["n"].value) if r["n"] is not None else None,
                                        "title": _v(r["title"])})
    roles: dict[str, dict[str, set]] = defaultdict(dict)
    for r in run_query(store, f"SELECT ?t ?a WHERE {{ {head} ?t pol:responsibleAgency ?a }}"):
        roles[r["t"].value].setdefault(agency_key(r["a"].value), set())
    first: dict[str, dict[str, int]] = defaultdict(dict)     # task -> agency key -> where the text first names it
    for r in run_query(store, f"""SELECT ?t ?a ?role ?start WHERE {{ {head}
            {{ ?as pol:mentionIn ?t }} UNION {{ ?m pol:inTask ?t . ?as pol:mentionIn ?m }}
            ?as pol:agency ?a ; pol:role ?role . OPTIONAL {{ ?as pol:startOffset ?start }} }}"""):
        key = agency_key(r["a"].value)
        bucket = roles.get(r["t"].value, {}).get(key)
        if bucket is not None:          # only responsible agencies are listed (as in one query's join)
            bucket.add(r["role"].value[len(_ROLE_PREFIX):].removesuffix("Role").lower())
            if r["start"] is not None:
                at = int(r["start"].value)
                seen = first[r["t"].value]
                seen[key] = min(seen.get(key, at), at)
    for r in run_query(store, f"SELECT ?t ?a WHERE {{ {head} ?t pol:leadAgency ?a }}"):
        bucket = roles.get(r["t"].value, {}).get(agency_key(r["a"].value))
        if bucket is not None:
            bucket.add("lead")
    tasks = {iri: task for iri, task in tasks.items() if roles.get(iri)}   # tasks naming at least one body
    out = []
    for iri, task in tasks.items():
        # in the order the text names them (the evidence offsets of the assignments); a body with
        # no assignment offset (named only through pol:responsibleAgency) after them, by name
        at = first.get(iri, {})
        members = sorted(roles[iri].items(),
                         key=lambda kv: (kv[0] not in at, at.get(kv[0], 0), labels.get(kv[0], kv[0]), kv[0]))
        task["agencies"] = [{"key": k, "label": labels.get(k, k), "roles": sorted(rs)} for k, rs in members]
        task["leads"] = [k for k, rs in members if "lead" in rs]
        out.append(task)
    return sorted(out, key=lambda t: (t["identifier"] or "", t["document"], t["ordinal"] or 0))


def task_ref(task: dict) -> dict:
    """The short form of a task used inside other answers."""
    return {k: task[k] for k in ("iri", "document", "identifier", "ordinal", "title")}


def agency_pairs(store, document: str | None = None, tasks: list[dict] | None = None) -> list[dict]:
    """Each pair of agencies sharing at least one task: source, target (keys, source < target),
    source_label, target_label, weight (number of shared tasks), tasks [task refs]; heaviest first."""
    tasks = task_agencies(store, document) if tasks is None else tasks
    shared: dict[tuple[str, str], list[dict]] = defaultdict(list)
    labels = {}
    for t in tasks:
        for a in t["agencies"]:
            labels[a["key"]] = a["label"]
        for u, v in itertools.combinations(sorted(a["key"] for a in t["agencies"]), 2):
            shared[(u, v)].append(task_ref(t))
    pairs = [{"source": u, "target": v, "source_label": labels[u], "target_label": labels[v],
              "weight": len(ts), "tasks": ts} for (u, v), ts in shared.items()]
    return sorted(pairs, key=lambda p: (-p["weight"], p["source"], p["target"]))


def agency_summary(store, document: str | None = None, tasks: list[dict] | None = None) -> list[dict]:
    """Every agency responsible for at least one task: key, iri, label, kind, region, tasks, led."""
    tasks = task_agencies(store, document) if tasks is None else tasks
    info = agency_info(store)
    count, led = Counter(), Counter()
    for t in tasks:
        for a in t["agencies"]:
            count[a["key"]] += 1
            led[a["key"]] += "lead" in a["roles"]
    out = [{"key": k, "iri": info[k]["iri"] if k in info else str(AGENCY[k]),
            "label": info[k]["label"] if k in info else k, "kind": info.get(k, {}).get("kind"),
            "region": info.get(k, {}).get("region"), "tasks": n, "led": led[k]} for k, n in count.items()]
    return sorted(out, key=lambda a: (-a["tasks"], a["key"]))


def agency_profile(store, name_or_key: str, document: str | None = None) -> dict:
    """key, iri, label, alt_labels, kind, region; ``led`` (tasks it leads), ``participated`` (tasks
    it shares without leading, each with its ``roles``), ``partners`` [{key, label, shared_tasks}],
    ``documents`` [{iri, identifier, title, tasks}]."""
    agency = resolve_agency(store, name_or_key)
    key = agency["key"]
    led, participated, partners, docs = [], [], Counter(), {}
    for t in task_agencies(store, document, agency=agency["iri"]):
        mine = next((a for a in t["agencies"] if a["key"] == key), None)
        if mine is None:
            continue
        if "lead" in mine["roles"]:
            led.append(task_ref(t))
        else:
            participated.append({**task_ref(t), "roles": mine["roles"]})
        for a in t["agencies"]:
            if a["key"] != key:
                partners[(a["key"], a["label"])] += 1
        docs.setdefault(t["document"], {"iri": t["document"], "identifier": t["identifier"], "tasks": 0})
        docs[t["document"]]["tasks"] += 1
    titles = {d["iri"]: d["title"] for d in describe(store, list(docs))} if docs else {}
    for d in docs.values():
        d["title"] = titles.get(d["iri"])
    return {**agency, "led": led, "participated": participated,
            "partners": [{"key": k, "label": lab, "shared_tasks": n}
                         for (k, lab), n in sorted(partners.items(), key=lambda kv: (-kv[1], kv[0][0]))],
            "documents": list(docs.values())}


def tasks_without_lead(store, document: str | None = None) -> list[dict]:
    """Tasks that name responsible bodies but no lead (task refs plus ``agencies``)."""
    return [t for t in task_agencies(store, document) if not t["leads"]]


def document_detail(store, doc_id: str) -> dict:
    """The document's metadata, its ``sections`` outline [{iri, number, label, title, level, kind,
    parent}] in reading order, and its ``tasks`` (as in ``task_agencies``, plus ``section``)."""
    doc = resolve_document(store, doc_id)
    q = f"""SELECT ?s ?label ?title ?level ?kind ?parent ?start WHERE {{
      ?s a pol:Section ; pol:inDocument <{doc['iri']}> . OPTIONAL {{ ?s pol:label ?label }}
      OPTIONAL {{ ?s pol:title ?title }} OPTIONAL {{ ?s pol:level ?level }} OPTIONAL {{ ?s pol:sectionKind ?kind }}
      OPTIONAL {{ ?s dcterms:isPartOf ?parent }} OPTIONAL {{ ?s pol:startOffset ?start }}
    }} ORDER BY ?start"""
    sections, prefix = {}, doc["iri"] + "/section/"
    for r in run_query(store, q):
        iri = r["s"].value
        sections.setdefault(iri, {
            "iri": iri, "number": iri[len(prefix):], "label": _v(r["label"]), "title": _v(r["title"]),
            "level": int(r["level"].value) if r["level"] is not None else None,
            "kind": _v(r["kind"]).rsplit("#", 1)[-1] if r["kind"] is not None else None,
            "parent": _v(r["parent"])})
    in_section = {r["t"].value: r["s"].value for r in run_query(
        store, f"SELECT ?t ?s WHERE {{ ?t a pol:Task ; pol:inDocument <{doc['iri']}> ; pol:inSection ?s }}")}
    tasks = [{**t, "section": in_section.get(t["iri"])} for t in task_agencies(store, doc["iri"])]
    return {**doc, "sections": list(sections.values()), "tasks": tasks}


def task_detail(store, doc_id: str, ordinal: int) -> dict:
    """One task: its ref, ``text``, ``section``, ``agencies``, ``leads`` and ``measures``
    [{ordinal, text, agencies [keys], leads [keys], inherited [keys]}] — a measure's bodies are
    those its own sentence names and those the task's own notes give the whole task (``inherited``:
    stated once, on the task); ``K403`` if the document has no such task."""
    doc = resolve_document(store, doc_id)
    task = next((t for t in task_agencies(store, doc["iri"]) if t["ordinal"] == ordinal), None)
    iri = f"{doc['iri']}/task/{ordinal}"
    if task is None:     # a task may name no agency at all
        found = list(run_query(store, f"SELECT ?title WHERE {{ <{iri}> a pol:Task . OPTIONAL {{ <{iri}> pol:title ?title }} }}"))
        if not found:
            raise KGError("K403", f"{doc['identifier'] or doc['key']} task {ordinal}")
        task = {"iri": iri, "document": doc["iri"], "identifier": doc["identifier"], "ordinal": ordinal,
                "title": _v(found[0]["title"]), "agencies": [], "leads": []}
    # every pattern in the document's own graph: an OPTIONAL group Oxigraph evaluates on its own
    # (?m pol:startOffset ?s) then reads that graph only, not every offset of the store (at
    # 100,000 documents this answer took minutes)
    graph = f"GRAPH <{doc['iri']}>"
    head = list(run_query(store, f"SELECT ?text ?s WHERE {{ {graph} {{ OPTIONAL {{ <{iri}> pol:text ?text }} "
                                 f"OPTIONAL {{ <{iri}> pol:inSection ?s }} }} }}"))
    measures: dict[str, dict] = {}
    # a measure's text is the document's text at its offsets (README "Graph shape")
    q = f"""SELECT ?m ?n ?text ?a ?lead WHERE {{ {graph} {{ ?m pol:inTask <{iri}> . OPTIONAL {{ ?m pol:ordinal ?n }}
      OPTIONAL {{ ?m pol:startOffset ?s ; pol:endOffset ?e . <{doc['iri']}> pol:fullText ?full
                  BIND(SUBSTR(?full, ?s + 1, ?e - ?s) AS ?text) }} OPTIONAL {{ ?m pol:responsibleAgency ?a
      OPTIONAL {{ ?m pol:leadAgency ?a . BIND(true AS ?lead) }} }} }} }}"""
    for r in run_query(store, q):
        m = measures.setdefault(r["m"].value, {"ordinal": int(r["n"].value) if r["n"] is not None else None,
                                               "text": _v(r["text"]), "agencies": [], "leads": []})
        if r["a"] is not None and agency_key(r["a"].value) not in m["agencies"]:
            m["agencies"].append(agency_key(r["a"].value))
        if r["lead"] is not None and agency_key(r["a"].value) not in m["leads"]:
            m["leads"].append(agency_key(r["a"].value))
    # what the provision's own mentions say applies to every measure (pol:inTask): inherited, not copied
    whole = f"""SELECT ?a ?lead WHERE {{ {graph} {{ ?x pol:mentionIn <{iri}> ; pol:agency ?a .
      OPTIONAL {{ ?x pol:role pol:LeadRole . BIND(true AS ?lead) }} }} }}"""
    inherited = {(agency_key(r["a"].value), r["lead"] is not None) for r in run_query(store, whole)}
    for m in measures.values():
        own = set(m["agencies"])
        m["inherited"] = sorted({k for k, _ in inherited} - own)
        m["agencies"] = sorted(own | {k for k, _ in inherited})
        m["leads"] = sorted(set(m["leads"]) | {k for k, lead in inherited if lead})
    return {**task, "text": _v(head[0]["text"]) if head else None, "section": _v(head[0]["s"]) if head else None,
            "measures": sorted(measures.values(), key=lambda m: m["ordinal"] or 0)}
