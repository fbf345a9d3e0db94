"""Genre (文种) of a document, from its title: 意见, 实施意见, 通知, 办法, 条例, 批复 …

Input: the title (``Metadata.title``) and, when there is none, the body's own words.
Output: ``Genre`` — the genre word, the genre of the document a 印发/转发 notice carries, and
the span the genre was read from. The list of genre words is data (``data/genres.txt``).

* The genre is the longest listed word the title ends with (…实施意见 -> 实施意见); a title
  that ends otherwise (…办法（试行）, …（2022-2025年）) takes the last listed word in it.
* A notice that issues or forwards another document (关于印发《X》的通知, 转发X的通知) is a
  通知; the genre of X is recorded as ``attached``.
* An order (…人民政府令, 国务院令) is read as what it enacts: the genre of the 《X》 it publishes
  (办法, 条例 …), or 决定 when it amends one (决定对《X》作如下修改).
* With no title, the body names its own genre: 制定本办法, 现提出以下实施意见, 本条例自…施行;
  a body that says 现印发给你们 is a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .model import Span


@dataclass(frozen=True)
class Genre:
    genre: str | None
    attached: str | None = None      # genre of the document a 印发/转发 notice carries
    span: Span | None = None         # where it was read: the title, or the body's words


@cache
def genre_words() -> tuple[str, ...]:
    """The listed genre words, longest first."""
    lines = resources.files("extraction.data").joinpath("genres.txt").read_text(encoding="utf-8").splitlines()
    words = {w.strip() for w in lines if w.strip() and not w.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


_TRAILER = re.compile(r"[（(][^（）()]{0,20}[）)]\s*$")        # （试行）, （2022-2025年）
_CARRIES = re.compile(r"(?:印发|转发|颁发|发布)(.+?)的通知")
_NOTICE_BODY = re.compile(r"(?:现|特)?(?:印发|转发)给你们|现予(?:印发|转发)|重新发布|通知如下")
_AMENDS = re.compile(r"决定(?:对|将)?《[^《》]+》(?:作如下修改|予以废止|作出修改)|关于修改《[^《》]+》的决定")
_PUBLISHES = re.compile(r"《([^《》]+)》[^《》。]{0,40}(?:现予公布|现予印发|予以公布)|现(?:予)?公布(?:修订后的)?《([^《》]+)》")


def genre_of(title: str) -> str | None:
    """The genre word of a title: the longest listed word it ends with, else the last in it."""
    s = re.sub(r"\s+", "", title)
    while (m := _TRAILER.search(s)) and m.start() > 0:
        s = s[:m.start()]
    for word in genre_words():
        if s.endswith(word):
            return word
    best: tuple[int, int, str] | None = None
    for word in genre_words():
        at = s.rfind(word)
        if at >= 0 and word not in ("函", "令"):        # single characters inside a title are words, not genres
            key = (at + len(word), len(word), word)
            best = max(best, key) if best else key
    return best[2] if best else None


def _attached(title: str) -> str | None:
    m = _CARRIES.search(re.sub(r"\s+", "", title))
    return genre_of(m.group(1).strip("《》“”")) if m else None


@cache
def _self_naming() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in genre_words() if len(w) > 1)
    return re.compile(rf"(?:本|(?:提出|制定)(?:以下|如下)?)({words})")


def _self_named(text: str, start: int, end: int) -> Genre | None:
    """The genre the body names itself by (本办法, 提出如下实施意见), the first such place; a body
    that hands a document on (《X》…现印发给你们) is a notice carrying X."""
    notice = _NOTICE_BODY.search(text, start, end)
    m = _self_naming().search(text, start, end)
    if notice and (m is None or notice.start() < m.start()):
        hands_on = "给你们" in notice.group(0)
        carried = re.findall(r"《([^《》]+)》", text[start:notice.start()]) if hands_on else []
        return Genre("通知", genre_of(carried[-1]) if carried else None, Span(notice.start(), notice.end()))
    return Genre(m.group(1), None, Span(m.start(1), m.end(1))) if m else None


def find_genre(title: str | None, title_span: Span | None, text: str, body_start: int) -> Genre:
    """The document's genre from its title, or from the body's own words when there is no title."""
    if title:
        head = min(body_start, title_span.end) if title_span else body_start   # 决定对《X》…： may be taken for an addressee line
        genre = genre_of(title)
        attached = _attached(title) if genre == "通知" else None
        if genre in ("令", "通知") and attached is None:     # an order publishes 《X》 in its first lines
            m = _PUBLISHES.search(text, head, min(len(text), head + 300))
            attached = genre_of(m.group(1) or m.group(2)) if m else None
        if genre == "令":          # an order is read as what it enacts: 办法 X, or a 决定 amending one
            amends = _AMENDS.search(text, head, min(len(text), head + 300))
            genre, attached = ("决定" if amends else attached or genre), None
        if genre:
            return Genre(genre, attached, title_span)
    return _self_named(text, body_start, min(len(text), body_start + 2000)) or Genre(None)
