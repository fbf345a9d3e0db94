"""Text reuse between two full texts, in the manner of the Legislative Influence Detector.

Both texts are cut into sentences (after 。！？；!?; and at line breaks, whitespace trimmed).
For each local sentence:

1. an identical national sentence makes it **copied** (no alignment needed);
2. otherwise a cheap prefilter proposes candidates: national sentences sharing character
   trigrams with it, at least ``PREFILTER`` of the shorter sentence's trigrams, best
   ``CANDIDATES`` kept (an inverted index, so the cost grows with shared trigrams, not with
   the product of the two texts' lengths);
3. each candidate is aligned character by character with Smith–Waterman (local alignment;
   match ``MATCH``, mismatch ``MISMATCH``, linear gap ``GAP``; rows vectorised with numpy);
   ``similarity = best score / (MATCH · length of the longer sentence)``, 1.0 for identical;
4. the best candidate with ``similarity ≥ MODIFIED`` and at least ``MIN_ALIGNED`` aligned local
   characters makes it **modified**; none makes it **new**.

National sentences that no local sentence copies or modifies are **omitted**. Consecutive
copied sentences whose national sentences are also consecutive form one passage, as do
consecutive new sentences and consecutive omitted ones; a modified passage is one sentence and
also gives the aligned character spans and its ``edits``: the spans where the two sentences
differ (difflib opcodes other than equal). Every offset is a character offset into its text, end
exclusive.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

import numpy as np

MATCH, MISMATCH, GAP = 2, -1, -1
PREFILTER = 0.3
CANDIDATES = 5
MODIFIED = 0.5
MIN_ALIGNED = 10        # a modified match aligns at least this many characters of the local sentence

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)")


@dataclass
class Passage:
    kind: str                                   # copied | modified | new | omitted
    local: tuple[int, int] | None               # span in the local text
    national: tuple[int, int] | None            # span in the national text
    similarity: float = 0.0
    aligned_local: tuple[int, int] | None = None      # modified: the aligned characters
    aligned_national: tuple[int, int] | None = None
    edits: list[dict] = field(default_factory=list)   # modified: [{"local": span, "national": span}]


@dataclass
class Reuse:
    passages: list[Passage] = field(default_factory=list)
    local_length: int = 0
    national_length: int = 0

    def share(self, kind: str) -> float:
        """Fraction of the local text's sentence characters in passages of ``kind``."""
        total = sum(p.local[1] - p.local[0] for p in self.passages if p.local)
        part = sum(p.local[1] - p.local[0] for p in self.passages if p.local and p.kind == kind)
        return part / total if total else 0.0

    def to_dict(self) -> dict:
        return {"passages": [asdict(p) for p in self.passages],
                "copied_share": round(self.share("copied"), 4),
                "modified_share": round(self.share("modified"), 4),
                "new_share": round(self.share("new"), 4),
                "local_length": self.local_length, "national_length": self.national_length}


def sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _trigrams(s: str) -> set[str]:
    s = "".join(s.split())
    return {s[i:i + 3] for i in range(len(s) - 2)} if len(s) > 2 else {s}


def smith_waterman(a: str, b: str) -> tuple[int, tuple[int, int], tuple[int, int]]:
    """Best local alignment of ``a`` and ``b``: (score, span in a, span in b)."""
    if not a or not b:
        return 0, (0, 0), (0, 0)
    av = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    bv = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    n, m = len(av), len(bv)
    h = np.zeros((n + 1, m + 1), dtype=np.int32)
    idx = np.arange(m + 1, dtype=np.int32)
    for i in range(1, n + 1):
        sub = np.where(bv == av[i - 1], MATCH, MISMATCH)
        t = np.zeros(m + 1, dtype=np.int32)
        t[1:] = np.maximum(h[i - 1, :-1] + sub, h[i - 1, 1:] + GAP)
        np.maximum(t, 0, out=t)
        # left gaps: h[j] = max_k<=j (t[k] + GAP*(j-k)), a running maximum
        h[i] = np.maximum.accumulate(t - GAP * idx) + GAP * idx
    i, j = np.unravel_index(int(np.argmax(h)), h.shape)
    score, end_a, end_b = int(h[i, j]), int(i), int(j)
    while i > 0 and j > 0 and h[i, j] > 0:
        s = MATCH if av[i - 1] == bv[j - 1] else MISMATCH
        if h[i, j] == h[i - 1, j - 1] + s:
            i, j = i - 1, j - 1
        elif h[i, j] == h[i - 1, j] + GAP:
            i -= 1
        else:
            j -= 1
    return score, (int(i), end_a), (int(j), end_b)


