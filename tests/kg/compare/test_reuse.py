"""Text reuse (kg/compare/reuse.py) on a pair built from real documents, checked to the character.

The local text is 国发〔2019〕3号 with, at known places: paragraph 9 (9.支持医疗设备研发…)
deleted, a clause of item 15 edited (航空航天、工程机械 → 航空发动机、盾构机), and paragraph （六）
of 国办发〔2018〕121号 inserted before item 19. Every expected offset is computed below from where
the text was cut and pasted.
"""

from __future__ import annotations

import time

import pytest

from kg.compare.reuse import find_reuse, sentences, smith_waterman

from ...conftest import DOC_3, DOC_121, DOC_128

NATIONAL = DOC_3.read_text(encoding="utf-8")
LINES = NATIONAL.split("\n")
DELETED = 25                      # "9.支持医疗设备研发。…"
EDITED = 33                       # "15.支持再制造业。…"
INSERT_BEFORE = 38                # "19.支持服务外包。…"
OLD, NEW = "航空航天、工程机械、数控机床", "航空发动机、盾构机、数控机床"
INSERTED = DOC_121.read_text(encoding="utf-8").split("\n")[16].strip()   # （六）引导扶持业余精品赛事…


def _pair():
    assert LINES[DELETED].startswith("9.支持医疗设备研发")
    assert LINES[EDITED].count(OLD) == 1 and LINES[INSERT_BEFORE].startswith("19.支持服务外包")
    local_lines = (LINES[:DELETED] + LINES[DELETED + 1:EDITED] + [LINES[EDITED].replace(OLD, NEW)]
                   + LINES[EDITED + 1:INSERT_BEFORE] + [INSERTED] + LINES[INSERT_BEFORE:])
    return "\n".join(local_lines)


LOCAL = _pair()


def _line_start(text: str, lines: list[str], n: int) -> int:
    return sum(len(line) + 1 for line in lines[:n])


@pytest.fixture(scope="module")
def reuse():
    return find_reuse(LOCAL, NATIONAL)


def test_inserted_paragraph_is_new(reuse):
    start = LOCAL.index(INSERTED)
    # it sits where it was pasted: after the lines before item 19, one line fewer (the deletion)
    assert start == _line_start(LOCAL, LOCAL.split("\n"), INSERT_BEFORE - 1)
    new = [p for p in reuse.passages if p.kind == "new"]
    assert [(p.local, p.national) for p in new] == [((start, start + len(INSERTED)), None)]


def test_deleted_paragraph_is_omitted(reuse):
    start = _line_start(NATIONAL, LINES, DELETED)
    omitted = [p for p in reuse.passages if p.kind == "omitted"]
    assert [(p.local, p.national) for p in omitted] == [(None, (start, start + len(LINES[DELETED])))]


def test_edited_clause_is_modified(reuse):
    sentence_old = "允许综合保税区内企业开展高技术含量、高附加值的航空航天、工程机械、数控机床等再制造业务。"
    sentence_new = sentence_old.replace(OLD, NEW)
    n_start, l_start = NATIONAL.index(sentence_old), LOCAL.index(sentence_new)
    modified = [p for p in reuse.passages if p.kind == "modified"]
    assert len(modified) == 1
    p = modified[0]
    assert p.local == (l_start, l_start + len(sentence_new))
    assert p.national == (n_start, n_start + len(sentence_old))
    assert 0.5 <= p.similarity < 1.0
    # the edits lie exactly between the common prefix 航空 and the common suffix 、数控机床
    prefix, suffix = 2, len("、数控机床")
    clause_l, clause_n = l_start + sentence_new.index(NEW), n_start + sentence_old.index(OLD)
    assert min(e["local"][0] for e in p.edits) == clause_l + prefix
    assert max(e["local"][1] for e in p.edits) == clause_l + len(NEW) - suffix
    assert min(e["national"][0] for e in p.edits) == clause_n + prefix
    assert max(e["national"][1] for e in p.edits) == clause_n + len(OLD) - suffix


def test_everything_else_is_copied_in_order(reuse):
    copied = [p for p in reuse.passages if p.kind == "copied"]
    for p in copied:
        assert LOCAL[p.local[0]:p.local[1]] == NATIONAL[p.national[0]:p.national[1]]
    covered = set()
    for p in reuse.passages:
        if p.local:
            covered.update(range(*p.local))
    assert all(LOCAL[i].isspace() for i in range(len(LOCAL)) if i not in covered)
    # the copies before the deletion, between deletion and edit, edit and insertion, and after
    assert len(copied) == 4
    assert [p.national[0] for p in copied] == sorted(p.national[0] for p in copied)


def test_unrelated_documents_share_little():
    r = find_reuse(DOC_121.read_text(encoding="utf-8"), NATIONAL)
    assert r.share("copied") < 0.05 and r.share("new") > 0.9


def test_smith_waterman_local_alignment():
    score, span_a, span_b = smith_waterman("甲乙综合保税区丙", "综合保税区")
    assert (score, span_a, span_b) == (10, (2, 7), (0, 5))
    assert smith_waterman("", "综合") == (0, (0, 0), (0, 0))


def test_sentences_are_trimmed_spans():
    text = "  一、总体要求\n（一）指导思想。坚持创新；推动发展！\n"
    assert [text[s:e] for s, e in sentences(text)] == ["一、总体要求", "（一）指导思想。", "坚持创新；", "推动发展！"]


def test_twenty_thousand_characters_in_a_few_seconds():
    texts = [d.read_text(encoding="utf-8") for d in (DOC_3, DOC_121, DOC_128)]
    national = texts[0] + texts[1] + texts[2] + texts[0]
    local = "".join(ch if i % 23 else "某" for i, ch in enumerate(national))   # every sentence edited
    assert len(national) > 19_000
    started = time.perf_counter()
    r = find_reuse(local, national)
    assert time.perf_counter() - started < 10
    assert r.share("modified") > 0.8
