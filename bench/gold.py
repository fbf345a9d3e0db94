"""The hand-made gold set of tests/data/gold: its format check, folding, matching and counting.

Nothing here imports the extractor: ``bench.accuracy`` turns a ``DocumentExtraction`` into
``Got`` views and ``Meta`` values, and this module compares them with the gold JSON (format:
tests/data/gold/README.md). Counts are plain integers so documents and sets add up (micro
averages).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("lead", "participant", "responsible", "guide", "implementer")
KINDS = ("item", "article", "table_row")
LEVELS = ("national", "provincial", "municipal", "county")
META_FIELDS = ("title", "doc_number", "issuers", "date", "level", "region", "genre")
PROVISION_KEYS = ("label", "path", "kind", "starts", "ends", "bodies", "lead")

_MAP = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "“": '"', "”": '"', "‘": "'", "’": "'",
                      "－": "-", "–": "-", "—": "-", "﹒": ".", "·": "·"})
_SPACE = re.compile(r"\s+")


def fold(s: str | None) -> str:
    """Full/half-width and whitespace folded: NFKC, brackets and quotes unified, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", s or "").translate(_MAP))


def load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source_of(gold_path: Path, gold: dict) -> Path:
    """The gold's ``source`` resolved against the first ancestor of the gold file holding it."""
    rel = Path(gold["source"])
    for base in Path(gold_path).resolve().parents:
        if (base / rel).exists():
            return base / rel
    raise FileNotFoundError(f"{gold_path}: source {rel} not found above it")


def check_gold(gold: dict, text: str) -> list[str]:
    """Problems with one gold document against the format (empty list: it follows it)."""
    out: list[str] = []
    for key in ("source", "metadata", "provisions"):
        if key not in gold:
            out.append(f"missing key {key!r}")
    meta = gold.get("metadata") or {}
    out += [f"metadata.{k} missing" for k in META_FIELDS if k not in meta]
    issuers = meta.get("issuers")
    if not (isinstance(issuers, list) and issuers and all(isinstance(i, str) and i for i in issuers)):
        out.append("metadata.issuers must be a non-empty list of names")
    if meta.get("level") not in LEVELS:
        out.append(f"metadata.level {meta.get('level')!r} not one of {LEVELS}")
    if meta.get("date") is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(meta["date"])):
        out.append(f"metadata.date {meta['date']!r} not ISO")
    if (meta.get("level") == "national") != (meta.get("region") is None):
        out.append("metadata.region must be null exactly for national documents")
    ftext = fold(text)
    for i, p in enumerate(gold.get("provisions") or []):
        where = f"provision {i} {p.get('label')!r}"
        out += [f"{where}: missing {k!r}" for k in PROVISION_KEYS if k not in p]
        if any(k not in p for k in PROVISION_KEYS):
            continue
        if not p["path"] or p["path"][-1] != p["label"]:
            out.append(f"{where}: path {p['path']} does not end with the label")
        if p["kind"] not in KINDS:
            out.append(f"{where}: kind {p['kind']!r} not one of {KINDS}")
        for key in ("starts", "ends"):
            if not 2 <= len(fold(p[key])) <= 16:
                out.append(f"{where}: {key} {p[key]!r} should be 4-12 characters")
            elif fold(p[key]) not in ftext:
                out.append(f"{where}: {key} {p[key]!r} not in the document text")
        at = ftext.find(fold(p["label"] + p["starts"]))
        if p["kind"] != "table_row" and at < 0:
            out.append(f"{where}: the label is not followed by starts {p['starts']!r} in the text")
        elif at >= 0 and fold(p["ends"]) not in ftext[at:]:
            out.append(f"{where}: ends {p['ends']!r} does not come after starts")
        names = []
        for b in p["bodies"]:
            if b.get("role") not in ROLES:
                out.append(f"{where}: role {b.get('role')!r} of {b.get('name')!r} not one of {ROLES}")
            if not b.get("name"):
                out.append(f"{where}: body without a name")
            elif fold(b["name"]) not in ftext:
                out.append(f"{where}: body {b['name']!r} is not written in the document")
            names.append(b.get("name"))
        if len(set(names)) != len(names):
            out.append(f"{where}: a body is listed twice")
        if p["lead"] is not None and p["lead"] not in names:
            out.append(f"{where}: lead {p['lead']!r} is not one of its bodies")
    return out


@dataclass
class Body:
    surface: str
    labels: frozenset[str]          # folded pref_label and alt labels of the agency
    role: str


@dataclass
class Got:
    """One extracted provision as the scorer sees it."""

    label: str | None
    own: str                        # folded text after the label
    core: str                       # ``own`` without trailing responsibility notes
    bodies: list[Body] = field(default_factory=list)


def same_body(name: str, body: Body) -> bool:
    f = fold(name)
    return f == fold(body.surface) or f in body.labels


