"""A provision's responsible bodies in graph shape 2 (README "Graph shape"): each fact stated once.

The plain triples on the provision name every body of its notes, table cells and clauses — what
"who is responsible for this task" reads — as ``pol:responsibleAgency`` and the role's
sub-property; what only some of its sentences say is stated on those measures too. Each name as
written is one ``pol:AgencyMention`` (agency, role, surface form, offsets, source when not a
note), ``pol:mentionIn`` where the text states it: the provision when it applies to the whole
provision, else the measures whose sentences carry it. A measure's bodies are its own and those
of its provision's mentions (``pol:inTask``): never copied onto it. A body that a declaration
(以下均需B落实) gives to many provisions is one mention of the declaration. The bodies themselves
are described once, in the shared agencies graph (``describe_agency``).
"""

from __future__ import annotations

from extraction.model import Agency, Assignment, Provision

from . import namespaces as ns
from .ntriples import Triples, Vocabulary, boolean, integer, iri, string, zh

POL, RDF, SKOS, ORG = (Vocabulary(str(v)) for v in (ns.POL, ns.RDF, ns.SKOS, ns.ORG))
_AGENCY_CLASSES = {k: iri(v) for k, v in ns.AGENCY_CLASSES.items()}
_ROLES = {k: iri(v) for k, v in ns.ROLE_TERMS.items()}
_ROLE_PROPERTIES = {k: iri(v) for k, v in ns.ROLE_PROPERTIES.items()}


def describe_agency(g: Triples, agency: Agency, surface: str | None = None) -> str:
    """Add the description of ``agency`` to ``g``; its IRI in N-Triples form."""
    node = iri(ns.agency_iri(agency.key))
    g.add(node, RDF.type, ORG.Organization)
    g.add(node, RDF.type, _AGENCY_CLASSES.get(agency.kind, _AGENCY_CLASSES["unknown"]))
    g.add(node, SKOS.prefLabel, zh(agency.pref_label))
    g.add(node, POL.recognised, boolean(agency.recognised))
    if agency.region:
        g.add(node, POL.region, string(agency.region))
    if agency.counterpart:
        from extraction.gazetteer import default_gazetteer

        counterpart = default_gazetteer().get(agency.counterpart)
        if counterpart is not None:
            g.add(node, POL.counterpart, describe_agency(g, counterpart))
    if surface and surface != agency.pref_label:
        g.add(node, SKOS.altLabel, zh(surface))
    return node


def _holders(p: Provision) -> dict[tuple, list[int]]:
    """Each distinct assignment of the provision (agency, role, where written, how), with the
    measures it is stated on: none when its note applies to the whole provision (every measure
    carries it, or none does: a note on a line of its own, a table row), else the measures whose
    sentence carries it (a note after one sentence, a body named as a clause's subject)."""
    on: dict[tuple, list[int]] = {}
    for a in p.assignments:
        on.setdefault(_key(a), [])
    for j, m in enumerate(p.measures, 1):
        for a in m.assignments:
            on.setdefault(_key(a), [])
            if not on[_key(a)] or on[_key(a)][-1] != j:
                on[_key(a)].append(j)
    n = len(p.measures)
    return {k: ([] if len(js) == n else js) for k, js in on.items()}


def _key(a: Assignment) -> tuple:
    return (a.agency.key, a.role, a.span.start, a.span.end, a.source)


def _responsible(g: Triples, holder: str, agency: str, role: str) -> None:
    """The plain triples a query reads: ``pol:responsibleAgency`` and the role's sub-property
    (pol:leadAgency, pol:participantAgency …): the store does no RDFS reasoning, so the
    super-property is stated beside its sub-property (README "Graph shape")."""
    g.add(holder, POL.responsibleAgency, agency)
    g.add(holder, _ROLE_PROPERTIES[role], agency)


def assignments(g: Triples, ag: Triples, base: str, path: str, p: Provision, mentions: dict[tuple, str]) -> None:
    """Add the responsible bodies of provision ``p`` (IRI ``path``) to ``g``, their descriptions
    to ``ag`` (the shared agencies graph); ``mentions`` maps each mention already written in the
    document to its IRI (a declaration's mentions serve many provisions)."""
    node = iri(path)
    by_key = {_key(a): a for a in p.assignments}
    for m in p.measures:
        for a in m.assignments:
            by_key.setdefault(_key(a), a)
    for key, measures in _holders(p).items():
        a = by_key[key]
        agency = describe_agency(ag, a.agency, a.surface)
        _responsible(g, node, agency, a.role)
        mention = mentions.get(key)
        if mention is None:
            mention = mentions[key] = iri(f"{base}/mention/{len(mentions) + 1}")
            g.add(mention, RDF.type, POL.AgencyMention)
            g.add(mention, POL.agency, agency)
            g.add(mention, POL.role, _ROLES[a.role])
            g.add(mention, POL.surfaceForm, zh(a.surface))
            if a.source != "note":                # a note is the default: most mentions are one
                g.add(mention, POL.assignmentSource, string(a.source))
            g.add(mention, POL.startOffset, integer(a.span.start))
            g.add(mention, POL.endOffset, integer(a.span.end))
        if not measures:
            g.add(mention, POL.mentionIn, node)
        for j in measures:
            mnode = iri(f"{path}/measure/{j}")
            _responsible(g, mnode, agency, a.role)
            g.add(mention, POL.mentionIn, mnode)


