"""The rest of what a reader reads: the document's text outside its tasks and safeguards, cut into
passages (one per line) for the full-text index: the opening text (before the first section), the
general requirements (指导思想, 基本原则, 主要目标 — targets are read there or in their task) and
any other text (closing remarks, sections that are neither tasks nor safeguards).

The same cut is made from an extraction (where the search tokens are computed, kg/search/index.py
``document_words``) and from the store (where the index rows are read), so both see the same
passages.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

Span = tuple[int, int]
SectionSpan = tuple[int, int, bool, str | None]      # start, end, in the general requirements?, title


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    kind: str                # opening | general | text
    title: str | None        # the title of the innermost section holding it


def passages(text: str, provisions: list[Span], sections: list[SectionSpan]) -> list[Passage]:
    """Every non-blank line of ``text`` that no provision overlaps, with its kind and section title."""
    first = min((s[0] for s in sections), default=len(text))
    # a line [s, e) overlaps a provision when one of those starting before e ends after s:
    # the provisions by start, and the furthest end among the first k of them
    ordered = sorted(provisions)
    begins = [ps for ps, _ in ordered]
    furthest = list(itertools.accumulate((pe for _, pe in ordered), max))
    out, pos = [], 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        s = start + len(line) - len(line.lstrip())
        e = start + len(line.rstrip())
        if e - s < 2:
            continue
        k = bisect.bisect_left(begins, e)
        if k and furthest[k - 1] > s:
            continue
        around = sorted((x for x in sections if x[0] <= s and e <= x[1]), key=lambda x: x[1] - x[0])
        kind = "opening" if s < first else "general" if any(x[2] for x in around) else "text"
        title = next((x[3] for x in around if x[3]), None)
        out.append(Passage(s, e, kind, title))
    return out


def of_extraction(extraction) -> list[Passage]:
    from extraction.outline import walk

    sections = [(s.span.start, s.span.end, s.kind == "general", s.heading.title if s.heading else None)
                for s in walk(extraction.sections)]
    provisions = [(p.span.start, p.span.end) for p in extraction.provisions
                  if p.kind != "general"]      # the general part is searched by its paragraphs (kg.search.index)
    return passages(extraction.text, provisions, sections)
