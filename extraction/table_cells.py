"""What a task table's cells hold, for ``extraction.tables``: the kind of a cell (a 序号, a list of
bodies, a date, a quantity, a sentence, a phrase, a placeholder), the columns a short row's cells
fill (the others merged with the row above), and the bodies a cell names (each with its offsets).

No stage of its own: ``tables`` reads the rows, this module reads their cells.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from .agency_names import is_collective, organ_suffix
from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Provision, Span
from .note_grammar import join_items
from .outline import match_marker

_NAME_SPLIT = re.compile(r"[、，,；;\s]+")
_CONNECTOR = re.compile(r"以及|和|及|与")
EMPTY = {"/", "／", "无", "—", "-", "——", "", "\\"}
SEQ = re.compile(r"\d{1,3}|[一二三四五六七八九十]{1,3}")
_SECOND_PLAQUE = re.compile(r"(.{2,30}?)[（(]([^（）()]{2,60})[）)]")
_ETC = re.compile(r"(.{2,30}?)等(.{0,12})")
_MIN_NAME = 3                      # characters of the shortest name a glued cell is cut into
_NAME_STARTS = ("市", "区", "县", "省", "州", "各")


@dataclass
class TableDoc:
    """The document a table stands in: its text (and folded), provisions, gazetteer and region."""

    text: str
    folded: str
    provisions: list[Provision]
    gazetteer: Gazetteer
    region: str | None


def align(doc: TableDoc, cells: list[tuple[str, Span]], width: int, roles: dict[str, int]) -> dict[int, tuple[str, Span]]:
    """The columns a row with fewer cells than its header fills (the others are merged with the row
    above): the order-keeping choice whose cells best fit their columns — a 序号 in the 序号 column,
    a list of bodies in a body column, a sentence in the content column, a date in the deadline
    column — and among equals the rightmost (merged 序号 and task cells stand on the left)."""
    role_of = {col: role for role, col in roles.items()}
    kinds = [cell_kind(doc, value) for value, _ in cells]

    def score(cols: tuple[int, ...]) -> float:
        return sum(_FIT.get((kind, role_of.get(col)), 0) for kind, col in zip(kinds, cols, strict=True)) + \
            0.001 * sum(cols)

    if math.comb(width, len(cells)) > _MAX_PLACEMENTS:      # a table too wide to weigh every placement
        return {width - len(cells) + i: c for i, c in enumerate(cells)}
    best = max(itertools.combinations(range(width), len(cells)), key=score)
    return dict(zip(best, cells, strict=True))


BODIES = ("lead", "participants", "responsible", "guide")
_MAX_PLACEMENTS = 5000     # C(14, 7) = 3432: wider tables take their cells right-aligned
# how well a cell of a kind fits a column of a role; a body list fits the first body column a
# little better than the 配合 one (a lone body cell beside a merged one is most often the 牵头's)
_FIT = {("seq", "seq"): 3, **{("seq", r): -3 for r in ("task", "content", *BODIES)},
        **{("bodies", r): 3 for r in BODIES}, ("bodies", "participants"): 2.5, ("bodies", "seq"): -3,
        ("bodies", "content"): -1, **{(k, r): -3 for k in ("title", "date", "number") for r in BODIES},
        ("number", "seq"): -1, ("number", "task"): -2, ("number", "content"): -2,
        ("text", "content"): 2, ("text", "task"): 1, **{("text", r): -3 for r in (*BODIES, "seq", "deadline")},
        ("date", "deadline"): 3, ("date", "seq"): -3,
        ("title", "task"): 2, ("title", "content"): 1, ("title", "seq"): -3,
        # a placeholder (—, 无, /) stands for a cell that is empty, not merged: most often a body's or a date's
        **{("empty", r): 1 for r in (*BODIES, "deadline")}, **{("empty", r): -1 for r in ("seq", "task", "content")}}
_NUMBER_CELL = re.compile(r"[\d.,，%％/万亿千百余约以上下个户只辆家项所座处条台套人次元吨公里平方米≥≤<>＞＜~～\s-]+")
_DATE_CELL = re.compile(r".{0,12}(?:\d{4}年|年底|年内|月底|季度|长期|持续|常态|\d{1,2}月(?:\d{1,2}日?)?(?:前|底|起))")


def cell_kind(doc: TableDoc, value: str) -> str:
    """seq (1, 一, （三）), bodies (every piece a body's name), date (2024年底前, 长期), number (a
    quantity: 26.5万户/733个), text (a sentence), title (a short phrase), empty (a placeholder: —,
    无, /) or none (nothing written)."""
    v = value.strip()
    if not v:
        return "none"
    if v in EMPTY:
        return "empty"
    if SEQ.fullmatch(v) or match_marker(fold(v), 0) is not None and len(v) <= 6:
        return "seq"
    pieces = [body_name(x.strip(), doc.gazetteer) for x in outside_brackets(v) if x.strip() not in EMPTY]
    if pieces and all(doc.gazetteer.looks_like_agency(x) or doc.gazetteer.known(x, doc.region) is not None
                      or doc.gazetteer.is_generic(x) for x in pieces):
        return "bodies"
    if len(v) <= 30 and _DATE_CELL.match(v):
        return "date"
    if _NUMBER_CELL.fullmatch(v):
        return "number"                      # 26.5万户/733个, 345个, 90%
    return "text" if len(v) > 15 or any(c in v for c in "。；;，") else "title"


def cell_names(cell: tuple[str, Span], role: str, gazetteer: Gazetteer, region: str | None) -> list[Assignment]:
    value, span = cell
    out: list[Assignment] = []
    pos = 0
    for piece in _joined_names(_items(value, gazetteer, region), gazetteer, region):
        at = value.find(piece, pos)
        pos = at + len(piece)
        name = piece.strip()
        if name in EMPTY:
            continue
        name = body_name(name, gazetteer)
        agency = gazetteer.resolve(name, region)
        if agency is not None:
            out.append(Assignment(agency, role, name, Span(span.start + at, span.start + at + len(name)),
                                  source="table"))
    return out


def _items(value: str, gazetteer: Gazetteer, region: str | None) -> list[str]:
    """A cell's list items (cut at the separators outside brackets), joined where they are one name
    (``note_grammar.join_items``: 人力资源 社会保障局; 欧阳、曲阳、凉城、广中街道), as in notes."""
    def is_name(x: str) -> bool:
        known = gazetteer.resolve(x.strip(), region)
        return (known is not None and known.recognised) or gazetteer.looks_like_agency(x.strip()) \
            or gazetteer.is_generic(x)

    spans, pos = [], 0
    for piece in outside_brackets(value):
        at = value.find(piece, pos)
        pos = at + len(piece)
        if piece:
            spans.append((at, pos))
    return [value[s:e] for s, e in join_items(spans, value, is_name)]


def body_name(name: str, gazetteer: Gazetteer) -> str:
    """A cell's piece as the body it names: 区绿化市容局等相关部门 -> 区绿化市容局 (not the generic after
    等); 区委组织部（区公务员局）, 区委宣传部（区文明办、区政府新闻办） -> the first name (one body under
    its other names, 合署办公)."""
    if (etc := _ETC.fullmatch(name)) and (not etc.group(2) or gazetteer.is_generic(etc.group(2))):
        name = etc.group(1)
    if (plaque := _SECOND_PLAQUE.fullmatch(name)) and \
            gazetteer.looks_like_agency(_NAME_SPLIT.split(plaque.group(2))[0]):
        name = plaque.group(1)
    return name


def _joined_names(pieces: list[str], gazetteer: Gazetteer, region: str | None) -> list[str]:
    """A piece that joins bodies with a connector (区城管执法局和属地街镇) cut into them, when the
    whole is no body the gazetteer reads and every part has a body's form."""
    out: list[str] = []
    for piece in pieces:
        whole = gazetteer.resolve(piece.strip(), region)
        if whole is None or not whole.recognised:
            parts = _CONNECTOR.split(piece)
            if len(parts) > 1 and all(gazetteer.looks_like_agency(x.strip()) for x in parts):
                out.extend(parts)
                continue
        out.extend(_unglued(piece, gazetteer))
    return out


