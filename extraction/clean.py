"""Cleaning stage: ``Decoded`` -> ``CleanText`` (stripped lines, web-page debris removed).

Debris is recognised by the named patterns in ``PATTERNS`` (audit them there). Each has a scope:

anywhere  strict page-metadata shapes (``发布时间:2021-03-25 浏览次数:628``, 【打印】【关闭】,
          breadcrumbs, 上一篇/下一篇) that no document sentence has; removed wherever they stand.
edge      site furniture (友情链接, 主办单位, 版权所有, ICP备, 联系电话 …) that a real document may
          contain in an annex; removed only in the leading block (before the title) and the
          trailing block (after the last line of document text). A *weak* edge pattern
          (contact details) counts only when its block also holds a strong one.

The leading block ends at its last anchor line (breadcrumb, site navigation) and never reaches
past the first sentence-like line. The trailing block starts at the first strong edge line
below the last sentence-like line (taken with any debris lines directly above it) and runs to
the end, so short link-list items between footer lines go too, a signature above it stays.

Two layouts are undone on the way: paragraphs hard-wrapped at a fixed width (text taken out of a
PDF) are joined again (``dewrap``), and a table whose cells are set apart by runs of blanks is
made tab-separated (``spaced``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .dewrap import dewrap, join_markers
from .errors import ExtractionError
from .htmltext import html_to_text
from .model import CleanText, Decoded, Span
from .spaced import tabulate


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    scope: str            # "anywhere" | "edge"
    strong: bool = True   # edge patterns: False = counts only beside a strong one in its block
    anchor: bool = False  # may end the leading block (breadcrumbs, site navigation)


_FIELD = (r"(?:发布时间|发布日期|更新时间|发文日期|成文日期|信息来源|文章来源|稿件来源|来源|作者|责任编辑|"
          r"浏览次数|浏览量|访问量|访问次数|点击数|点击量|点击次数|阅读次数|阅读量|"
          r"索引号|主题分类|发文机关|发文字号|公开方式|信息类别)")
_VALUE = r"(?:[^:：【】\[\]]|(?<=\d)[:：](?=\d))*?"    # no colon, except inside a time 10:30
_WIDGET = (r"(?:[【\[]?(?:字号|字体)[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?[】\]]?"
           r"|[【\[]?(?:打印本页|打印|关闭本页|关闭窗口|关闭|返回顶部|收藏本页|收藏|我要纠错|纠错|保存)[】\]]?"
           r"|分享到[:：]?|扫一扫在手机(?:上)?打开(?:当前|本)页)")
_ITEM = rf"(?:{_FIELD}\s*[:：]\s*{_VALUE}|{_WIDGET})"
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_NAV = r"(?:网站地图|联系我们|关于我们|网站声明|免责声明|隐私声明|使用帮助|无障碍浏览|无障碍|设为首页|加入收藏)"


def _p(name: str, regex: str, scope: str, strong: bool = True, anchor: bool = False) -> Pattern:
    return Pattern(name, re.compile(regex, re.I), scope, strong, anchor)


PATTERNS: tuple[Pattern, ...] = (
    # --- anywhere: page metadata and navigation with a strict shape --------------------------------
    _p("breadcrumb", r"^(?:当前位置|您现在的位置|您的位置|您当前的位置|当前所在位置|所在位置|现在位置)\s*是?\s*[:：]",
       "anywhere", anchor=True),
    _p("breadcrumb-path", r"^(?:网站)?首页\s*(?:>|＞|»|›|→|/|\\)", "anywhere", anchor=True),
    _p("publish-date", rf"^(?:发布时间|发布日期|更新时间)\s*[:：]\s*{_DATE}$", "anywhere"),
    _p("view-count", r"^(?:浏览次数|浏览量|访问量|访问次数|点击数|点击量|点击次数|阅读次数|阅读量)\s*[:：]\s*\d+\s*次?$",
       "anywhere"),
    _p("source-author", r"^(?:信息来源|文章来源|稿件来源|来源|作者|责任编辑)\s*[:：]\s*[^\s。，；：:,;]{1,20}$", "anywhere"),
    _p("index-number", r"^索引号\s*[:：]\s*[\w/-]+$", "anywhere"),
    _p("page-widgets", rf"^(?:{_WIDGET}\s*)+$", "anywhere"),
    _p("page-metadata", rf"^(?:{_ITEM}\s*){{2,}}$", "anywhere"),
    _p("share", r"^分享到\s*[:：]?.{0,40}$", "anywhere"),
    _p("prev-next", r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]?.{0,80}$", "anywhere"),
    # --- edge: site furniture, only before the title or after the document ----------------------
    _p("link-list", r"^(?:友情链接|相关链接|相关文章|相关阅读|相关新闻|热点推荐)\s*[:：]?.{0,80}$", "edge"),
    _p("interpretation-link", r"^(?:政策解读|相关解读|图文解读|文字解读|解读)\s*[:：]\s*"
       r"(?:(?:https?://|www\.)\S*|解读.{0,100}|《[^》]{1,100}》.{0,20}|图解.{0,100})$", "edge"),   # 相关解读：解读《…》
    _p("url-only", r"^(?:https?://|www\.)\S+$", "edge"),
    _p("sponsor", r"^(?:主办单位|承办单位|协办单位|主办|承办|维护单位)\s*[:：]", "edge"),
    # these four may stand anywhere in a footer line, so they ask for the record-number shape
    _p("copyright", r"版权所有(?![人者])|copyright\s*(?:©|\(c\)|\d{4})|©", "edge"),
    _p("site-id", r"网站标识码\s*[:：]?\s*[0-9A-Za-z]{6,}", "edge"),
    _p("icp", r"ICP\s*[备证]\D{0,12}\d{6,}", "edge"),
    _p("police-record", r"公网安备\s*\d{8,}", "edge"),
    _p("tech-support", r"^技术支持(?:单位)?\s*[:：]", "edge"),
    _p("site-nav", rf"^(?:{_NAV}\s*[|｜/丨·]?\s*)+$", "edge", anchor=True),
    _p("contact", r"^(?:联系电话|联系方式|电话|传真|邮编|地址|电子邮箱|e-?mail)\s*[:：]", "edge", strong=False),
)

MAX_DEBRIS_LEN = 200       # longer lines are never debris
LINK_ITEM_MAX_LEN = 40     # a link-list item: short and without sentence punctuation
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def match_debris(line: str) -> Pattern | None:
    """The first pattern that ``line`` (already stripped) matches, if any."""
    if len(line) > MAX_DEBRIS_LEN:
        return None
    return next((p for p in PATTERNS if p.regex.search(line)), None)


def _strip(line: str) -> str:
    """The line without surrounding blanks; a table row (tab-separated cells) keeps the tabs of
    its empty first or last cells, so its cells stay in their columns."""
    core = line.strip().strip(_ZERO_WIDTH).strip()
    if "\t" not in core:
        return core
    left = line[:len(line) - len(line.lstrip())].count("\t")
    right = line[len(line.rstrip()):].count("\t")
    return "\t" * left + core + "\t" * right


def _is_text(line: str, hit: Pattern | None) -> bool:
    """Sentence-like document text (the document has begun / has not yet ended)."""
    return hit is None and (bool(_SENTENCE_END.search(line)) or len(line) > 80)


def _strong(hit: Pattern | None) -> bool:
    return hit is not None and hit.scope == "edge" and hit.strong


def _leading(lines: list[str], hits: list[Pattern | None]) -> range:
    """Lines before the title: up to the last anchor (breadcrumb, site navigation) before any
    sentence. Only anchors end it, so a title that happens to match a footer pattern survives."""
    end = 0
    for i, line in enumerate(lines):
        if _is_text(line, hits[i]):
            break
        if hits[i] is not None and hits[i].anchor:
            end = i + 1
    return range(end)


def _trailing(lines: list[str], hits: list[Pattern | None], floor: int) -> range:
    """Lines after the document: from the first strong edge line below the last sentence-like
    line (and the debris lines directly above it) to the end."""
    n = len(lines)
    first = None
    for i in range(n - 1, floor - 1, -1):
        hit = hits[i]
        if hit is None and (_is_text(lines[i], hit) or len(lines[i]) > LINK_ITEM_MAX_LEN):
            break
        if _strong(hit):
            first = i
    if first is None:
        return range(n, n)
    while first - 1 >= floor and hits[first - 1] is not None:
        first -= 1
    return range(first, n)


# character references a scraper left in a plain text (&nbsp;&nbsp;一、总体要求, &ldquo;放管服&rdquo;)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});")


def _unescape(m: re.Match[str]) -> str:
    return html.unescape(m.group(0))


def clean(decoded: Decoded) -> CleanText:
    """Strip every line, drop blank lines and web-page debris; raise E201 if nothing is left."""
    raw = html_to_text(decoded.text) if decoded.media_type == "text/html" else _ENTITY.sub(_unescape, decoded.text)
    lines = [s for s in (_strip(line) for line in dewrap(raw.splitlines())) if s]
    hits = [match_debris(line) for line in lines]
    lead = _leading(lines, hits)
    trail = _trailing(lines, hits, lead.stop)
    kept: list[str] = []
    removed: list[str] = []
    for i, line in enumerate(lines):
        debris = i in lead or i in trail or (hits[i] is not None and hits[i].scope == "anywhere")
        (removed if debris else kept).append(line)
    if not kept:
        raise ExtractionError("E201", path=decoded.path)
    kept = tabulate(join_markers(kept))    # a marker alone on its line; a table whose cells are set apart by blanks
    text = "\n".join(kept)
    spans: list[Span] = []
    pos = 0
    for line in kept:
        spans.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return CleanText(text=text, paragraphs=tuple(spans), removed=tuple(removed))
