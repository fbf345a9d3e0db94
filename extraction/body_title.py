"""Stage helper: the title a document's body implies, for a text that carries none.

Pages scraped from government sites often start at the addressee line: the title stood above
the text, on the page, and was not taken. Three kinds of document say in their first sentence
what their title is, because official titles of these kinds are formed from that sentence
(《党政机关公文处理工作条例》 conventions):

* a notice that hands a document on: ``现将《X》印发给你们`` / ``《X》已经…通过，现予印发`` →
  ``{issuer}关于印发《X》的通知`` (转发 alike); when X itself begins with 关于, the title is
  ``{issuer}印发《X》的通知`` (no 关于印发《关于…》);
* a reply to a request: ``你市《关于X的请示》…收悉`` → ``{issuer}关于X的批复`` (a request verb
  such as 恳请批复 at the head of X is the request's, not the reply's);
* a decision amending or repealing a rule: ``决定对《X》作如下修改`` → ``{issuer}关于修改《X》的决定``;
* an opinion that names its own subject in the formula of its kind: ``现就X提出如下实施意见`` →
  ``{issuer}关于X的实施意见`` (意见 alike; an explanation in brackets, （即…）, is the sentence's
  and not the title's);
* a notice that names its subject: ``现就做好X工作有关事宜通知如下`` → ``{issuer}关于做好X工作的通知``
  (有关事宜/事项/问题 are the sentence's; 现就有关事项通知如下 names nothing and gives nothing);
* an implementing opinion that names the one opinion it implements: ``为贯彻落实《国务院办公厅关于X的
  (指导)意见》…现提出以下实施意见`` (…制定本实施意见) → ``{issuer}关于X的实施意见``, the title such an
  opinion takes from what it implements; not when it implements several documents (《A》和《B》,
  《A》等文件) or calls itself anything but 实施意见.

The title is marked as inferred (``Metadata.origins["title"] = "body"``) and its evidence is the
sentence it was read from. Nothing else is inferred: an opinion that states neither its subject nor the one opinion it
implements cannot have its title read off its body with any certainty, and a wrong title is
worse than none.
"""

from __future__ import annotations

import re

from .model import Span

_WINDOW = 600          # characters after the body's start in which the first sentence is looked for
_CN_DIGITS = "零一二三四五六七八九十"

_QUOTED = r"《([^《》\n]{2,80})》"
_HANDS_ON = re.compile(r"(?:现将|现把)" + _QUOTED + r"(印发|转发)给?(?:你们|你单位|各单位)?"
                       r"|" + _QUOTED + r"[^。\n《》]{0,40}?现(?:予|将其)?(印发|转发)(?:给你们|你们)?")
_REQUEST = re.compile(r"你[\u4e00-\u9fff]{0,4}《关于([^《》\n]{2,80})的(?:请示|申请)》[^。\n]{0,80}?收悉")
_REQUEST_VERB = re.compile(r"^(?:恳请|请求|申请|提请)(?:批复|批准|审批|审定)?")
_STATES = re.compile(r"现就([^。\n：]{4,80}?)提出(?:如下|以下)((?:实施)?意见)")
# a notice that states its subject: 现就做好X工作有关事宜通知如下 -> 关于做好X工作的通知 (not 现就有关事项通知如下)
_NOTIFIES = re.compile(r"现就(?!有关)([^。\n：，；]{4,80}?)(?:的?有关(?:事宜|事项|问题|要求))?(?:紧急)?通知如下")
# an implementing opinion that names the one opinion it implements: 为贯彻落实《国务院办公厅关于X的(指导)意见》
# （国办发〔2019〕42号）…现提出以下实施意见 / …制定本实施意见 -> 关于X的实施意见 (no second 《》 before the formula)
_IMPLEMENTS = re.compile(r"(?:为|根据|按照)[^。\n《》]{0,12}《[^《》\n]{2,40}?关于([^《》\n]{2,60}?)的(?:指导)?意见》"
                         r"(?![^。\n《》]{0,6}等)[^。\n《》]{0,120}?(?:现提出(?:以下|如下)|制定本)实施意见")
_EXPLAINED = re.compile(r"[（(]即[^（）()]{1,60}[）)]")
_AMENDS = re.compile(r"决定(?:对|将)?" + _QUOTED + r"(?:作|做)(?:如下|以下)修改|决定(修改|废止)" + _QUOTED)


def _cn_count(n: int) -> str:
    if n <= 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def issuer_prefix(issuers: list[str]) -> str:
    """How a title names its issuers: one or two by name, more as 'the first 等N部门'."""
    if len(issuers) <= 2:
        return "、".join(issuers)
    return f"{issuers[0]}等{_cn_count(len(issuers))}部门"


def body_title(folded: str, body_start: int, issuers: list[str]) -> tuple[str, Span] | None:
    """(title, the span of the sentence it was read from), or None when the body implies none.
    ``folded`` is the folded text (full-width brackets and punctuation), ``body_start`` where the
    body begins (the search starts a little before it: an addressee and the first sentence are
    sometimes one line)."""
    start = max(0, body_start - 200)
    end = min(len(folded), body_start + _WINDOW)
    found = [m for m in (rx.search(folded, start, end)
                         for rx in (_HANDS_ON, _REQUEST, _AMENDS, _STATES, _NOTIFIES, _IMPLEMENTS)) if m]
    if not found:
        return None
    m = min(found, key=lambda x: x.start())
    who = issuer_prefix(issuers)
    if m.re is _HANDS_ON:
        quoted, verb = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        title = f"{who}{verb}《{quoted}》的通知" if quoted.startswith("关于") else f"{who}关于{verb}《{quoted}》的通知"
    elif m.re is _STATES:
        title = f"{who}关于{_EXPLAINED.sub('', m.group(1))}的{m.group(2)}"
    elif m.re is _IMPLEMENTS:
        title = f"{who}关于{m.group(1)}的实施意见"
    elif m.re is _NOTIFIES:
        title = f"{who}关于{_EXPLAINED.sub('', m.group(1))}的通知"
    elif m.re is _REQUEST:
        subject = _REQUEST_VERB.sub("", m.group(1)) or m.group(1)
        title = f"{who}关于{subject}的批复"
    else:
        quoted = m.group(1) or m.group(3)
        title = f"{who}关于{m.group(2) or '修改'}《{quoted}》的决定"
    return title, Span(m.start(), m.end())
