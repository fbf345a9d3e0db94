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
    titled = {s.heading.title for s in _walk(ex.sections) if s.id in duties_sections(ex.sections, ex.text) and s.heading}
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


def test_a_units_numbered_duties_are_its_bodys_too():
    # 虹府规〔2022〕3号 三、分工与职责: （一）虹口区绿化和市容管理局 on its own line, an intro (…主要履行以下
    # 职责：), then its duties 1.组织制定…；2.…
    ex = extract_path(REAL / "虹府规〔2022〕3号.txt")
    unit = next(p for p in ex.provisions if p.label == "（一）" and "绿化和市容管理局" in p.span.of(ex.text)[:20])
    duties = [p for p in ex.provisions if unit.span.end <= p.span.start and p.label and p.label.endswith(".")][:3]
    assert [p.span.of(ex.text)[:6] for p in duties] == ["1.组织制定", "2.开展相关", "3.办理建筑"]
    for p in [unit, *duties]:
        assert [(a.surface, a.role, a.source) for a in p.assignments if a.source == "heading"] == \
            [("虹口区绿化和市容管理局", "responsible", "heading")]


def test_an_annex_titled_as_a_duties_list_assigns_each_units_body():
    # 青府办发〔2025〕20号 附件2 青浦区土方管理平台职责清单: 二、区城运中心 (heading only) > 1、线索处置与闭环管理;
    # 五、区城管执法局 > 1、执法查处 (a duty's title, not a body); 六、公安青浦分局（交警支队）: the body, not its
    # gloss; 七、属地街镇（…）: the units where a thing lies; 十三、区土方工作专班: a task force
    ex = extract_path(REAL / "青府办发〔2025〕20号.txt")
    annex = ex.text.index("青浦区土方管理平台职责清单")
    headed = {(p.span.of(ex.text).split("\n")[0], a.surface) for p in ex.provisions if p.span.start > annex
              for a in p.assignments if a.source == "heading"}
    assert {("1、线索处置与闭环管理", "区城运中心"), ("1、执法查处", "区城管执法局"), ("1、车辆拦截与交通执法", "公安青浦分局"),
            ("3、装修垃圾管理", "属地街镇"), ("4、特殊事项协调", "区土方工作专班")} <= headed
    assert not any(surface == "执法查处" for _, surface in headed)


def test_a_units_paragraphs_that_open_with_bodies_name_them_all():
    # 柳南政办〔2022〕9号: （三）联席会议成员单位。 then one unnumbered paragraph per member (区教育局：负责…;
    # 各镇政府、街道办事处：负责…); （一）联席会议。 (an ad-hoc body, still the body its duties are given to)
    ex = extract_path(REAL / "柳南政办〔2022〕9号.txt")
    members = next(p for p in ex.provisions if p.label == "（三）")
    named = [a.surface for a in members.assignments if a.source == "heading"]
    assert named[:3] == ["区教育局", "柳南区发展改革局", "区民政局"] and named[-2:] == ["各镇政府", "街道办事处"]
    assert len(named) == 17
    assert ("1.", "联席会议", "responsible") in _headed(ex)


def test_a_units_heading_may_say_duties_and_name_several_bodies():
    # 筑府办函〔2017〕145号: （一）市政府金融办职责。 (the body, not 市政府金融办职责); （六）各区（市、县）人民政府、开发区管委会
    # 职责。 (both, whose duty 6.指导辖区内各职能部门… is no duties part of its own for naming 职能 in passing)
    ex = extract_path(REAL / "筑府办函〔2017〕145号.txt")
    headed = _headed(ex)
    # its first duty lost its dot (1在市政府的统一部署下…, then 2.对需领导小组…): still the first duty, not the heading's text
    assert headed[:3] == [("1", "市政府金融办", "responsible"), ("2.", "市政府金融办", "responsible"),
                          ("3.", "市政府金融办", "lead")]
    first = next(p for p in ex.provisions if p.label == "1")
    assert first.span.of(ex.text).startswith("1在市政府的统一部署下") and first.number == 1
    sixth = [p for p in ex.provisions if p.span.of(ex.text).startswith("6.指导辖区内各职能部门")]
    assert [(a.surface, a.role) for p in sixth for a in p.assignments if a.source == "heading"] == \
        [("各区（市、县）人民政府", "responsible"), ("开发区管委会", "responsible")]
    assert not any(surface.endswith("职责") for _, surface, _ in headed)
