"""Duties parts (extraction/duties.py): a unit headed by the body it assigns.

Real text: 闵古办〔2022〕20号 (a street office's plan: 二、职责分工 1.街道消委办。牵头开展…) and
沪奉府发〔2021〕16号 (附件2 五、组织构架和职责分工: （一）组织构架 sets up offices, （二）职责分工 names
roles of persons), both of tests/data/real (tests/data/README.md).
"""

from __future__ import annotations

from extraction.duties import duties_sections
from extraction.pipeline import extract_path, extract_text

from ..conftest import DATA

REAL = DATA / "real"


def _headed(ex):
    return [(p.label, a.surface, a.role) for p in ex.provisions for a in p.assignments if a.source == "heading"]


def test_each_unit_of_a_duties_part_is_assigned_the_body_it_opens_with():
    ex = extract_path(REAL / "闵古办〔2022〕20号.txt")
    assert _headed(ex) == [("1.", "街道消委办", "lead"), ("2.", "派出所", "responsible"), ("3.", "服务办", "lead"),
                           ("4.", "建管中心", "responsible"), ("5.", "管理办", "responsible"),
                           ("6.", "城运中心", "responsible"), ("7.", "居委会", "responsible")]
    assert all(a.span.of(ex.text) == a.surface for p in ex.provisions for a in p.assignments)


def test_only_the_narrowest_part_speaking_of_duties_counts():
    ex = extract_path(REAL / "沪奉府发〔2021〕16号.txt")
    assert not any(surface == "区级农村公路办公室" for _, surface, _ in _headed(ex))   # （一）组织构架 2.区级农村公路办公室：成立…
    titled = {s.heading.title for s in _walk(ex.sections) if s.id in duties_sections(ex.sections) and s.heading}
    assert "职责分工" in titled and "组织构架" not in titled


def test_a_place_or_a_part_not_about_duties_assigns_nobody():
    text = ("一、工作目标\n到2025年，全区海绵城市建设取得明显成效。\n二、职责分工\n1.上海市。负责统筹推进。\n"
            "2.区建管委：牵头协调督促。\n三、保障措施\n1.区财政局：负责资金保障。")
    ex = extract_text(text)
    assert _headed(ex) == [("2.", "区建管委", "lead")]


def _walk(sections):
    from extraction.outline import walk

    return walk(sections)


def test_a_body_named_alone_on_its_heading_line_is_assigned_too():
    text = ("一、工作目标\n到2025年，全区海绵城市建设取得明显成效。\n四、职责分工\n（一）区建管委\n牵头协调督促各项工作。\n"
            "（二）区财政局\n负责落实资金保障。\n（三）各项工作\n有序推进。")
    assert _headed(extract_text(text)) == [("（一）", "区建管委", "lead"), ("（二）", "区财政局", "responsible")]
