"""The style rewrites of bench/perturb.py on a real document (tests/data/real/), and the scorer's
--perturb option: each rewrite changes what it says it changes and nothing else."""

from __future__ import annotations

import json
import re

from bench import accuracy as A
from bench.perturb import (
    PERTURBATIONS,
    ascii_notes,
    bare_names,
    hard_wrap,
    html_page,
    label_clauses,
    label_words,
    marker_lines,
    note_lines,
    one_line,
    spaced_cells,
)

from ..conftest import DATA

DOC = "赣府厅发〔2020〕10号"
TEXT = (DATA / "real" / f"{DOC}.txt").read_text(encoding="utf-8")


def _bare(s: str) -> str:
    return re.sub(r"[\s（）():：]", "", s)


def test_ascii_notes_rewrite_only_notes():
    out = ascii_notes(TEXT)
    assert "(责任单位:省财政厅、省金融监管局)" in out and "（责任单位：省财政厅、省金融监管局）" in TEXT
    assert "（国发〔" in out or "（国办发〔" in out            # a bracket that is not a note stays full-width
    assert _bare(out) == _bare(TEXT)


def test_label_words_keep_the_role():
    out = label_words(TEXT)
    assert "责任单位" not in out and out.count("责任部门") == TEXT.count("责任单位")
    assert len(out) == len(TEXT)


def test_note_lines_move_a_trailing_note_below_its_item():
    out = note_lines(TEXT)
    lines = out.splitlines()
    moved = [k for k, line in enumerate(lines) if line.startswith("（责任单位：")]
    assert len(moved) == TEXT.count("（责任单位：")
    assert all(lines[k - 1].endswith(("。", "；")) for k in moved)
    assert out.replace("\n", "") == TEXT.replace("\n", "")


def test_label_clauses_drop_the_brackets_of_labelled_notes_only():
    out = label_clauses(TEXT)
    assert "（责任单位：" not in out and "责任单位：省财政厅、省金融监管局。" in out
    assert out.count("（") == TEXT.count("（") - TEXT.count("（责任单位：")


def test_bare_names_drop_the_label_of_responsible_notes_only():
    out = bare_names(TEXT)
    assert "（责任单位：" not in out and "（省财政厅、省金融监管局）" in out
    assert len(out) == len(TEXT) - TEXT.count("（责任单位：") * len("责任单位：")
    led = "（省发展改革委牵头，省财政厅配合）"          # a note with roles of its own keeps its words
    assert bare_names(led) == led and bare_names("（牵头单位：省发展改革委）") == "（牵头单位：省发展改革委）"


def test_spaced_cells_has_no_tab():
    text = (DATA / "real" / "沪交科〔2023〕706号.txt").read_text(encoding="utf-8")   # a task table of tab rows
    assert "\t" in text and "\t" not in spaced_cells(text)
    assert spaced_cells(text).split("\n")[5:] != text.split("\n")[5:] and spaced_cells(text).count("\n") == text.count("\n")


def test_hard_wrap_breaks_paragraphs_and_keeps_rows():
    text = (DATA / "real" / "沪交科〔2023〕706号.txt").read_text(encoding="utf-8")   # a task table of tab rows
    wrapped = hard_wrap(text)
    assert [line for line in wrapped.split("\n") if "\t" in line] == [line for line in text.split("\n") if "\t" in line]
    prose = [line for line in wrapped.split("\n") if line and "\t" not in line]
    assert max(len(line) for line in prose) <= 76 and sum(len(line) >= 37 for line in prose) > 20
    assert re.sub(r"[\u3000\n]", "", wrapped) == re.sub(r"[\u3000\n]", "", text)


def test_marker_lines_sets_each_number_on_a_line_of_its_own():
    out = marker_lines(TEXT)
    assert out.replace("\n", "") == TEXT.replace("\n", "") and out.count("\n") > TEXT.count("\n") + 10
    assert all(not re.match(r"（[一二三四五六七八九十]+）\S", line) for line in out.split("\n"))


def test_one_line_has_no_line_break():
    assert "\n" not in one_line(TEXT) and one_line(TEXT) == TEXT.replace("\n", "")


def test_the_scorer_scores_a_rewritten_text(capsys):
    A.main(["--set", "holdout", "--doc", DOC, "--json", "--perturb", "one-line"])
    d = json.loads(capsys.readouterr().out)["holdout"]["documents"][DOC]
    A.main(["--set", "holdout", "--doc", DOC, "--json"])
    plain = json.loads(capsys.readouterr().out)["holdout"]["documents"][DOC]
    assert d["counts"]["gold"] == plain["counts"]["gold"] > 20
    assert d["counts"]["matched"] == plain["counts"]["matched"] == 25 and d["counts"]["tp"] == plain["counts"]["tp"]
    assert set(PERTURBATIONS) == {"ascii-notes", "label-words", "note-lines", "label-clauses", "bare-names", "one-line",
                                  "html-page", "spaced-cells", "hard-wrap", "marker-lines"}


def test_html_page_is_a_paragraph_per_line_and_a_table_per_run_of_rows():
    text = (DATA / "real" / "沪交科〔2023〕706号.txt").read_text(encoding="utf-8")   # a task table of tab rows
    page = html_page(text)
    lines = [line for line in text.split("\n") if line.strip()]
    assert page.count("<p>") == sum("\t" not in line for line in lines)
    assert page.count("<tr>") == sum("\t" in line for line in lines) and page.count("<table>") == 1
    assert "<title>" not in page                                            # no metadata the text lacks


def test_the_scorer_reads_an_html_page_as_html(capsys):
    doc = "沪交科〔2023〕706号"
    A.main(["--set", "dev", "--doc", doc, "--json", "--perturb", "html-page"])
    page = json.loads(capsys.readouterr().out)["dev"]["documents"][doc]
    A.main(["--set", "dev", "--doc", doc, "--json"])
    plain = json.loads(capsys.readouterr().out)["dev"]["documents"][doc]
    assert page["counts"] == plain["counts"] and page["counts"]["tp"] > 30      # its table's rows are read
