"""Graph shape 2 (README "Graph shape"): every fact stated once, the same answers as shape 1.

The record of shape 1's answers (tests/data/shape1/answers-corpus.json.gz) was made by
``python -m bench.snapshot`` at commit 3802220, the last commit that wrote shape 1, on the
bundled corpus; this checkout's code must give the same answers on the same corpus: every
example query, the task list, pairs, profiles, neighbourhoods, network metrics, document and task
details, the document pages' marks, comparisons, instrument rows and search facets. The only
difference allowed is the one the shape adds: a task's measures say which of their bodies they
inherit from the task (``inherited``), and they keep every body they had; and one the extraction
added since (session 12): a document page lists the items of the general part (指导思想, 基本原则,
目标: provisions of kind ``general``) among its provisions, which the record could not hold.

A store written in shape 1 (tests/data/shape1/国发〔2019〕3号.nq.gz: that commit's N-Quads of a
bundled document) is detected by ``policykg stats``, and ``policykg ingest`` of the same file
rewrites it in shape 2, losing nothing.
"""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest

from bench.snapshot import snapshot
from kg.graph.namespaces import GRAPH_SHAPE, POL
from kg.ingest import ingest_paths
from kg.query.stats import stats
from policykg.cli import main

from ..conftest import CORPUS, DATA, DOC_3

SHAPE1 = DATA / "shape1"


def _without(record, key: str):
    """``record`` without ``key`` at any depth (what shape 2 adds to an answer)."""
    if isinstance(record, dict):
        return {k: _without(v, key) for k, v in record.items() if k != key}
    if isinstance(record, list):
        return [_without(v, key) for v in record]
    return record


@pytest.fixture(scope="module")
def answers():
    before = json.loads(gzip.decompress((SHAPE1 / "answers-corpus.json.gz").read_bytes()))
    return before, snapshot([str(CORPUS)])


def test_the_corpus_is_the_one_the_record_was_made_from(answers):
    before, after = answers
    assert after["inputs"] == before["inputs"] and after["failed"] == before["failed"] == []


def _without_general(pages: dict) -> dict:
    return {doc: {**page, "provisions": [p for p in page["provisions"] if p["kind"] != "general"]}
            for doc, page in pages.items()}


@pytest.mark.parametrize("part", ["queries", "network", "pages", "compare", "instruments", "search"])
def test_every_answer_is_shape_1s(answers, part):
    before, after = answers
    now = _without_general(after[part]) if part == "pages" else after[part]
    assert _without(now, "inherited") == before[part]


def test_the_general_items_are_the_only_new_provisions_on_the_pages(answers):
    _, after = answers
    general = {doc: [(p["ordinal"], p["title"]) for p in page["provisions"] if p["kind"] == "general"]
               for doc, page in after["pages"].items()}
    assert general["国发〔2019〕3号"][:2] == [(1, "指导思想"), (2, "坚持深化改革，简政放权")]
    assert [t for _, t in general["国办发〔2018〕121号"]][:2] == ["指导思想", "基本原则"]


def test_counts_are_shape_1s_with_fewer_triples(answers):
    before, after = answers
    old, new = dict(before["stats"]), dict(after["stats"])
    assert new.pop("old_shape_documents") == 0
    assert new.pop("triples") < old.pop("triples")
    assert new == old


def test_a_measure_inherits_its_task_bodies_and_keeps_its_own(answers):
    _, after = answers
    measures = [m for key, d in after["network"]["details"].items() if "#" in key for m in d["measures"]]
    assert measures
    tasks = {key: d for key, d in after["network"]["details"].items() if "#" in key}
    inherited = 0
    for d in tasks.values():
        task_bodies = {a["key"] for a in d["agencies"]}
        for m in d["measures"]:
            assert set(m["inherited"]) <= set(m["agencies"]) <= task_bodies
            inherited += bool(m["inherited"])
    assert inherited > 0


def test_each_assignment_is_one_mention_and_no_inverse_link_is_stated(store):
    """No pol:ResponsibilityAssignment, pol:hasAssignment, pol:hasMeasure, pol:hasTask, pol:hasSection,
    pol:InstrumentEvidence; one mention per (name as written, role, source); its body stated responsible
    for each item the mention is in."""
    for term in ("ResponsibilityAssignment", "InstrumentEvidence"):
        assert not store.query(f"ASK {{ GRAPH ?g {{ ?x a <{POL[term]}> }} }}")
    for term in ("hasAssignment", "assignmentOf", "hasMeasure", "hasTask", "hasSection", "hasEvidence"):
        assert not store.query(f"ASK {{ GRAPH ?g {{ ?x <{POL[term]}> ?y }} }}")
    twice = store.query(f"""SELECT ?g ?s ?a ?r ?src (COUNT(?m) AS ?n) WHERE {{ GRAPH ?g {{
        ?m a <{POL.AgencyMention}> ; <{POL.startOffset}> ?s ; <{POL.agency}> ?a ; <{POL.role}> ?r ;
           <{POL.assignmentSource}> ?src }} }} GROUP BY ?g ?s ?a ?r ?src HAVING (COUNT(?m) > 1)""")
    assert list(twice) == []
    unstated = store.query(f"""ASK {{ GRAPH ?g {{ ?m <{POL.mentionIn}> ?h ; <{POL.agency}> ?a .
        FILTER NOT EXISTS {{ ?h <{POL.responsibleAgency}> ?a }} }} }}""")
    assert not unstated
    n = next(iter(store.query(f"SELECT (COUNT(?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d <{POL.graphShape}> {GRAPH_SHAPE} }} }}")))
    assert int(n["n"].value) == len(list(store.query(f"SELECT ?d WHERE {{ GRAPH ?g {{ ?d a <{POL.PolicyDocument}> }} }}")))


def _old_store(path) -> ox.Store:
    store = ox.Store(str(path))
    store.load(gzip.decompress((SHAPE1 / "国发〔2019〕3号.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store


def test_stats_detects_a_shape_1_store_and_ingest_rewrites_it(tmp_path, capsys):
    path = tmp_path / "store"
    store = _old_store(path)
    old = stats(store)
    assert old["documents"] == 1 and old["old_shape_documents"] == 1
    del store
    assert main(["stats", "--store", str(path)]) == 0
    err = capsys.readouterr().err
    assert "1 份文件由旧版本按旧的图结构写入" in err and "policykg ingest" in err     # Chinese by default
    assert main(["stats", "--store", str(path), "--lang", "en"]) == 0
    assert "1 document was written by an older version in an older graph shape" in capsys.readouterr().err

    store = ox.Store(str(path))
    reports = ingest_paths(store, [DOC_3])
    assert [r.status for r in reports] == ["replaced"]
    new = stats(store)
    assert new["old_shape_documents"] == 0
    assert {k: v for k, v in new.items() if k not in ("triples", "old_shape_documents")} == \
        {k: v for k, v in old.items() if k not in ("triples", "old_shape_documents")}
    doc = ox.NamedNode(old["per_document"][0]["document"])
    shape1 = gzip.decompress((SHAPE1 / "国发〔2019〕3号.nq.gz").read_bytes()).decode().count(f" <{doc.value}> .\n")
    assert len(list(store.quads_for_pattern(None, None, None, doc))) < shape1 * 0.6
    del store
    assert main(["stats", "--store", str(path)]) == 0
    assert "旧的图结构" not in capsys.readouterr().err
