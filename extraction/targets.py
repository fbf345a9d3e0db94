"""Stage: targets (到2020年 … 达到70%).

Input: the stored text and its sentence spans. Output: ``list[Target]``.

A sentence that sets a year (到2020年, 2020年底前, 2019年6月底前) opens a target context
that lasts to the end of its paragraph. In that context every clause with a quantity is a
quantified target (indicator, value, unit, comparator: 达到95%以上, 总规模达到2万亿元,
推出100项…赛事); a year sentence with no quantity is one qualitative target.
"""

from __future__ import annotations

import re

from .fold import fold
from .model import Span, Target

_YEAR = re.compile(r"(?:到|至|截至)(\d{4})年(?:(\d{1,2})月)?(?:底|末|前)?|(\d{4})年(?:(\d{1,2})月)?(?:底|末)?前")
_UNITS = ("万亿元", "亿元", "万元", "元", "万人次", "万人", "万个", "万家", "万亩", "万吨", "万千瓦", "万公里",
          "个百分点", "百分点", "公里", "千米", "平方米", "平方公里", "吨", "亩", "项", "个", "家", "人", "所",
          "座", "条", "部", "场", "次", "倍", "%", "％", "‰", "亿", "万")
_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = "(" + "|".join(re.escape(u) for u in _UNITS) + ")?"
_CMP = r"(以上|以下|以内|左右|及以上)?"
_VERBS = ("达到", "超过", "提高到", "提升到", "增加到", "增长到", "扩大到", "降低到", "降至", "下降到", "减少到",
          "控制在", "保持在", "稳定在", "不低于", "不少于", "不超过", "突破", "达")
_VERB_VALUE = re.compile("(" + "|".join(_VERBS) + r")" + _NUMBER + _UNIT + _CMP)
_COUNT_OBJECT = re.compile(r"(推出|打造|培育|建设|建成|创建|新增|认定|选择|支持|扶持|遴选|引进|实施)"
                           + _NUMBER + "(项|个|家|所|座|条|名|批|部|万家|万个)" + _CMP + r"([^，；。、]{2,30})")
_CLAUSE = re.compile(r"[^，；。\n]+")
_COMPARATORS = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}
_VERB_COMPARATORS = {"超过": ">", "不低于": ">=", "不少于": ">=", "不超过": "<=", "突破": ">"}


def find_targets(text: str, sentences: list[Span]) -> list[Target]:
    folded = fold(text)
    out: list[Target] = []
    context: tuple[int, int | None, int] | None = None      # (year, month, paragraph end)
    for sent in sentences:
        para_end = folded.find("\n", sent.start)
        para_end = len(folded) if para_end < 0 else para_end
        m = _YEAR.search(folded, sent.start, sent.end)
        if m:
            year = int(m.group(1) or m.group(3))
            month = m.group(2) or m.group(4)
            context = (year, int(month) if month else None, para_end)
        elif context is None or sent.start > context[2]:
            context = None
            continue
        year, month, _ = context
        quantified = list(_quantified(text, folded, sent, year, month))
        if quantified:
            out.extend(quantified)
        elif m:
            clause_start = m.end()
            while clause_start < sent.end and folded[clause_start] in "，、 ":
                clause_start += 1
            indicator = text[clause_start:sent.end].rstrip("。；;，, ")
            out.append(Target(Span(sent.start, sent.end), year, indicator or None, month=month))
    return out


def _quantified(text: str, folded: str, sent: Span, year: int, month: int | None):
    for clause in _CLAUSE.finditer(folded, sent.start, sent.end):
        c0, c1 = clause.start(), clause.end()
        hit = _VERB_VALUE.search(folded, c0, c1)
        if hit:
            indicator = text[c0:hit.start()].strip()
            indicator = re.sub(r"^(?:到|至)\d{4}年(?:底|末)?", "", indicator).strip() or None
            comparator = _COMPARATORS.get(hit.group(4) or "") or _VERB_COMPARATORS.get(hit.group(1))
            yield Target(Span(c0, c1), year, indicator, float(hit.group(2)), hit.group(3), comparator, month)
            continue
        hit = _COUNT_OBJECT.search(folded, c0, c1)
        if hit:
            comparator = _COMPARATORS.get(hit.group(4) or "")
            yield Target(Span(c0, c1), year, text[hit.start(5):hit.end(5)], float(hit.group(2)),
                         hit.group(3), comparator, month)
