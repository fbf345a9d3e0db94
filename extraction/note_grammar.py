"""The words of a responsibility note, and a note's text cut into them.

The vocabulary is data (``extraction/data/note_words.csv``): role words (负责, 牵头, 按职责分工牵头 …),
label prefixes and heads (责任 + 单位 + ：), fillers that sit between names and roles (等, 按职责分工,
由, 分别 …) and connectors (及, 和, 以及, 与). ``tokenise`` cuts the text of a note (folded,
declarations blanked) into tokens of five kinds:

  name   a name-like span (a list item); collectives such as 各市、县〔区〕政府 are one name
  role   a role word, with its role (lead, participant, responsible, guide, implementer, with)
  label  a label such as 牵头单位： with its role
  mark   a role written in brackets after one name: 省发展改革委（牵头）; with no name before
         it (〔牵头单位〕A), a bracketed label acts as a label
  time   a deadline or duration beside the bodies (2023年底前完成, 长期坚持): dropped
  sep    ， ； 。 (clause separators; 、 only separates list items and makes no token)

A label of something else (完成时限：, 时间：, and any field word that does not end like a body's
name: 适用范围：, 推广范围：, 备注：) is a label with role ``none``: what follows it is not a body.

Assigning roles to names from the tokens is ``notes.py``'s job.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from .agency_names import COLLECTIVE

KINDS = ("role", "label", "label-head", "other-label", "filler", "connector")
ROLES = ("lead", "participant", "responsible", "guide", "implementer", "with")
_COLUMNS = ["word", "kind", "role", "note"]
_LIST_SEP = "、"
# a field of a note beside its bodies: a word and ：, after another field's clause, whose word is
# no body's (does not end like one): …；适用范围：所有自贸试验区, …；推广范围：全国, …；备注：…
_FIELD = re.compile(r"[\u4e00-\u9fff]{2,6}(?<![单部局委办厅府院会心组队所站处室])：")
_QUALIFIERS = ("主要", "次要", "具体", "第一", "直接", "其他")   # before a label: 主要责任单位：
_QUALIFIER = re.compile("|".join(_QUALIFIERS))
# a head's other name in brackets after it: 牵头部门（单位）：, 责任单位(部门)：
_HEAD_ALSO = re.compile(r"[（(〔](?:单位|部门|机构|处室|主体|科室)[）)〕]")
# a label the vocabulary does not list, of some other duty (督办单位：, 审核部门：): what follows is no body
# of the task's (not 有关部门：, 各单位：, a group of bodies)
_OTHER_LABEL = re.compile(r"(?!有关|相关|其他|其它|各)[\u4e00-\u9fff]{2,4}(?:单位|部门|处室|科室|机构)\s*：")
_PERSON = re.compile(r"(?:领导|负责人|责任人|联系人|分管领导|领导同志)\s*：")   # 牵头领导：张三 — a person, no body
_FIELD_AFTER = "；;，,"                 # after another field of the note (负责部门：A；适用范围：…), never opening one
_CLAUSE_SEP = "，；。："


class VocabularyError(ValueError):
    """note_words.csv is malformed."""


@dataclass(frozen=True)
class Vocabulary:
    roles: tuple[tuple[str, str], ...]          # (word, role), longest first
    labels: dict[str, str]                      # prefix -> role
    others: tuple[str, ...]                     # labels of what is not a body: 完成时限, 时间
    heads: tuple[str, ...]
    fillers: tuple[str, ...]                    # longest first
    connectors: tuple[str, ...]

    def __post_init__(self) -> None:
        starts: dict[str, str] = {}
        for word in [w for w, _ in self.roles] + list(self.labels) + list(self.fillers) + list(self.others):
            starts[word[0]] = word[0]
        starts.update((w[0], w[0]) for w in ("为", *_QUALIFIERS))   # 为牵头单位, 主要责任单位
        object.__setattr__(self, "_starts", frozenset(starts))
        # role words and fillers by their first character, each list in the order above
        object.__setattr__(self, "_roles_at", _by_first(self.roles, lambda r: r[0]))
        object.__setattr__(self, "_fillers_at", _by_first(self.fillers, lambda f: f))
        # the first characters of the connectors (all of them, when one is empty: it starts anywhere)
        object.__setattr__(self, "_joins", None if "" in self.connectors else frozenset(c[0] for c in self.connectors))
        object.__setattr__(self, "_prefixes", tuple(sorted(self.labels, key=len, reverse=True)))
        object.__setattr__(self, "_prefixes_at", _by_first(self._prefixes, lambda p: p))
        words = sorted({w for w, _ in self.roles} | set(self.labels), key=len, reverse=True)
        object.__setattr__(self, "_any", re.compile("|".join(map(re.escape, words))))

    def marked(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] holds any role word or label prefix (a cheap first test)."""
        return self._any.search(text, start, end) is not None

    def role_at(self, text: str, i: int) -> tuple[str, str] | None:
        if i >= len(text):
            return None
        if text[i] == "为" and (named := self._named_as(text, i)) is not None:
            return named                         # 省发展改革委为牵头单位，省财政厅为配合单位
        if text[i] not in self._starts:
            return None
        for word, role in self._roles_at.get(text[i], ()):
            if text.startswith(word, i):
                return word, role
        return None

    def _named_as(self, text: str, i: int) -> tuple[str, str] | None:
        """为 and a label with its head, not followed by ： (…为牵头单位): the role of the names before."""
        for prefix in self._prefixes:
            if text.startswith(prefix, i + 1):
                j = i + 1 + len(prefix)
                head = next((h for h in self.heads if text.startswith(h, j)), "")
                if head and not text.startswith("：", j + len(head)):
                    return text[i:j + len(head)], self.labels[prefix]
        return None

    def label_at(self, text: str, i: int) -> tuple[int, str] | None:
        """A label (牵头单位：, 责任部门:, 配合：, 负责部门为, 主要责任单位：) at ``i``: (its end, its
        role); a label of persons (牵头领导：, 责任人：) is a label of nothing."""
        if i >= len(text):
            return None
        if (q := _QUALIFIER.match(text, i)) is not None and (inner := self.label_at(text, q.end())) is not None:
            return inner                         # 主要责任单位：, 具体承办单位：
        if text[i] not in self._starts:
            return self._field_at(text, i) or self._other_at(text, i)
        for prefix in self._prefixes_at.get(text[i], ()):   # 牵头责任单位：, 协同责任单位：: the first word says whose
            if text.startswith(prefix, i) and (inner := self._label_here(text, i + len(prefix))) is not None:
                return inner[0], self.labels[prefix]
        return self._label_here(text, i) or self._field_at(text, i) or self._other_at(text, i)

    def _label_here(self, text: str, i: int) -> tuple[int, str] | None:
        """A listed label starting exactly at ``i`` (no qualifier before it)."""
        for other in self.others:
            if text.startswith(other, i) and text.startswith("：", i + len(other)):
                return i + len(other) + 1, "none"
        for prefix in self._prefixes_at.get(text[i], ()) if i < len(text) else ():
            if not text.startswith(prefix, i):
                continue
            j = i + len(prefix)
            if (person := _PERSON.match(text, j)) is not None:
                return person.end(), "none"      # 牵头领导：张三, 责任人：…
            head = next((h for h in self.heads if text.startswith(h, j)), "")
            j += len(head)
            if head and (also := _HEAD_ALSO.match(text, j)) is not None:
                j = also.end()
            while j < len(text) and text[j] == " ":
                j += 1
            if j < len(text) and (text[j] == "：" or (head and text[j] in "为是")):
                return j + 1, self.labels[prefix]
        return None

    def _other_at(self, text: str, i: int) -> tuple[int, str] | None:
        """督办单位：… — a label of some other duty: what follows it is not a body of the task's."""
        if (i == 0 or text[i - 1] in _FIELD_AFTER + " 。") and text.find("：", i + 3, i + 9) >= 0 \
                and (m := _OTHER_LABEL.match(text, i)) is not None:
            return m.end(), "none"
        return None

    @staticmethod
    def _field_at(text: str, i: int) -> tuple[int, str] | None:
        """适用范围：…, 推广范围：…, 备注：… — a field of the note beside its bodies, no body."""
        if (m := _FIELD.match(text, i)) is not None and i > 0 and text[i - 1] in _FIELD_AFTER:
            return m.end(), "none"
        return None

    def may_join(self, text: str, i: int) -> bool:
        """Whether a connector could begin at ``i`` (a cheap first test)."""
        return self._joins is None or (i < len(text) and text[i] in self._joins)

    def filler_at(self, text: str, i: int) -> str | None:
        if i >= len(text) or text[i] not in self._starts:
            return None
        return next((f for f in self._fillers_at.get(text[i], ()) if text.startswith(f, i)), None)


