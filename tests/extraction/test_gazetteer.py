"""The agency gazetteer: resolutions taken from the real documents in corpus/, and data integrity.

Expected keys and labels below are written out by hand from the documents and the official
names; nothing here is computed with the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.fold import fold
from extraction.gazetteer import Gazetteer, GazetteerDataError, default_gazetteer
from extraction.model import AGENCY_KINDS, Agency

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "extraction" / "data"
CORPUS = ROOT / "corpus"
LN = "辽宁省"


def gaz() -> Gazetteer:
    return default_gazetteer()


# Every name in the responsibility notes of the three State Council documents
# (国发〔2019〕3号, 国办发〔2018〕121号, 国办发〔2018〕128号), plus bodies named in their text.
NATIONAL = [
    ("税务总局", "cn/sat", "国家税务总局"),
    ("财政部", "cn/mof", "财政部"),
    ("海关总署", "cn/customs", "海关总署"),
    ("商务部", "cn/mofcom", "商务部"),
    ("发展改革委", "cn/ndrc", "国家发展和改革委员会"),
    ("国家发展改革委", "cn/ndrc", "国家发展和改革委员会"),
    ("科技部", "cn/most", "科学技术部"),
    ("市场监管总局", "cn/samr", "国家市场监督管理总局"),
    ("药监局", "cn/nmpa", "国家药品监督管理局"),
    ("文化和旅游部", "cn/mct", "文化和旅游部"),
    ("文物局", "cn/ncha", "国家文物局"),
    ("工业和信息化部", "cn/miit", "工业和信息化部"),
    ("生态环境部", "cn/mee", "生态环境部"),
    ("证监会", "cn/csrc", "中国证券监督管理委员会"),
    ("体育总局", "cn/sport", "国家体育总局"),
    ("民政部", "cn/mca", "民政部"),
    ("人力资源社会保障部", "cn/mohrss", "人力资源和社会保障部"),
    ("北京冬奥组委", "cn/beijing2022", "北京2022年冬奥会和冬残奥会组织委员会"),
    ("教育部", "cn/moe", "教育部"),
    ("网信办", "cn/cac", "国家互联网信息办公室"),
    ("公安部", "cn/mps", "公安部"),
    ("住房城乡建设部", "cn/mohurd", "住房和城乡建设部"),
    ("应急部", "cn/mem", "应急管理部"),
    ("银保监会", "cn/cbirc", "中国银行保险监督管理委员会"),
    ("人民银行", "cn/pboc", "中国人民银行"),
    ("标准委", "cn/sac", "国家标准化管理委员会"),
    ("统计局", "cn/nbs", "国家统计局"),
    ("国家统计局", "cn/nbs", "国家统计局"),
    ("广电总局", "cn/nrta", "国家广播电视总局"),
    ("版权局", "cn/ncac", "国家版权局"),
    ("司法部", "cn/moj", "司法部"),
    ("外交部", "cn/mfa", "外交部"),
    ("交通运输部", "cn/mot", "交通运输部"),
    ("水利部", "cn/mwr", "水利部"),
    ("海洋局", "cn/soa", "国家海洋局"),
    ("空管委办公室", "cn/atmc-office", "国务院、中央军委空中交通管制委员会办公室"),
    ("农业农村部", "cn/mara", "农业农村部"),
    ("自然资源部", "cn/mnr", "自然资源部"),
    ("国家卫生健康委", "cn/nhc", "国家卫生健康委员会"),
    ("国管局", "cn/ngoa", "国家机关事务管理局"),
    ("国家邮政局", "cn/spb", "国家邮政局"),
    ("供销合作总社", "cn/coop", "中华全国供销合作总社"),
    ("试点城市政府", "cn/pilot-city-governments", "试点城市人民政府"),
    # in the text and the addressee lines
    ("各试点城市政府", "cn/pilot-city-governments", "试点城市人民政府"),
    ("国务院有关部门", "cn/state-council-departments", "国务院有关部门"),
    ("国务院各部委、各直属机构", "cn/state-council-departments", "国务院有关部门"),
    ("国务院各部委", "cn/state-council-departments", "国务院有关部门"),
    ("各省、自治区、直辖市人民政府", "cn/provincial-governments", "各省级人民政府"),
    ("省级有关部门", "cn/provincial-level-departments", "省级有关部门"),
    ("国务院", "cn/state-council", "国务院"),
    ("国务院办公厅", "cn/state-council-office", "国务院办公厅"),
    ("党中央", "cn/cpc-central", "中国共产党中央委员会"),
]

# Every name in the responsibility notes of the Liaoning document (region 辽宁省), plus bodies
# named in its text and addressee line.
LIAONING = [
    ("省农委", "ln/agri-committee", "辽宁省农村经济委员会"),
    ("省质监局", "ln/qts", "辽宁省质量技术监督局"),
    ("省知识产权局", "ln/ipo", "辽宁省知识产权局"),
    ("省工业和信息化委", "ln/eitc", "辽宁省工业和信息化委员会"),
    ("省发展改革委", "ln/drc", "辽宁省发展和改革委员会"),
    ("省科技厅", "ln/dost", "辽宁省科学技术厅"),
    ("省商务厅", "ln/commerce", "辽宁省商务厅"),
    ("各市人民政府", "ln/city-governments", "辽宁省各市人民政府"),
    ("省教育厅", "ln/edu", "辽宁省教育厅"),
    ("中科院沈阳分院", "cn/cas-shenyang", "中国科学院沈阳分院"),
    ("省政府金融办", "ln/finance-office", "辽宁省人民政府金融工作办公室"),
    ("人民银行沈阳分行", "cn/pboc-shenyang", "中国人民银行沈阳分行"),
    ("辽宁银监局", "ln/cbrc", "中国银行业监督管理委员会辽宁监管局"),
    ("辽宁证监局", "ln/csrc", "中国证券监督管理委员会辽宁监管局"),
    ("大连银监局", "dl/cbrc", "中国银行业监督管理委员会大连监管局"),
    ("大连证监局", "dl/csrc", "中国证券监督管理委员会大连监管局"),
    ("省人力资源社会保障厅", "ln/hrss", "辽宁省人力资源和社会保障厅"),
    ("省委组织部", "ln/org-dept", "中共辽宁省委组织部"),
    ("省财政厅", "ln/finance", "辽宁省财政厅"),
    ("省环保厅", "ln/env", "辽宁省环境保护厅"),
    ("省国土资源厅", "ln/land", "辽宁省国土资源厅"),
    ("省水利厅", "ln/water", "辽宁省水利厅"),
    ("省林业厅", "ln/forestry", "辽宁省林业厅"),
    ("省海洋渔业厅", "ln/ocean-fishery", "辽宁省海洋与渔业厅"),
    ("省卫生计生委", "ln/health-fp", "辽宁省卫生和计划生育委员会"),
    ("省公安厅", "ln/police", "辽宁省公安厅"),
    ("省住房城乡建设厅", "ln/housing", "辽宁省住房和城乡建设厅"),
    ("省文化厅", "ln/culture", "辽宁省文化厅"),
    ("省扶贫办", "ln/poverty", "辽宁省扶贫开发领导小组办公室"),
    ("省科协", "ln/cast", "辽宁省科学技术协会"),
    ("省地税局", "ln/ltb", "辽宁省地方税务局"),
    ("省国税局", "ln/ntb", "辽宁省国家税务局"),
    # in the text and the addressee line
    ("省直相关部门", "ln/provincial-departments", "辽宁省直有关部门"),
    ("各市政府", "ln/city-governments", "辽宁省各市人民政府"),
    ("省政府", "ln/gov", "辽宁省人民政府"),
    ("省政府各厅委、各直属机构", "ln/provincial-departments", "辽宁省直有关部门"),
    ("省政府各厅委", "ln/provincial-departments", "辽宁省直有关部门"),
    ("各直属机构", "ln/provincial-departments", "辽宁省直有关部门"),
    ("辽宁省人民政府办公厅", "ln/gov-office", "辽宁省人民政府办公厅"),
]


@pytest.mark.parametrize(("surface", "key", "pref"), NATIONAL)
def test_national_document_names(surface, key, pref):
    agency = gaz().resolve(surface)
    assert agency is not None and agency.recognised
    assert (agency.key, agency.pref_label) == (key, pref)
    assert agency.kind in AGENCY_KINDS and agency.kind != "unknown"


@pytest.mark.parametrize(("surface", "key", "pref"), LIAONING)
def test_liaoning_document_names(surface, key, pref):
    agency = gaz().resolve(surface, LN)
    assert agency is not None and agency.recognised
    assert (agency.key, agency.pref_label) == (key, pref)
    assert agency.region == LN


@pytest.mark.parametrize(("surface", "kind", "counterpart"), [
    ("省科技厅", "provincial", "cn/most"),
    ("省委组织部", "party", "cn/org-dept"),
    ("省科协", "association", "cn/cast"),
    ("省国税局", "branch", "cn/sat"),
    ("省农委", "provincial", "cn/moa"),
    ("辽宁银监局", "branch", "cn/cbrc"),
    ("大连证监局", "branch", "cn/csrc"),
    ("人民银行沈阳分行", "branch", "cn/pboc"),
    ("中科院沈阳分院", "branch", "cn/cas"),
    ("各市人民政府", "collective", None),
])
def test_kind_and_counterpart(surface, kind, counterpart):
    agency = gaz().resolve(surface, LN)
    assert (agency.kind, agency.counterpart) == (kind, counterpart)


def _note_names(text: str) -> set[str]:
    """Names in the responsibility notes of a corpus text, split by hand-written rules."""
    text = fold(text)
    names = set()
    for m in re.finditer(r"（([^（）]*(?:负责|牵头|参与|指导|责任单位)[^（）]*)）", text):
        body = re.sub(r"^责任单位：", "", m.group(1)).split("。")[0]
        body = re.sub(r"，排在第一位.*", "", body)
        for part in re.split(r"[，、；]", body):
            part = re.sub(r"(负责落实|牵头|参与|指导|负责)$", "", part.strip())
            part = re.sub(r"等有关部门$", "", part)      # 商务部等有关部门: the note parser splits at 等
            if part:
                names.add(part)
    return names


@pytest.mark.parametrize(("filename", "table"), [
    ("国发〔2019〕3号.txt", NATIONAL),
    ("国办发〔2018〕121号.txt", NATIONAL),
    ("国办发〔2018〕128号.txt", NATIONAL),
    ("liaoning-county-innovation.txt", LIAONING),
])
def test_tables_cover_every_note_name_in_the_corpus(filename, table):
    path = CORPUS / filename
    if not path.exists():
        pytest.skip(f"{path} not present")
    names = _note_names(path.read_text(encoding="utf-8"))
    assert len(names) > 5
    assert names <= {surface for surface, _, _ in table}


def test_every_form_of_a_body_gives_the_same_key():
    g = gaz()
    for form in ("发展改革委", "国家发展改革委", "国家发展和改革委员会", "发改委"):
        assert g.resolve(form).key == "cn/ndrc"
    for form in ("省科技厅", "辽宁省科技厅", "辽宁省科学技术厅", "科技厅"):
        assert g.resolve(form, LN).key == "ln/dost"
    for form in ("辽宁省科技厅", "辽宁省科学技术厅"):
        assert g.resolve(form).key == "ln/dost"          # the long forms need no region


def test_alt_labels_list_the_known_forms():
    dost = gaz().resolve("省科技厅", LN)
    assert {"省科技厅", "辽宁省科技厅"} <= set(dost.alt_labels)
    assert dost.pref_label not in dost.alt_labels
    ndrc = gaz().resolve("发展改革委")
    assert {"发展改革委", "国家发展改革委"} <= set(ndrc.alt_labels)


def test_region_dependent_forms_need_the_region():
    g = gaz()
    for surface in ("省科技厅", "省直相关部门", "省政府"):
        agency = g.resolve(surface)
        assert agency.kind == "unknown" and not agency.recognised
    # a collective stays a collective, of no particular province
    towns = g.resolve("各市人民政府")
    assert (towns.kind, towns.region, towns.recognised) == ("collective", None, True)
    assert towns.key != g.resolve("各市人民政府", LN).key == "ln/city-governments"
    assert g.resolve("省科技厅", LN).key == "ln/dost"
    assert g.resolve("省科技厅", "辽宁").key == "ln/dost"            # short name accepted
    assert g.resolve("省科技厅", "大连市").key == "ln/dost"          # a city stands for its province
    assert g.resolve("省科技厅", "吉林省").key == "jl/dost"
    assert g.resolve("省科技厅", "吉林省").pref_label == "吉林省科学技术厅"
    assert g.resolve("省农委", "吉林省").pref_label == "吉林省农业委员会"
    assert g.resolve("自治区科技厅", "广西壮族自治区").key == "gx/dost"
    assert g.resolve("市政府", "北京市").pref_label == "北京市人民政府"
    # branch forms that name their own place resolve anywhere
    for surface, key in [("辽宁银监局", "ln/cbrc"), ("大连证监局", "dl/csrc"), ("人民银行沈阳分行", "cn/pboc-shenyang")]:
        assert g.resolve(surface).key == key
        assert g.resolve(surface, "吉林省").key == key


@pytest.mark.parametrize("phrase", [
    "有关部门", "相关部门", "各有关部门", "各有关部门和单位", "有关单位", "有关方面", "其他有关部门",
    "各地区", "各地", "各有关地区", "等有关部门", "有关部门等", " 各有关部门 ", "各地区、各有关部门",
    "相关行业监管部门", "有关职能部门", "其他相关单位",     # by their shape: the bodies concerned, whichever
])
def test_generic_phrases_resolve_to_none(phrase):
    g = gaz()
    assert g.is_generic(phrase)
    assert g.resolve(phrase) is None
    assert g.resolve(phrase, LN) is None


def test_generic_tail_is_not_split_by_the_gazetteer():
    """商务部等有关部门 is split by the note parser, not here: resolving it whole gives an
    unknown that does not look like an agency, so a caller cannot mistake it for 商务部."""
    g = gaz()
    whole = g.resolve("商务部等有关部门")
    assert not whole.recognised and not g.looks_like_agency("商务部等有关部门")
    assert g.resolve("商务部").key == "cn/mofcom" and g.resolve("有关部门") is None


def test_is_generic_is_false_for_bodies():
    assert not gaz().is_generic("海关总署")
    assert not gaz().is_generic("省科技厅")


@pytest.mark.parametrize(("surface", "region", "code"), [
    ("科技创新领导小组", LN, "ln"),
    ("省科技创新领导小组", LN, "ln"),        # an ad-hoc group is not read by its shape
    ("国家某某管理局", None, "cn"),
    ("省科技创新领导小组", None, "cn"),      # a 省 name without the document's province
    ("赣江新区管委会", "江西省", "jx"),
])
def test_unknown_names_are_kept(surface, region, code):
    agency = gaz().resolve(surface, region)
    digest = hashlib.sha1(surface.encode("utf-8")).hexdigest()[:10]
    assert agency == Agency(key=f"unknown/{code}/{digest}", pref_label=surface, kind="unknown",
                            region=region, recognised=False)
    assert gaz().unknown(surface, region) == agency
    assert agency.key.isascii()


def test_unknown_key_ignores_punctuation_variants():
    g = gaz()
    a = g.resolve("某某(试点)工作领导小组", LN)
    b = g.resolve("某某（试点）工作领导小组 ", LN)
    assert a.key == b.key and a.pref_label == "某某（试点）工作领导小组"


@pytest.mark.parametrize(("written", "region", "key"), [
    ("各县(市、区)人民政府", LN, "ln/county-governments"),
    ("各县（市、区）人民政府", LN, "ln/county-governments"),
    ("各省(区、市)人民政府", None, "cn/provincial-governments"),
    ("各省（区、市）人民政府", None, "cn/provincial-governments"),
    ("有关省级人民政府", None, "cn/provincial-governments"),
    ("各有关省级人民政府", None, "cn/provincial-governments"),
    ("  海关总署 ", None, "cn/customs"),
    ("\u3000商务部\u3000", None, "cn/mofcom"),
    ("海关总署等", None, "cn/customs"),
    ("省科技厅等", LN, "ln/dost"),
    ("试点城市人民政府", None, "cn/pilot-city-governments"),
    ("省直有关部门", LN, "ln/provincial-departments"),
    ("省直各部门", LN, "ln/provincial-departments"),
    ("国务院各部门", None, "cn/state-council-departments"),
])
def test_written_variants(written, region, key):
    assert gaz().resolve(written, region).key == key


@pytest.mark.parametrize(("surface", "key"), [
    ("农业部", "cn/moa"), ("环境保护部", "cn/mep"), ("环保部", "cn/mep"), ("国土资源部", "cn/mlr"),
    ("国家卫生计生委", "cn/nhfpc"), ("文化部", "cn/moc"), ("国家旅游局", "cn/cnta"), ("工商总局", "cn/saic"),
    ("质检总局", "cn/aqsiq"), ("食品药品监管总局", "cn/cfda"), ("银监会", "cn/cbrc"), ("保监会", "cn/circ"),
    ("国家林业局", "cn/sfa"), ("安全监管总局", "cn/sawsa"), ("新闻出版广电总局", "cn/sapprft"),
    ("国家测绘地信局", "cn/nasg"), ("国家粮食局", "cn/sag"), ("国务院法制办", "cn/lao"),
    ("国务院扶贫办", "cn/cpad"), ("国家乡村振兴局", "cn/nrra"), ("中科院", "cn/cas"), ("中国科学院", "cn/cas"),
    ("自然科学基金委", "cn/nsfc"), ("全国总工会", "cn/acftu"), ("共青团中央", "cn/cylc"), ("全国妇联", "cn/acwf"),
    ("中国科协", "cn/cast"), ("中央组织部", "cn/org-dept"), ("中央宣传部", "cn/propaganda-dept"),
    ("中央网信办", "cn/cac"), ("退役军人部", "cn/mva"), ("应急管理部", "cn/mem"), ("国资委", "cn/sasac"),
    ("国家金融监督管理总局", "cn/nfra"), ("国家知识产权局", "cn/cnipa"), ("林草局", "cn/nfga"),
    ("移民局", "cn/nia"), ("民航局", "cn/caac"), ("中医药局", "cn/natcm"), ("外汇局", "cn/safe"),
    ("粮食和储备局", "cn/nfsra"), ("国际发展合作署", "cn/cidca"), ("医保局", "cn/nhsa"), ("参事室", "cn/counsellors"),
])
def test_other_national_bodies(surface, key):
    assert gaz().resolve(surface).key == key


def test_pre_2018_and_current_bodies_are_separate():
    g = gaz()
    assert g.resolve("农业部").key != g.resolve("农业农村部").key
    assert g.resolve("省环保厅", LN).key != g.resolve("省生态环境厅", LN).key
    assert g.resolve("省国税局", LN).key != g.resolve("省税务局", LN).key


def test_regions():
    g = gaz()
    ln = g.region_by_name("辽宁省")
    assert (ln.name, ln.short, ln.code, ln.kind, ln.capital) == ("辽宁省", "辽宁", "ln", "province", "沈阳")
    assert g.region_by_name("辽宁") == ln
    assert g.region_by_name("广西").name == "广西壮族自治区"
    assert g.region_by_name("北京市").kind == "municipality"
    assert g.region_by_name("大连").province == "辽宁省"
    assert g.region_by_name("火星") is None
    assert g.find_region_prefix("辽宁省人民政府办公厅") == ln
    assert g.find_region_prefix("中共辽宁省委办公厅") == ln
    city = g.find_region_prefix("沈阳市人民政府")
    assert (city.name, city.province) == ("沈阳市", "辽宁省")
    assert g.find_region_prefix("盘锦市人民政府办公室").province == "辽宁省"
    assert g.find_region_prefix("内蒙古自治区人民政府").code == "nm"
    assert g.find_region_prefix("北京冬奥组委") is None
    assert g.find_region_prefix("国务院办公厅") is None


@pytest.mark.parametrize("surface", [
    "省科技创新领导小组", "某某市人民政府", "国家某某局", "某某集团有限公司", "某某银行沈阳分行", "某某研究中心",
    "各县(市、区)人民政府", "某某管理委员会", "某某办公室",
    "临汾路街道", "彭浦镇",          # grassroots governments (静发改委〔2025〕11号's 责任部门 cells)
    "市政务公开办", "联席会议",       # an office, though 开办 ends ordinary words; an ad-hoc body (柳南政办〔2022〕9号)
    "济宁军分区", "市广播电视台", "市气象台", "济南车务段", "济南供电段",   # military, media, railway, power units
])
def test_looks_like_agency(surface):
    assert gaz().looks_like_agency(surface)


@pytest.mark.parametrize("surface", [
    "有关部门", "全社会", "优化区域布局", "全部", "加强组织领导，统筹推进", "A、B局", "中心", "部",
    "举办", "各地区", "这是一个非常非常非常非常非常非常非常非常长的不是机构名称的委员会",
    "城镇", "特色小镇", "4个街道", "城乡", "推进阶段", "政策出台", "创新平台", "高速公路段",   # 4个街道: a count in 虹府办发〔2018〕19号's table, no body
])
def test_does_not_look_like_agency(surface):
    assert not gaz().looks_like_agency(surface)


def test_surface_forms():
    forms = gaz().surface_forms()
    assert len(forms) == len(set(forms))
    assert [len(f) for f in forms] == sorted((len(f) for f in forms), reverse=True)
    for form in ("发展改革委", "国家发展和改革委员会", "省科技厅", "辽宁省科技厅", "辽宁银监局", "大连证监局",
                 "吉林银监局", "人民银行沈阳分行", "中科院沈阳分院", "各市人民政府", "各省、自治区、直辖市人民政府"):
        assert form in forms
    assert "有关部门" not in forms
    assert all(f == f.strip() and f for f in forms)


def test_get_and_cache():
    g = gaz()
    assert g.get("cn/ndrc").pref_label == "国家发展和改革委员会"
    assert g.get("ln/dost").region == LN
    assert g.get("nope/none") is None
    assert default_gazetteer() is default_gazetteer()


# ---- data-file integrity, read with the csv module --------------------------------------

def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_national_keys_unique_and_well_formed():
    rows = _rows("agencies_national.csv")
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"cn/[a-z0-9-]+", k) for k in keys)
    assert all(r["kind"] in AGENCY_KINDS and r["kind"] != "unknown" for r in rows)
    assert len(rows) >= 120


def test_every_counterpart_exists():
    national = {r["key"] for r in _rows("agencies_national.csv")}
    for name in ("agencies_provincial.csv", "agencies_branches.csv", "agencies_collective.csv"):
        for row in _rows(name):
            assert not row["counterpart"] or row["counterpart"] in national, (name, row)


def test_provincial_slugs_unique_except_region_overrides():
    rows = _rows("agencies_provincial.csv")
    general = [r["slug"] for r in rows if not r["regions"]]
    assert len(general) == len(set(general))
    for r in rows:
        assert "{region}" in r["pref_template"] or "{short}" in r["pref_template"], r


def test_region_codes_unique():
    codes = [r["code"] for r in _rows("regions.csv")] + [r["code"] for r in _rows("cities.csv")]
    assert len(codes) == len(set(codes))
    assert len(_rows("regions.csv")) == 34
    plan = {r["short"] for r in _rows("cities.csv") if r["kind"] == "plan_listed"}
    assert plan == {"大连", "青岛", "宁波", "厦门", "深圳"}


def test_no_label_names_two_bodies_in_one_region():
    """Each body's every label resolves back to that body in the body's own region."""
    g = gaz()
    agencies = g.agencies()
    assert len({a.key for a in agencies}) == len(agencies)
    for a in agencies:
        for label in (a.pref_label, *a.alt_labels):
            got = g.resolve(label, a.region)
            assert got is not None and got.key == a.key, (label, a.key, got and got.key)


def _copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def test_clashing_label_is_rejected(tmp_path):
    root = _copy_data(tmp_path)
    with open(root / "agencies_national.csv", "a", encoding="utf-8") as fh:
        fh.write("cn/clash,国家某某局,发展改革委,national,\n")
    with pytest.raises(GazetteerDataError, match="发展改革委"):
        Gazetteer(root)


def test_local_form_clashing_with_national_is_rejected(tmp_path):
    root = _copy_data(tmp_path)
    with open(root / "agencies_provincial.csv", "a", encoding="utf-8") as fh:
        fh.write("clash,{region}某某厅,统计局,provincial,,,\n")
    with pytest.raises(GazetteerDataError, match="统计局"):
        Gazetteer(root)


def test_unknown_counterpart_and_bad_kind_are_rejected(tmp_path):
    root = _copy_data(tmp_path)
    with open(root / "agencies_national.csv", "a", encoding="utf-8") as fh:
        fh.write("cn/odd,国家某某局,,ministry,\n")
    with pytest.raises(GazetteerDataError, match="kind"):
        Gazetteer(root)


def test_missing_counterpart_is_rejected(tmp_path):
    root = _copy_data(tmp_path)
    with open(root / "agencies_provincial.csv", "a", encoding="utf-8") as fh:
        fh.write("odd,{region}某某厅,省某某厅,provincial,cn/no-such-body,,\n")
    with pytest.raises(GazetteerDataError, match="cn/no-such-body"):
        Gazetteer(root)


def test_copied_data_loads(tmp_path):
    g = Gazetteer(_copy_data(tmp_path))
    assert g.resolve("省科技厅", LN).key == "ln/dost"


# ---- properties ---------------------------------------------------------------------------

_ASCII = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(default_gazetteer().surface_forms()), st.sampled_from([None, LN, "吉林省", "北京市"]))
def test_ascii_punctuation_and_spaces_do_not_change_resolution(form, region):
    g = gaz()
    assert g.resolve(form.translate(_ASCII) + " ", region) == g.resolve(form, region)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from([None, LN, "大连市", "不存在"]))
def test_resolve_never_raises(text, region):
    agency = gaz().resolve(text, region)
    assert agency is None or isinstance(agency, Agency)
    if agency is not None and not agency.recognised:
        assert agency.kind == "unknown" and agency.key.isascii()


_WINDOW_PARTS = st.one_of(st.sampled_from(default_gazetteer().surface_forms()),
                          st.sampled_from(["等", " ", "\u3000", "和", "要", "负责", "、", "省", "市", "各"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_WINDOW_PARTS, max_size=4).map("".join), st.sampled_from([None, LN, "广州市"]))
def test_no_listed_name_reaches_past_reach(text, region):
    """``reach`` bounds the clause-subject lookup: no beginning of the window longer than it
    (a listed name, with the 等 and spaces after it) is a known name."""
    g = gaz()
    window = fold(text)[:30]
    bound = g.reach(window)
    assert all(g.known(window[:n], region, folded=True) is None for n in range(bound + 1, len(window) + 1))


def test_a_stray_blank_inside_a_name_is_no_part_of_it():
    # 川教〔2024〕36号 (a text taken out of a PDF) addresses 人力资源 社会保障局
    g = gaz()
    assert g.resolve("人力资源 社会保障局", "四川省").key == g.resolve("人力资源社会保障局", "四川省").key
    assert g.resolve("省人力资源 社会保障厅", "四川省").pref_label == "四川省人力资源和社会保障厅"
