"""Metadata a web page states outside the document text: ``<title>`` and the gov.cn-style table.

gov.cn and most provincial portals put a table above the document::

    索引号：000014349/2019-00003   主题分类：…
    发文机关：国务院               成文日期：2019年01月12日
    标  题：国务院关于促进综合保税区高水平开放高质量发展的若干意见
    发文字号：国发〔2019〕3号       发布日期：2019年01月25日

The cleaning stage drops these lines from the stored text (they are page furniture), so they are
read here from the raw HTML. A label and its value may share a cell (``发文机关：国务院``) or stand
in neighbouring cells. Values are returned as written; the metadata stage decides what to trust.
"""

from __future__ import annotations

import re
from html import unescape

LABELS = {
    "索引号": "index", "主题分类": "subject", "发文机关": "issuer", "成文日期": "written",
    "标题": "title", "发文字号": "identifier", "文号": "identifier", "发布日期": "published",
}
_LABEL = re.compile(r"^(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]\s*(.*)$")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SKIPPED = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.I | re.S)
_SITE_TAIL = re.compile(r"\s*[_|｜\-—–]+\s*[^_|｜\-—–]{0,30}(?:网|政府|门户|网站|平台)\s*$")
_MAX_VALUE = 200


def page_fields(html: str) -> dict[str, str]:
    """``{"title": …, "identifier": …, "issuer": …, "written": …, "published": …, "page_title": …}``:
    whatever of these the page states (first occurrence of each label)."""
    out: dict[str, str] = {}
    m = _TITLE.search(html)
    if m:
        title = _SITE_TAIL.sub("", re.sub(r"\s+", " ", unescape(_TAG.sub("", m.group(1)))).strip())
        if title:
            out["page_title"] = title
    cells = [re.sub(r"[\s\u3000]+", " ", unescape(c)).strip() for c in _TAG.split(_SKIPPED.sub("", html))]
    cells = [c for c in cells if c]
    for i, cell in enumerate(cells):
        folded = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", cell)   # 标  题 -> 标题
        lm = _LABEL.match(folded)
        if lm is None:
            continue
        key = LABELS[lm.group(1)]
        value = lm.group(2).strip()
        if not value and i + 1 < len(cells) and not _LABEL.match(cells[i + 1]):
            value = cells[i + 1]
        if value and len(value) <= _MAX_VALUE and key not in out:
            out[key] = value
    return out
