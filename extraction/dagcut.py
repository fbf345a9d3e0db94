"""jieba's default cut of one piece of text, the same words in half the time.

``jieba.lcut`` (accurate mode, HMM on) splits a text into runs of Han characters, letters and
digits and the pieces between them; ``segment`` hands this module one piece at a time. A piece
between runs is cut as jieba cuts it (each blank, or ``\\r\\n``, a word; every other character a
word of its own). A run is cut by jieba's dynamic programme: the best route through the words of
the dictionary that start at each character, scored by ``log(freq) - log(total)``, the run's end
backwards, ties going to the longer word, and the single characters left between words joined and
handed to jieba's HMM (``jieba.finalseg``) when the dictionary does not know them.

jieba builds that route in two passes (a dict of every position's word ends, then a ``max`` over
a generator of tuples per position); here it is one backward loop over the positions with plain
lists, the same sums in the same order, so the floats and the words are jieba's own
(``tests/extraction/test_dagcut.py`` compares them with ``jieba.lcut`` on real documents and on
generated texts). The dictionary is jieba's (``jieba.dt``), user words included.
"""

from __future__ import annotations

from math import log

from jieba import dt, finalseg, re_skip_default

_SKIP_SPLIT = re_skip_default.split
_SKIP_MATCH = re_skip_default.match


def _route(run: str, get, logtotal: float) -> list[int]:
    """For each position of ``run``, the end (exclusive) of the word jieba's route takes there."""
    n = len(run)
    best = [0.0] * (n + 1)        # best[k]: the score of the best route from k to the end
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        score = None
        end = k
        i = k
        freq = get(run[k])
        while freq is not None:   # every prefix of a dictionary word is in it (freq 0 if not a word)
            if freq:
                v = log(freq) - logtotal + best[i + 1]
                if score is None or v >= score:      # a tie goes to the longer word, as in max()
                    score, end = v, i
            i += 1
            if i >= n:
                break
            freq = get(run[k:i + 1])
        best[k] = -logtotal + best[k + 1] if score is None else score    # an unknown character: log(1)
        ends[k] = end + 1
    return ends


def _unknown(buf: str, get, out: list[str]) -> None:
    """The single characters the route left between words, as jieba yields them."""
    if len(buf) == 1:
        out.append(buf)
    elif not get(buf):
        out += finalseg.cut(buf)
    else:
        out += buf


def cut_run(run: str) -> list[str]:
    """``jieba.lcut(run)`` for a run of Han characters, letters and digits."""
    dt.check_initialized()            # as jieba does on every cut (a new dictionary loads lazily)
    get = dt.FREQ.get
    ends = _route(run, get, log(dt.total))
    out: list[str] = []
    n = len(run)
    x = 0
    buf = ""
    while x < n:
        y = ends[x]
        if y - x == 1:
            buf += run[x]
        else:
            if buf:
                _unknown(buf, get, out)
                buf = ""
            out.append(run[x:y])
        x = y
    if buf:
        _unknown(buf, get, out)
    return out


def cut_between(piece: str) -> list[str]:
    """``jieba.lcut(piece)`` for a piece holding no Han character, letter or digit."""
    out: list[str] = []
    for x in _SKIP_SPLIT(piece):
        if _SKIP_MATCH(x):
            out.append(x)
        else:
            out += x
    return out
