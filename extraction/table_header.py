"""The header row of a task-division table: which column holds what; a row's cells.

Used by ``tables`` (reading the rows), ``outline`` (a table's rows are no headings) and ``spaced``
(finding tables whose cells are set apart by spaces). Column labels are listed (重点任务, 牵头单位,
完成时限 …) and, beyond the list, read by pattern (任务类型, 牵头责任部门, 协同部门, 完成时间节点 …).
"""

from __future__ import annotations

import re

from .model import Span

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


def listed_role(cell: str) -> str | None:
    """The role of a header cell written as one of the listed labels (牵头单位, 配合单位 …), else None."""
    return _LABEL_OF.get(_DECORATION.sub("", cell))


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


def row_cells(text: str, p: Span) -> list[tuple[str, Span]]:
    """The cells of the tab-separated row ``p``: each value, trimmed, with its span in ``text``."""
    out, pos = [], p.start
    for cell in text[p.start:p.end].split("\t"):
        lead = len(cell) - len(cell.lstrip())
        value = cell.strip()
        out.append((value, Span(pos + lead, pos + lead + len(value))))
        pos += len(cell) + 1
    return out
