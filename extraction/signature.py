"""Signature blocks and issuer names.

A signature is a date line (二〇一九年一月十二日, 2023年10月19日) with the signing bodies on the
lines just above it, or on the same line before the date. A joint document signs with several
bodies: side by side separated by wide spaces, one per line, or run together with no separator
(工业和信息化部国家发展和改革委员会科学技术部…); ``split_issuers`` cuts such runs at the names the
gazetteer knows and at organisation suffixes.
"""

from __future__ import annotations

import re

from .gazetteer import Gazetteer
from .model import Span

# zero as typed on web pages beside 〇: ○ (a white circle), ◯, the letter O, the digit 0 (二○○九年, 二O一六年, 二0一六年)
CN_ZEROS = "〇零○◯OＯ0"
_CN_NUM = CN_ZEROS + "一二三四五六七八九十"
# a blank may stand between the parts (2016 年 3 月 29 日, as text taken out of a PDF has it)
DATE = re.compile(rf"(\d{{4}}|[{_CN_NUM}]{{4}})[ \u3000]?年[ \u3000]?(\d{{1,2}}|[{_CN_NUM}]{{1,3}})[ \u3000]?月"
                  rf"[ \u3000]?(\d{{1,2}}|[{_CN_NUM}]{{1,3}})[ \u3000]?日")
_PUBLIC_NOTE = re.compile(r"（此件[^）]{0,12}）")
ISSUER_SUFFIX = re.compile(r"(人民政府|政府|办公厅|办公室|办事处|国务院|委员会|部|局|厅|委|署|院|会|行|办|中心|联合会|室|社|"
                           r"集团|公司)$")   # 国务院研究室, 供销合作总社, 中华职业教育社, 国家铁路集团有限公司
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_SEPARATORS = re.compile(r"[\s\u3000、，,；;]+")
_MAX_SIGNER_LINES = 24          # joint documents sign one or two bodies a line (13 bureaus: 7 lines)
_MAX_NAME = 30
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|省|市|区|县|州|盟|旗)")   # 黄浦区, 广州市
_MAX_GLUED_TITLE = 40


def unspace(line: str) -> str:
    """国 务 院 工 作 规 则 -> 国务院工作规则: a letter-spaced line (most of its pieces one character
    long) loses the spaces between hanzi; spaces between words (工业和信息化部 国家发展和改革委员会) stay."""
    pieces = line.split()
    if len(pieces) < 3 or sum(len(p) == 1 for p in pieces) < 0.6 * len(pieces):
        return line
    return _SPACED.sub("", line)


def split_issuers(text: str, gazetteer: Gazetteer, region: str | None = None) -> list[str]:
    """广州市卫生健康委员会  广州市财政局 -> both; 科学技术部财政部 -> 科学技术部, 财政部.
    A run is cut after the longest name the gazetteer knows; what it cannot cut stays one name."""
    out: list[str] = []
    for piece in _SEPARATORS.split(text.strip()):
        i = 0
        while i < len(piece):
            end = next((j for j in range(min(len(piece), i + _MAX_NAME), i + 1, -1)
                        if gazetteer.known(piece[i:j], region) is not None), None)
            if end is not None and end < len(piece) and not _starts_known(piece, end, gazetteer, region) \
                    and gazetteer.find_region_prefix(piece[end:]) is None and not _PLACE.match(piece, end):
                end = None                     # 四川省政府|国有资产监督管理委员会: one body under its government
            if end is None:                    # an unknown name: up to the next known one, or the next
                place = _PLACE.match(piece, i)   # name of the same place (黄浦区…委员会黄浦区…局), if any
                end = next((k for k in range(i + 2, len(piece))
                            if ISSUER_SUFFIX.search(piece[i:k]) and (
                                _starts_known(piece, k, gazetteer, region)
                                or (place and k > place.end() and piece.startswith(place.group(), k)))),
                           len(piece))
            out.append(piece[i:end])
            i = end
    return [n for n in out if n]


def _starts_known(piece: str, k: int, gazetteer: Gazetteer, region: str | None) -> bool:
    return any(gazetteer.known(piece[k:j], region) is not None
               for j in range(min(len(piece), k + _MAX_NAME), k + 1, -1))


def looks_like_signer(line: str) -> bool:
    """A line of issuing bodies: short, no sentence punctuation, every piece an organisation."""
    line = unspace(line)
    pieces = [p for p in _SEPARATORS.split(line.strip()) if p]
    return (bool(pieces) and len(line) <= 240 and not re.search(r"[。：:；;！？]", line)
            and all(ISSUER_SUFFIX.search(p) for p in pieces))


def parse_date_prefix(line: str) -> tuple[str, re.Match[str]] | None:
    """``<signers> <date>`` on one line: (the signers' text, the date match). In text scraped
    without line breaks a short title-like line may follow the date (国家航天局2020年12月17日月球样品管理办法)."""
    for m in DATE.finditer(line):
        rest = line[m.end():].strip()
        if m.start() == 0 or (rest and (len(rest) > _MAX_GLUED_TITLE or re.search(r"[。，；：,;:]", rest))):
            continue
        head = line[:m.start()].rstrip()
        if head and looks_like_signer(head):
            return head, m
    return None


def signature_blocks(folded: str, paras: tuple[Span, ...], is_date) -> list[tuple[list[Span], Span]]:
    """(signer paragraphs, date span) for every signature: a standalone date line with the
    signer lines above it, or a signers-then-date line."""
    found: list[tuple[list[Span], Span]] = []
    for k, p in enumerate(paras):
        if k < 1:
            continue
        line = folded[p.start:p.end]
        if is_date(line):
            signers: list[Span] = []
            j = k - 1
            while j >= 0 and len(signers) < _MAX_SIGNER_LINES and looks_like_signer(folded[paras[j].start:paras[j].end]):
                signers.insert(0, paras[j])
                j -= 1
            found.append((signers, p))
        elif (hit := parse_date_prefix(line)) is not None:
            head, m = hit
            found.append(([Span(p.start, p.start + len(head))], Span(p.start + m.start(), p.start + m.end())))
    return found


def public_note_after(folded: str, paras: tuple[Span, ...], date_span: Span) -> Span | None:
    for p in paras:
        if p.start > date_span.start:
            return p if _PUBLIC_NOTE.fullmatch(folded[p.start:p.end]) else None
    return None
