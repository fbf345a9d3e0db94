"""Namespaces and IRI minting: the one place that knows how PolicyKG names things.

The ``pol:`` terms are a public contract (see README "Vocabulary"); ontologies/policy.ttl
defines each of them. IRIs keep Chinese characters as they are (IRIs, not URIs) so a 文号
reads naturally in a query: <https://w3id.org/policykg/doc/国办发〔2018〕121号>.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/policykg/"
POL = Namespace(BASE + "ontology#")
DOC = Namespace(BASE + "doc/")
AGENCY = Namespace(BASE + "agency/")
GRAPH = Namespace(BASE + "graph/")
INSTRUMENT = Namespace(BASE + "instrument/")   # the concept scheme of ontologies/instruments.ttl

AGENCIES_GRAPH = GRAPH["agencies"]   # shared: every agency's description and every surface form seen
ONTOLOGY_GRAPH = GRAPH["ontology"]   # shared: ontologies/policy.ttl

PREFIXES = {
    "pol": str(POL), "org": str(ORG), "skos": str(SKOS), "dcterms": str(DCTERMS),
    "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "doc": str(DOC), "agency": str(AGENCY),
}

ROLE_TERMS = {
    "lead": POL.LeadRole, "participant": POL.ParticipantRole, "responsible": POL.ResponsibleRole,
    "guide": POL.GuideRole, "implementer": POL.ImplementerRole, "actor": POL.ActorRole,
}
# each role's sub-property of pol:responsibleAgency (the plain triple a holder of work gets)
ROLE_PROPERTIES = {
    "lead": POL.leadAgency, "participant": POL.participantAgency, "responsible": POL.inChargeAgency,
    "guide": POL.guideAgency, "implementer": POL.implementerAgency, "actor": POL.actorAgency,
}
# The shape of the document graphs this code writes (pol:graphShape on every document): 1 was the
# shape before 2026-12-05 (a pol:ResponsibilityAssignment node per assignment and holder), 2 states
# each fact once (README "Graph shape"). ``policykg stats`` counts documents in an older shape.
GRAPH_SHAPE = 2
LEVEL_TERMS = {
    "national": POL.NationalLevel, "provincial": POL.ProvincialLevel,
    "municipal": POL.MunicipalLevel, "county": POL.CountyLevel,
}
AGENCY_CLASSES = {
    "national": POL.CentralAgency, "provincial": POL.ProvincialAgency,
    "municipal": POL.MunicipalAgency, "county": POL.CountyAgency,
    "branch": POL.RegionalBranch, "collective": POL.CollectiveBody,
    "party": POL.PartyOrganisation, "association": POL.Association,
    "unknown": POL.UnrecognisedAgency,
}
SECTION_KINDS = {
    "general": POL.GeneralRequirements, "tasks": POL.KeyTasks,
    "safeguards": POL.Safeguards, "other": POL.OtherPart,
}

_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]+')


def document_key(identifier: str | None, title: str | None, text: str) -> str:
    """Stable key of a document: its 文号, else a hash of its title, else of its text.

    The same document ingested again (as .txt or .html) gets the same key, so its graph is
    replaced rather than duplicated; a citation by 文号 names the cited document's IRI.
    """
    if identifier:
        return _NOT_IN_IRI.sub("", identifier)
    basis = title or text
    return "t-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def document_iri(key: str):
    return DOC[key]


def agency_iri(agency_key: str):
    return AGENCY[agency_key]


def agency_key(iri: str) -> str:
    """An agency's key (``cn/ndrc``): its IRI without the namespace; any other IRI as it is."""
    return iri[len(str(AGENCY)):] if iri.startswith(str(AGENCY)) else iri


def key_iri(key: str) -> str:
    """The IRI of an agency's key (``agency_key``'s inverse)."""
    return key if "://" in key else str(AGENCY[key])
