"""Task alignment (kg/compare/align.py): the seed against the outline of 国办发〔2017〕43号.

The expected pairs are what a person reads from the two texts: the seed's eight key tasks
follow the national eight in order, each reworded for the province.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg.compare.align import (
    IMPLEMENTED_BAND,
    MATCH_THRESHOLD,
    SPLIT_THRESHOLD,
    WEIGHTS,
    TaskText,
    align_tasks,
)

from ...conftest import CORPUS

OUTLINE = CORPUS / "national" / "guideline-2017-43.json"

# seed task (ordinal, heading) -> national key task (n, heading)
EXPECTED = {
    (1, "推动特色优势产业转型升级"): (1, "加快产业转型升级"),
    (2, "培育壮大科技型中小企业"): (2, "培育壮大创新型企业"),
    (3, "引导创新创业人才集聚"): (3, "集聚创新创业人才"),
    (4, "完善创新创业载体建设"): (4, "加强创新创业载体建设"),
    (5, "促进社会事业创新发展"): (5, "促进县域社会事业发展"),
    (6, "创新驱动精准扶贫精准脱贫"): (6, "创新驱动精准扶贫精准脱贫"),
    (7, "大力开展科学普及"): (7, "加大科学普及力度"),
    (8, "切实加强政策落地"): (8, "抓好科技创新政策落地"),
}
# the band a right pair scores in: at least the implemented band, below identity (the bodies
# differ: a full provincial task against a one-line national scope); task 6 has the same heading
RIGHT_PAIR_BAND = (IMPLEMENTED_BAND, 0.95)


@pytest.fixture(scope="module")
def tasks(extract):
    seed = extract("seed")
    local = [TaskText(p.ordinal, p.title, p.span.of(seed.text)) for p in seed.tasks]
    items = json.loads(OUTLINE.read_text(encoding="utf-8"))["key_tasks"]["items"]
    national = [TaskText(i["n"], i["heading"], i["scope"]) for i in items]
    return local, national


def test_weights_sum_to_one_and_thresholds_are_ordered():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert 0 < MATCH_THRESHOLD < IMPLEMENTED_BAND < SPLIT_THRESHOLD < 1


def test_seed_aligns_one_to_one_as_read(tasks):
    result = align_tasks(*tasks)
    got = {(a.local.ordinal, a.local.title): (a.national.ordinal, a.national.title) for a in result.alignments}
    assert got == EXPECTED
    assert {a.method for a in result.alignments} == {"hungarian"}
    for a in result.alignments:
        assert RIGHT_PAIR_BAND[0] <= a.score < RIGHT_PAIR_BAND[1] or a.local.title == a.national.title
        assert set(a.features) == set(WEIGHTS)
    assert result.national_uncovered == [] and result.local_added == []
    assert {status for status, _ in result.coverage.values()} == {"implemented"}


def test_wrong_pairs_score_below_the_implemented_band(tasks):
    m = align_tasks(*tasks).matrix
    off = m[~np.eye(8, dtype=bool)]
    assert off.max() < IMPLEMENTED_BAND
    assert all(m[i, i] > m[i].max(initial=0) - 1e-12 for i in range(8))   # each row's best is its pair


def test_a_split_task_and_a_local_addition(tasks):
    local, national = tasks
    t6 = local[5].text
    cut = t6.index("实施驻村")
    local = (local[:5] + [TaskText(6, local[5].title, t6[:cut])] + local[6:]
             + [TaskText(9, "科技人才助力精准扶贫精准脱贫", t6[cut:]),
                TaskText(10, "加强知识产权保护", "完善知识产权保护制度,严厉打击侵权假冒行为。")])
    result = align_tasks(local, national)
    split = [a for a in result.alignments if a.method == "split"]
    assert [(a.local.ordinal, a.national.ordinal) for a in split] == [(9, 6)]
    assert split[0].score >= SPLIT_THRESHOLD
    assert [t.ordinal for t in result.local_added] == [10]
    assert result.national_uncovered == []


def test_a_national_task_left_out_is_missing(tasks):
    local, national = tasks
    result = align_tasks([t for t in local if t.ordinal != 7], national)
    assert [t.ordinal for t in result.national_uncovered] == [7]
    assert result.coverage[7] == ("missing", 0.0)


def test_empty_sides():
    result = align_tasks([], [TaskText(1, "加快产业转型升级")])
    assert result.alignments == [] and [t.ordinal for t in result.national_uncovered] == [1]