def find_reuse(local: str, national: str) -> Reuse:
    ls, ns = sentences(local), sentences(national)
    ntext = [national[s:e] for s, e in ns]
    exact = defaultdict(list)
    index = defaultdict(list)
    for k, t in enumerate(ntext):
        exact[t].append(k)
        for g in _trigrams(t):
            index[g].append(k)
    grams = [_trigrams(t) for t in ntext]
    rows: list[tuple[str, int | None, float, tuple | None, tuple | None]] = []
    last = -1                        # national sentence of the previous copy: keep the order
    for s, e in ls:
        text = local[s:e]
        if text in exact:
            hits = exact[text]
            last = next((k for k in hits if k > last), hits[0])
            rows.append(("copied", last, 1.0, None, None))
            continue
        mine = _trigrams(text)
        shared = Counter(k for g in mine for k in set(index.get(g, ())))
        cands = [k for k, c in shared.most_common()
                 if c >= PREFILTER * min(len(mine), len(grams[k]))][:CANDIDATES]
        best = ("new", None, 0.0, None, None)
        for k in cands:
            score, span_l, span_n = smith_waterman(text, ntext[k])
            sim = score / (MATCH * max(len(text), len(ntext[k])))
            if sim >= MODIFIED and sim > best[2] and span_l[1] - span_l[0] >= MIN_ALIGNED:
                best = ("modified", k, sim, (s + span_l[0], s + span_l[1]),
                        (ns[k][0] + span_n[0], ns[k][0] + span_n[1]))
        rows.append(best)
    return Reuse(_passages(local, national, ls, ns, rows), len(local), len(national))


def _edits(local: str, national: str, ls: tuple[int, int], ns: tuple[int, int]) -> list[dict]:
    """The character spans where a modified sentence differs from its national sentence."""
    matcher = SequenceMatcher(None, local[ls[0]:ls[1]], national[ns[0]:ns[1]], autojunk=False)
    return [{"local": (ls[0] + i1, ls[0] + i2), "national": (ns[0] + j1, ns[0] + j2)}
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _passages(local: str, national: str, ls, ns, rows) -> list[Passage]:
    out: list[Passage] = []
    used = {k for _, k, *_ in rows if k is not None}
    for (s, e), (kind, k, sim, al, an) in zip(ls, rows, strict=True):
        prev = out[-1] if out else None
        follows = bool(k) and prev is not None and prev.kind == "copied" and prev.national[1] == ns[k - 1][1]
        if kind == "copied" and follows:
            prev.local, prev.national = (prev.local[0], e), (prev.national[0], ns[k][1])
        elif kind == "new" and prev and prev.kind == "new":
            prev.local = (prev.local[0], e)
        elif kind == "new":
            out.append(Passage("new", (s, e), None))
        elif kind == "copied":
            out.append(Passage(kind, (s, e), ns[k], 1.0))
        else:
            out.append(Passage(kind, (s, e), ns[k], round(sim, 4), al, an, _edits(local, national, (s, e), ns[k])))
    for k, (s, e) in enumerate(ns):
        if k in used:
            continue
        if k and out and out[-1].kind == "omitted" and out[-1].national[1] == ns[k - 1][1]:
            out[-1].national = (out[-1].national[0], e)
        else:
            out.append(Passage("omitted", None, (s, e)))
    return out
