"""Stage: tokens and sentences, with a blank spaCy ``zh`` pipeline using the jieba segmenter.

No model weights: the pipeline is ``spacy.blank("zh")`` with jieba (through ``_Tokenizer``: the
words of spaCy's jieba tokenizer, each piece of the text cut once by ``segment`` and kept for the
document's search tokens), a user dictionary built from the gazetteer (so 省科技厅 or
人民银行沈阳分行 stay one token) and one rule component,
``policy_sentences``, that sets sentence boundaries for official Chinese prose:
after 。；！？ (full-width or ASCII), at line breaks, never inside brackets or quotes.

Input: the stored text. Output: a spaCy ``Doc`` whose ``sents`` and token ``idx`` index
into that text; ``sentence_spans`` turns it into plain ``Span`` objects for later stages.
"""

from __future__ import annotations

import functools
import re

from .fold import fold
from .model import Span
from .segment import _jieba, add_user_words, new_text, pieces, search_tokens, tokens

__all__ = ["add_user_words", "pipeline", "search_tokens", "sentence_spans", "tokens"]

_ENDERS = set("。；！？;!?")
_OPEN = set("（(“《〔[【「")
_CLOSE = set("）)”》〕]】」")
_MARK = re.compile("[" + re.escape("".join(sorted(_ENDERS | _OPEN | _CLOSE | {"\n"}))) + "]")
_TEXT = "policykg.text"        # Doc.user_data key: the text the tokenizer was given (Doc.text rebuilds it)


class _Tokenizer:
    """spaCy's jieba tokenizer (``spacy.lang.zh.ChineseTokenizer``), the same words and spaces,
    over ``segment.cut``: the pieces it cuts are kept for the document's search tokens. Blank
    words are dropped and the text between words becomes a token of its own, one space after a
    word its trailing whitespace, as ``spacy.util.get_words_and_spaces`` has them (offsets
    counted, not searched for: that function slices the rest of the text for every word)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        new_text(text)
        words: list[str] = []
        spaced: list[int] = []          # the words followed by one space
        pos = at = 0
        n = len(text)
        for run, piece, cut_words in pieces(text):
            if run or (len(piece) == 1 and not piece.isspace()):
                # words with nothing between them and no blank among them: taken whole
                start, at = at, at + len(piece)
                if start > pos:
                    words.append(text[pos:start])
                words += cut_words
                pos = at
                if pos < n and text[pos] == " ":
                    spaced.append(len(words) - 1)
                    pos += 1
                continue
            for w in cut_words:
                start, at = at, at + len(w)
                if w.isspace():
                    continue
                if start > pos:
                    words.append(text[pos:start])
                words.append(w)
                pos = at
                if pos < n and text[pos] == " ":
                    spaced.append(len(words) - 1)
                    pos += 1
        if pos < n:
            words.append(text[pos:])
        spaces = [False] * len(words)
        for i in spaced:
            spaces[i] = True
        return Doc(self.vocab, words=words, spaces=spaces, user_data={_TEXT: text})


def _text(doc) -> str:
    return doc.user_data.get(_TEXT) or doc.text


def _policy_sentences(doc):
    # The boundaries are set in one ``Doc.from_array`` call: assigning ``Token.is_sent_start``
    # token by token made spaCy check the whole document each time (quadratic: a 190 kB text
    # took 34 s, see RELIABILITY.md). Only tokens holding a bracket, a sentence ender or a line
    # break decide anything (any other token ends no sentence and leaves the depth alone): they
    # are found by their characters in the text, folded once, and no ``Token`` object is made.
    import numpy
    from spacy.attrs import IDX, LENGTH, SENT_START

    n = len(doc)
    if not n:
        return doc
    folded = fold(_text(doc))
    offsets = doc.to_array([IDX, LENGTH]).astype("int64")
    marks = [m.start() for m in _MARK.finditer(folded)]
    held = (numpy.searchsorted(offsets[:, 0], marks, side="right") - 1).tolist()
    ends = (offsets[:, 0] + offsets[:, 1])[held].tolist()
    starts = numpy.full((n, 1), numpy.uint64(2**64 - 1), dtype="uint64")   # spaCy's type; -1 wraps
    starts[0, 0] = 1
    depth = 0
    for i, idx, end in dict.fromkeys(zip(held, offsets[held, 0].tolist(), ends, strict=True)):
        text = folded[idx:end]
        if "\n" in text:
            depth, prev_end = 0, True
        else:
            for ch in text:
                if ch in _OPEN:
                    depth += 1
                elif ch in _CLOSE:
                    depth = max(0, depth - 1)
            prev_end = depth == 0 and text[-1:] in _ENDERS
        if prev_end and i + 1 < n:
            starts[i + 1, 0] = 1
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
    nlp.tokenizer = _Tokenizer(nlp.vocab)
    nlp.add_pipe("policy_sentences")
    nlp.max_length = 60_000_000
    return nlp


def sentence_spans(doc) -> list[Span]:
    """Sentences as spans, whitespace trimmed, empty ones dropped. Read from the token arrays as
    ``Doc.sents`` has them (a sentence from each token whose ``SENT_START`` is 1, the first
    token always) without making a ``Token`` per token."""
    from spacy.attrs import IDX, LENGTH, SENT_START

    if not len(doc):
        return []
    text = _text(doc)
    rows = doc.to_array([SENT_START, IDX, LENGTH]).astype("int64")
    firsts = [0, *((rows[1:, 0] == 1).nonzero()[0] + 1).tolist(), len(rows)]
    begins, ends = rows[:, 1].tolist(), (rows[:, 1] + rows[:, 2]).tolist()
    out = []
    for first, after in zip(firsts, firsts[1:], strict=False):
        start, end = begins[first], ends[after - 1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Span(start, end))
    return out
