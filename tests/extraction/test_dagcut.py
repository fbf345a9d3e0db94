"""jieba's cut done in one backward pass (extraction/dagcut.py): the words ``jieba.lcut`` gives,
on every run and piece of the real documents of tests/data/real/ and corpus/ (with the
gazetteer's names in the dictionary, as the pipeline has them), and on random strings over small
random dictionaries, where routes of equal score (ties) and unknown characters are frequent.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import dagcut, segment

from ..conftest import CORPUS, DATA

FILES = sorted((DATA / "real").glob("*")) + sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.html"))


def _jieba():
    segment._dictionary()
    return segment._jieba()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_piece_of_a_real_document_is_cut_as_jieba_cuts_it(path):
    jieba = _jieba()
    text = path.read_text(encoding="utf-8")
    pieces = jieba.re_han_default.split(text)
    assert len(pieces) > 100
    for k, piece in enumerate(pieces):
        if piece:
            ours = dagcut.cut_run(piece) if k % 2 else dagcut.cut_between(piece)
            assert ours == jieba.lcut(piece), piece


ALPHABET = "甲乙丙丁"
WORDS = st.dictionaries(st.text(ALPHABET, min_size=1, max_size=3), st.sampled_from([1, 1, 2, 4]), min_size=1, max_size=16)


@contextmanager
def _dictionary(jieba, words: dict[str, int]):
    """jieba's dictionary replaced by ``words``, with every prefix of a word at frequency 0 as
    ``Tokenizer.gen_pfdict`` makes it."""
    freq: dict[str, int] = dict(words)
    for w in words:
        for i in range(1, len(w)):
            freq.setdefault(w[:i], 0)
    saved = jieba.dt.FREQ, jieba.dt.total
    jieba.dt.FREQ, jieba.dt.total = freq, sum(words.values())
    try:
        yield
    finally:
        jieba.dt.FREQ, jieba.dt.total = saved


@settings(max_examples=300, deadline=None)
@given(WORDS, st.text(ALPHABET + "庚", min_size=1, max_size=16))
def test_ties_and_unknown_characters_go_as_in_jieba(words, run):
    jieba = _jieba()
    with _dictionary(jieba, words):
        assert dagcut.cut_run(run) == jieba.lcut(run)


def test_a_tie_goes_to_the_longer_word():
    jieba = _jieba()
    # total 9: 甲 then 乙 scores (log 3 - log 9) + (log 3 - log 9), 甲乙 log 1 - log 9, the same float
    with _dictionary(jieba, {"甲": 3, "乙": 3, "甲乙": 1, "丙": 2}):
        assert dagcut.cut_run("甲乙") == jieba.lcut("甲乙") == ["甲乙"]
