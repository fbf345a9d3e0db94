"""Stage: metadata. Title, 文号, addressees, issuer, signature date, level, region, implements.

Input: ``CleanText``. Output: ``Metadata`` (every field with its span) and a ``Layout``
saying where the body starts and which paragraphs are the signature block, for the
outline stage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .citations import IDENTIFIER, find_citations
from .fold import fold
from .gazetteer import Gazetteer
from .model import Citation, CleanText, Mention, Metadata, Span

DOC_TYPES = ("实施意见", "指导意见", "若干意见", "意见", "通知", "方案", "决定", "办法", "规划", "纲要",
             "规定", "条例", "细则", "计划", "批复", "函", "通告", "公告", "报告", "要点", "措施",
             "决议", "命令", "纪要", "指南", "清单", "标准", "规则", "章程")
_IDENTIFIER_LINE = re.compile(rf"[（]?{IDENTIFIER.pattern}[）]?")
_ADDRESSEE_END = re.compile(r"[：]$")
_CN_NUM = "〇零一二三四五六七八九十"
_DATE = re.compile(rf"(\d{{4}}|[{_CN_NUM}]{{4}})年(\d{{1,2}}|[{_CN_NUM}]{{1,3}})月(\d{{1,2}}|[{_CN_NUM}]{{1,3}})日")
_PUBLIC_NOTE = re.compile(r"（此件[^）]{0,12}）")
_IMPLEMENTS = re.compile(r"为(?:深入|全面|认真|进一步)?(?:贯彻落实|贯彻|落实|实施|贯彻执行)")
_ISSUER_SUFFIX = re.compile(r"(人民政府|政府|办公厅|办公室|国务院|委员会|部|局|厅|委|署|院|会|行|办)$")
_MAX_TITLE_LINES = 4
_HEADER_SCAN = 8          # paragraphs from the top in which title, 文号 and addressees are looked for


@dataclass
class Layout:
    body_start: int                                   # first offset of the body (after the addressee line)
    signature: list[Span] = field(default_factory=list)   # signer, date and 此件公开发布 lines


def parse_cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if len(s) == 4 and "十" not in s:          # 二〇一九
        return int("".join(str(digits.get(c, 0)) for c in s))
    if "十" in s:                               # 十二, 二十一, 十
        tens, _, units = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)
    return digits.get(s, 0)


def parse_date(s: str) -> dt.date | None:
    m = _DATE.fullmatch(s.strip())
    if not m:
        return None
    try:
        return dt.date(parse_cn_int(m.group(1)), parse_cn_int(m.group(2)), parse_cn_int(m.group(3)))
    except ValueError:
        return None


def _looks_like_title_line(line: str) -> bool:
    return bool(line) and "。" not in line and len(line) <= 60 and not _IDENTIFIER_LINE.fullmatch(line)


def _title(text: str, folded: str, paras: tuple[Span, ...]) -> tuple[list[Span], int]:
    """Title lines from the top; returns (their spans, index of the first paragraph after them)."""
    lines: list[Span] = []
    for i, p in enumerate(paras[:_MAX_TITLE_LINES]):
        line = folded[p.start:p.end]
        if not _looks_like_title_line(line) or _ADDRESSEE_END.search(line):
            break
        lines.append(p)
        if line.endswith(DOC_TYPES):
            return lines, i + 1
    # no line ended with a document type: keep only the first line
    return lines[:1], (1 if lines else 0)


def extract_metadata(clean: CleanText, gazetteer: Gazetteer) -> tuple[Metadata, Layout]:
    text, paras = clean.text, clean.paragraphs
    folded = fold(text)
    meta = Metadata()
    title_lines, i = _title(text, folded, paras)
    if title_lines:
        meta.title_span = Span(title_lines[0].start, title_lines[-1].end)
        meta.title = "".join(p.of(text).strip() for p in title_lines)
    body_start = paras[i].start if i < len(paras) else len(text)
    for p in paras[i:_HEADER_SCAN]:
        line = folded[p.start:p.end]
        if meta.identifier is None and _IDENTIFIER_LINE.fullmatch(line):
            m = IDENTIFIER.search(line)
            meta.identifier = m.group(0)
            meta.identifier_span = Span(p.start + m.start(), p.start + m.end())
            body_start = p.end + 1
        elif _ADDRESSEE_END.search(line) and len(line) <= 120 and "。" not in line:
            meta.addressee_span = Span(p.start, p.end - 1)
            body_start = p.end + 1
            break
        elif meta.identifier is not None or len(line) > 60:
            break
    layout = Layout(body_start=min(body_start, len(text)), signature=_signature(text, folded, paras))
    _issuer(meta, text, layout, gazetteer)
    _level_and_region(meta, gazetteer)
    if meta.addressee_span:
        meta.addressees = _addressees(text, meta.addressee_span, gazetteer, meta.region)
    meta.implements = _implements(text, folded, layout.body_start)
    meta.issued_titles = issued_titles(meta.title or "")
    return meta, layout


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


def _signature(text: str, folded: str, paras: tuple[Span, ...]) -> list[Span]:
    """Signature blocks: a standalone date line, the signer line before it, a 此件公开发布 line after."""
    found: list[Span] = []
    for k, p in enumerate(paras):
        if k < 2 or parse_date(folded[p.start:p.end]) is None:
            continue
        prev = paras[k - 1]
        signer = folded[prev.start:prev.end].strip()
        if len(signer) <= 40 and "。" not in signer and _ISSUER_SUFFIX.search(signer.split()[-1]):
            found.append(prev)
        found.append(p)
        if k + 1 < len(paras) and _PUBLIC_NOTE.fullmatch(folded[paras[k + 1].start:paras[k + 1].end]):
            found.append(paras[k + 1])
    return found


def _issuer(meta: Metadata, text: str, layout: Layout, gazetteer: Gazetteer) -> None:
    for k, span in enumerate(layout.signature):
        date = parse_date(span.of(text))
        if date is not None:
            meta.date, meta.date_span = date, span
            if k > 0 and parse_date(layout.signature[k - 1].of(text)) is None:
                meta.issuer, meta.issuer_span = layout.signature[k - 1].of(text).strip(), layout.signature[k - 1]
            break
    if meta.issuer is None and meta.title and meta.title_span and "关于" in meta.title:
        prefix = meta.title.split("关于", 1)[0].strip()
        if prefix and _ISSUER_SUFFIX.search(prefix):
            meta.issuer = prefix
            start = meta.title_span.start
            meta.issuer_span = Span(start, start + len(prefix))


def _level_and_region(meta: Metadata, gazetteer: Gazetteer) -> None:
    issuer = meta.issuer or ""
    if not issuer:
        return
    if issuer.startswith(("国务院", "中共中央", "全国人民代表大会", "中央")):
        meta.level = "national"
        return
    first = re.split(r"[\s、，]+", issuer)[0]
    region = gazetteer.find_region_prefix(first)
    if region is None:
        known = gazetteer.resolve(first)
        if known is not None and known.kind == "national":
            meta.level = "national"
        return
    province = getattr(region, "province", None) or region.name
    meta.region = province
    rest = first[len(region.name):] if first.startswith(region.name) else first[len(getattr(region, "short", "")):]
    if getattr(region, "province", None) and region.name != province:   # a city named first
        rest, meta.level = "", "municipal"
    if re.match(r"[\u4e00-\u9fff]{1,8}?(县|区|旗)(人民政府|委|政府|办公室)", rest):
        meta.level = "county"
    elif re.match(r"[\u4e00-\u9fff]{1,8}?(市|州|盟)(人民政府|委|政府|办公室|人大)", rest):
        meta.level = "municipal"
    elif meta.level is None:
        meta.level = "provincial"


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