def _unglued(piece: str, gazetteer: Gazetteer) -> list[str]:
    """A cell's names run together when its lines were joined with nothing between them (a scraped
    ``<p>设施运行处</p><p>设施养护处</p>``): cut after an organ word where the next name begins —
    with a level prefix or 各 (区委宣传部|区文明办, 区政府办公室|各联席会议成员单位), or ending in the
    same organ word (设施运行处|设施养护处) — when both sides have a body's form and a stem of their
    own (not 市交通委|员会办公室, 市交通委员会|办公室)."""
    for i in range(_MIN_NAME, len(piece) - _MIN_NAME + 1):
        left, right = piece[:i], piece[i:]
        word = organ_suffix(left)
        if word is None or len(left) - len(word) < 2 or not gazetteer.looks_like_agency(left):
            continue
        right_word = organ_suffix(right)
        starts = right.startswith(_NAME_STARTS) or right_word == word
        named = right_word is not None and len(right) - len(right_word) >= 2 or is_collective(right)
        if starts and named and (gazetteer.looks_like_agency(right) or _unglued(right, gazetteer) != [right]):
            return [left, *_unglued(right, gazetteer)]
    return [piece]


def outside_brackets(value: str) -> list[str]:
    """``value`` cut at the separators of ``_NAME_SPLIT`` that stand outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += (ch in "（(") - (ch in "）)")
        if depth <= 0 and _NAME_SPLIT.fullmatch(ch):
            out.append(value[start:i])
            start, depth = i + 1, 0
    return [*out, value[start:]]
