"""The accuracy scorer (bench/gold.py, bench/accuracy.py) on hand-built extractions of real text,
and the format of every gold file (tests/data/gold/*/*.json)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import accuracy as A
from bench import gold as G
from extraction.model import (
    Agency,
    Assignment,
    Decoded,
    DocumentExtraction,
    Heading,
    Metadata,
    Note,
    Provision,
    Section,
    Span,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = sorted((ROOT / "tests" / "data" / "gold").glob("*/*.json"))
DOC = "赣府厅字〔2020〕14号"
LINES = (ROOT / "tests" / "data" / "real" / f"{DOC}.txt").read_text(encoding="utf-8").splitlines()
TEXT = "\n".join(LINES[16:18])          # measures 9. and 10. of the document, as written


def agency(name: str, *alt: str) -> Agency:
    return Agency(key=f"test/{name}", pref_label=name, kind="provincial", alt_labels=alt)


def at(s: str, text: str = TEXT) -> Span:
    i = text.index(s)
    return Span(i, i + len(s))


def assign(surface: str, role: str, ag: Agency | None = None) -> Assignment:
    return Assignment(ag or agency(surface), role, surface, at(surface))


def provision(label: str, start: str, end: str, assignments=(), note: str | None = None) -> Provision:
    span = Span(TEXT.index(start), TEXT.index(end) + len(end))
    notes = [Note(at(note))] if note else []
    return Provision("task", 1, label, None, None, span, notes=notes, assignments=list(assignments))


def extraction(provisions: list[Provision], metadata: Metadata | None = None) -> DocumentExtraction:
    heads = [Section(p.section_id, Heading(p.section_id, "arabic", 1, 1, p.span, None, None), p.span)
             for p in provisions]
    return DocumentExtraction(TEXT, Decoded(TEXT, "utf-8", "text/plain"), metadata or Metadata(), heads,
                              provisions, [], [], [])


def gold(label: str, starts: str, ends: str, bodies: list[tuple[str, str]], lead: str | None) -> dict:
    return dict(label=label, path=["二、", label], kind="item", starts=starts, ends=ends,
                bodies=[dict(name=n, role=r) for n, r in bodies], lead=lead)


NOTE9 = "（省财政厅、省金融监管局牵头）"
NOTE10 = "（省金融监管局牵头）"
G9 = gold("9.", "引导政府性融资担保", "免收再担保费。", [("省财政厅", "lead"), ("省金融监管局", "lead")], "省财政厅")
G10 = gold("10.", "江西联合股权交易", "减免租金、利息。", [("省金融监管局", "lead")], "省金融监管局")


def test_fold_unifies_widths_brackets_and_whitespace():
    assert G.fold("（责任单位:省教育厅，各市、县〔区〕政府）") == G.fold("(责任单位：省教育厅,各市、县[区]政府)")
    assert G.fold("关 于 印 发\n通知") == "关于印发通知"
    assert G.fold("２０２０年") == "2020年"


def test_a_perfect_extraction_scores_one_and_cuts_the_note_before_ends():
    ext = extraction([
        provision("9.", "9.引导", NOTE9, [assign("省财政厅", "lead"), assign("省金融监管局", "lead")], NOTE9),
        provision("10.", "10.江西", NOTE10, [assign("省金融监管局", "lead")], NOTE10)])
    got = A.got_of(ext)
    assert [g.label for g in got] == ["9.", "10."]
    assert got[0].own.startswith("引导政府性融资担保") and got[0].core.endswith("免收再担保费。")
    c = G.score_provisions([G9, G10], got)
    assert (c["tp"], c["fp"], c["fn"], c["lead_ok"], c["lead_n"], c["exact"], c["matched"]) == (3, 0, 0, 2, 2, 2, 2)
    assert G.rates(c)["f1"] == 1.0


def test_missing_provision_wrong_lead_and_an_extra_body():
    # 9. is found with one body right, one wrong body, and the wrong lead first; 10. is missed
    ext = extraction([provision("9.", "9.引导", NOTE9, [assign("省金融监管局", "lead"), assign("省财政厅", "participant"),
                                                        assign("政府性融资担保机构", "participant")], NOTE9)])
    c = G.score_provisions([G9, G10], A.got_of(ext))
    assert (c["tp"], c["fp"], c["fn"]) == (2, 1, 1)
    assert (c["lead_ok"], c["lead_n"], c["matched"], c["role_same"]) == (0, 2, 1, 1)
    r = G.rates(c)
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3) and r["lead_accuracy"] == 0.0 and r["found"] == 0.5


def test_an_extra_provision_counts_its_bodies_as_false_positives():
    ext = extraction([provision("9.", "9.引导", NOTE9, [], NOTE9),
                      provision("10.", "10.江西", NOTE10, [assign("省金融监管局", "lead")], NOTE10)])
    c = G.score_provisions([G9], A.got_of(ext))
    assert (c["tp"], c["fp"], c["fn"], c["extracted"], c["gold"]) == (0, 1, 2, 2, 1)
    assert G.rates(c)["f1"] == 0.0


def test_a_body_matches_through_the_agencys_labels_and_actors_are_left_out():
    finance = agency("江西省地方金融监督管理局", "省金融监管局")
    ext = extraction([provision("10.", "10.江西", NOTE10, [
        Assignment(finance, "lead", "金融监管局", at("省金融监管局")),
        assign("江西联合股权交易中心", "actor")], NOTE10)])
    c = G.score_provisions([G10], A.got_of(ext))
    assert (c["tp"], c["fp"], c["fn"], c["lead_ok"]) == (1, 0, 0, 1)


def test_a_provision_running_on_is_found_but_not_exact():
    ext = extraction([provision("9.", "9.引导", NOTE10, [], None)])   # runs into 10.
    c = G.score_provisions([G9], A.got_of(ext))
    assert (c["matched"], c["exact"]) == (1, 0)


def test_a_label_is_taken_from_the_text_when_the_extraction_has_none():
    ext = extraction([provision("9.", "9.引导", NOTE9, [], NOTE9)])
    ext.sections = []
    assert A.got_of(ext)[0].label == "9."


def test_metadata_fields_missing_from_the_extractor_count_wrong():
    want = dict(title="江西省人民政府办公厅印发关于金融支持防控疫情稳定经济增长若干措施的通知",
                doc_number=DOC, issuers=["江西省人民政府办公厅"], date="2020-02-09", level="provincial",
                region="江西省", genre="通知")
    # metadata as the extractor gave it before it had genre and issuers (fields absent, not empty)
    m = SimpleNamespace(title="关于金融支持防控疫情稳定经济增长若干措施的通知", identifier=DOC, issuer="江西省人民政府办公厅",
                        date=dt.date(2020, 2, 9), level="provincial", region="江西省")
    meta = A.meta_of(SimpleNamespace(metadata=m))
    assert meta.missing == {"genre", "issuers"}
    assert G.score_metadata(want, meta) == dict(title=True, doc_number=True, issuers=True, date=True,
                                                level=True, region=True, genre=False)
    grown = SimpleNamespace(**vars(m), genre="通知", issuers=["江西省人民政府办公厅", "江西省财政厅"])
    meta = A.meta_of(SimpleNamespace(metadata=grown))
    assert meta.missing == frozenset()
    assert G.score_metadata(want, meta)["genre"] and not G.score_metadata(want, meta)["issuers"]


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_every_gold_file_follows_the_format(path):
    g = G.load(path)
    assert G.check_gold(g, G.source_of(path, g).read_text(encoding="utf-8")) == []


def test_the_format_check_finds_problems():
    path = ROOT / "tests" / "data" / "gold" / "dev" / f"{DOC}.json"
    g = G.load(path)
    text = G.source_of(path, g).read_text(encoding="utf-8")
    bad = copy.deepcopy(g)
    bad["provisions"][0]["bodies"][0]["role"] = "owner"
    bad["provisions"][1]["starts"] = "并不存在的开头"
    bad["provisions"][2]["path"] = ["一、"]
    del bad["provisions"][3]["ends"]
    bad["provisions"][4]["ends"] = bad["provisions"][0]["ends"]       # written before 5.'s start
    bad["provisions"][5]["bodies"][1]["name"] = "省教育厅"               # not in this document
    bad["metadata"]["level"] = "city"
    problems = G.check_gold(bad, text)
    assert [p.split(":")[0] for p in problems] == [
        "metadata.level 'city' not one of ('national', 'provincial', 'municipal', 'county')",
        "provision 0 '1.'", "provision 1 '2.'", "provision 1 '2.'", "provision 2 '3.'", "provision 3 '4.'",
        "provision 4 '5.'", "provision 5 '6.'"], problems
    assert "'owner'" in problems[1] and "not in the document text" in problems[2]
    assert "does not come after starts" in problems[6] and "not written in the document" in problems[7]


def test_the_command_scores_one_real_document(capsys):
    assert A.main(["--doc", DOC, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    d = out["dev"]["documents"][DOC]
    g = G.load(ROOT / "tests" / "data" / "gold" / "dev" / f"{DOC}.json")
    assert d["counts"]["gold"] == len(g["provisions"])
    assert d["counts"]["tp"] + d["counts"]["fn"] == sum(len(p["bodies"]) for p in g["provisions"])
    assert out["dev"]["overall"]["documents"] == 1 and set(d["metadata"]) == set(G.META_FIELDS)
    A.main(["--doc", DOC])
    text = capsys.readouterr().out
    assert DOC in text and all(f"{field} " in text for field in G.META_FIELDS)


def test_neutral_names_show_what_the_text_alone_gives(capsys):
    # the 赣 page starts at its addressee line: its 文号 is only in its file's name
    doc = "赣府厅发〔2020〕6号"
    A.main(["--doc", doc, "--json"])
    named = json.loads(capsys.readouterr().out)["dev"]["documents"][doc]
    A.main(["--doc", doc, "--json", "--neutral-names"])
    neutral = json.loads(capsys.readouterr().out)["dev"]["documents"][doc]
    assert named["extracted_metadata"]["doc_number"] == doc and named["metadata"]["doc_number"]
    assert neutral["extracted_metadata"]["doc_number"] is None and not neutral["metadata"]["doc_number"]
    assert neutral["metadata"]["region"] and neutral["metadata"]["issuers"]      # read from the body
    assert neutral["counts"] == named["counts"]
