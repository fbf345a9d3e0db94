"""Align the tasks of a local document with those of the national document it implements.

Features, each a cosine similarity in [0, 1]:

* ``title_words``  TF-IDF over jieba tokens (``extraction.nlp.tokens``) of the two headings
* ``title_chars``  character bigrams of the two headings (bigrams carry much of the meaning in
  Chinese and survive different segmentation: 科学普及 / 科普, 转型升级)
* ``body_words``   TF-IDF over jieba tokens of heading + text
* ``body_chars``   character bigrams of heading + text

IDF is computed over all tasks of both documents, so words every task shares (县域, 创新) weigh
little. ``score = Σ WEIGHTS[f] · feature`` (weights sum to 1; headings weigh more because a
heading states the task, while a national outline may have only a one-line scope).

Assignment: the Hungarian method (``scipy.optimize.linear_sum_assignment``) on the score matrix
gives the one-to-one pairing of highest total score; pairs below ``MATCH_THRESHOLD`` are dropped.
A local task left over whose best national task is already matched is kept as a *split* (one
national task implemented by several local ones) when its score reaches ``SPLIT_THRESHOLD``.

Coverage of each national task, from its best alignment score: ``implemented`` ≥
``IMPLEMENTED_BAND``, ``partly implemented`` ≥ ``MATCH_THRESHOLD``, otherwise ``missing``.
Local tasks with no alignment are ``local_added``.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from extraction.nlp import add_user_words, tokens

WEIGHTS = {"title_words": 0.30, "title_chars": 0.30, "body_words": 0.20, "body_chars": 0.20}
MATCH_THRESHOLD = 0.20      # below: not the same task (unrelated task pairs of the seed score ≤ 0.27)
SPLIT_THRESHOLD = 0.35      # a second local task on an already matched national task
IMPLEMENTED_BAND = 0.30     # best score at or above: implemented; between the two: partly

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_MARKER = re.compile(r"^\s*[（(]?[一二三四五六七八九十百\d]+[）)、.．]\s*")


@dataclass(frozen=True)
class TaskText:
    ordinal: int
    title: str
    text: str = ""
    iri: str | None = None


@dataclass
class Alignment:
    local: TaskText
    national: TaskText
    score: float
    features: dict[str, float]
    method: str = "hungarian"          # hungarian | split

    def to_dict(self) -> dict:
        return {"local_ordinal": self.local.ordinal, "local_title": self.local.title,
                "national_ordinal": self.national.ordinal, "national_title": self.national.title,
                "score": round(self.score, 4), "method": self.method,
                "features": {k: round(v, 4) for k, v in self.features.items()},
                "local_task": self.local.iri, "national_task": self.national.iri}


@dataclass
class TaskAlignment:
    alignments: list[Alignment]
    coverage: dict[int, tuple[str, float]]            # national ordinal -> (status, best score)
    national_uncovered: list[TaskText]
    local_added: list[TaskText]
    matrix: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))


def _clean(text: str) -> str:
    return _PUNCT.sub("", _MARKER.sub("", text))


@functools.cache
def _segmenter_ready() -> bool:
    """Give jieba the gazetteer's names, as the extraction pipeline does, so that tokens (and
    scores) do not depend on whether this process has extracted a document before."""
    from extraction.gazetteer import default_gazetteer

    add_user_words(default_gazetteer().surface_forms())
    return True


def _words(text: str) -> list[str]:
    _segmenter_ready()
    return [t for t in tokens(_clean(text)) if len(t) > 1 or t.isalnum()]


def char_bigrams(text: str) -> Counter:
    s = _clean(text)
    return Counter(s[i:i + 2] for i in range(len(s) - 1)) if len(s) > 1 else Counter(s)


def cosine(a: dict, b: dict) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _tfidf(bags: list[Counter]) -> list[dict]:
    n = len(bags)
    df = Counter(t for bag in bags for t in bag)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    return [{t: c * idf[t] for t, c in bag.items()} for bag in bags]


def feature_matrix(local: list[TaskText], national: list[TaskText]) -> dict[str, np.ndarray]:
    tasks = local + national
    title_w = _tfidf([Counter(_words(t.title)) for t in tasks])
    body_w = _tfidf([Counter(_words(f"{t.title} {t.text}")) for t in tasks])
    title_c = [char_bigrams(t.title) for t in tasks]
    body_c = _tfidf([char_bigrams(f"{t.title}{t.text}") for t in tasks])
    nl = len(local)
    out = {name: np.zeros((nl, len(national))) for name in WEIGHTS}
    for i in range(nl):
        for j in range(len(national)):
            k = nl + j
            out["title_words"][i, j] = cosine(title_w[i], title_w[k])
            out["title_chars"][i, j] = cosine(title_c[i], title_c[k])
            out["body_words"][i, j] = cosine(body_w[i], body_w[k])
            out["body_chars"][i, j] = cosine(body_c[i], body_c[k])
    return out


def coverage_status(score: float) -> str:
    if score >= IMPLEMENTED_BAND:
        return "implemented"
    if score >= MATCH_THRESHOLD:
        return "partly implemented"
    return "missing"


def align_tasks(local: list[TaskText], national: list[TaskText]) -> TaskAlignment:
    """One-to-one (Hungarian) alignment plus splits; see the module docstring for thresholds."""
    if not local or not national:
        return TaskAlignment([], {t.ordinal: ("missing", 0.0) for t in national}, list(national), list(local))
    features = feature_matrix(local, national)
    score = sum(WEIGHTS[name] * m for name, m in features.items())

    def make(i: int, j: int, method: str) -> Alignment:
        return Alignment(local[i], national[j], float(score[i, j]),
                         {name: float(m[i, j]) for name, m in features.items()}, method)

    rows, cols = linear_sum_assignment(-score)
    alignments = [make(i, j, "hungarian") for i, j in zip(rows, cols, strict=True) if score[i, j] >= MATCH_THRESHOLD]
    matched_local = {a.local.ordinal for a in alignments}
    matched_national = {a.national.ordinal for a in alignments}
    for i, task in enumerate(local):
        if task.ordinal in matched_local:
            continue
        j = int(np.argmax(score[i]))
        if national[j].ordinal in matched_national and score[i, j] >= SPLIT_THRESHOLD:
            alignments.append(make(i, j, "split"))
            matched_local.add(task.ordinal)
    alignments.sort(key=lambda a: (a.national.ordinal, a.local.ordinal))
    coverage = {}
    for t in national:
        best = max((a.score for a in alignments if a.national.ordinal == t.ordinal), default=0.0)
        coverage[t.ordinal] = (coverage_status(best) if best else "missing", best)
    return TaskAlignment(
        alignments, coverage,
        [t for t in national if coverage[t.ordinal][0] == "missing"],
        [t for t in local if t.ordinal not in matched_local], score,
    )
