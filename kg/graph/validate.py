"""SHACL validation of PolicyKG graphs against ontologies/shapes.ttl.

pyshacl is given ontologies/policy.ttl as its ontology graph: it copies the class hierarchy
into (a copy of) the data graph, so sh:targetClass and sh:class follow rdfs:subClassOf and a
pol:Task is checked by the pol:Provision shape, a pol:ProvincialAgency by the agency shape.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import SH

# pyshacl adds a couple of RDFS axioms to the (cached, shared) shapes graph when it first uses
# it; one validation at a time keeps a concurrent reader from seeing the graph change.
_LOCK = threading.Lock()


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[dict]   # each: focus_node, path, value, message, severity, shape, component
    text: str                # pyshacl's human-readable report


def ontology_dir() -> Path:
    """$POLICYKG_ONTOLOGY_DIR, else the ontologies/ folder beside the kg package."""
    env = os.environ.get("POLICYKG_ONTOLOGY_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "ontologies"


def ontology_files() -> list[Path]:
    """The vocabulary: policy.ttl first, then any further module (instruments.ttl …)."""
    files = [p for p in sorted(ontology_dir().glob("*.ttl")) if not p.name.startswith("shapes")]
    return sorted(files, key=lambda p: (p.name != "policy.ttl", p.name))


def shapes_files() -> list[Path]:
    return sorted(ontology_dir().glob("shapes*.ttl"))


@cache
def shapes_graph() -> Graph:
    g = Graph()
    for path in shapes_files():
        g.parse(path, format="turtle")
    return g


@cache
def ontology_graph() -> Graph:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def validate(data: Graph | Dataset, inference: str = "none") -> ValidationResult:
    """Validate ``data`` (a Dataset as the union of its graphs); ``data`` is never modified.

    ``inference`` is pyshacl's: "none" (subclass-aware targeting still applies), "rdfs",
    "owlrl" or "both".
    """
    union = Graph()
    if isinstance(data, ConjunctiveGraph):       # Dataset is a ConjunctiveGraph subclass
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        union += data
    with _LOCK:
        conforms, report, text = pyshacl.validate(
            union,
            shacl_graph=shapes_graph(),
            ont_graph=ontology_graph(),
            inference=inference,
            inplace=True,            # ``union`` is our own copy: let pyshacl add the ontology to it
            allow_warnings=False,
            abort_on_first=False,
            advanced=False,
            meta_shacl=False,
        )
        violations = _violations(report)
    return ValidationResult(bool(conforms), violations, text)


def _violations(report: Graph) -> list[dict]:
    shapes = shapes_graph()
    out = []
    for result in report.objects(None, SH.result):
        source = report.value(result, SH.sourceShape)
        if isinstance(source, BNode):            # a property shape: name its node shape
            source = shapes.value(None, SH.property, source) or source
        out.append({
            "focus_node": _str(report.value(result, SH.focusNode)),
            "path": _path(report, report.value(result, SH.resultPath)),
            "value": _str(report.value(result, SH.value)),
            "message": _message(report, result),
            "severity": _local(report.value(result, SH.resultSeverity)),
            "shape": _str(source),
            "component": _local(report.value(result, SH.sourceConstraintComponent)),
        })
    out.sort(key=lambda v: (v["focus_node"] or "", v["path"] or "", v["message"]))
    return out


def _message(report: Graph, result) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    for m in messages:
        if isinstance(m, Literal) and m.language == "en":
            return str(m)
    return str(messages[0]) if messages else ""


def _path(report: Graph, path) -> str | None:
    if path is None or isinstance(path, URIRef):
        return _str(path)
    inverse = report.value(path, SH.inversePath)
    return "^" + str(inverse) if inverse is not None else path.n3()


def _str(term) -> str | None:
    return None if term is None else str(term)


def _local(term) -> str | None:
    return None if term is None else str(term).rsplit("#", 1)[-1]
