"""Policy instruments: tag each measure with Rothwell & Zegveld's classes and their sub-types.

The rules are data: ``extraction/data/instruments.csv`` (see docs/instrument-coding.md and
extraction/data/README.md), one row per cue::

    subtype,pattern,match,weight,priority,note

* ``match`` is ``word`` (the pattern is literal text, punctuation folded like the text) or
  ``regex`` (a Python regular expression, used as written: write punctuation in its full-width
  form, （ ） ， ；). Both are matched on the folded measure text (``fold``: ASCII and full-width
  punctuation alike, same length), so offsets are offsets into the stored document text.
* A sub-type is tagged when the weights of the distinct patterns it matched add up to at least
  ``THRESHOLD`` (1): a weight-1 cue is enough on its own, two weight-0.5 cues are needed.
* Priority-2 rows are fallbacks: they are only looked at when no priority-1 sub-type was tagged
  (策略性措施 is what a measure is when it names no other instrument).

A researcher overrides the lexicon by pointing ``POLICYKG_INSTRUMENT_LEXICON`` at a CSV of the
same form (and re-ingesting), or by passing ``Lexicon.read(path)`` to ``tag_measures``.
Every tag keeps its evidence: the words matched and their character offsets.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ExtractionError
from .fold import fold
from .model import Evidence, InstrumentTag, Provision

CLASSES = {"S": ("supply", "供给型", "supply-side"), "E": ("environment", "环境型", "environment-side"),
           "D": ("demand", "需求型", "demand-side")}
# notation -> (IRI slug, Chinese label, English label)
SUBTYPES = {
    "S1": ("talent", "人才培养", "talent development"),
    "S2": ("funding", "资金投入", "public funding"),
    "S3": ("technology", "技术支持", "technology support"),
    "S4": ("public-service", "公共服务", "public services"),
    "S5": ("infrastructure", "基础设施", "infrastructure"),
    "S6": ("information", "信息支持", "information support"),
    "E1": ("planning", "目标规划", "goals and planning"),
    "E2": ("finance", "金融支持", "financial support"),
    "E3": ("tax", "税收优惠", "tax incentives"),
    "E4": ("regulation", "法规管制", "laws and regulation"),
    "E5": ("strategic", "策略性措施", "strategic measures"),
    "D1": ("procurement", "政府采购", "government procurement"),
    "D2": ("outsourcing", "服务外包", "outsourcing"),
    "D3": ("demonstration", "示范工程", "demonstration projects"),
    "D4": ("overseas", "海外交流", "overseas exchange"),
    "D5": ("trade-control", "贸易管制", "trade control"),
    "D6": ("price-subsidy", "价格补贴", "price subsidies"),
}
THRESHOLD = 1.0
LEXICON_ENV = "POLICYKG_INSTRUMENT_LEXICON"
COLUMNS = ["subtype", "pattern", "match", "weight", "priority", "note"]


class LexiconError(ValueError):
    """The lexicon CSV is malformed (unknown sub-type, bad regex, bad weight …)."""


@dataclass(frozen=True)
class Cue:
    subtype: str
    pattern: str
    regex: re.Pattern
    weight: float
    priority: int
    literal: str | None = None       # a word cue's folded text: a measure without it cannot match


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    source: str

    @classmethod
    def parse(cls, text: str, source: str = "<text>") -> Lexicon:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        if reader.fieldnames != COLUMNS:
            raise LexiconError(f"{source}: header {reader.fieldnames} != {COLUMNS}")
        cues = []
        for n, row in enumerate(reader, start=2):
            where = f"{source}:{n}"
            if None in row or any(v is None for v in row.values()):
                raise LexiconError(f"{where}: wrong number of fields")
            sub, pattern, match = row["subtype"].strip(), row["pattern"].strip(), row["match"].strip()
            if sub not in SUBTYPES:
                raise LexiconError(f"{where}: unknown sub-type {sub!r}")
            if match not in ("word", "regex") or not pattern:
                raise LexiconError(f"{where}: match must be word or regex, with a pattern")
            try:
                weight, priority = float(row["weight"]), int(row["priority"])
                regex = re.compile(re.escape(fold(pattern)) if match == "word" else pattern)
            except (ValueError, re.error) as e:
                raise LexiconError(f"{where}: {e}") from e
            if priority not in (1, 2):
                raise LexiconError(f"{where}: priority must be 1 or 2")
            cues.append(Cue(sub, pattern, regex, weight, priority, fold(pattern) if match == "word" else None))
        return cls(tuple(cues), source)

    @classmethod
    def read(cls, path: str | Path) -> Lexicon:
        return cls.parse(Path(path).read_text(encoding="utf-8"), str(path))


@functools.cache
def _bundled() -> Lexicon:
    text = resources.files("extraction.data").joinpath("instruments.csv").read_text(encoding="utf-8")
    return Lexicon.parse(text, "extraction/data/instruments.csv")


def default_lexicon() -> Lexicon:
    """$POLICYKG_INSTRUMENT_LEXICON if set, else the bundled extraction/data/instruments.csv."""
    path = os.environ.get(LEXICON_ENV)
    return _read_cached(path) if path else _bundled()


@functools.cache
def _read_cached(path: str) -> Lexicon:
    return Lexicon.read(path)


def _matches(cues, text: str, offset: int) -> dict[str, list[tuple[Cue, Evidence]]]:
    found: dict[str, list[tuple[Cue, Evidence]]] = {}
    for cue in cues:
        if cue.literal is not None and cue.literal not in text:
            continue
        for m in cue.regex.finditer(text):
            if m.end() > m.start():
                ev = Evidence(m.group(0), offset + m.start(), offset + m.end())
                found.setdefault(cue.subtype, []).append((cue, ev))
    return found


def _tags(found) -> list[tuple[str, float, tuple[Evidence, ...]]]:
    out = []
    for sub, hits in found.items():
        score = sum({c.pattern: c.weight for c, _ in hits}.values())
        if score < THRESHOLD:
            continue
        spans = sorted({ev for _, ev in hits}, key=lambda e: (e.start, -e.end))
        # a match inside a longer match of the same sub-type (税收 in 税收优惠) is not separate evidence
        kept = [e for e in spans if not any(o != e and o.start <= e.start and e.end <= o.end for o in spans)]
        out.append((sub, score, tuple(kept)))
    return sorted(out, key=lambda t: (-t[1], t[2][0].start, t[0]))


def tag_text(text: str, start: int = 0, lexicon: Lexicon | None = None) -> list[tuple[str, float, tuple[Evidence, ...]]]:
    """(sub-type, score, evidence) for one measure's text found at ``start``, strongest first."""
    return _tag(fold(text), start, _tiers(lexicon or default_lexicon()))