def _by_first(items, word) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for item in items:
        if word(item):
            out.setdefault(word(item)[0], []).append(item)
    return {ch: tuple(group) for ch, group in out.items()}


@functools.lru_cache(maxsize=1)
def vocabulary(root=None) -> Vocabulary:
    root = root if root is not None else resources.files("extraction.data")
    text = root.joinpath("note_words.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != _COLUMNS:
        raise VocabularyError(f"note_words.csv: header {reader.fieldnames} != {_COLUMNS}")
    roles, labels, heads, others, fillers, connectors = [], {}, [], [], [], []
    for n, row in enumerate(reader, start=2):
        word, kind, role = row["word"].strip(), row["kind"].strip(), row["role"].strip()
        if not word or kind not in KINDS or (kind in ("role", "label")) != (role in ROLES):
            raise VocabularyError(f"note_words.csv:{n}: bad row {row}")
        if kind == "role":
            roles.append((word, role))
        elif kind == "label":
            labels[word] = role
        elif kind == "label-head":
            heads.append(word)
        elif kind == "other-label":
            others.append(word)
        elif kind == "filler":
            fillers.append(word)
        else:
            connectors.append(word)
    return Vocabulary(tuple(sorted(roles, key=lambda r: -len(r[0]))), labels,
                      tuple(sorted(others, key=len, reverse=True)), tuple(heads),
                      tuple(sorted(fillers, key=len, reverse=True)), tuple(connectors))


@dataclass(frozen=True)
class Token:
    kind: str           # name | role | label | mark | sep
    start: int          # offsets into the document
    end: int
    text: str
    role: str | None = None


_OPEN, _CLOSE = "（〔", "）〕"
# a deadline or duration beside the bodies (2023年底前完成, 长期坚持, 持续推进): not a name
_TIME = re.compile(r"\d|年底|年内|月底|季度|半年|长期|持续|前完成|完成")
# a list item's tail that only describes the items before it (等, 等有关部门, 等省直有关部门) or
# is an adverb before its role word (扶贫办已会同…)
# words between the names and their role word: how (按职责, 分工, 分别, 共同) and an adverb or auxiliary
# (组织, 积极, 主动: 市民政局按职责组织配合)
_HOW = r"(?:(?:按照?|依照?|依据|根据)(?:各自|各自的)?(?:职责|职能)?(?:分工)?|(?:职责|职能)?分工|分别|共同|各自|已|将|正在)"
_MANNER = rf"(?:{_HOW}(?:组织|积极|主动|密切|全力)?|积极|主动|密切|全力)"   # not 组织 alone: 各基层党组织牵头
_TAIL = re.compile(rf"(?:等(?:[^、，；。]{{0,12}}?(?:部门|单位|机构))?{_MANNER}?|{_MANNER})$")


def tokenise(body: str, base: int, vocab: Vocabulary, is_name) -> list[Token]:
    """Tokens of ``body`` (the folded text of a note, offset ``base`` in the document).
    ``is_name(s)``: whether ``s`` reads as a body's name (decides where a role word that
    could be part of a longer name, like 指导 in 指导中心, ends a name)."""
    out: list[Token] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch.isspace() or ch == _LIST_SEP:
            i += 1
            continue
        if ch in _CLAUSE_SEP:
            out.append(Token("sep", base + i, base + i + 1, ch))
            i += 1
            continue
        hit = _marker_at(body, i, vocab)
        if hit is not None:
            kind, end, role = hit
            out.append(Token(kind, base + i, base + end, body[i:end], role))
            i = end
            continue
        filler = vocab.filler_at(body, i)
        if filler is not None:
            i += len(filler)
            continue
        joined = _before_collective(body, i, vocab)
        if joined:                      # 和各市、县〔区〕人民政府: the connector, then the collective whole
            i += joined
            continue
        j = _name_end(body, i, vocab, is_name)
        s, e = _trim(body, i, j, vocab)
        if e > s:
            timing = _TIME.search(body, s, e) is not None and not is_name(body[s:e])
            out.append(Token("time" if timing else "name", base + s, base + e, body[s:e]))
        i = max(j, i + 1)
    return _names_joined(out, body, base, is_name)


def _names_joined(tokens: list[Token], body: str, base: int, is_name) -> list[Token]:
    """Each run of name tokens with its items joined where they are one name (``join_items``)."""
    out: list[Token] = []
    run: list[Token] = []
    for tok in [*tokens, None]:
        if tok is not None and tok.kind == "name":
            run.append(tok)
            continue
        spans = join_items([(t.start - base, t.end - base) for t in run], body, is_name)
        out.extend(Token("name", base + s, base + e, body[s:e]) for s, e in spans)
        run = []
        if tok is not None:
            out.append(tok)
    return out


# the heads a list of stems shares with its last item: 教育、卫生计生、民政部门; 中央、省驻济有关单位; 欧阳、曲阳、广中街道
SHARED_HEADS = ("部门", "单位", "机构", "街道", "镇", "乡")
_STEM_MAX = 6


def join_items(spans: list[tuple[int, int]], text: str, is_name) -> list[tuple[int, int]]:
    """Consecutive list items (their (start, end) in ``text``, in order) joined where they are one name,
    for notes and table cells alike:

    * a name a stray blank cut in two (省人力资源 社会保障厅, 省财 政厅: text taken out of a PDF): items with
      only blanks between them join when the whole reads as a body's name and the two do not both;
    * stems listed before a name whose head they share (教育、卫生计生、民政部门; 欧阳、曲阳、凉城、广中街道):
      one name with it, as written, never 教育 alone."""
    return _shared_heads(_unspaced(spans, text, is_name), text, is_name)


def _unspaced(spans: list[tuple[int, int]], text: str, is_name) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            gap, prev, cur = text[pe:s], text[ps:pe], text[s:e]
            if gap and not gap.strip() and is_name(prev + cur) and not (is_name(prev) and is_name(cur)):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _is_stem(item: str, is_name) -> bool:
    """A list item that names no body by itself (教育, 曲阳, 中央): short, no number, not a name."""
    return len(item) <= _STEM_MAX and not any(c.isdigit() for c in item) and not is_name(item)


def _shared_heads(spans: list[tuple[int, int]], text: str, is_name) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and text[spans[j][1]:spans[j + 1][0]] == "、" \
                and _is_stem(text[spans[j][0]:spans[j][1]], is_name):
            j += 1
        last = text[spans[j][0]:spans[j][1]]
        if j > i and not _is_stem(last, is_name) and last.endswith(SHARED_HEADS):
            out.append((spans[i][0], spans[j][1]))
            i = j + 1
        else:
            out.append(spans[i])
            i += 1
    return out


def _marker_at(body: str, i: int, vocab: Vocabulary) -> tuple[str, int, str] | None:
    """A label, a role word or a bracketed mark at ``i``: (kind, end, role)."""
    label = vocab.label_at(body, i)
    if label is not None:
        return "label", label[0], label[1]
    role = vocab.role_at(body, i)
    if role is not None:
        return "role", i + len(role[0]), role[1]
    return _mark(body, i, vocab) if body[i] in _OPEN else None


def _mark(body: str, i: int, vocab: Vocabulary) -> tuple[str, int, str] | None:
    """（牵头） after a name: a mark; 〔牵头单位〕 (a label with its head): a label."""
    close = body.find(_CLOSE[_OPEN.index(body[i])], i)
    if close < 0:
        return None
    inner = body[i + 1:close].strip()
    hit = vocab.role_at(inner, 0)
    if hit is not None and hit[0] == inner and hit[1] != "with":
        return "mark", close + 1, hit[1]
    for prefix, role in vocab.labels.items():
        if inner == prefix:
            return "mark", close + 1, role
        if inner.startswith(prefix) and inner[len(prefix):] in vocab.heads:
            return "label", close + 1, role
    return None


def _before_collective(body: str, j: int, vocab: Vocabulary) -> int:
    """The length of a connector at ``j`` (和, 及 …) that joins a collective (各市、县〔区〕人民政府)
    to the name before it, else 0: the 、 inside the collective must not cut it."""
    if not vocab.may_join(body, j):
        return 0
    for c in vocab.connectors:
        if body.startswith(c, j):
            m = COLLECTIVE.match(body, j + len(c))
            if m is not None and _boundary(body, m.end(), vocab):
                return len(c)
    return 0


def _name_end(body: str, i: int, vocab: Vocabulary, is_name) -> int:
    m = COLLECTIVE.match(body, i)
    if m is not None and _boundary(body, m.end(), vocab):
        return m.end()
    j, depth, n = i, 0, len(body)
    joins, starts = vocab._joins, vocab._starts       # the first tests of may_join, role_at, label_at
    while j < n:
        ch = body[j]
        if depth == 0 and j > i and (joins is None or ch in joins) and _before_collective(body, j, vocab):
            return j
        if ch in _OPEN:
            if depth == 0 and j > i and _mark(body, j, vocab) is not None:
                return j
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return j
        elif depth == 0:
            if ch in _CLAUSE_SEP or ch == _LIST_SEP or ch.isspace():
                return j
            if j > i and ch in starts and ((role := vocab.role_at(body, j)) or vocab.label_at(body, j)):
                s, e = _trim(body, i, j, vocab)
                if e > s and (is_name(body[s:e]) or (role and _closes(body, j + len(role[0]), vocab))):
                    return j
        j += 1
    return j


def _closes(body: str, j: int, vocab: Vocabulary) -> bool:
    """Whether the role word ending at ``j`` closes its clause (…配合）, …牵头，): no name goes on
    past it, so the words before it are a name even when nothing reads them as one (济宁军分区配合)."""
    while j < len(body) and (role := vocab.role_at(body, j)) is not None:
        j += len(role[0])               # 牵头负责, 配合落实
    return j >= len(body) or body[j] in _CLAUSE_SEP + _CLOSE or body[j].isspace()


def _boundary(body: str, j: int, vocab: Vocabulary) -> bool:
    return (j >= len(body) or body[j] in _CLAUSE_SEP + _LIST_SEP + _CLOSE or body[j].isspace()
            or vocab.role_at(body, j) is not None or vocab.filler_at(body, j) is not None
            or any(body.startswith(c, j) for c in vocab.connectors))


def _trim(body: str, s: int, e: int, vocab: Vocabulary) -> tuple[int, int]:
    """Strip leading fillers (由, 其中) and a describing tail (等, 等有关部门, 按职责分工)."""
    moved = True
    while moved and s < e:
        moved = False
        for word in vocab._fillers_at.get(body[s], ()):
            if body.startswith(word, s) and s + len(word) < e and word != "等":
                s += len(word)
                moved = True
                break
    m = _TAIL.search(body, s, e)
    if m is not None and m.start() > s:
        e = m.start()
    while e > s and body[e - 1] == " ":
        e -= 1
    return s, e
