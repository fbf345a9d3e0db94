"""Stage helper (clean): the header and signature lines of a text whose line breaks were lost.

A page scraped without line breaks runs its title, 文号, addressees, body and signature into one
paragraph: ``国务院关于…的若干意见国发〔2019〕3号各省、自治区…：…。国务院2019年1月12日（此件公开发布）``.
The metadata stage reads title, 文号, addressees, signer and date from lines, so the first and
the last paragraph of such a text are cut where those lines were:

* head (the first long paragraph, when it starts within the first ``_HEAD`` characters): around a 文号; after an
  addressee line (the first ``：`` with no sentence before it); after a title (a genre word
  that ends the text before the 文号 or the addressees);
* signatures (in any long paragraph): before a signer and date standing after a sentence (or a
  date alone, after a sentence or a note, that ends the paragraph or precedes a 此件公开 note)
  (``。国务院2019年1月12日``, also a 印发 notice's own signature before the document it issues),
  between them, after the date and after a 此件公开发布 note.

The body's numbered items are cut later (``resegment``). Only spans change, never the text; a
text with its line breaks (a first line that is a title) is left as it is.
"""

from __future__ import annotations

import re

from .citations import IDENTIFIER
from .fold import fold
from .genre import genre_words
from .model import Span
from .resegment import split_span
from .signature import DATE, ISSUER_SUFFIX

_LONG = 300            # a first or last paragraph this long holds more than one line
_HEAD = 400            # where a header can end
# addressees: up to the first ：, no sentence before it, ending with a body (…各部门：, …人民政府：)
_ADDRESSEE = re.compile(r"[^。；！？：]{2,200}?(?:政府|部门|单位|机构|委员会|办公厅|办公室|局|厅|委|办|院|会|中心|公司)：")
_PUBLIC = re.compile(r"\s*[（(]此件[^）)]{0,12}[）)]")
_UNSIGNED = re.compile(r"(?<=[。；！？”）)])\s*(" + DATE.pattern + r")")   # a page that shows no signer
_SIGNED = re.compile(r"(?<=[。；！？”])\s*([^。；！？\s：，、]{2,60}?)\s*(" + DATE.pattern + r")")


def _head_cuts(folded: str, para: Span) -> list[int]:
    end = min(para.end, para.start + _HEAD)
    cuts: list[int] = []
    at = para.start
    ident = IDENTIFIER.search(folded, para.start, end)
    if ident is not None:
        # the 文号 right after the title: its prefix (国发) runs after the title's genre word
        bracket = folded.index("〔", ident.start())
        title_end = _last_genre_end(folded, ident.start(), bracket)
        if ident.start() == para.start or title_end is not None:
            cuts += [title_end or ident.start(), ident.end()]
            at = ident.end()
    addressee = _ADDRESSEE.match(folded, at, end)
    if addressee is not None:
        before = folded[at:addressee.end()]
        if ident is None:                  # the title runs into the addressees: cut after its genre word
            title_end = _title_end(before)
            if title_end is not None:
                cuts.append(at + title_end)
        cuts.append(addressee.end())
    return [c for c in cuts if para.start < c < para.end]


def _last_genre_end(folded: str, start: int, end: int) -> int | None:
    """The end of the last genre word of two or more characters ending in [start, end)
    (…若干意见|国发〔…: 意见), None if there is none (函 of 国函 is no genre word here)."""
    best = None
    for word in genre_words():
        if len(word) < 2:
            continue
        at = folded.rfind(word, start - len(word) + 1, end)
        if at >= 0 and (best is None or at + len(word) > best):
            best = at + len(word)
    return best


def _title_end(head: str) -> int | None:
    """Where a title ends in ``head`` (…的通知各区人民政府：): after the first genre word that is
    followed by 各 or the name of a body, before the addressee line's end."""
    best = None
    for word in genre_words():
        at = head.find(word + "各")
        if at > 4 and (best is None or at + len(word) < best):
            best = at + len(word)
    return best


def _signature_cuts(folded: str, para: Span) -> list[int]:
    """Before the signer, before the date and after the date (or its 此件公开发布 note) of every
    signature: after a sentence, a name ending like an issuer, then a date
    (…请认真组织实施。广州市人民政府办公厅2020年6月29日广州市…办法第一条…)."""
    cuts: list[int] = []
    for m in _SIGNED.finditer(folded, para.start, para.end):
        if ISSUER_SUFFIX.search(re.sub(r"\s+", "", m.group(1))):
            note = _PUBLIC.match(folded, m.end(), para.end)
            cuts += [m.start(1), m.start(2), m.end()] + ([note.end()] if note else [])
    for m in _UNSIGNED.finditer(folded, para.start, para.end):    # …管委会）2020年2月5日（此件主动公开）
        note = _PUBLIC.match(folded, m.end(), para.end)
        if note is not None or folded[m.end():para.end].strip() == "":
            cuts += [m.start(1), m.end()] + ([note.end()] if note else [])
    return [c for c in cuts if para.start < c < para.end]


def unglue(text: str, paragraphs: tuple[Span, ...]) -> tuple[Span, ...]:
    """``paragraphs`` with a long paragraph at the top cut at its header lines and every long one
    at its signatures; the same tuple when no paragraph is long."""
    if not any(p.end - p.start >= _LONG for p in paragraphs):
        return paragraphs
    folded = fold(text)
    out: list[Span] = []
    head_done = False
    for p in paragraphs:
        if p.end - p.start < _LONG:
            out.append(p)
            continue
        cuts = _signature_cuts(folded, p)
        if not head_done and p.start < _HEAD:
            cuts += _head_cuts(folded, p)
            head_done = True
        out += split_span(text, p, cuts) if cuts else [p]
    return tuple(out)