def _tiers(lexicon: Lexicon) -> tuple[list[Cue], list[Cue]]:
    return [c for c in lexicon.cues if c.priority == 1], [c for c in lexicon.cues if c.priority == 2]


def _tag(folded: str, start: int, tiers: tuple[list[Cue], list[Cue]]) -> list[tuple[str, float, tuple[Evidence, ...]]]:
    tags = _tags(_matches(tiers[0], folded, start))
    if not tags:
        tags = _tags(_matches(tiers[1], folded, start))
    return tags


def tag_measures(text: str, provisions: list[Provision], lexicon: Lexicon | None = None) -> list[InstrumentTag]:
    """The stage: every measure of every provision, tagged; evidence offsets into ``text``.
    A bad lexicon file is reported as E301 (the file's problem, not the document's)."""
    if lexicon is None:
        try:
            lexicon = default_lexicon()
        except (LexiconError, OSError) as e:
            raise ExtractionError("E301", str(e)) from e
    out = []
    folded = fold(text)             # fold keeps offsets: a measure's slice is its fold
    measures = [(p, j, m, folded[m.span.start:m.span.end]) for p in provisions for j, m in enumerate(p.measures, 1)]
    # a word cue in no measure is looked for in none: left out once (the cues keep their order)
    joined = "\0".join(x[3] for x in measures)
    tiers = tuple([c for c in tier if c.literal is None or c.literal in joined] for tier in _tiers(lexicon))
    for p, j, m, measure in measures:
        for k, (sub, score, evidence) in enumerate(_tag(measure, m.span.start, tiers), 1):
            out.append(InstrumentTag(p.kind, p.ordinal, j, k, sub, sub[0], score, evidence))
    return out


def primary_class(tags: list[InstrumentTag] | list[tuple]) -> str | None:
    """The class of a measure's strongest tag (the first one), or None if it has none."""
    if not tags:
        return None
    first = tags[0]
    return first.cls if isinstance(first, InstrumentTag) else first[0][0]
