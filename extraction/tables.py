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
(省份 | 人数) is not read. A table printed without a header row is read when its cells say what
its columns are: one of lists of bodies, one of tasks left of it, perhaps one of dates (at least
three rows agreeing). Merged cells: a cell a row leaves out (a rowspan) or leaves blank is the
cell above it (``table_cells.align`` places a short row's cells by what they hold); a new task's
row that names no body of its own takes the bodies above it (unit cells merged over several
tasks). A row of two cells, a group number and a title (二	构建全链条全过程闭环管理体系), heads the
rows below it. Without a 序号 column, a row is labelled by the number its task cell opens with
(（3）推进…) and starts at its own task cell (not the 任务分类 / 主要方向 cells before it).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from .fold import fold
from .gazetteer import Gazetteer
from .model import Assignment, Provision, Span
from .notes import NoteState, parse_note, standalone_lead_first
from .outline import ANNEX, match_marker
from .table_cells import BODIES, EMPTY, SEQ, TableDoc, align, cell_kind, cell_names
from .table_header import header_roles, listed_role, row_cells

KIND = "tablerow"
_ROLE_WORDS = re.compile(r"牵头|配合|参与|协助|协同|会同|指导|负责")
_LEAD_FIRST = re.compile(r"第一(?:位|个)[^牵]{0,8}牵头")     # 责任单位（列第一位的为牵头单位）
_LIST_CONTINUES = ("、", "，", ",", "；", ";")
_MAX_GAP = 1          # tab-less lines (a merged heading row) a table may hold between two rows
_MAX_GROUPS = 3       # …or group headings in a row (a group left empty: 四、… 五、… before 21)
_GROUP_MAX = 40
_MIN_TITLE = 4


def find_table_rows(text: str, paragraphs: tuple[Span, ...], provisions: list[Provision],
                    gazetteer: Gazetteer, region: str | None) -> list[Provision]:
    doc = TableDoc(text, fold(text), provisions, gazetteer, region)
    # a rule the document states once (注：责任单位中排在第一位的为牵头单位): its tables' 责任单位 columns too
    said_once = standalone_lead_first(doc.folded, 0, len(text), [n for p in provisions for n in p.notes])
    rows: list[Provision] = []
    k = 0
    while k < len(paragraphs):
        p = paragraphs[k]
        header = [c for c, _ in row_cells(text, p)] if "\t" in p.of(text) else []
        roles = header_roles(header) if header else None
        first_row = roles is None and header and not (k and "\t" in paragraphs[k - 1].of(text))
        if first_row and (width_roles := _headless(doc, paragraphs, k)) is not None:   # no header row
            width, found = width_roles
            k = _read_table(doc, paragraphs, k, width, found, said_once and "lead" not in found, rows)
            continue
        if roles is None:
            k += 1
            continue
        lead_first = "responsible" in roles and (bool(_LEAD_FIRST.search(header[roles["responsible"]]))
                                                 or (said_once and "lead" not in roles))
        header, skip = _two_row_header(text, paragraphs, k, header, roles)
        roles = header_roles(header) or roles
        k = _read_table(doc, paragraphs, k + 1 + skip, len(header), roles, lead_first, rows)
    return rows


_HEADLESS_MIN_ROWS = 3      # rows of a table without a header row before its columns are guessed
_HEADLESS_SHARE = 0.6       # share of a column's cells of one kind that gives the column that role


def _headless(doc: TableDoc, paragraphs: tuple[Span, ...], k: int) -> tuple[int, dict[str, int]] | None:
    """(width, roles) of a task table whose header row is missing (lost in the scrape, or never
    written: 附件3 实施步骤要求 — task | bodies | deadline), guessed from what its rows' cells hold:
    a column of lists of bodies, a column of tasks to its left (sentences or phrases), a column of
    dates if there is one. None unless at least ``_HEADLESS_MIN_ROWS`` rows of the commonest width
    agree."""
    text = doc.text
    lines: list[list[str]] = []
    j = k
    while j < len(paragraphs) and ("\t" in paragraphs[j].of(text) or continues(text, paragraphs, j)):
        if "\t" in paragraphs[j].of(text):
            lines.append([c for c, _ in row_cells(text, paragraphs[j])])
        j += 1
    widths = Counter(len(cells) for cells in lines)
    if not widths:
        return None
    width, n = widths.most_common(1)[0]
    if n < _HEADLESS_MIN_ROWS or width < 2:
        return None
    full = [cells for cells in lines if len(cells) == width]
    kinds = [[cell_kind(doc, cells[c]) for cells in full] for c in range(width)]

    def column(*wanted: str, skip: tuple[int, ...] = ()) -> int | None:
        return next((c for c in range(width) if c not in skip and
                     sum(kind in wanted for kind in kinds[c]) >= _HEADLESS_SHARE * len(full)), None)

    bodies = column("bodies")
    task = column("text", "title", skip=(bodies,)) if bodies is not None else None
    first = lines[0]
    if task is None or task > bodies or len(first) != width or cell_kind(doc, first[bodies]) != "bodies":
        return None                          # its first line is a row, not a header of other columns
    roles = {"task": task, "responsible": bodies}
    if (deadline := column("date", skip=(task, bodies))) is not None:
        roles["deadline"] = deadline
    return width, roles


def _two_row_header(text: str, paragraphs: tuple[Span, ...], k: int, header: list[str],
                    roles: dict[str, int]) -> tuple[list[str], int]:
    """责任单位 over two sub-columns 牵头单位 | 配合单位 on the next line: the sub-columns replace it."""
    if k + 1 >= len(paragraphs) or "responsible" not in roles:
        return header, 0
    below = [c for c, _ in row_cells(text, paragraphs[k + 1])]
    if not below or any(listed_role(c) not in ("lead", "participants", "responsible")
                        for c in below):
        return header, 0
    at = roles["responsible"]
    return header[:at] + below + header[at + 1:], 1


def _read_table(doc: TableDoc, paragraphs, k: int, width: int, roles: dict[str, int], lead_first: bool,
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
        cells = _joined(text, row_cells(text, p), width)
        if header_roles([c for c, _ in cells]) == roles:      # the header again (a page break): no row
            k += 1
            continue
        if len(cells) > width:               # cells the header does not name: not this table's row
            if header_roles([c for c, _ in cells]) is not None:
                return k                     # the next table's header
            k += 1
            continue
        if len(cells) == 2 < width and (SEQ.fullmatch(cells[0][0]) or cells[0][0] in EMPTY):
            group = {}                       # a group's heading row (二	构建全链条…体系): no row of its own
            k += 1
            continue
        by_col = dict(enumerate(cells)) if len(cells) == width else align(doc, cells, width, roles)
        row = {role: by_col[col] for role, col in roles.items() if col in by_col and by_col[col][0]}
        if "seq" not in roles and (number := _numbered(doc, row)) is not None:
            row["seq"] = number              # no 序号 column: the number its task cell opens with
        if any(role not in row for role in roles):
            row = _carried(group, row, derived="seq" not in roles) | row
        group = dict(row)
        rows.append(_row(doc, p, row, lead_first, len(rows) + 1, "seq" in roles))
        k += 1
    return k


def _carried(above: dict[str, tuple[str, Span]], row: dict[str, tuple[str, Span]],
             derived: bool) -> dict[str, tuple[str, Span]]:
    """The cells of the row above that a row takes for the cells it lacks: a cell left out (an HTML
    rowspan) or left blank is the merged cell above it, whichever column it stands in — but a new
    task's row (its own 序号 or task) that names bodies of its own has its other body cells empty,
    not merged; one that names none has its units' cells merged over several tasks. A number read
    from a task cell (``derived``) is that task's: a row with a task cell of its own does not take it."""
    new_task = "seq" in row or "task" in row
    own_bodies = any(r in row for r in BODIES)
    return {r: c for r, c in above.items() if not (new_task and own_bodies and r in BODIES)
            and not (derived and r == "seq" and "task" in row)}


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
    kept in the value, so that offsets into it stay the text's); one whose merged cell a copy wrote
    twice side by side has it once."""
    cells = list(cells)
    i = 0
    while len(cells) > width and i < len(cells) - 1:
        if cells[i][0] and cells[i][0] == cells[i + 1][0]:   # a merged cell written twice (3.分类实效… | 3.分类实效…)
            del cells[i + 1]
        elif cells[i][0].endswith(_LIST_CONTINUES):
            span = Span(cells[i][1].start, cells[i + 1][1].end)
            cells[i:i + 2] = [(span.of(text), span)]
        else:
            i += 1
    return cells


def _row(doc: TableDoc, p: Span, row: dict[str, tuple[str, Span]], lead_first: bool, ordinal: int,
         seq_column: bool) -> Provision:
    title, title_span = row.get("task") or row.get("content") or (None, None)
    # the row's text is the whole row from its 序号 (not a 类别 cell before it): its cells of text,
    # its indicators and dates, and its bodies, which are its assignments as a note is a task's;
    # without a 序号 column, from its own task cell (not the 任务分类 / 主要方向 cells before it)
    seq = row.get("seq")
    firsts = (seq,) if seq_column else (seq, row.get("task"), row.get("content"))
    own = [c[1] for c in firsts if c is not None and c[0] and p.contains(c[1])]
    span = Span(min(c.start for c in own) if own else p.start, p.end)
    if seq is not None and title and seq[1].start == title_span.start:     # （3）推进…: its number is no title
        rest = doc.text[seq[1].end:title_span.end]
        title_span = Span(title_span.end - len(rest.lstrip()), title_span.end)
        title = title_span.of(doc.text)
    prov = Provision(kind=KIND, ordinal=ordinal, section_id="table", title=title or None,
                     title_span=title_span if title else None, span=span,
                     label=seq[0] if seq is not None and seq[0] not in EMPTY else None)   # its 序号, carried down
    for role, kind in (("lead", "lead"), ("responsible", "responsible"), ("participants", "participant"), ("guide", "guide")):
        if role in row:
            prov.assignments.extend(_cell_assignments(doc, row[role], kind, lead_first))
    if "deadline" in row and row["deadline"][0] not in EMPTY:
        prov.deadline, prov.deadline_span = row["deadline"]
    prov.restates = _restated(title, doc.provisions)
    return prov


def _numbered(doc: TableDoc, row: dict[str, tuple[str, Span]]) -> tuple[str, Span] | None:
    """The number the row's own task or content cell opens with: （3）推进… -> （3）."""
    for cell in (row.get("task"), row.get("content")):
        hit = match_marker(doc.folded, cell[1].start) if cell is not None else None
        if hit is not None and hit[1].end() < cell[1].end:
            number = doc.text[cell[1].start:hit[1].end()].rstrip()
            return number, Span(cell[1].start, cell[1].start + len(number))
    return None


def _cell_assignments(doc: TableDoc, cell: tuple[str, Span], role: str, lead_first: bool) -> list[Assignment]:
    """A cell that words roles itself (A牵头，B、C配合) is read as a note; else its names take the
    column's role (a 责任单位 column declared lead-first: the first is lead, the others participants)."""
    value, span = cell
    if _ROLE_WORDS.search(value):
        note = parse_note(doc.text, doc.folded, span, NoteState(), doc.gazetteer, doc.region, bracketed=False)
        if note is not None:
            return [dataclasses.replace(a, source="table") for a in note.assignments]
    found = cell_names(cell, role, doc.gazetteer, doc.region)
    if role == "responsible" and lead_first and found:
        found = [dataclasses.replace(a, role="lead" if i == 0 else "participant") for i, a in enumerate(found)]
    return found


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
