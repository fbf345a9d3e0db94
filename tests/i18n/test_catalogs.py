"""The gettext catalogs of i18n/ are complete and up to date with the code and templates.

``pybabel extract`` (run here, as scripts/i18n_update.sh runs it) must give the committed
messages.pot; every message must have a Chinese translation keeping its placeholders; the
committed .mo must be the compiled .po.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import i18n

from ..conftest import ROOT

PO = i18n.DIRECTORY / "zh" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
POT = ROOT / "i18n" / "messages.pot"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdf]|%%")


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, monkeypatch_module):
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    monkeypatch_module.chdir(ROOT)
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "i18n/babel.cfg", "-k", "_", "-k", "N_",
                                "-k", "gettext", "-k", "ngettext:1,2", "--no-location", "--sort-output",
                                "--omit-header", "-o", str(out), "."])
    with out.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _read(path):
    with path.open("rb") as f:
        return read_po(f)


def test_the_committed_template_is_what_the_code_and_templates_say(extracted):
    committed = _read(POT)
    assert _ids(extracted) == _ids(committed), "run scripts/i18n_update.sh"
    assert len(_ids(committed)) > 150


def test_every_message_has_a_chinese_translation_with_its_placeholders(extracted):
    po = _read(PO)
    assert _ids(po) == _ids(extracted)
    for m in po:
        if not m.id:
            continue
        assert not m.fuzzy, m.id
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strings), m.id
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        assert all(sorted(PLACEHOLDER.findall(s)) == wanted for s in strings), m.id
        assert all(re.search(r"[\u4e00-\u9fff]", s) for s in strings), m.id       # said in Chinese


def test_the_compiled_catalog_is_the_po(extracted):
    po = _read(PO)
    with MO.open("rb") as f:
        mo = read_mo(f)
    def flat(catalog):
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in catalog if m.id}

    assert flat(mo) == flat(po) and len(flat(po)) > 150


@pytest.mark.parametrize(("code", "zh"), [("lead", "牵头"), ("participant", "参与（配合）"), ("responsible", "负责"),
                                          ("guide", "指导"), ("implementer", "负责落实"), ("actor", "主体")])
def test_the_roles_are_said_as_the_documents_say_them(code, zh):
    assert i18n.word(i18n.ROLES, code, i18n.translations("zh").gettext) == zh
    assert i18n.word(i18n.ROLES, code, i18n.translations("en").gettext) == code


def test_coverage_and_kinds_in_words():
    zh = i18n.translations("zh").gettext
    assert [i18n.word(i18n.COVERAGE, c, zh) for c in ("implemented", "partly implemented", "missing")] == \
        ["已落实", "部分落实", "未体现"]
    assert [i18n.word(i18n.KINDS, k, zh) for k in ("CentralAgency", "ProvincialAgency", "RegionalBranch",
                                                    "CollectiveBody")] == ["国务院部门", "省级部门", "派出机构", "集体主体"]
    assert i18n.word(i18n.KINDS, "SomethingNew", zh) == "SomethingNew"


@pytest.mark.parametrize(("env", "locale"), [({}, "zh"), ({"LANG": "C.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
                                             ({"LANG": "fr_FR.UTF-8"}, "zh"), ({"LC_ALL": "en", "LANG": "zh_CN"}, "en"),
                                             ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}, "zh")])
def test_the_cli_language_comes_from_the_environment(env, locale):
    assert i18n.locale_from_environment(env) == locale


def test_no_message_can_break_an_html_attribute():
    """Jinja marks translations safe (not escaped): no message or translation may hold a " or <."""
    for m in _read(PO):
        if not m.id:
            continue
        for text in (*(m.id if isinstance(m.id, tuple) else (m.id,)),
                     *(m.string if isinstance(m.string, tuple) else (m.string,))):
            assert '"' not in text and "<" not in text and "&" not in text, text
