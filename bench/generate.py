"""Deterministic generator of synthetic policy documents for benchmarks.

    python -m bench.generate --count 1000 --out DIR --seed 1 [--check 20]

The material is the real corpus (corpus/*.txt): the extraction of each document gives its
task items (heading, body and responsibility notes, exactly as written), its safeguard items
and its opening part (指导思想, 基本原则 …). A generated document recombines them:

* national documents (国务院 / 国务院办公厅, 文号 国发〔Y〕N号 / 国办发〔Y〕N号) take tasks from the
  national documents of the corpus, every responsibility style included (负责, 牵头…参与,
  指导, lead-first declarations);
* provincial documents (a province of the gazetteer's regions.csv, 文号 such as
  辽政办发〔2019〕17号, issuer 吉林省人民政府办公厅) take the provincial tasks, with the region's
  name put in place of 辽宁, so 省科技厅 and 辽宁银监局-style forms are resolved per region; they
  say which national document they implement (为贯彻落实《…》(文号)).

Tasks are renumbered （一）（二）… in one to three task parts (numbering restarting or running
on across parts, both occur in real documents). Each document is a well-formed text with a
title, 文号, addressees, opening, task parts, a 保障措施 part and a signature; ``manifest.tsv``
in the output folder lists, per file, the 文号 and the number of tasks the pipeline must find
(``--check N`` runs the pipeline on the first N files and compares).

Files are streamed to ``OUT/<batch of 1000>/<n>.txt``; nothing is kept in memory but the
corpus material, so 100k documents cost disk, not RAM. Same seed, same files, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REGIONS_CSV = ROOT / "extraction" / "data" / "regions.csv"

# one-character abbreviations used in provincial 文号 (辽政办发〔2019〕17号)
ABBREVIATIONS = {
    "河北": "冀", "山西": "晋", "辽宁": "辽", "吉林": "吉", "黑龙江": "黑", "江苏": "苏", "浙江": "浙",
    "安徽": "皖", "福建": "闽", "江西": "赣", "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘",
    "广东": "粤", "海南": "琼", "四川": "川", "贵州": "黔", "云南": "云", "陕西": "陕", "甘肃": "甘",
    "青海": "青",
}
NUMERALS = "一二三四五六七八九十"
MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十百]+[）)]|\d+[.．、])\s*")
TOPICS = ["县域创新驱动发展", "加快发展体育竞赛表演产业", "促进综合保税区高水平开放高质量发展",
          "推进“无废城市”建设试点工作", "深化科技体制改革", "促进民营经济健康发展", "加强生态环境保护",
          "推动制造业高质量发展", "加快发展现代服务业", "优化营商环境", "促进农业科技创新",
          "推进产业转型升级", "加强知识产权保护", "支持科技型中小企业发展"]
PART_TITLES = ["重点任务", "主要任务", "丰富赛事活动，完善赛事体系", "壮大市场主体，优化市场环境",
               "强化创新驱动，培育发展动能", "优化产业布局，加强平台建设"]


def chinese_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + (NUMERALS[n - 11] if n > 10 else "")
    tens, units = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[units - 1] if units else "")


@dataclass(frozen=True)
class Material:
    title: str
    identifier: str | None
    level: str                      # national | provincial
    opening: str                    # 总体要求 part without its 一、 heading line
    tasks: tuple[str, ...]          # task items without their number marker
    safeguards: tuple[str, ...]


def _strip(item: str) -> str:
    return MARKER.sub("", item, count=1).strip()


def load_material(corpus: Path = CORPUS, extract=None) -> list[Material]:
    """Extract the corpus .txt documents once; the material every generated document uses
    (``extract``: path -> DocumentExtraction, default the pipeline's ``extract_path``)."""
    if extract is None:
        from extraction.pipeline import extract_path as extract

    out = []
    for path in sorted(corpus.glob("*.txt")):
        e = extract(path)
        text = e.text
        tasks = tuple(_strip(text[p.span.start:p.span.end]) for p in e.provisions if p.kind == "task")
        safeguards = tuple(_strip(text[p.span.start:p.span.end]) for p in e.provisions
                           if p.kind == "safeguard" and p.title)
        first = e.sections[0]
        opening = text[first.span.start:first.span.end].split("\n", 1)[1].strip() if e.sections else ""
        out.append(Material(e.metadata.title, e.metadata.identifier,
                            "national" if e.metadata.level == "national" else "provincial",
                            opening, tasks, safeguards))
    return out


def provinces() -> list[tuple[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return [(r["name"], r["short"]) for r in csv.DictReader(f)
                if r["kind"] == "province" and r["short"] in ABBREVIATIONS]


class Generator:
    def __init__(self, seed: int, material: list[Material] | None = None) -> None:
        self.rng = random.Random(seed)
        self.material = material if material is not None else load_material()
        self.national = [m for m in self.material if m.level == "national"]
        self.provincial = [m for m in self.material if m.level == "provincial"]
        self.national_tasks = [t for m in self.national for t in m.tasks]
        self.provincial_tasks = [t for m in self.provincial for t in m.tasks]
        self.safeguards = [s for m in self.material for s in m.safeguards]
        self.openings = [m.opening for m in self.material if m.opening]
        self.provinces = provinces()
        self.numbers: dict[str, int] = {}

    def _identifier(self, prefix: str, year: int) -> str:
        key = f"{prefix}〔{year}〕"
        self.numbers[key] = n = self.numbers.get(key, 0) + 1
        return f"{key}{n}号"

    def document(self) -> tuple[str, str, int]:
        """One document: (text, 文号, number of tasks)."""
        rng = self.rng
        year = rng.randint(2015, 2024)
        topic = rng.choice(TOPICS)
        if self.provincial and rng.random() < 0.6:
            region, short = rng.choice(self.provinces)
            issuer = f"{region}人民政府办公厅"
            identifier = self._identifier(f"{ABBREVIATIONS[short]}政办发", year)
            title = f"{issuer}关于{topic}的实施意见"
            pool = [t.replace("辽宁", short) for t in self.provincial_tasks]
            nat = rng.choice(self.national)
            intro = (f"为贯彻落实《{nat.title}》({nat.identifier})精神，结合我省实际，"
                     f"经省政府同意，现提出以下实施意见。")
            addressees = "各市人民政府，省政府各厅委、各直属机构："
            opening = rng.choice(self.openings).replace("辽宁", short)
            closing_word = "省政府"
        else:
            issuer = rng.choice(["国务院", "国务院办公厅"])
            identifier = self._identifier("国发" if issuer == "国务院" else "国办发", year)
            title = f"{issuer}关于{topic}的{rng.choice(['若干意见', '指导意见'])}"
            pool = list(self.national_tasks)
            intro = f"为{topic}，经国务院同意，现提出以下意见："
            addressees = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
            opening = rng.choice([m.opening for m in self.national if m.opening])
            closing_word = "国务院"
        n_tasks = rng.randint(3, min(12, len(pool)))
        tasks = rng.sample(pool, n_tasks)
        n_parts = rng.randint(1, min(3, n_tasks))
        cuts = sorted(rng.sample(range(1, n_tasks), n_parts - 1))
        groups = [tasks[a:b] for a, b in zip([0, *cuts], [*cuts, n_tasks], strict=True)]
        run_on = rng.random() < 0.5
        lines = [title, identifier, addressees, intro, "一、总体要求", opening]
        part, item = 1, 0
        for group in groups:
            part += 1
            lines.append(f"{chinese_number(part)}、{rng.choice(PART_TITLES)}")
            if not run_on:
                item = 0
            for task in group:
                item += 1
                lines.append(f"（{chinese_number(item)}）{task}")
        part += 1
        lines.append(f"{chinese_number(part)}、保障措施")
        for i, s in enumerate(rng.sample(self.safeguards, min(len(self.safeguards), rng.randint(1, 3))), 1):
            lines.append(f"（{chinese_number(i)}）{s}")
        lines.append(f"各地区、各有关部门要充分认识{topic}的重要意义，加强组织领导，强化协同配合，"
                     f"务求取得实效，重大事项及时报告{closing_word}。")
        lines += [issuer, f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
        return "\n".join(lines) + "\n", identifier, n_tasks


def generate(count: int, out: str | Path, seed: int = 1, material: list[Material] | None = None,
             per_folder: int = 1000) -> Path:
    """Write ``count`` documents under ``out`` (streamed) and ``out/manifest.tsv``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed, material)
    with (out / "manifest.tsv").open("w", encoding="utf-8") as manifest:
        manifest.write("file\tidentifier\ttasks\tchars\n")
        for i in range(count):
            text, identifier, n_tasks = gen.document()
            rel = Path(f"{i // per_folder:05d}") / f"{i:06d}.txt"
            (out / rel.parent).mkdir(exist_ok=True)
            (out / rel).write_text(text, encoding="utf-8")
            manifest.write(f"{rel.as_posix()}\t{identifier}\t{n_tasks}\t{len(text)}\n")
    return out


def check(out: str | Path, n: int) -> list[str]:
    """Run the pipeline on the first ``n`` files; a list of mismatches (empty when all agree)."""
    from extraction.pipeline import extract_path

    out = Path(out)
    problems = []
    with (out / "manifest.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))[:n]
    for row in rows:
        e = extract_path(out / row["file"])
        if len(e.tasks) != int(row["tasks"]) or e.metadata.identifier != row["identifier"]:
            problems.append(f"{row['file']}: {len(e.tasks)} tasks ({row['tasks']} expected), "
                            f"文号 {e.metadata.identifier} ({row['identifier']} expected)")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", type=int, default=0, metavar="N", help="extract the first N files and compare")
    args = p.parse_args(argv)
    generate(args.count, args.out, args.seed)
    if args.check:
        problems = check(args.out, args.check)
        for line in problems:
            print(line, file=sys.stderr)
        print(f"checked {min(args.check, args.count)} files: {len(problems)} mismatches", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
