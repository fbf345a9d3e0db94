"""Stage helper (clean): the header and signature lines of a text whose line breaks were lost.

A page scraped without line breaks runs its title, 文号, addressees, body and signature into one
paragraph: ``国务院关于…的若干意见国发〔2019〕3号各省、自治区…：…。国务院2019年1月12日（此件公开发布）``.
The metadata stage reads title, 文号, addressees, signer and date from lines, so the first and
the last paragraph of such a text are cut where those lines were:

* head (the first long paragraph, when it starts within the first ``_HEAD`` characters): around a 文号; after an
  addressee line (the first ``：`` with no sentence before it); after a title (a genre word
  that ends the text before the 文号 or the addressees);
* signatures (in any long paragraph): before a signer and date standing after a sentence (signers
  side by side with spaces between them; or a date alone, after a sentence or a note, that ends the
  paragraph, precedes a 此件公开 note or the title the notice quoted; or any date a 此件公开 note
  follows) (``。国务院2019年1月12日``, also a 印发 notice's own signature before the document it
  issues), between them, after the date, after a 此件公开发布 note and after the issued title the
  notice quoted (…现将《X》印发给你们…。2019年11月12日X为…).

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
_SIGNED = re.compile(r"(?<=[。；！？”）])\s*([^。；！？\s：，、][^。；！？：，、]{1,59}?)\s*(" + DATE.pattern + r")")
# a date that a 此件公开 note follows is a signature's, whatever stands before it (…任务分工表2020年2月21日（此件主动公开）)
_DATED_NOTE = re.compile(r"(" + DATE.pattern + r")(?=\s*[（(]此件)")
_QUOTED = re.compile(r"《([^《》]{4,80})》")
_NOTE_BEFORE = re.compile(r"（[^（）]*(?:负责|牵头|配合|参与|单位|部门)[^（）]*）$")
# an order's signer: the head of government and a name (。总理　李克强2018年12月18日, 市　长：温国辉2021年…)
_HEAD_SIGNED = re.compile(r"(?<=[。；！？”])\s*((?:总\s*理|[省市区县州]\s*长|主\s*席|主\s*任)\s*[：:]?\s*"
                          r"[\u4e00-\u9fff]{2,4}?)\s*(" + DATE.pattern + r")")
_ORDER_HEAD = re.compile(r"\s*([^。；！？：，、\s]{2,30}令)\s*(第[0-9零〇一二三四五六七八九十百千]+号)")
# what follows a title that has no 文号 and no addressees: its adoption history (a date, or （2010年…),
# a table of contents, its first chapter, part or article
_AFTER_TITLE = re.compile(r"\s*(?:[（(]?" + DATE.pattern + r"|目\s*录|第[一1]\s*[章条]|第一部分)")
_TITLE_MAX = 80
_YEAR_OPEN = re.compile(r"[〔（](?=(?:19|20)\d{2}[〕）])")   # the year's bracket of a 文号


def _head_cuts(folded: str, para: Span) -> list[int]:
    end = min(para.end, para.start + _HEAD)
    cuts: list[int] = []
    at = para.start
    ident = IDENTIFIER.search(folded, para.start, end)
    if ident is not None:
        # the 文号 right after the title: its prefix (国发) runs after the title's genre word
        bracket = _YEAR_OPEN.search(folded, ident.start()).start()
        title_end = _last_genre_end(folded, ident.start(), bracket)
        if ident.start() == para.start or title_end is not None:
            cuts += [title_end or ident.start(), ident.end()]
            at = ident.end()
    order = _ORDER_HEAD.match(folded, at, end) if ident is None else None
    if order is not None:                  # 广州市人民政府令第179号《…》已经…现予公布
        cuts += [order.end(1), order.end()]
        at = order.end()
    addressee = _ADDRESSEE.match(folded, at, end)
    if addressee is None and ident is None and order is None and (title_end := title_at(folded, at, end)):
        cuts.append(title_end)             # 三门峡市城市环境卫生管理条例2016年8月18日…通过
    if addressee is not None:
        before = folded[at:addressee.end()]
        title_end = _title_end(before)     # the title runs into the addressees: cut after its genre word
        if title_end is not None:
            cuts.append(at + title_end)
        cuts.append(addressee.end())
    return [c for c in cuts if para.start < c < para.end]


def _last_genre_end(folded: str, start: int, end: int) -> int | None:
    """The end of the last genre word ending in [start, end) that leaves a 文号 prefix of two or more
    characters before ``end`` (…若干意见|国发〔: 意见; …情况的函|国办函〔: 函, not the 函 of 国办函),
    None if there is none."""
    best = None
    for word in genre_words():
        at = folded.rfind(word, start - len(word) + 1, end - 2)
        if at >= 0 and (best is None or at + len(word) > best):
            best = at + len(word)
    return best


def _title_end(head: str) -> int | None:
    """Where a title ends in ``head`` (…的通知各区人民政府：): after the first genre word that is
    followed by 各 or 有关 (…的通知有关区人民政府，…：), before the addressee line's end."""
    best = None
    for word in genre_words():
        for follow in ("各", "有关"):
            at = head.find(word + follow)
            if at > 4 and (best is None or at + len(word) < best):
                best = at + len(word)
    return best


