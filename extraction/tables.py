"""Stage: task-division tables (任务分工表). Rows that name a task and the bodies responsible.

Input: the stored text (tables are lines of tab-separated cells: as written in a .txt, or as
``htmltext`` renders a data table), the provisions already found, the gazetteer and region.
Output: one ``Provision`` of kind ``tablerow`` per row (its span: the row from its 序号 cell; its
label: the 序号, carried down to the rows of a merged 序号 cell), with

* ``title``: the task cell (重点任务 / 工作事项 / 工作任务 …), carried down merged cells;
* assignments: the lead cell's bodies as ``lead``, the 配合/参与 cell's as ``participant``, a
  责任单位 cell's as ``responsible``, a 指导部门 cell's as ``guide`` (source ``table``, each with its offsets);
* ``deadline``: the 完成时限 / 时间进度 cell;
* ``restates``: (kind, ordinal) of the body provision whose title the row's task repeats, if any.

A table counts only when its header row names both a task (or content) column and a
responsible-body column: a scoring table (一级指标 | 二级指标 | 评价标准) or an enrolment table
(省份 | 人数) is not read. Merged cells: a row with fewer cells than the header continues the
group above, its cells aligned to the right (rowspan cells are the leftmost ones); a row of two
cells, a group number and a title (二	构建全链条全过程闭环管理体系), heads the rows below it.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Provision, Span
from .notes import NoteState, parse_note
from .outline import ANNEX, match_marker

KIND = "tablerow"
COLUMNS = {
    "seq": ("序号", "编号"),
    "task": ("重点任务", "工作事项", "工作任务", "主要任务", "任务名称", "任务", "具体任务", "重点工作",
             "工作重点", "改革任务", "重点事项", "事项"),
    "content": ("主要内容", "具体内容", "任务内容", "工作内容", "具体措施", "主要措施", "工作措施", "工作举措",
                "具体举措", "政策措施", "任务措施"),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "主办单位", "牵头"),
    "responsible": ("责任单位", "责任部门", "负责单位", "承办单位", "实施单位", "责任主体"),
    "participants": ("配合单位", "参与单位", "协办单位", "配合部门", "协同单位", "参加单位", "协助单位",
                     "协作单位", "参与部门"),
    "deadline": ("完成时限", "时间进度", "完成时间", "时限要求", "时间安排", "进度安排", "时限", "完成期限",
                 "时间节点"),
}
_LABEL_OF = {label: role for role, labels in COLUMNS.items() for label in labels}
_LABEL_PATTERNS = (      # first match wins: a 牵头 column before a 责任 one (牵头责任部门)
    ("seq", re.compile(r"序号|编号")),
    ("lead", re.compile(r".{0,4}牵头.{0,6}")),
    ("participants", re.compile(r"(?:配合|参与|协办|协同|参加|协助|协作)(?:单位|部门|机构|主体)")),
    ("responsible", re.compile(r"(?:责任|负责|承办|实施|主责|行使|执行|落实)(?:单位|部门|机构|主体)")),
    ("guide", re.compile(r"(?:指导|主管)(?:单位|部门|机构)")),
    ("deadline", re.compile(r".{0,4}(?:时限|时间|期限|进度|节点).{0,4}")),
    ("task", re.compile(r".{0,6}(?:任务|事项|名称)(?:名称|类型|类别)?")),
    ("content", re.compile(r".{0,4}(?:内容|措施|举措)")),
)
_DECORATION = re.compile(r"[\s（(][^）)]*[）)]$|[\s:：*＊]")
_NAME_SPLIT = re.compile(r"[、，,；;\s]+")
_CONNECTOR = re.compile(r"以及|和|及|与")
_EMPTY = {"/", "／", "无", "—", "-", "——", "", "\\"}
_SEQ = re.compile(r"\d{1,3}|[一二三四五六七八九十]{1,3}")
_ROLE_WORDS = re.compile(r"牵头|配合|参与|协助|协同|会同|指导|负责")
_LEAD_FIRST = re.compile(r"第一(?:位|个)[^牵]{0,8}牵头")     # 责任单位（列第一位的为牵头单位）
_SECOND_PLAQUE = re.compile(r"(.{2,30}?)[（(]([^（）()]{2,60})[）)]")
_ETC = re.compile(r"(.{2,30}?)等(.{0,12})")
_LIST_CONTINUES = ("、", "，", ",", "；", ";")
_MAX_GAP = 1          # tab-less lines (a merged heading row) a table may hold between two rows
_MAX_GROUPS = 3       # …or group headings in a row (a group left empty: 四、… 五、… before 21)
_GROUP_MAX = 40
_MIN_TITLE = 4


def _role_of(label: str) -> str | None:
    """A header cell's column role: the listed labels, else their pattern (任务类型, 重点内容,
    牵头责任部门, 协同部门, 完成时间节点 …)."""
    return _LABEL_OF.get(label) or next((role for role, rx in _LABEL_PATTERNS if rx.fullmatch(label)), None)


def header_roles(cells: list[str]) -> dict[str, int] | None:
    """Column index per role, if ``cells`` is the header of a task-division table."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        role = _role_of(_DECORATION.sub("", cell.strip()))
        if role == "task" and "task" in roles and "content" not in roles:
            role = "content"                 # 权力责任名称 … 权力责任事项: the name, then what it covers
        if role == "content" and "content" in roles and "task" not in roles:
            roles["task"] = roles.pop("content")   # 改革举措 … 主要内容: the measure, then what it holds
        if role is not None and role not in roles:
            roles[role] = i
    has_task = "task" in roles or "content" in roles
    has_body = "lead" in roles or "responsible" in roles or "guide" in roles
    return roles if has_task and has_body else None


