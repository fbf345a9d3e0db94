"""Extraction accuracy against the hand-made gold set (tests/data/gold, format in its README).

    python -m bench.accuracy [--gold DIR] [--set dev|holdout|all] [--doc NAME] [--json] [--tree DIR] [--detail]
                             [--neutral-names] [--perturb ascii-notes|label-words|note-lines|label-clauses|bare-names|one-line|html-page]
                             [--records]

Runs ``extraction.pipeline.extract_path`` on each gold document's ``source`` and prints, per
document and overall (micro-averaged; dev and holdout apart with ``--set all``):
assignment P/R/F1 over (provision, body) pairs, role agreement of the matched pairs, lead
accuracy, segmentation (gold provisions whose counterpart starts with ``starts`` and ends with
``ends``), and metadata accuracy per field. ``--tree DIR`` scores the ``extraction`` package of
another checkout (imported from DIR instead of this one); ``--detail`` lists every miss;
``--neutral-names`` reads every source under the name ``document.<ext>`` (the gold's files are
named by their 文号, and metadata falls back on a file's name: this shows the text alone);
``--records`` reads each source with the crawl's record of its page (the ``SOURCES.json`` beside
it, as ``policykg ingest`` does by default: extraction/records.py). The default scores leave the
records out: they measure what the extractor reads, and the gold's metadata of the pages that
start at the addressee line was itself taken from those records.

Attributes read from the extraction, each with a default so the extractor may grow:
  metadata.title, metadata.doc_number (else metadata.identifier), metadata.issuers (else
  [metadata.issuer]; items str or objects with .name/.pref_label/.surface), metadata.date,
  metadata.level, metadata.region, metadata.genre; a missing field is printed "(not extracted)"
  and counts wrong (issuers: the single issuer is compared, so joint documents count wrong).
  text; sections[*].id/.heading.marker/.children; provisions[*].span, .label (else the marker of
  the heading of the section .section_id, else a leading number pattern of the span text),
  .notes[*].span (trailing notes are cut before ``ends`` is compared),
  .assignments[*].surface/.role/.agency.pref_label/.agency.alt_labels; assignments with role
  "actor" (running-text subjects) are not compared: the gold leaves them out. provision.kind is
  not read (the extractor's task/safeguard is not the gold's item/article/table_row).
Matching: a gold provision goes to the first unused extracted provision whose text after its
label starts with ``starts`` (folded: NFKC, brackets, no whitespace), preferring the same label;
a body matches when the surface form equals the gold name folded, or the agency's labels hold it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bench import gold as G
from bench.perturb import PERTURBATIONS, SUFFIX

ROOT = Path(__file__).resolve().parent.parent
RECORDS_FILE = "SOURCES.json"          # POLICYKG_RECORDS_FILE's default (kg.settings; bench does not read kg)
_LABEL = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[)）]"
                    r"|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.、．]?|[①-⑳])")
_NOTE_TAIL = re.compile(r"[（(][^（）()]*(?:负责|牵头|配合|责任|参与|落实|指导)[^（）()]*[)）][。；;]?$")


def _markers(sections, out=None) -> dict:
    out = {} if out is None else out
    for s in sections or ():
        if getattr(s, "heading", None) is not None:
            out[s.id] = s.heading.marker
        _markers(getattr(s, "children", ()), out)
    return out


def _name(x) -> str | None:
    if x is None or isinstance(x, str):
        return x
    return next((v for a in ("name", "pref_label", "surface") if (v := getattr(x, a, None))), str(x))


def meta_of(ext) -> G.Meta:
    m = ext.metadata
    values, missing = {}, set()
    for k in G.META_FIELDS:
        if k == "doc_number":
            values[k] = getattr(m, "doc_number", None) or getattr(m, "identifier", None)
        elif k == "issuers":
            if hasattr(m, "issuers"):
                values[k] = [_name(x) for x in m.issuers or ()]
            else:
                missing.add(k)
                values[k] = [getattr(m, "issuer", None)] if getattr(m, "issuer", None) else []
        elif not hasattr(m, k):
            missing.add(k)
        else:
            v = getattr(m, k)
            values[k] = v.isoformat() if hasattr(v, "isoformat") else _name(v)
    return G.Meta(values, frozenset(missing))


def got_of(ext) -> list[G.Got]:
    """The extracted provisions as ``Got`` views, in text order."""
    text, markers = ext.text, _markers(getattr(ext, "sections", ()))
    out = []
    for p in sorted(getattr(ext, "provisions", ()), key=lambda p: p.span.start):
        raw = p.span.of(text).strip()
        label = getattr(p, "label", None) or markers.get(getattr(p, "section_id", None))
        if label and G.fold(raw).startswith(G.fold(label)):
            own = G.fold(raw)[len(G.fold(label)):]
        elif getattr(p, "label", None):       # a label carried down (a table row under a merged 序号):
            own = G.fold(raw)                 # nothing of its own text is a label
        else:
            m = _LABEL.match(raw)
            label, own = (m.group(1), G.fold(raw[m.end():])) if m else (label, G.fold(raw))
        end, notes = p.span.end, [n.span for n in getattr(p, "notes", ())]
        while (tail := [n for n in notes if p.span.start < n.start < end
                        and n.end >= len(text[:end].rstrip(" \t\r\n。；;"))]):
            end = min(n.start for n in tail)
        core = G.fold(text[p.span.start:end])
        while (m := _NOTE_TAIL.search(core)) is not None and m.start() > 0:
            core = core[:m.start()]
        bodies = [G.Body(a.surface, frozenset(G.fold(x) for x in (a.agency.pref_label,
                                                                  *a.agency.alt_labels)), a.role)
                  for a in getattr(p, "assignments", ()) if a.role != "actor"]
        out.append(G.Got(label, own, core, bodies))
    return out


def score_document(gold_path: Path, neutral_names: bool = False, perturb: str | None = None,
                   records: bool = False) -> dict:
    from extraction.pipeline import extract_path

    gold = G.load(gold_path)
    source = G.source_of(gold_path, gold)
    if records:
        ext = _with_record(source)
    elif neutral_names or perturb:
        with tempfile.TemporaryDirectory() as tmp:
            # the same text under a name that says nothing (no 文号 in it), or rewritten (bench/perturb.py)
            suffix = SUFFIX.get(perturb or "", source.suffix)
            copy = Path(tmp) / (f"document{suffix}" if neutral_names else source.stem + suffix)
            if perturb:
                copy.write_text(PERTURBATIONS[perturb](source.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copy(source, copy)
            ext = extract_path(copy)
    else:
        ext = extract_path(source)
    meta = meta_of(ext)
    got = got_of(ext)
    return dict(counts=G.score_provisions(gold["provisions"], got), problems=G.explain(gold["provisions"], got),
                metadata=G.score_metadata(gold["metadata"], meta),
                not_extracted=sorted(meta.missing),
                extracted_metadata={k: meta.values.get(k) for k in G.META_FIELDS})


def _with_record(source: Path):
    """As ``policykg ingest`` reads it: with the crawl's record of the page from the SOURCES.json
    beside it (extraction/records.py), when there is one."""
    import dataclasses

    from extraction.pipeline import extract_decoded
    from extraction.reading import read_path
    from extraction.records import record_for

    return extract_decoded(dataclasses.replace(read_path(source), record=record_for(source, RECORDS_FILE)))


def score_set(folder: Path, doc: str | None = None, neutral_names: bool = False, perturb: str | None = None,
              records: bool = False) -> dict:
    docs = {}
    for path in sorted(folder.glob("*.json")):
        if doc is None or path.stem == doc:
            docs[path.stem] = score_document(path, neutral_names, perturb, records)
    counts: dict = {}
    for d in docs.values():
        counts = G.add(counts, d["counts"])
    meta = {k: sum(d["metadata"][k] for d in docs.values()) for k in G.META_FIELDS}
    missing = sorted({k for d in docs.values() for k in d["not_extracted"]})
    return dict(documents=docs, overall=dict(
        documents=len(docs), counts=counts, rates=G.rates(counts) if docs else {},
        metadata={k: (v / len(docs) if docs else None) for k, v in meta.items()}, not_extracted=missing))


def _pct(x) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def report(name: str, result: dict) -> None:
    print(f"== {name}: {result['overall']['documents']} documents")
    print(f"{'document':34} {'prov g/e/found/exact':>21} {'P':>6} {'R':>6} {'F1':>6} {'lead':>7} meta")
    for doc, d in result["documents"].items():
        c, r = d["counts"], G.rates(d["counts"])
        print(f"{doc:34} {c['gold']:>4}/{c['extracted']:>3}/{c['matched']:>4}/{c['exact']:>4}   "
              f"{_pct(r['precision'])} {_pct(r['recall'])} {_pct(r['f1'])} "
              f"{c['lead_ok']:>3}/{c['lead_n']:<3} {sum(d['metadata'].values())}/{len(G.META_FIELDS)}")
    o = result["overall"]
    if not o["documents"]:
        return
    c, r = o["counts"], o["rates"]
    print(f"-- overall (micro): assignments P {_pct(r['precision'])} R {_pct(r['recall'])} "
          f"F1 {_pct(r['f1'])} (tp {c['tp']}, fp {c['fp']}, fn {c['fn']}); "
          f"role agreement {_pct(r['role_agreement'])}")
    print(f"   lead accuracy {_pct(r['lead_accuracy'])} ({c['lead_ok']}/{c['lead_n']}); "
          f"segmentation {_pct(r['segmentation'])} ({c['exact']}/{c['gold']} exact, "
          f"{c['matched']} found, {c['extracted']} extracted)")
    print("   metadata: " + ", ".join(
        f"{k} {_pct(v)}" + (" (not extracted)" if k in o["not_extracted"] else "")
        for k, v in o["metadata"].items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold")
    ap.add_argument("--set", choices=("dev", "holdout", "all"), default="dev")
    ap.add_argument("--doc", help="score only this document (file stem)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead")
    ap.add_argument("--tree", type=Path, help="import the extraction package from this checkout")
    ap.add_argument("--detail", action="store_true", help="also list each document's misses")
    ap.add_argument("--neutral-names", action="store_true",
                    help="read each source under the name document.<ext>: what the text alone gives "
                         "(the gold's files are named by their 文号, which metadata falls back on)")
    ap.add_argument("--perturb", choices=sorted(PERTURBATIONS),
                    help="score each text rewritten in another style that keeps its meaning (bench/perturb.py)")
    ap.add_argument("--records", action="store_true",
                    help=f"read each source with the crawl's record of its page ({RECORDS_FILE} beside it), "
                         "as policykg ingest does; without it the scores are the text's (and file name's) alone")
    args = ap.parse_args(argv)
    if args.records and (args.neutral_names or args.perturb):
        ap.error("--records reads the sources as they are: not with --neutral-names or --perturb")
    if args.tree:
        if "extraction" in sys.modules:
            ap.error("--tree: extraction already imported")
        sys.path.insert(0, str(args.tree.resolve()))
    names = ("dev", "holdout") if args.set == "all" else (args.set,)
    results = {n: score_set(args.gold / n, args.doc, args.neutral_names, args.perturb, args.records) for n in names}
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        for n in names:
            report(n, results[n])
            for doc, d in results[n]["documents"].items() if args.detail else ():
                print(f"\n-- {doc}: {len(d['problems'])} problems; metadata wrong: "
                      + ", ".join(f"{k}={d['extracted_metadata'][k]!r}" for k, ok in d["metadata"].items() if not ok))
                print("\n".join("   " + line for line in d["problems"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
