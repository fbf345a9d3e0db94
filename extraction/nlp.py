"""Stage: tokens and sentences, with a blank spaCy ``zh`` pipeline using the jieba segmenter.

No model weights: the pipeline is ``spacy.blank("zh")`` with jieba, a user dictionary built
from the gazetteer (so 省科技厅 or 人民银行沈阳分行 stay one token) and one rule component,
``policy_sentences``, that sets sentence boundaries for official Chinese prose:
after 。；！？ (full-width or ASCII), at line breaks, never inside brackets or quotes.

Input: the stored text. Output: a spaCy ``Doc`` whose ``sents`` and token ``idx`` index
into that text; ``sentence_spans`` turns it into plain ``Span`` objects for later stages.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from .fold import fold
from .model import Span

_ENDERS = set("。；！？;!?")
_OPEN = set("（(“《〔[【「")
_CLOSE = set("）)”》〕]】」")
USER_WORD_FREQ = 2_000_000     # high enough that jieba keeps gazetteer names whole


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def add_user_words(words: Iterable[str]) -> int:
    """Add gazetteer names to jieba's dictionary (idempotent). Returns how many were added."""
    jieba = _jieba()
    n = 0
    for w in words:
        if 2 <= len(w) <= 30 and not any(c.isspace() for c in w):
            jieba.add_word(w, freq=USER_WORD_FREQ)
            n += 1
    return n


def _policy_sentences(doc):
    # The boundaries are set in one ``Doc.from_array`` call: assigning ``Token.is_sent_start``
    # token by token made spaCy check the whole document each time (quadratic: a 190 kB text
    # took 34 s, see RELIABILITY.md). Token offsets are read as one array and the text folded
    # once, so no ``Token`` object is made (that was a third of this component's time).
    import numpy
    from spacy.attrs import IDX, LENGTH, SENT_START

    n = len(doc)
    if not n:
        return doc
    folded = fold(doc.text)
    depth = 0
    prev_end = False
    starts = numpy.zeros((n, 1), dtype="uint64")          # spaCy's attribute type; -1 wraps
    no = numpy.uint64(2**64 - 1)
    for i, (idx, length) in enumerate(doc.to_array([IDX, LENGTH]).tolist()):
        text = folded[idx:idx + length]
        starts[i, 0] = 1 if i == 0 or prev_end else no
        if "\n" in text:
            depth, prev_end = 0, True
            continue
        for ch in text:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
        prev_end = depth == 0 and text[-1:] in _ENDERS
    doc.from_array([SENT_START], starts)
    return doc


@functools.lru_cache(maxsize=1)
def pipeline(user_words: tuple[str, ...] = ()):
    """The shared blank ``zh`` pipeline (built once per process)."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("policy_sentences"):
        Language.component("policy_sentences")(_policy_sentences)
    _jieba()
    add_user_words(user_words)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("policy_sentences")
    nlp.max_length = 60_000_000
    return nlp


def sentence_spans(doc) -> list[Span]:
    """Sentences as spans, whitespace trimmed, empty ones dropped."""
    out = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Span(start, end))
    return out


@functools.lru_cache(maxsize=1)
def _dictionary() -> int:
    """The gazetteer's names in jieba's dictionary, as the pipeline has them (once per process)."""
    from .gazetteer import default_gazetteer

    return add_user_words(default_gazetteer().surface_forms())


def tokens(text: str) -> list[str]:
    """jieba tokens of ``text`` (the same segmentation the pipeline uses)."""
    _dictionary()
    return [t for t in _jieba().lcut(text) if t.strip()]


def search_tokens(text: str) -> list[str]:
    """jieba "search mode" tokens: every word and its shorter words (for a full-text index)."""
    _dictionary()
    return [t for t in _jieba().cut_for_search(text) if t.strip()]