def match(gold_provisions: list[dict], got: list[Got]) -> list[int | None]:
    """For each gold provision, the index of its extracted counterpart (each used once)."""
    used: set[int] = set()
    out: list[int | None] = []
    for p in gold_provisions:
        s = fold(p["starts"])
        cands = [i for i, g in enumerate(got) if i not in used and g.own.startswith(s)]
        same = [i for i in cands if fold(got[i].label) == fold(p["label"])]
        pick = (same or cands or [None])[0]
        if pick is not None:
            used.add(pick)
        out.append(pick)
    return out


def _rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)


def _bodies_of(g: Got) -> list[Body]:
    """Each body once (by folded surface), first-written order, with its strongest role."""
    out: dict[str, Body] = {}
    for b in g.bodies:
        key = fold(b.surface)
        if key not in out or _rank(b.role) < _rank(out[key].role):
            out[key] = b if key not in out else Body(out[key].surface, out[key].labels, b.role)
    return list(out.values())


def score_provisions(gold_provisions: list[dict], got: list[Got]) -> dict:
    """Counts: assignment tp/fp/fn and role agreement, leads, segmentation."""
    c = dict(tp=0, fp=0, fn=0, role_same=0, lead_n=0, lead_ok=0, gold=len(gold_provisions),
             extracted=len(got), matched=0, exact=0)
    pairs = match(gold_provisions, got)
    for p, i in zip(gold_provisions, pairs, strict=True):
        bodies = _bodies_of(got[i]) if i is not None else []
        if i is not None:
            c["matched"] += 1
            ends, g = fold(p["ends"]), got[i]
            # a table row may carry its unit cells after the content cell: ends inside it is enough
            c["exact"] += (g.core.endswith(ends) or g.own.endswith(ends)
                           or (p.get("kind") == "table_row" and ends in g.own))
        free = list(bodies)
        for b in p["bodies"]:
            hit = next((x for x in free if same_body(b["name"], x)), None)
            if hit is None:
                c["fn"] += 1
                continue
            free.remove(hit)
            c["tp"] += 1
            c["role_same"] += hit.role == b["role"]
        c["fp"] += len(free)
        if p.get("lead"):
            c["lead_n"] += 1
            leads = [b for b in bodies if b.role == "lead"]
            c["lead_ok"] += bool(leads) and same_body(p["lead"], leads[0])
    c["fp"] += sum(len(_bodies_of(g)) for i, g in enumerate(got) if i not in set(pairs))
    return c


def explain(gold_provisions: list[dict], got: list[Got]) -> list[str]:
    """One line per gold provision that is not perfect: not found, cut, bodies missed or extra, lead."""
    out = []
    pairs = match(gold_provisions, got)
    for p, i in zip(gold_provisions, pairs, strict=True):
        where = "/".join(p["path"]) + f" {p['starts']}"
        if i is None:
            out.append(f"{where}: not found")
            continue
        c = score_provisions([p], [got[i]])
        if not c["exact"]:
            out.append(f"{where}: does not end with {p['ends']!r} (…{got[i].core[-12:]})")
        bodies = _bodies_of(got[i])
        missed = [b["name"] for b in p["bodies"] if not any(same_body(b["name"], x) for x in bodies)]
        extra = [x.surface for x in bodies if not any(same_body(b["name"], x) for b in p["bodies"])]
        if missed or extra:
            out.append(f"{where}: missed {missed}, extra {extra}")
        if c["lead_n"] and not c["lead_ok"]:
            out.append(f"{where}: lead {p['lead']} not found")
    out += [f"extracted, not in the gold: {got[i].label} {got[i].own[:12]}" for i in range(len(got))
            if i not in set(pairs)]
    return out


@dataclass
class Meta:
    """Extracted metadata values; ``missing`` names the fields the extractor does not have."""

    values: dict
    missing: frozenset[str] = frozenset()


def _title(s: str | None) -> str:
    """A title from its 关于 on (issuers are scored apart: 某某等十一部门关于… = the full list)."""
    f = fold(s)
    return f[f.find("关于"):] if "关于" in f else f


def score_metadata(gold_meta: dict, meta: Meta) -> dict[str, bool]:
    out = {}
    for k in META_FIELDS:
        want, got = gold_meta.get(k), meta.values.get(k)
        if k == "title":
            out[k] = bool(got) and _title(want) == _title(got)
        elif k == "issuers":
            out[k] = {fold(x) for x in want or []} == {fold(x) for x in got or []}
        else:
            out[k] = k not in meta.missing and fold(str(want or "")) == fold(str(got or ""))
    return out


def add(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + v for k, v in b.items()}


def rates(c: dict) -> dict:
    """P/R/F1 of assignments, lead accuracy, segmentation share from summed counts (None: no case)."""
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return dict(precision=tp / (tp + fp) if tp + fp else None, recall=tp / (tp + fn) if tp + fn else None,
                f1=2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
                role_agreement=c["role_same"] / c["tp"] if c["tp"] else None,
                lead_accuracy=c["lead_ok"] / c["lead_n"] if c["lead_n"] else None,
                segmentation=c["exact"] / c["gold"] if c["gold"] else None,
                found=c["matched"] / c["gold"] if c["gold"] else None)
