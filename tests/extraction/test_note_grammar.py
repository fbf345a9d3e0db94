"""The note vocabulary (extraction/data/note_words.csv) and the tokeniser of note_grammar."""

from __future__ import annotations

import pytest

from extraction.fold import fold
from extraction.gazetteer import default_gazetteer
from extraction.note_grammar import VocabularyError, tokenise, vocabulary


def _tokens(text: str, region: str | None = None) -> list[tuple[str, str, str | None]]:
    g = default_gazetteer()
    folded = fold(text)
    return [(t.kind, text[t.start:t.end], t.role)
            for t in tokenise(folded, 0, vocabulary(), lambda s: g.known(s, region) is not None or g.looks_like_agency(s))]


@pytest.mark.parametrize(("text", "expected"), [
    # 赣府厅字〔2020〕14号
    ("省财政厅、省金融监管局按职责分工牵头，各市、县〔区〕人民政府配合",
     [("name", "省财政厅", None), ("name", "省金融监管局", None), ("role", "按职责分工牵头", "lead"), ("sep", "，", None),
      ("name", "各市、县〔区〕人民政府", None), ("role", "配合", "participant")]),
    ("牵头单位:省发展改革委；配合单位：省财政厅",
     [("label", "牵头单位:", "lead"), ("name", "省发展改革委", None), ("sep", "；", None),
      ("label", "配合单位：", "participant"), ("name", "省财政厅", None)]),
    ("省发展改革委（牵头）、省财政厅",
     [("name", "省发展改革委", None), ("mark", "（牵头）", "lead"), ("name", "省财政厅", None)]),
    ("由商务部会同财政部等有关部门负责",
     [("name", "商务部", None), ("role", "会同", "with"), ("name", "财政部", None), ("role", "负责", "responsible")]),
    ("省就业创业服务指导中心负责",            # 指导 inside a name does not end it
     [("name", "省就业创业服务指导中心", None), ("role", "负责", "responsible")]),
    # 国发〔2018〕38号: a field of the note beside its bodies (适用范围：…) is a label of nothing
    ("负责部门：人力资源社会保障部、商务部；适用范围：所有自贸试验区",
     [("label", "负责部门：", "responsible"), ("name", "人力资源社会保障部", None), ("name", "商务部", None),
      ("sep", "；", None), ("label", "适用范围：", "none"), ("name", "所有自贸试验区", None)]),
])
def test_tokenise(text, expected):
    assert _tokens(text, "江西省") == expected


def test_vocabulary_rows_are_checked(tmp_path):
    (tmp_path / "note_words.csv").write_text("word,kind,role,note\n牵头,role,boss,\n", encoding="utf-8")
    with pytest.raises(VocabularyError):
        vocabulary.__wrapped__(tmp_path)
    (tmp_path / "note_words.csv").write_text("word,kind\n牵头,role\n", encoding="utf-8")
    with pytest.raises(VocabularyError):
        vocabulary.__wrapped__(tmp_path)


def test_every_role_word_has_a_role():
    v = vocabulary()
    assert v.roles and all(role for _, role in v.roles)
    assert [len(w) for w, _ in v.roles] == sorted((len(w) for w, _ in v.roles), reverse=True)
