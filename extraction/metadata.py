"""Stage: metadata. Title, 文号, addressees, issuer, signature date, level, region, implements.

Input: ``CleanText``. Output: ``Metadata`` (every field with its span) and a ``Layout``
saying where the body starts and which paragraphs are the signature block, for the
outline stage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .adoption import adoption
from .body_jurisdiction import body_jurisdiction, county_city
from .body_title import body_title
from .citations import IDENTIFIER, canonical_identifier, find_citations
from .fold import fold
from .gazetteer import Gazetteer
from .jurisdiction import infer, issuer_from_identifier
from .model import Citation, CleanText, Decoded, Mention, Metadata, Span
from .pagefields import page_fields
from .records import Record
from .signature import CN_ZEROS as _CN_ZEROS
from .signature import DATE as _DATE
from .signature import ISSUER_SUFFIX as _ISSUER_SUFFIX
from .signature import public_note_after, signature_blocks, split_issuers, unspace

DOC_TYPES = ("实施意见", "指导意见", "若干意见", "意见", "通知", "方案", "决定", "办法", "规划", "纲要",
             "规定", "条例", "细则", "计划", "批复", "函", "通告", "公告", "通报", "公报", "报告", "要点", "措施",
             "决议", "命令", "纪要", "指南", "清单", "标准", "规则", "章程", "预案", "举措")
_IDENTIFIER_LINE = re.compile(rf"[（(]?{IDENTIFIER.pattern}[）)]?")
# an order number: 中华人民共和国国务院令 / 第707号 (two lines), 广州市人民政府令第179号 (one)
_ORDER_HEAD = re.compile(r"([\u4e00-\u9fff]{2,24}?)令")
_ORDER_NUMBER = re.compile(r"第\s*(\d{1,4})\s*号")
_ORDER_LINE = re.compile(r"[（(]?([\u4e00-\u9fff]{1,24}?)令\s*第\s*(\d{1,4})\s*号[）)]?")   # 国令第707号 too
_RED_HEAD = re.compile(r"([\u4e00-\u9fff、 ]{2,60}?)\s*文件")       # 国务院文件, 江西省人民政府办公厅文件
_PROMULGATED = re.compile(r"《([^《》\n]{2,80})》[^。\n]{0,60}?(?:公布|发布)|(?:公布|发布)[^。《\n]{0,12}《([^《》\n]{2,80})》")
_ADDRESSEE_END = re.compile(r"[：]$")
_DATED_LINE = re.compile(r"\s*（\s*" + _DATE.pattern + r"\s*）\s*")
_IMPLEMENTS = re.compile(r"为(?:深入|全面|认真|进一步)?(?:贯彻落实|贯彻|落实|实施|贯彻执行)")
_ISSUER_CUT = re.compile(r"关于|转发|印发|批转")
_MAX_TITLE_LINES = 4
_MAX_TITLE_LEN = 60            # a longer line is a title only when it ends with a document type
_HEADER_SCAN = 8          # paragraphs from the top in which title, 文号 and addressees are looked for


@dataclass
class Layout:
    body_start: int                                   # first offset of the body (after the addressee line)
    signature: list[Span] = field(default_factory=list)   # signer, date and 此件公开发布 lines


def parse_cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | dict.fromkeys(_CN_ZEROS, 0)
    if len(s) == 4 and "十" not in s:          # 二〇一九
        return int("".join(str(digits.get(c, 0)) for c in s))
    if "十" in s:                               # 十二, 二十一, 十
        tens, _, units = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)
    return digits.get(s, 0)


def parse_date(s: str) -> dt.date | None:
    m = _DATE.fullmatch(s.strip()) or re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", s.strip())
    if not m:
        return None
    try:
        return dt.date(parse_cn_int(m.group(1)), parse_cn_int(m.group(2)), parse_cn_int(m.group(3)))
    except ValueError:
        return None


def _looks_like_title_line(line: str) -> bool:
    line = unspace(line)
    if not line or "。" in line or _IDENTIFIER_LINE.fullmatch(line) or parse_date(line):
        return False
    if line[0] in "（(" and line[-1] in "）)":      # （2021年7月27日国务院令第746号公布）: a note, not a title
        return False
    return len(line) <= _MAX_TITLE_LEN or (len(line) <= 250 and line.endswith(DOC_TYPES))


def _title(folded: str, paras: tuple[Span, ...], first: int) -> tuple[list[Span], int]:
    """Title lines from paragraph ``first``; returns (their spans, index of the first paragraph after them)."""
    lines: list[Span] = []
    for i, p in enumerate(paras[first:first + _MAX_TITLE_LINES], first):
        line = folded[p.start:p.end]
        if not _looks_like_title_line(line) or _ADDRESSEE_END.search(line):
            break
        lines.append(p)
        if unspace(line).endswith(DOC_TYPES):
            return lines, i + 1
    # no line ended with a document type: keep only the first line
    return lines[:1], first + (1 if lines else 0)


def _order(folded: str, paras: tuple[Span, ...], i: int) -> tuple[str, str, Span, Span, int] | None:
    """An order number at paragraph ``i``: (identifier, issuer, its span, issuer's span, paragraphs used)."""
    line = folded[paras[i].start:paras[i].end]
    m = _ORDER_LINE.fullmatch(line)
    if m:
        issuer, number, used, span = m.group(1), m.group(2), 1, paras[i]
    elif _ORDER_HEAD.fullmatch(line) and i + 1 < len(paras) and \
            (n := _ORDER_NUMBER.fullmatch(folded[paras[i + 1].start:paras[i + 1].end])):
        issuer, number, used, span = line[:-1], n.group(1), 2, Span(paras[i].start, paras[i + 1].end)
    else:
        return None
    issuer = issuer.removeprefix("中华人民共和国")
    if not _ISSUER_SUFFIX.search(issuer):
        return None
    ident = f"{issuer}令第{number}号"      # 国务院令第707号, 广州市人民政府令第179号
    at = paras[i].start + line.index(issuer)
    return ident, issuer, span, Span(at, at + len(issuer)), used


def extract_metadata(clean: CleanText, gazetteer: Gazetteer,
                     decoded: Decoded | None = None) -> tuple[Metadata, Layout]:
    text, paras = clean.text, clean.paragraphs
    folded = fold(text)
    meta = Metadata()
    order_issuer: str | None = None
    order_span: Span | None = None
    i = 0
    while i < min(len(paras), _HEADER_SCAN):              # 文号 or order number above the title
        line = folded[paras[i].start:paras[i].end]
        if meta.identifier is None and _IDENTIFIER_LINE.fullmatch(line):
            _set_identifier(meta, paras[i], line)
            i += 1
        elif (head := _RED_HEAD.fullmatch(line)) and _ISSUER_SUFFIX.search(head.group(1)):
            i += 1                                        # the red-head 文件 line: not the title
        elif meta.identifier is None and (order := _order(folded, paras, i)) is not None:
            meta.identifier, order_issuer, meta.identifier_span, order_span, used = order
            i += used
        else:
            break
    title_lines, i = _title(folded, paras, i)
    if title_lines:
        meta.title_span = Span(title_lines[0].start, title_lines[-1].end)
        meta.title = "".join(unspace(p.of(text).strip()) for p in title_lines)
        if meta.title.startswith("《") and meta.title.endswith("》") and meta.title.count("《") == 1:
            meta.title = meta.title[1:-1]                    # a page that wrote the title as a book title
    # a date in brackets right under the title (（2016年3月29日）): the document's date when nothing is signed
    dated = paras[i] if i < len(paras) and _DATED_LINE.fullmatch(folded, paras[i].start, paras[i].end) else None
    body_start = paras[i].start if i < len(paras) else len(text)
    for k in range(i, min(len(paras), _HEADER_SCAN)):
        p = paras[k]
        line = folded[p.start:p.end]
        if meta.identifier is None and _IDENTIFIER_LINE.fullmatch(line):
            _set_identifier(meta, p, line)
            body_start = p.end + 1
        elif meta.identifier is None and order_issuer is None and (order := _order(folded, paras, k)) is not None:
            meta.identifier, order_issuer, meta.identifier_span, order_span, _ = order   # the rule's name, then
            body_start = meta.identifier_span.end + 1                                     # 教育部令第52号 below it
        elif _ADDRESSEE_END.search(line) and len(line) <= 120 and "。" not in line:
            meta.addressee_span = Span(p.start, p.end - 1)
            body_start = p.end + 1
            break
        elif meta.identifier is not None or len(line) > 60:
            break
    blocks = signature_blocks(folded, paras, lambda line: parse_date(line) is not None)
    layout = Layout(body_start=min(body_start, len(text)), signature=_signature_spans(folded, paras, blocks))
    if order_issuer and meta.title is None:
        _promulgated_title(meta, text, folded, body_start)
    _date_and_issuers(meta, text, blocks, gazetteer)
    if not meta.issuers and order_issuer:
        meta.issuers, meta.issuer_spans, meta.origins["issuer"] = [order_issuer], [order_span], "order"
    if (meta.date is None or not meta.issuers or meta.identifier is None) and \
            (history := adoption(text, paras, meta.identifier)):
        if meta.identifier is None and history.identifier is not None:
            meta.identifier, meta.identifier_span = history.identifier, history.identifier_span
        if meta.date is None and history.date_span is not None:
            meta.date, meta.date_span = parse_date(history.date_span.of(text)), history.date_span
        if not meta.issuers and history.adopter:
            meta.issuers, meta.issuer_spans = [history.adopter], [history.adopter_span]
    if meta.date is None and dated is not None:
        inner = _DATE.search(folded, dated.start, dated.end)
        meta.date, meta.date_span = parse_date(inner.group(0)), Span(inner.start(), inner.end())
    _from_page(meta, text, decoded, gazetteer)
    if not meta.issuers and (guess := issuer_from_identifier(meta.identifier, meta.title or "")):
        meta.issuers, meta.issuer_spans, meta.origins["issuer"] = [guess], [None], "identifier"
    where = infer(meta.issuers, meta.title, meta.identifier, gazetteer)
    if where is None and meta.addressee_span and \
            (implied_where := body_jurisdiction(folded, meta.addressee_span.of(folded), layout.body_start, gazetteer)):
        where, implied_issuer = implied_where
        meta.origins["region"] = "body"
        if implied_issuer and not meta.issuers:
            meta.issuers, meta.issuer_spans, meta.origins["issuer"] = [implied_issuer], [None], "body"
    if where is not None:
        where = county_city(folded, layout.body_start, where, gazetteer)
    if meta.title is None and (implied := body_title(folded, layout.body_start, meta.issuers)):
        meta.title, meta.title_span = implied
        meta.origins["title"] = "body"
    meta.issuer = meta.issuers[0] if meta.issuers else None
    meta.issuer_span = meta.issuer_spans[0] if meta.issuer_spans else None
    if where is not None:
        meta.level, meta.region, meta.province = where.level, where.region, where.province
    if meta.addressee_span:
        meta.addressees = _addressees(text, meta.addressee_span, gazetteer, meta.region)
    meta.implements = _implements(text, folded, layout.body_start)
    meta.issued_titles = issued_titles(meta.title or "")
    return meta, layout


def _set_identifier(meta: Metadata, p: Span, line: str) -> None:
    m = IDENTIFIER.search(line)
    meta.identifier = canonical_identifier(m.group(0))
    meta.identifier_span = Span(p.start + m.start(), p.start + m.end())


def _signature_spans(folded: str, paras: tuple[Span, ...], blocks) -> list[Span]:
    """Signer and date paragraphs (and a 此件公开发布 line) of every signature, for the outline stage."""
    out: list[Span] = []
    for signers, date_span in blocks:
        para = next(p for p in paras if p.contains(date_span))
        out.extend(s for s in signers if s in paras)
        out.append(para)
        if (note := public_note_after(folded, paras, date_span)) is not None:
            out.append(note)
    return list(dict.fromkeys(out))


def _promulgated_title(meta: Metadata, text: str, folded: str, start: int) -> None:
    """An order's title is the regulation it promulgates: 现公布《X》 / 《X》已经…通过，现予公布."""
    m = _PROMULGATED.search(folded, start, min(len(folded), start + 400))
    if m:
        g = 1 if m.group(1) else 2
        meta.title, meta.title_span = m.group(g), Span(m.start(g), m.end(g))


def _date_and_issuers(meta: Metadata, text: str, blocks, gazetteer: Gazetteer) -> None:
    """The first signature gives the date and the signing bodies; else the title's 'X关于…'."""
    for signers, date_span in blocks:
        meta.date, meta.date_span = parse_date(date_span.of(text)), date_span
        for s in signers:
            _add_issuers(meta, text, s, gazetteer)
        break
    cut = _ISSUER_CUT.search(meta.title) if meta.title and meta.title_span else None
    prefix = meta.title[:cut.start()].strip() if cut else ""
    if not prefix or not _ISSUER_SUFFIX.search(prefix):
        return
    if not meta.issuers:
        _add_issuers(meta, text, Span(meta.title_span.start, meta.title_span.end), gazetteer, prefix)
        return
    titled = split_issuers(prefix, gazetteer)        # 市交通委 市公安局 signing 上海市交通委员会 上海市公安局关于…:
    if len(titled) == len(meta.issuers) and titled != meta.issuers and all(   # the title's full names
            _same_body(a, b, titled, gazetteer) for a, b in zip(meta.issuers, titled, strict=True)):
        meta.issuers, meta.issuer_spans = [], []
        _add_issuers(meta, text, Span(meta.title_span.start, meta.title_span.end), gazetteer, prefix)


def _same_body(signed: str, titled: str, context: list[str], gazetteer: Gazetteer) -> bool:
    """Whether a signer's short name and the title's name are one body, read in the region the
    title's names give (市交通委 in a 上海市 document = 上海市交通委员会: X委 is the short form of X委员会)."""
    region = next((r.name for n in context if (r := gazetteer.find_region_prefix(n)) is not None), None)
    a, b = gazetteer.resolve(signed, region), gazetteer.resolve(titled, region)
    if a is None or b is None or not (a.recognised and b.recognised):
        return False
    return a.key == b.key or _COMMITTEE.sub("委", a.pref_label) == _COMMITTEE.sub("委", b.pref_label)


_COMMITTEE = re.compile(r"委员会$")


def _add_issuers(meta: Metadata, text: str, where: Span, gazetteer: Gazetteer, within: str | None = None) -> None:
    source = within if within is not None else unspace(where.of(text))      # 国 务 院 -> 国务院
    pos = where.start
    for name in split_issuers(source, gazetteer):
        at = text.find(name, pos, where.end)
        span = Span(at, at + len(name)) if at >= 0 else None
        pos = span.end if span else pos
        meta.issuers.append(name)
        meta.issuer_spans.append(span)


# a file named by its document's title (关于印发X的通知.txt, 某省X条例.html): Chinese words only, and
# a title's words (关于, 印发, 转发) or a regulation's name of at least eight characters
_FILE_TITLE = re.compile(r"(?=.*(?:关于|印发|转发|.{6}(?:条例|办法|规定|细则)$))[\u4e00-\u9fff《》〈〉“”（）〔〕、\d]{8,150}")


def _from_page(meta: Metadata, text: str, decoded: Decoded | None, gazetteer: Gazetteer) -> None:
    """What the page (``<title>``, gov.cn table), the crawl's record of it or the file name says,
    for fields the text lacks, in that order of trust."""
    fields = page_fields(decoded.text) if decoded is not None and decoded.media_type == "text/html" else {}
    record = decoded.record if decoded is not None and decoded.record is not None else Record()
    stem = decoded.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if decoded is not None and decoded.path else ""
    if meta.title is None:
        for value, origin in ((fields.get("title"), "page-table"), (fields.get("page_title"), "page-title"),
                              (record.title, "record"), (stem if _FILE_TITLE.fullmatch(stem) else "", "filename")):
            value = unspace(value or "")
            if value and value.endswith(DOC_TYPES):
                meta.title, meta.title_span, meta.origins["title"] = value, _find(text, value), origin
                break
    if meta.identifier is None:
        for value, origin in ((fields.get("identifier", ""), "page-table"), (record.identifier or "", "record"),
                              (stem, "filename")):
            value = re.sub(r"\s+", "", value)
            if IDENTIFIER.fullmatch(fold(value)):
                value = canonical_identifier(fold(value))
            if IDENTIFIER.fullmatch(value) or _ORDER_LINE.fullmatch(value):
                meta.identifier, meta.identifier_span = value, _find(text, value)
                meta.origins["identifier"] = origin
                break
    for value, origin in ((fields.get("issuer"), "page-table"), (record.issuer, "record")):
        if not meta.issuers and value:
            meta.issuers = split_issuers(value, gazetteer)
            meta.issuer_spans = [_find(text, n) for n in meta.issuers]
            meta.origins["issuer"] = origin
    for value, origin in ((fields.get("written"), "page-table"), (record.date, "record")):
        if meta.date is None and (date := parse_date(value or "")) is not None:
            meta.date, meta.origins["date"] = date, origin


def _find(text: str, value: str) -> Span | None:
    at = text.find(value)
    return Span(at, at + len(value)) if at >= 0 else None


_ISSUED_BRACKETED = re.compile(r"《([^《》]+)》")
_ISSUED_PLAIN = re.compile(r"印发(.+)的通知$")


def issued_titles(title: str) -> list[str]:
    """The titles of the documents a notice issues, read from its own title: every 《X》 after
    印发 (关于印发《A》和《B》的通知 -> A, B), else what stands between 印发 and a final 的通知
    (关于印发“无废城市”建设试点工作方案的通知). A citation of X then resolves to the notice
    (``queries/33-what-cites.rq``) by an exact match, without scanning every title."""
    at = title.find("印发")
    if at < 0:
        return []
    rest = title[at:]
    found = _ISSUED_BRACKETED.findall(rest)
    if found:
        return list(dict.fromkeys(t.strip() for t in found if t.strip()))
    m = _ISSUED_PLAIN.search(rest)
    return [m.group(1).strip()] if m and m.group(1).strip() else []


def _addressees(text: str, span: Span, gazetteer: Gazetteer, region: str | None) -> list[Mention]:
    """Split the 主送 line on 、，； but keep names that contain 、 (各省、自治区、直辖市人民政府)."""
    folded = fold(text)
    pieces = [(span.start + m.start(), span.start + m.end())
              for m in re.finditer(r"[^、，；]+", folded[span.start:span.end])]
    out: list[Mention] = []
    i = 0
    while i < len(pieces):
        j = len(pieces)
        while j > i + 1:
            agency = gazetteer.resolve(text[pieces[i][0]:pieces[j - 1][1]], region)
            if agency is not None and agency.recognised:
                break
            j -= 1
        s, e = pieces[i][0], pieces[j - 1][1]
        surface = text[s:e].strip()
        if surface:
            out.append(Mention(surface, Span(s, e)))
        i = j
    return out


def _implements(text: str, folded: str, body_start: int) -> Citation | None:
    """为贯彻落实《…》(文号) in the opening: the document this one implements."""
    window_end = folded.find("\n", body_start)
    window_end = len(folded) if window_end < 0 else window_end
    lead = _IMPLEMENTS.search(folded, body_start, window_end)
    if not lead:
        return None
    for c in find_citations(text, lead.end(), window_end):
        if c.span.start <= lead.end() + 2 and c.title:
            return Citation(c.span, c.title, c.identifier, implements=True)
    return None
