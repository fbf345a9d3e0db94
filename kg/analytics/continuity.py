"""Agency continuity: the 2018 (and 2023) institutional reforms as ``org:ChangeEvent``s.

Data: ``extraction/data/reforms.csv`` (described in extraction/data/README.md)::

    id,date,from,to,source,note

``from`` / ``to`` are ``|``-separated gazetteer keys. A row whose keys contain ``{code}`` is a
provincial template: it is expanded for every region (and 计划单列市) for which every key it
names exists in the gazetteer, like the gazetteer's own templates (``{code}/agri-committee`` →
``ln/agri-committee``). ``date`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

Graph (``REFORMS_GRAPH``, shared, loaded by ``load_reforms`` only when the data changed)::

    <reform/{code}/{id}> a org:ChangeEvent ;
        org:originalOrganization <agency/…> ; org:resultingOrganization <agency/…> ;
        dcterms:date "2018"^^xsd:gYear | "2018-06-15"^^xsd:date ;
        prov:atTime "2018-06-15T00:00:00+08:00"^^xsd:dateTime   (full dates only) ;
        rdfs:label "辽宁省农村经济委员会 → 辽宁省农业农村厅"@zh ; dcterms:source "…"@zh ; skos:note "…"@zh .
    <agency/…old> org:changedBy <reform/…> .   <agency/…new> org:resultedFrom <reform/…> .

Agency labels stay in the agencies graph (only bodies that documents name are there); the event's
rdfs:label names both sides, so a body no document names is still readable.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from extraction.gazetteer import default_gazetteer

from ..errors import KGError
from ..graph.namespaces import BASE, GRAPH, POL, agency_iri
from ..store.embedded import replace_graph_update

REFORMS_GRAPH = GRAPH["reforms"]
COLUMNS = ["id", "date", "from", "to", "source", "note"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ReformDataError(ValueError):
    """reforms.csv is malformed or names a body the gazetteer does not know."""


@dataclass(frozen=True)
class Reform:
    id: str                       # "cn/moa-mara", "ln/agri-committee-rural"
    date: str
    original: tuple[str, ...]     # gazetteer keys
    resulting: tuple[str, ...]
    source: str
    note: str

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{BASE}reform/{self.id}")


def _keys(field: str) -> list[str]:
    return [k.strip() for k in field.split("|") if k.strip()]


def parse_reforms(text: str) -> list[Reform]:
    gaz = default_gazetteer()
    codes = [r.code for r in gaz.regions] + [c.code for c in gaz.cities]
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames != COLUMNS:
        raise ReformDataError(f"reforms.csv: header {reader.fieldnames} != {COLUMNS}")
    out: list[Reform] = []
    for n, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ReformDataError(f"reforms.csv:{n}: wrong number of fields")
        row = {k: v.strip() for k, v in row.items()}
        if not _DATE.match(row["date"]) or not row["source"]:
            raise ReformDataError(f"reforms.csv:{n}: a date (YYYY[-MM[-DD]]) and a source are required")
        old, new = _keys(row["from"]), _keys(row["to"])
        if not old or not new:
            raise ReformDataError(f"reforms.csv:{n}: from and to must name bodies")
        template = any("{code}" in k for k in old + new)
        expanded = 0
        for code in (codes if template else ["cn"]):
            o = tuple(k.replace("{code}", code) for k in old)
            r = tuple(k.replace("{code}", code) for k in new)
            missing = [k for k in o + r if gaz.get(k) is None]
            if missing:
                if not template:
                    raise ReformDataError(f"reforms.csv:{n}: keys not in the gazetteer: {missing}")
                continue
            out.append(Reform(f"{code}/{row['id']}", row["date"], o, r, row["source"], row["note"]))
            expanded += 1
        if not expanded:
            raise ReformDataError(f"reforms.csv:{n}: the template applies to no region")
    ids = [r.id for r in out]
    if len(ids) != len(set(ids)):
        raise ReformDataError("reforms.csv: repeated id")
    return out


def reforms_text() -> str:
    return resources.files("extraction.data").joinpath("reforms.csv").read_text(encoding="utf-8")


@cache
def reforms() -> tuple[Reform, ...]:
    return tuple(parse_reforms(reforms_text()))


def _date_literal(date: str) -> Literal:
    dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(date)]
    return Literal(date, datatype=dtype)


def reforms_graph(items: tuple[Reform, ...] | list[Reform] | None = None) -> Graph:
    gaz, g = default_gazetteer(), Graph()
    for r in items if items is not None else reforms():
        ev = r.iri
        g.add((ev, RDF.type, ORG.ChangeEvent))
        g.add((ev, DCTERMS.date, _date_literal(r.date)))
        if len(r.date) == 10:
            g.add((ev, PROV.atTime, Literal(f"{r.date}T00:00:00+08:00", datatype=XSD.dateTime)))
        names = [" + ".join(gaz.get(k).pref_label for k in side) for side in (r.original, r.resulting)]
        g.add((ev, RDFS.label, Literal(f"{names[0]} → {names[1]}", lang="zh")))
        g.add((ev, DCTERMS.source, Literal(r.source, lang="zh")))
        if r.note:
            g.add((ev, SKOS.note, Literal(r.note, lang="zh")))
        for k in r.original:
            g.add((ev, ORG.originalOrganization, agency_iri(k)))
            g.add((agency_iri(k), ORG.changedBy, ev))
        for k in r.resulting:
            g.add((ev, ORG.resultingOrganization, agency_iri(k)))
            g.add((agency_iri(k), ORG.resultedFrom, ev))
    return g


def load_reforms(store: ox.Store) -> bool:
    """Load the reforms graph unless the same data is already there (like ``load_ontology``).
    Bad data raises K601."""
    try:
        graph = reforms_graph()
    except ReformDataError as e:
        raise KGError("K601", str(e)) from e
    nt = sorted(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    digest = hashlib.sha256("\n".join(nt).encode("utf-8")).hexdigest()
    marker = f"<{REFORMS_GRAPH}> <{POL.sourceSha256}> \"{digest}\""
    if store.query(f"ASK {{ GRAPH <{REFORMS_GRAPH}> {{ {marker} }} }}"):
        return False
    graph.add((REFORMS_GRAPH, POL.sourceSha256, Literal(digest)))
    store.update(replace_graph_update(REFORMS_GRAPH, graph))
    return True


def _walk(key: str, forward: bool) -> list[tuple[Reform, str]]:
    """Breadth-first over the reforms from ``key``: to what it became (forward, oldest reform
    first) or to what became it (backward, most recent first)."""
    out, frontier, seen = [], [key], {key}
    ordered = sorted(reforms(), key=lambda x: x.date, reverse=not forward)
    while frontier:
        k = frontier.pop(0)
        for r in ordered:
            here, there = (r.original, r.resulting) if forward else (r.resulting, r.original)
            if k in here:
                for other in there:
                    if other not in seen:
                        seen.add(other)
                        out.append((r, other))
                        frontier.append(other)
    return out


def successors(key: str) -> list[tuple[Reform, str]]:
    """Every body ``key`` became, transitively, with the reform that made it (oldest first)."""
    return _walk(key, forward=True)


def predecessors(key: str) -> list[tuple[Reform, str]]:
    """Every body that became ``key``, transitively, with the reform (most recent first)."""
    return _walk(key, forward=False)
