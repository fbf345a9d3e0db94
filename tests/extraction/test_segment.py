"""jieba words cut once per piece (extraction/segment.py) and the spaCy tokenizer and sentence rule
over them (extraction/nlp.py): the same words, search tokens, spaCy tokens and sentences as jieba
and spaCy's own jieba tokenizer give, on the real documents of tests/data/real/ and corpus/ and
on texts mixing their lines with blanks, brackets and enders.
"""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction import nlp, segment
from extraction.fold import fold
from extraction.gazetteer import default_gazetteer

from ..conftest import CORPUS, DATA

FILES = sorted((DATA / "real").glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
LINES = sorted({ln for p in FILES[::4] for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()})
PIECES = st.one_of(st.sampled_from(LINES), st.sampled_from(["\n", " ", "  ", "\u3000", "\t", "\r\n", "（", "）",
                                                             "(", ")", "“", "”", "。", "；", "!", "?", "a b", "3.5%"]))
TEXTS = st.lists(PIECES, max_size=12).map("".join)


@pytest.fixture(scope="module")
def pipe():
    return nlp.pipeline(tuple(default_gazetteer().surface_forms()))


def _jieba():
    segment._dictionary()
    return segment._jieba()


@pytest.mark.parametrize("path", FILES[::3], ids=lambda p: p.name)
def test_words_are_jiebas(path):
    text = path.read_text(encoding="utf-8")
    jieba = _jieba()
    segment.new_text()
    assert segment.cut(text) == jieba.lcut(text)
    assert segment.search_tokens(text) == [w for w in jieba.cut_for_search(text) if w.strip()]
    assert segment.tokens(text) == [w for w in jieba.lcut(text) if w.strip()]


def test_a_documents_pieces_are_cut_once_and_forgotten_for_the_next():
    segment._dictionary()
    text = (DATA / "real" / "国发〔2017〕37号.txt").read_text(encoding="utf-8")
    segment.new_text()
    segment.cut(text)
    kept = dict(segment._WORDS)
    assert len(kept) > 100
    part = text[len(text) // 3:len(text) // 2]
    segment.search_tokens(part)               # a part of the text: its pieces are kept already,
    assert all(segment._WORDS[k] is kept[k] for k in kept)        # none was cut again
    assert len(segment._WORDS) <= len(kept) + 2                   # but the two cut at its ends
    segment.new_text()
    assert not segment._WORDS and not segment._SEARCH


def test_what_is_kept_between_documents_is_bounded_in_characters(monkeypatch):
    # the comparisons cut task bodies with the punctuation taken out (kg.compare.align): every
    # piece is a whole body, and a worker kept 110 KB per pair while the piece count was the only bound
    jieba = _jieba()
    limit = 1_500
    monkeypatch.setattr(segment, "_LIMIT_CHARS", limit)
    bodies = ["".join(c for c in ln if c.isalnum()) for p in FILES[:6] for ln in p.read_text(encoding="utf-8").splitlines()]
    bodies = [b for b in bodies if len(b) > 40]
    assert len(bodies) > 100 and sum(map(len, bodies)) > 5 * limit
    segment.new_text()
    longest = 0
    for body in bodies:
        assert segment.cut(body) == jieba.lcut(body)
        longest = max(longest, len(body))
        assert sum(map(len, segment._WORDS)) < limit + longest and len(segment._WORDS) < 100
    segment.new_text()


def test_adding_the_gazetteers_names_again_changes_no_cut():
    # the pipeline, the search tokens and the comparison each give jieba the gazetteer's names;
    # jieba.add_word adds to the dictionary's total every time, which weighs every cut: a
    # worker's first document was cut differently from the next ones
    jieba = _jieba()
    names = default_gazetteer().surface_forms()
    text = (DATA / "real" / "国发〔2017〕37号.txt").read_text(encoding="utf-8")
    total = jieba.dt.total
    segment.new_text()
    words = segment.cut(text)
    assert segment.add_user_words(names) == 0
    assert jieba.dt.total == total
    segment.new_text()
    assert segment.cut(text) == words


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_tokens_and_sentences_are_spacys(pipe, text):
    reference = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}).tokenizer(text)
    doc = pipe(text)
    assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in reference]
    assert doc.text == text
    sents = [s for s in doc.sents]
    assert [(x.start, x.end) for x in nlp.sentence_spans(doc)] == [sp for sp in (_trimmed(text, s.start_char, s.end_char) for s in sents) if sp]
    folded = fold(text)
    for s in sents[1:]:                   # a sentence starts after an ender or a line break
        before = folded[:s.start_char].rstrip(" ")
        assert before[-1:] in "。；！？;!?\n" or "\n" in doc[s.start - 1].text


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_spans_search_tokens_are_those_of_its_text(data):
    # read from the pieces of the document being processed (kg.search.document_words): the same
    # tokens as cutting the span's text alone, whatever pieces its two ends cut
    path = data.draw(st.sampled_from(FILES))
    text = path.read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 3000)))
    _jieba()
    segment.new_text(text)
    segment.cut(text)
    expected = [w for w in _jieba().cut_for_search(text[start:end]) if w.strip()]
    assert segment.span_search_tokens(text, start, end) == expected
    segment.new_text()                      # no document being processed: the span is cut alone
    assert segment.span_search_tokens(text, start, end) == expected
