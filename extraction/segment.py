"""jieba words, each piece of a document's text cut once.

jieba cuts a text piece by piece: it splits it into runs of Han characters, letters and digits
(``re_han_default``) and the rest, and segments every run on its own. The words of a text are
therefore the words of its pieces, one after the other, and the same holds for the search-mode
tokens. A document's text is cut by the spaCy pipeline (``extraction.nlp``); its provisions,
measures and passages are cut again in search mode for the full-text index
(``kg.search.document_words``): they are made of the same pieces, so each piece's words are kept
(``_WORDS``, ``_SEARCH``) while the document is being processed, and the next document's text
starts afresh (``new_text``), so one document never reuses another's work.

The words are exactly jieba's (``jieba.lcut`` and ``jieba.cut_for_search``); changing the
dictionary (``add_user_words``) forgets the kept ones.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from .dagcut import cut_between, cut_run

USER_WORD_FREQ = 2_000_000     # high enough that jieba keeps gazetteer names whole
# What is kept at most (texts that are not a document: queries, titles, and the tasks the
# comparisons cut, kg.compare.align): pieces, and their characters, since a piece kept costs
# about 45 bytes a character with its words (a comparison's pieces are whole task bodies, the
# punctuation taken out: a worker kept 110 KB per pair with the piece count as the only bound)
_LIMIT = 100_000
_LIMIT_CHARS = 2_000_000
_kept_chars = 0                # characters of the pieces in _WORDS

_WORDS: dict[str, list[str]] = {}      # piece -> jieba.lcut(piece)
_SEARCH: dict[str, list[str]] = {}     # piece -> its non-blank search-mode tokens
_GRAMS: dict[str, list[str]] = {}      # word of 3+ characters -> its search-mode tokens
# the document being processed (``new_text(text)``) and, once a span of it is asked for, where
# its pieces start, whether each is a run, and all their search tokens one after the other
_DOCUMENT: dict[str, Any] = {}


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def new_text(text: str | None = None) -> None:
    """Forget the pieces kept so far: a new document's ``text`` is about to be cut (its spans'
    search tokens are then read from its pieces, ``span_search_tokens``)."""
    _forget()
    _DOCUMENT.clear()
    if text is not None:
        _DOCUMENT["text"] = text


def _forget() -> None:
    global _kept_chars
    _kept_chars = 0
    _WORDS.clear()
    _SEARCH.clear()
    _GRAMS.clear()


def add_user_words(words: Iterable[str]) -> int:
    """Add gazetteer names to jieba's dictionary. Returns how many were added.

    Idempotent: a name already there at ``USER_WORD_FREQ`` is left alone. (``jieba.add_word``
    adds the frequency to the dictionary's total on every call, and the total weighs every cut:
    adding the same names again made a worker cut its first document differently from the
    documents after it.)"""
    jieba = _jieba()
    n = 0
    for w in words:
        if 2 <= len(w) <= 30 and not any(c.isspace() for c in w) and jieba.get_FREQ(w) != USER_WORD_FREQ:
            jieba.add_word(w, freq=USER_WORD_FREQ)
            n += 1
    if n:
        new_text()
    return n


@functools.lru_cache(maxsize=1)
def _dictionary() -> int:
    """The gazetteer's names in jieba's dictionary, as the pipeline has them (once per process)."""
    from .gazetteer import default_gazetteer

    return add_user_words(default_gazetteer().surface_forms())


def _piece_words(piece: str, run: bool) -> list[str]:
    global _kept_chars
    words = _WORDS.get(piece)
    if words is None:
        if len(_WORDS) >= _LIMIT or _kept_chars >= _LIMIT_CHARS:
            _forget()
        words = _WORDS[piece] = cut_run(piece) if run else cut_between(piece)
        _kept_chars += len(piece)
    return words


def pieces(text: str) -> Iterator[tuple[bool, str, list[str]]]:
    """The pieces of ``text`` in order, each with its words and whether it is a run of Han
    characters, letters and digits (which holds no blank)."""
    for k, piece in enumerate(_jieba().re_han_default.split(text)):
        if piece:
            run = k % 2 == 1
            yield run, piece, _piece_words(piece, run)


def cut(text: str) -> list[str]:
    """``jieba.lcut(text)``: every piece of the text as jieba cuts it (blank ones included)."""
    out: list[str] = []
    for _, _, words in pieces(text):
        out += words
    return out


def _grams(word: str) -> list[str]:
    """What ``jieba.cut_for_search`` yields for a word longer than two characters: its 2- and
    3-character parts that are dictionary words, then the word."""
    freq = _jieba().dt.FREQ
    n = len(word)
    out = [g for g in (word[i:i + 2] for i in range(n - 1)) if freq.get(g)]
    if n > 3:
        out += [g for g in (word[i:i + 3] for i in range(n - 2)) if freq.get(g)]
    out.append(word)
    return out


def _piece_search(piece: str, run: bool) -> list[str]:
    words = _piece_words(piece, run)
    if not run:                 # single characters and blanks: no parts, the blanks left out
        found = [w for w in words if w.strip()]
    else:                       # a run holds no blank, nor do its words and their parts
        found = []
        for w in words:
            if len(w) > 2:
                grams = _GRAMS.get(w)
                found += grams if grams is not None else _GRAMS.setdefault(w, _grams(w))
            else:
                found.append(w)
    _SEARCH[piece] = found
    return found


def tokens(text: str) -> list[str]:
    """jieba tokens of ``text`` (the same segmentation the pipeline uses), blanks left out."""
    _dictionary()
    return [t for t in cut(text) if t.strip()]


def search_tokens(text: str) -> list[str]:
    """jieba "search mode" tokens: every word and its shorter words (for a full-text index)."""
    _dictionary()
    split = _jieba().re_han_default.split
    out: list[str] = []
    for k, piece in enumerate(split(text)):
        if piece:
            found = _SEARCH.get(piece)
            out += found if found is not None else _piece_search(piece, k % 2 == 1)
    return out


def span_search_tokens(text: str, start: int, end: int) -> list[str]:
    """``search_tokens(text[start:end])``, for a span of the document being processed: the
    tokens of the pieces wholly inside it are one slice of the document's tokens, and only the
    pieces cut at its two ends are looked up (a span's pieces are the document's pieces cut at
    the span's ends: jieba's pieces are maximal runs of one character class)."""
    if _DOCUMENT.get("text") is not text:
        return search_tokens(text[start:end])
    if start >= end:
        return []
    if "layout" not in _DOCUMENT:
        _DOCUMENT["layout"] = _lay_out(text)
    starts, runs, flat, index = _DOCUMENT["layout"]
    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_right(starts, end - 1) - 1

    def part(k: int, lo: int, hi: int) -> list[str]:
        if lo == starts[k] and hi == starts[k + 1]:
            return flat[index[k]:index[k + 1]]
        piece = text[lo:hi]
        found = _SEARCH.get(piece)
        return found if found is not None else _piece_search(piece, runs[k])

    if first == last:
        return list(part(first, start, end))
    return (part(first, start, starts[first + 1]) + flat[index[first + 1]:index[last]]
            + part(last, starts[last], end))


def _lay_out(text: str) -> tuple[list[int], list[bool], list[str], list[int]]:
    """Where each piece starts (and the text ends), whether it is a run, all the pieces' search
    tokens, and where each piece's tokens start among them (and end)."""
    _dictionary()
    starts: list[int] = []
    runs: list[bool] = []
    flat: list[str] = []
    index: list[int] = []
    at = 0
    for k, piece in enumerate(_jieba().re_han_default.split(text)):
        if piece:
            run = k % 2 == 1
            starts.append(at)
            runs.append(run)
            index.append(len(flat))
            found = _SEARCH.get(piece)
            flat += found if found is not None else _piece_search(piece, run)
            at += len(piece)
    starts.append(at)
    index.append(len(flat))
    return starts, runs, flat, index
