"""Plain data passed between extraction stages.

Every extracted fact carries a ``Span``: character offsets into the stored document
text (``CleanText.text``), end exclusive, so ``text[span.start:span.end]`` is the evidence.
No stage mutates another stage's output.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .records import Record

ROLES = ("lead", "participant", "responsible", "guide", "implementer", "actor")
"""Responsibility roles, strongest claim first.

lead        the document makes the body lead (牵头, 会同, 列第一位者为牵头单位)
participant named beside a lead (参与, 配合, the others in a lead-first list)
responsible named as responsible with no lead distinction (负责, 责任单位, 按职责分工负责)
guide       指导
implementer 负责落实 / 落实
actor       named as the subject of an action in the text (各市政府要…)
"""

AGENCY_KINDS = (
    "national", "provincial", "municipal", "county", "branch",
    "collective", "party", "association", "unknown",
)


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start:self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def shift(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta)


@dataclass(frozen=True)
class Agency:
    """One real body (or a collective such as 各市人民政府), from the gazetteer or flagged unknown."""

    key: str                          # stable ASCII id used in IRIs: "cn/ndrc", "ln/dost", "unknown/ln/3f2a…"
    pref_label: str                   # full official name: 国家发展和改革委员会, 辽宁省科学技术厅
    kind: str                         # one of AGENCY_KINDS
    alt_labels: tuple[str, ...] = ()  # known short and variant forms
    region: str | None = None         # 辽宁省 for provincial bodies and branches; None for national
    counterpart: str | None = None    # key of the national counterpart (省科技厅 -> 科技部)
    recognised: bool = True           # False: not in the gazetteer, kept and flagged


@dataclass(frozen=True)
class Decoded:
    """Output of the reading stage: text as decoded, before any cleaning."""

    text: str
    encoding: str        # codec actually used: utf-8, utf-8-sig, gb18030, big5, utf-16 …
    media_type: str      # "text/plain" or "text/html"
    path: str | None = None
    record: Record | None = None     # what the crawl recorded of the page (extraction/records.py)


@dataclass(frozen=True)
class CleanText:
    """Output of the cleaning stage. ``text`` is what the store keeps as pol:fullText."""

    text: str
    paragraphs: tuple[Span, ...]       # one per non-empty line of ``text``
    removed: tuple[str, ...] = ()      # debris lines that were dropped, for the report


@dataclass(frozen=True)
class Mention:
    surface: str
    span: Span


@dataclass(frozen=True)
class Citation:
    span: Span
    title: str | None            # inside 《》, if any
    identifier: str | None       # 文号, if any
    implements: bool = False     # cited as the document this one implements (为贯彻落实《…》)


@dataclass
class Metadata:
    title: str | None = None
    title_span: Span | None = None
    identifier: str | None = None          # 文号 such as 国发〔2019〕3号
    identifier_span: Span | None = None
    issuer: str | None = None              # the first of ``issuers`` (kept for callers that want one)
    issuer_span: Span | None = None
    issuers: list[str] = field(default_factory=list)        # every signing body of a joint document
    issuer_spans: list[Span | None] = field(default_factory=list)
    date: _dt.date | None = None           # signature date
    date_span: Span | None = None
    addressees: list[Mention] = field(default_factory=list)
    addressee_span: Span | None = None
    level: str | None = None               # national | provincial | municipal | county
    region: str | None = None              # most specific jurisdiction: 辽宁省, 广州市, 广州市天河区; None if national
    province: str | None = None            # its province-level unit: 广东省 for 广州市
    implements: Citation | None = None
    issued_titles: list[str] = field(default_factory=list)   # 关于印发《X》的通知 -> X (from the title)
    origins: dict[str, str] = field(default_factory=dict)    # field -> where it was read when not the
    #   text itself: page-title | page-table | filename | identifier (文号 prefix) | order (X令第N号)
    #   | body (inferred from the text: a title from the first sentence, body_title.py; region and
    #   issuer from the addressees and the places named, body_jurisdiction.py). Fields: title,
    #   identifier, issuer, date, region (which also covers the level)
    genre: str | None = None               # 文种 from the title: 意见, 实施意见, 通知, 办法, 条例 … (genre.py)
    attached_genre: str | None = None      # for a 印发/转发 notice: the genre of the document it carries
    genre_span: Span | None = None         # the title, or the body's words the genre was read from


@dataclass(frozen=True)
class Heading:
    marker: str              # as written: "一、", "(一)", "（一）", "1.", "（1）"
    marker_kind: str         # "cn" | "paren-cn" | "arabic" | "paren-arabic"
    number: int
    level: int               # depth in the outline, 1 = top
    span: Span               # marker and title
    title: str | None
    title_span: Span | None


@dataclass
class Section:
    id: str                          # outline path, "2.1.3"
    heading: Heading | None
    span: Span                       # whole section, heading and children included
    body: list[Span] = field(default_factory=list)   # own text after the heading, per paragraph
    children: list[Section] = field(default_factory=list)
    kind: str = "other"              # general | tasks | safeguards | other (from the top-level part)


@dataclass(frozen=True)
class Assignment:
    agency: Agency
    role: str                 # one of ROLES
    surface: str              # the name as written
    span: Span                # where it is written (for implied bodies: the declaring note)
    source: str = "note"      # note | declaration | text | table | heading (extraction/duties.py)


@dataclass
class Note:
    """A responsibility note such as （A牵头，B、C参与）."""

    span: Span                        # brackets included
    assignments: list[Assignment] = field(default_factory=list)
    declares_lead_first: bool = False  # 列第一位者为牵头单位，下同
    declares_implied: list[Assignment] = field(default_factory=list)  # 以下均需B落实


@dataclass
class Measure:
    span: Span
    assignments: list[Assignment] = field(default_factory=list)


@dataclass
class Provision:
    """A numbered item that carries work: a key task, a safeguard (保障措施) item, an article
    (第X条) of a regulation-like text (办法, 条例, 规定, 细则 …), or a row of a task-division table
    (extraction/tables.py)."""

    kind: str                 # "task" | "safeguard" | "article" | "tablerow" | "general" (指导思想, 基本原则, 目标 items)
    ordinal: int              # 1-based, document order, per kind
    section_id: str
    title: str | None
    title_span: Span | None
    span: Span
    measures: list[Measure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)  # notes + implied + actors
    deadline: str | None = None               # table rows: the 完成时限 cell as written
    deadline_span: Span | None = None
    restates: tuple[str, int] | None = None   # table rows: (kind, ordinal) of the body provision it repeats
    label: str | None = None  # its marker as written: "（三）", "第五十四条", "1.2"
    number: int | None = None  # the marker's number: 54 for 第五十四条, 3 for （三）


@dataclass(frozen=True)
class Target:
    span: Span
    year: int | None
    indicator: str | None
    value: float | None = None
    unit: str | None = None
    comparator: str | None = None     # ">=" (以上), "<=" (以下/以内), "~" (左右), None
    month: int | None = None


@dataclass(frozen=True)
class Programme:
    span: Span
    name: str


@dataclass(frozen=True)
class Evidence:
    """A word (or pattern match) that supports an instrument tag, with its offsets."""

    word: str
    start: int
    end: int


@dataclass(frozen=True)
class InstrumentTag:
    """A policy-instrument sub-type given to one measure (extraction/instruments.py)."""

    provision_kind: str               # "task" | "safeguard" | "article"
    provision_ordinal: int
    measure_ordinal: int              # 1-based within the provision
    rank: int                         # 1 = the strongest tag of this measure
    subtype: str                      # notation: S1 … S6, E1 … E5, D1 … D6
    cls: str                          # S | E | D
    score: float
    evidence: tuple[Evidence, ...]


@dataclass
class DocumentExtraction:
    text: str
    source: Decoded
    metadata: Metadata
    sections: list[Section]
    provisions: list[Provision]
    targets: list[Target]
    citations: list[Citation]
    programmes: list[Programme]
    paragraphs: tuple[Span, ...] = ()           # as the outline read them (after the resegment stage)
    instruments: list[InstrumentTag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)    # W-codes of extraction/errors.py (W201: no provision)

    @property
    def tasks(self) -> list[Provision]:
        return [p for p in self.provisions if p.kind == "task"]
