"""Agreement between the instrument tagger and a hand-coded sample: percent agreement and Cohen's kappa.

    python -m kg.analytics.agreement [--sample CSV] [--lexicon CSV] [--format table|csv|json]

The sample (default ``tests/data/instruments/sample.csv``, coded by reading the measures, see
docs/instrument-coding.md) has one row per measure::

    document,task,measure,text,class,subtypes,note

``class`` is the coder's primary class (S, E, D); ``subtypes`` every sub-type the coder gave
(``S1;S3``). The tagger is run on the same measure text (tagging depends on nothing else).

Rows of the table:

* ``primary``: the coder's class against the class of the tagger's strongest tag (``none`` when
  the tagger found nothing) — one nominal variable with four categories.
* ``S`` / ``E`` / ``D``: does the measure carry that class at all (any sub-type of it)? — binary.
* each sub-type the coder used at least ``MIN_N`` times: does the measure carry it? — binary.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from extraction.instruments import CLASSES, SUBTYPES, Lexicon, default_lexicon, tag_text

from ..errors import KGError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "instruments" / "sample.csv"
MIN_N = 5


@dataclass(frozen=True)
class Coded:
    document: str
    task: int
    measure: int
    text: str
    cls: str
    subtypes: frozenset[str]
    note: str


@dataclass(frozen=True)
class Agreement:
    variable: str        # "primary", "S", "E5" …
    label: str
    n: int               # measures compared
    coder_positive: int  # binary rows: measures the coder gave it; primary: measures with a class
    tagger_positive: int
    both: int            # binary: both gave it; primary: same class
    percent: float       # observed agreement, 0–100
    kappa: float | None  # Cohen's kappa; None when chance agreement is 1


def read_sample(path: str | Path = SAMPLE) -> list[Coded]:
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            subs = frozenset(s.strip() for s in row["subtypes"].split(";") if s.strip())
            unknown = subs - set(SUBTYPES)
            if unknown or row["class"] not in CLASSES:
                raise ValueError(f"{path}: bad codes {sorted(unknown)} / {row['class']!r} in {row}")
            out.append(Coded(row["document"], int(row["task"]), int(row["measure"]), row["text"],
                             row["class"], subs, row["note"]))
    return out


def cohen_kappa(a: list[str], b: list[str]) -> tuple[float, float | None]:
    """(observed agreement, Cohen's kappa) of two codings of the same items."""
    n = len(a)
    if n == 0 or n != len(b):
        raise ValueError("two codings of the same non-empty list of items are needed")
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return po, (None if pe == 1 else (po - pe) / (1 - pe))


def tagger_codes(sample: list[Coded], lexicon: Lexicon | None = None) -> list[list[str]]:
    """The tagger's sub-types for each sample measure, strongest first."""
    lex = lexicon or default_lexicon()
    return [[sub for sub, _, _ in tag_text(c.text, 0, lex)] for c in sample]


def _binary(variable: str, label: str, coder: list[bool], tagger: list[bool]) -> Agreement:
    po, kappa = cohen_kappa([str(x) for x in coder], [str(x) for x in tagger])
    return Agreement(variable, label, len(coder), sum(coder), sum(tagger),
                     sum(x and y for x, y in zip(coder, tagger, strict=True)), round(100 * po, 1),
                     None if kappa is None else round(kappa, 3))


def agreement(sample: list[Coded], lexicon: Lexicon | None = None, min_n: int = MIN_N) -> list[Agreement]:
    tags = tagger_codes(sample, lexicon)
    coder_primary = [c.cls for c in sample]
    tagger_primary = [t[0][0] if t else "none" for t in tags]
    po, kappa = cohen_kappa(coder_primary, tagger_primary)
    rows = [Agreement("primary", "primary class 主要类别", len(sample), len(sample),
                      sum(p != "none" for p in tagger_primary),
                      sum(x == y for x, y in zip(coder_primary, tagger_primary, strict=True)),
                      round(100 * po, 1), None if kappa is None else round(kappa, 3))]
    for cls, (_, zh, en) in CLASSES.items():
        rows.append(_binary(cls, f"{zh} {en}", [any(s[0] == cls for s in c.subtypes) for c in sample],
                            [any(s[0] == cls for s in t) for t in tags]))
    used = Counter(s for c in sample for s in c.subtypes)
    for sub, (_, zh, en) in SUBTYPES.items():
        if used[sub] >= min_n:
            rows.append(_binary(sub, f"{zh} {en}", [sub in c.subtypes for c in sample], [sub in t for t in tags]))
    return rows


def format_table(rows: list[Agreement]) -> str:
    head = f"{'variable':<8} {'n':>4} {'coder':>6} {'tagger':>6} {'both':>5} {'agree%':>7} {'kappa':>7}  label"
    lines = [head, "-" * len(head)]
    for r in rows:
        k = "n/a" if r.kappa is None else f"{r.kappa:.3f}"
        lines.append(f"{r.variable:<8} {r.n:>4} {r.coder_positive:>6} {r.tagger_positive:>6} {r.both:>5} "
                     f"{r.percent:>7.1f} {k:>7}  {r.label}")
    return "\n".join(lines)


def write(rows: list[Agreement], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        json.dump([asdict(r) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(list(Agreement.__dataclass_fields__))
        for r in rows:
            w.writerow(["" if v is None else v for v in asdict(r).values()])
    else:
        out.write(format_table(rows) + "\n")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sample", default=str(SAMPLE), help="hand-coded sample CSV (default: the bundled one)")
    p.add_argument("--lexicon", help="instrument lexicon CSV (default: $POLICYKG_INSTRUMENT_LEXICON or the bundled one)")
    p.add_argument("--min-n", type=int, default=MIN_N, help="report a sub-type only if the coder used it this often")
    p.add_argument("--format", default="table", choices=["table", "csv", "json"])


def run(args) -> int:
    """Print the table; K602 if the lexicon or the sample cannot be read."""
    try:
        lexicon = Lexicon.read(args.lexicon) if args.lexicon else None
        sample = read_sample(args.sample)
    except (ValueError, KeyError, OSError) as e:
        raise KGError("K602", str(e)) from e
    write(agreement(sample, lexicon, args.min_n), args.format)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kg.analytics.agreement", description=__doc__.splitlines()[0])
    add_arguments(p)
    try:
        return run(p.parse_args(argv))
    except KGError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
