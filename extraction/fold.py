"""Punctuation folding that keeps offsets.

Scraped pages write ``(一)``, ``(责任单位:…)`` and ``,`` where the original has full-width
forms. Stages match on ``fold(text)``: the same length as ``text``, every character mapped
one to one, so an offset found in the folded text is an offset into the stored text.
The stored text itself is never rewritten.
"""

from __future__ import annotations

# ASCII / variant form -> the full-width form used in official documents. One char -> one char.
_PAIRS = {
    "(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！",
    "[": "〔", "]": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕",
    "\u3000": " ", "\u00a0": " ", "\t": " ",
    "．": ".", "﹒": ".",
    "﹙": "（", "﹚": "）", "﹐": "，", "﹔": "；", "﹕": "：",
    "「": "“", "」": "”", '"': "“",
    "–": "—", "－": "—",
}
# full-width digits and letters -> ASCII
_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_PAIRS.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_PAIRS.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})

TABLE = str.maketrans(_PAIRS)


_LAST: tuple[str, str] = ("", "")     # the last long text folded, and its fold
_LONG = 1000


def fold(text: str) -> str:
    """Return ``text`` with punctuation variants unified; ``len(fold(t)) == len(t)``.

    The stages of one extraction each fold the document's text: the fold of the last long
    text is kept and handed back when the same text (the same object) is folded again."""
    global _LAST
    if len(text) < _LONG:
        return text.translate(TABLE)
    last = _LAST
    if last[0] is text:
        return last[1]
    folded = text.translate(TABLE)
    _LAST = (text, folded)
    return folded