def title_at(folded: str, at: int, end: int) -> int | None:
    """The end of a title that starts at ``at`` and ends with a genre word right before its adoption
    history, contents, first chapter or article, or before itself repeated; None if there is none."""
    limit = min(end, at + _TITLE_MAX)
    for word in genre_words():
        if len(word) < 2:
            continue
        i = folded.find(word, at + 2, limit)
        while i >= 0:
            stop = i + len(word)
            title = folded[at:stop]
            if "。" not in title and (_AFTER_TITLE.match(folded, stop) or folded.startswith(title, stop)):
                return stop
            i = folded.find(word, i + 1, limit)
    return None


def _signature_cuts(folded: str, para: Span) -> list[int]:
    """Before the signer, before the date and after the date (or its 此件公开发布 note) of every
    signature: after a sentence, a name ending like an issuer, then a date
    (…请认真组织实施。广州市人民政府办公厅2020年6月29日广州市…办法第一条…)."""
    cuts: list[int] = []
    for m in _SIGNED.finditer(folded, para.start, para.end):
        if folded[m.start() - 1] == "）" and not _NOTE_BEFORE.search(folded, max(para.start, m.start() - 300), m.start()):
            continue                       # after a bracket only when it closes a note (…负责）国务院办公厅2018年…)
        if ISSUER_SUFFIX.search(re.sub(r"\s+", "", m.group(1))):
            note = _PUBLIC.match(folded, m.end(), para.end)
            cuts += [m.start(1), m.start(2), m.end()] + ([note.end()] if note else [])
            cuts += _issued_title(folded, para, m.start(), m.end())
    for m in _HEAD_SIGNED.finditer(folded, para.start, para.end):   # an order signed by the head of government
        cuts += [m.start(1), m.start(2), m.end()]
        if (title_end := title_at(folded, m.end(), para.end)) is not None:   # …2021年1月29日广州市老年人优待办法第一条
            cuts.append(title_end)
    for m in _UNSIGNED.finditer(folded, para.start, para.end):    # …管委会）2020年2月5日（此件主动公开）
        note = _PUBLIC.match(folded, m.end(), para.end)
        issued = _issued_title(folded, para, m.start(), m.end())
        if note is not None or issued or folded[m.end():para.end].strip() == "":
            cuts += [m.start(1), m.end()] + ([note.end()] if note else []) + issued
    for m in _DATED_NOTE.finditer(folded, para.start, para.end):
        note = _PUBLIC.match(folded, m.end(), para.end)       # None when the bracket runs long or open
        cuts += [m.start(1), m.end()] + ([note.end()] if note else [])
    return [c for c in cuts if para.start < c < para.end]


def _issued_title(folded: str, para: Span, start: int, end: int) -> list[int]:
    """The end of the title that follows a notice's signature when it is the title the notice
    quoted before it (…现将《X》印发给你们…。2019年11月12日X为…): the document it issues begins."""
    after = end + len(folded[end:para.end]) - len(folded[end:para.end].lstrip())
    for m in _QUOTED.finditer(folded, para.start, start):
        if folded.startswith(m.group(1), after):
            return [after + len(m.group(1))]
    return []


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