def _cells(text: str, p: Span) -> list[tuple[str, Span]]:
    out, pos = [], p.start
    for cell in text[p.start:p.end].split("\t"):
        lead = len(cell) - len(cell.lstrip())
        value = cell.strip()
        out.append((value, Span(pos + lead, pos + lead + len(value))))
        pos += len(cell) + 1
    return out


@dataclass
class _Doc:
    text: str
    folded: str
    provisions: list[Provision]
    gazetteer: Gazetteer
    region: str | None


def find_table_rows(text: str, paragraphs: tuple[Span, ...], provisions: list[Provision],
                    gazetteer: Gazetteer, region: str | None) -> list[Provision]:
    doc = _Doc(text, fold(text), provisions, gazetteer, region)
    rows: list[Provision] = []
    k = 0
    while k < len(paragraphs):
        p = paragraphs[k]
        header = [c for c, _ in _cells(text, p)] if "\t" in p.of(text) else []
        roles = header_roles(header) if header else None
        if roles is None:
            k += 1
            continue
        lead_first = "responsible" in roles and bool(_LEAD_FIRST.search(header[roles["responsible"]]))
        header, skip = _two_row_header(text, paragraphs, k, header, roles)
        roles = header_roles(header) or roles
        k = _read_table(doc, paragraphs, k + 1 + skip, len(header), roles, lead_first, rows)
    return rows


def _two_row_header(text: str, paragraphs: tuple[Span, ...], k: int, header: list[str],
                    roles: dict[str, int]) -> tuple[list[str], int]:
    """责任单位 over two sub-columns 牵头单位 | 配合单位 on the next line: the sub-columns replace it."""
    if k + 1 >= len(paragraphs) or "responsible" not in roles:
        return header, 0
    below = [c for c, _ in _cells(text, paragraphs[k + 1])]
    if not below or any(_LABEL_OF.get(_DECORATION.sub("", c)) not in ("lead", "participants", "responsible")
                        for c in below):
        return header, 0
    at = roles["responsible"]
    return header[:at] + below + header[at + 1:], 1


def _read_table(doc: _Doc, paragraphs, k: int, width: int, roles: dict[str, int], lead_first: bool,
                rows: list[Provision]) -> int:
    text = doc.text
    group: dict[str, tuple[str, Span]] = {}
    gap = 0
    while k < len(paragraphs):
        p = paragraphs[k]
        if "\t" not in p.of(text):
            gap += 1
            if not continues(text, paragraphs, k):
                return k
            k += 1
            continue
        gap = 0
        cells = _joined(text, _cells(text, p), width)
        if header_roles([c for c, _ in cells]) == roles:      # the header again (a page break): no row
            k += 1
            continue
        if len(cells) > width:               # cells the header does not name: not this table's row
            if header_roles([c for c, _ in cells]) is not None:
                return k                     # the next table's header
            k += 1
            continue
        if len(cells) == 2 < width and (_SEQ.fullmatch(cells[0][0]) or cells[0][0] in _EMPTY):
            group = {}                       # a group's heading row (二	构建全链条…体系): no row of its own
            k += 1
            continue
        by_col = dict(enumerate(cells)) if len(cells) == width else _align(doc, cells, width, roles)
        row = {role: by_col[col] for role, col in roles.items() if col in by_col}
        if len(cells) < width:               # a merged cell is the one above it: carried down, whichever
            new_task = "seq" in row or "task" in row          # column it stands in — a body cell only
            carried = {r: c for r, c in group.items() if not (new_task and r in _BODIES)}   # within one task
            row = carried | row
        group = dict(row)
        rows.append(_row(doc, p, row, lead_first, len(rows) + 1))
        k += 1
    return k


