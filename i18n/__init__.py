"""Chinese first, English available: the gettext catalogs the web pages and the CLI share.

Messages are written in English in the code and templates (the gettext msgids) and translated
into Chinese by ``i18n/translations/zh/LC_MESSAGES/messages.po``; Chinese is the default
language, English is the msgid itself. ``i18n/messages.pot`` is what ``pybabel extract -F
i18n/babel.cfg`` finds; tests/i18n checks that the committed catalog and its compiled ``.mo``
are up to date with it.

This package imports Babel only (no Flask): web/ reaches it through Flask-Babel, the CLI
through ``translator``. The words for the graph's codes (roles, coverage, agency kinds,
levels) are here, marked with ``N_`` so that extraction finds them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"
DIRECTORY = Path(__file__).with_name("translations")
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# the codes of the graph (skos:notation, class names) -> the words a reader sees
ROLES = {"lead": N_("lead"), "participant": N_("participant"), "responsible": N_("responsible"),
         "guide": N_("guide"), "implementer": N_("implementer"), "actor": N_("actor")}
COVERAGE = {"implemented": N_("implemented"), "partly implemented": N_("partly implemented"),
            "missing": N_("not reflected")}
KINDS = {"CentralAgency": N_("State Council department"), "ProvincialAgency": N_("provincial department"),
         "MunicipalAgency": N_("municipal department"), "CountyAgency": N_("county department"),
         "RegionalBranch": N_("regional branch office"), "CollectiveBody": N_("collective body"),
         "PartyOrganisation": N_("Party organisation"), "Association": N_("people's organisation or association"),
         "UnrecognisedAgency": N_("unrecognised body")}
LEVELS = {"national": N_("national level"), "provincial": N_("provincial level"),
          "municipal": N_("municipal level"), "county": N_("county level")}
KINDS_OF_TEXT = {"task": N_("task"), "measure": N_("measure"), "safeguard": N_("safeguard"),
                 "article": N_("article"), "tablerow": N_("task-division table row"),
                 "general": N_("general requirements"), "opening": N_("opening text"), "text": N_("other text")}

# where a metadata field came from when the text does not state it (pol:metadataOrigin)
ORIGINS = {"body": N_("inferred from the text"),
           "page-title": N_("from the web page's title"), "page-table": N_("from the web page's metadata table"),
           "record": N_("from the crawl's record of the web page"),
           "filename": N_("from the file name"), "identifier": N_("from the document number"),
           "order": N_("from the order number")}

# sentences kg/compare.py writes into its (stable, English) answers, shown translated on pages
NOTES = {n: n for n in (
    N_("national bodies matched to the local bodies whose gazetteer counterpart they are"),
    N_("the national document names no responsible ministries here; shown instead: "
       "the national counterpart of each local body"))}


def word(table: Mapping[str, str], code: str | None, gettext: Callable[[str], str]) -> str:
    """The word for a code in the reader's language (the code itself when it has none)."""
    if not code:
        return ""
    return gettext(table[code]) if code in table else code


def normalise(tag: str | None) -> str | None:
    """'en_US.UTF-8', 'en-GB', 'zh_CN' -> 'en' / 'zh'; None for anything else."""
    if not tag:
        return None
    primary = tag.replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return primary if primary in LOCALES else None


def locale_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The CLI's language: the first of LC_ALL, LC_MESSAGES, LANG that names zh or en; otherwise
    (C, POSIX, unset, another language) Chinese."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return normalise(value) or DEFAULT_LOCALE
    return DEFAULT_LOCALE


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (English: the msgids themselves)."""
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(DIRECTORY), [locale], DOMAIN)


# --- the CLI: one language per process, chosen by --lang or the environment -------------------

_active: list[NullTranslations] = []


def activate(locale: str) -> None:
    """Make ``locale`` the language of ``_`` / ``ngettext`` (the CLI calls this once per run)."""
    _active[:] = [translations(normalise(locale) or DEFAULT_LOCALE)]


def _(message: str, /, **values) -> str:
    if not _active:
        activate(locale_from_environment())
    text = _active[0].gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    if not _active:
        activate(locale_from_environment())
    return _active[0].ngettext(singular, plural, n) % {"num": n, **values}