def _align(doc: _Doc, cells: list[tuple[str, Span]], width: int, roles: dict[str, int]) -> dict[int, tuple[str, Span]]:
    """The columns a row with fewer cells than its header fills (the others are merged with the row
    above): the order-keeping choice whose cells best fit their columns — a 序号 in the 序号 column,
    a list of bodies in a body column, a sentence in the content column, a date in the deadline
    column — and among equals the rightmost (merged 序号 and task cells stand on the left)."""
    role_of = {col: role for role, col in roles.items()}
    kinds = [_cell_kind(doc, value) for value, _ in cells]

    def score(cols: tuple[int, ...]) -> float:
        return sum(_FIT.get((kind, role_of.get(col)), 0) for kind, col in zip(kinds, cols, strict=True)) + \
            0.001 * sum(cols)

    if math.comb(width, len(cells)) > _MAX_PLACEMENTS:      # a table too wide to weigh every placement
        return {width - len(cells) + i: c for i, c in enumerate(cells)}
    best = max(itertools.combinations(range(width), len(cells)), key=score)
    return dict(zip(best, cells, strict=True))


_BODIES = ("lead", "participants", "responsible", "guide")
_MAX_PLACEMENTS = 5000     # C(14, 7) = 3432: wider tables take their cells right-aligned
# how well a cell of a kind fits a column of a role; a body list fits the first body column a
# little better than the 配合 one (a lone body cell beside a merged one is most often the 牵头's)
_FIT = {("seq", "seq"): 3, **{("seq", r): -3 for r in ("task", "content", *_BODIES)},
        **{("bodies", r): 3 for r in _BODIES}, ("bodies", "participants"): 2.5, ("bodies", "seq"): -3,
        ("bodies", "content"): -1, **{(k, r): -3 for k in ("title", "date", "number") for r in _BODIES},
        ("number", "seq"): -1, ("number", "task"): -2, ("number", "content"): -2,
        ("text", "content"): 2, ("text", "task"): 1, **{("text", r): -3 for r in (*_BODIES, "seq", "deadline")},
        ("date", "deadline"): 3, ("date", "seq"): -3,
        ("title", "task"): 2, ("title", "content"): 1, ("title", "seq"): -3,
        # a placeholder (—, 无, /) stands for a cell that is empty, not merged: most often a body's or a date's
        **{("empty", r): 1 for r in (*_BODIES, "deadline")}, **{("empty", r): -1 for r in ("seq", "task", "content")}}
_NUMBER_CELL = re.compile(r"[\d.,，%％/万亿千百余约以上下个户只辆家项所座处条台套人次元吨公里平方米≥≤<>＞＜~～\s-]+")
_DATE_CELL = re.compile(r".{0,12}(?:\d{4}年|年底|年内|月底|季度|长期|持续|常态)")


def _cell_kind(doc: _Doc, value: str) -> str:
    """seq (1, 一, （三）), bodies (every piece a body's name), date (2024年底前, 长期), number (a
    quantity: 26.5万户/733个), text (a sentence), title (a short phrase), empty (a placeholder: —,
    无, /) or none (nothing written)."""
    v = value.strip()
    if not v:
        return "none"
    if v in _EMPTY:
        return "empty"
    if _SEQ.fullmatch(v) or match_marker(fold(v), 0) is not None and len(v) <= 6:
        return "seq"
    pieces = [_body_name(x.strip(), doc.gazetteer) for x in _outside_brackets(v) if x.strip() not in _EMPTY]
    if pieces and all(doc.gazetteer.looks_like_agency(x) or doc.gazetteer.known(x, doc.region) is not None
                      or doc.gazetteer.is_generic(x) for x in pieces):
        return "bodies"
    if len(v) <= 30 and _DATE_CELL.match(v):
        return "date"
    if _NUMBER_CELL.fullmatch(v):
        return "number"                      # 26.5万户/733个, 345个, 90%
    return "text" if len(v) > 15 or any(c in v for c in "。；;，") else "title"


def continues(text: str, paragraphs, k: int) -> bool:
    """Whether the tab-less line ``k`` inside a table is the table's own (a merged heading row:
    四、军民深度融合方面（共6项）) and a row follows: up to ``_MAX_GAP`` such lines, or up to
    ``_MAX_GROUPS`` numbered group headings (short, no sentence) in a row; never an 附件 line."""
    run = []
    for p in paragraphs[k:k + _MAX_GROUPS + 1]:
        if "\t" in p.of(text):
            break
        run.append(p.of(text).strip())
    else:
        return False
    if not run or k + len(run) >= len(paragraphs) or any(ANNEX.match(fold(line)) for line in run):
        return False                     # 附件2: the next document, not this table's heading
    return len(run) <= _MAX_GAP or all(len(line) <= _GROUP_MAX and not any(c in line for c in "。；;")
                                       and match_marker(fold(line), 0) is not None for line in run)


def _joined(text: str, cells: list[tuple[str, Span]], width: int) -> list[tuple[str, Span]]:
    """A row wider than its header because a cell's list went on in the next cell (区绿化市容局、 |
    区农业农村委: a cell of two paragraphs) has those cells joined back (the tab between them
    kept in the value, so that offsets into it stay the text's)."""
    cells = list(cells)
    i = 0
    while len(cells) > width and i < len(cells) - 1:
        if cells[i][0].endswith(_LIST_CONTINUES):
            span = Span(cells[i][1].start, cells[i + 1][1].end)
            cells[i:i + 2] = [(span.of(text), span)]
        else:
            i += 1
    return cells


def _row(doc: _Doc, p: Span, row: dict[str, tuple[str, Span]], lead_first: bool, ordinal: int) -> Provision:
    title, title_span = row.get("task") or row.get("content") or (None, None)
    # the row's text is the whole row from its 序号 (not a 类别 cell before it): its cells of text,
    # its indicators and dates, and its bodies, which are its assignments as a note is a task's
    seq = row.get("seq")
    start = seq[1].start if seq is not None and seq[0] and p.contains(seq[1]) else p.start
    span = Span(start, p.end)
    prov = Provision(kind=KIND, ordinal=ordinal, section_id="table", title=title or None,
                     title_span=title_span if title else None, span=span,
                     label=seq[0] if seq is not None and seq[0] not in _EMPTY else None)   # its 序号, carried down
    for role, kind in (("lead", "lead"), ("responsible", "responsible"), ("participants", "participant"), ("guide", "guide")):
        if role in row:
            prov.assignments.extend(_cell_assignments(doc, row[role], kind, lead_first))
    if "deadline" in row and row["deadline"][0] not in _EMPTY:
        prov.deadline, prov.deadline_span = row["deadline"]
    prov.restates = _restated(title, doc.provisions)
    return prov


def _cell_assignments(doc: _Doc, cell: tuple[str, Span], role: str, lead_first: bool) -> list[Assignment]:
    """A cell that words roles itself (A牵头，B、C配合) is read as a note; else its names take the
    column's role (a 责任单位 column declared lead-first: the first is lead, the others participants)."""
    value, span = cell
    if _ROLE_WORDS.search(value):
        note = parse_note(doc.text, doc.folded, span, NoteState(), doc.gazetteer, doc.region, bracketed=False)
        if note is not None:
            return [dataclasses.replace(a, source="table") for a in note.assignments]
    found = _names(cell, role, doc.gazetteer, doc.region)
    if role == "responsible" and lead_first and found:
        found = [dataclasses.replace(a, role="lead" if i == 0 else "participant") for i, a in enumerate(found)]
    return found


def _names(cell: tuple[str, Span], role: str, gazetteer: Gazetteer, region: str | None) -> list[Assignment]:
    value, span = cell
    out: list[Assignment] = []
    pos = 0
    for piece in _joined_names(_outside_brackets(value), gazetteer, region):
        at = value.find(piece, pos)
        pos = at + len(piece)
        name = piece.strip()
        if name in _EMPTY:
            continue
        name = _body_name(name, gazetteer)
        agency = gazetteer.resolve(name, region)
        if agency is not None:
            out.append(Assignment(agency, role, name, Span(span.start + at, span.start + at + len(name)),
                                  source="table"))
    return out


def _body_name(name: str, gazetteer: Gazetteer) -> str:
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
        out.append(piece)
    return out


def _outside_brackets(value: str) -> list[str]:
    """``value`` cut at the separators of ``_NAME_SPLIT`` that stand outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += (ch in "（(") - (ch in "）)")
        if depth <= 0 and _NAME_SPLIT.fullmatch(ch):
            out.append(value[start:i])
            start, depth = i + 1, 0
    return [*out, value[start:]]


def _key(title: str | None) -> str:
    return re.sub(r"[。．.;；，,\s]+$", "", title or "")


def _restated(title: str | None, provisions: list[Provision]) -> tuple[str, int] | None:
    """The body task whose title the row repeats (有序扩大家庭医生来源。 = 1.有序扩大家庭医生来源。)."""
    key = _key(title)
    if len(key) < _MIN_TITLE:
        return None
    for p in provisions:
        other = _key(p.title)
        if p.kind != KIND and len(other) >= _MIN_TITLE and (other == key or other in key or key in other):
            return p.kind, p.ordinal
    return None
