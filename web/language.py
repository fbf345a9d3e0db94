"""The reader's language: Chinese by default, English by Accept-Language or ``?lang=``.

``?lang=en`` (or ``zh``) switches and is remembered in a cookie; without it the cookie, then the
browser's Accept-Language, then Chinese. Messages come from the gettext catalogs of i18n/
through Flask-Babel; the words for the graph's codes (roles, coverage, agency kinds, levels)
are template filters.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, Response, request
from flask_babel import Babel, get_locale, gettext

import i18n

COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600


def select_locale() -> str:
    chosen = i18n.normalise(request.args.get("lang")) or i18n.normalise(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(i18n.LOCALES) or i18n.DEFAULT_LOCALE


def current() -> str:
    return str(get_locale() or i18n.DEFAULT_LOCALE)


def switch_url(locale: str) -> str:
    """This page in ``locale`` (the same path and query, ``lang`` replaced)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", locale)]
    return quote(request.path, safe="/") + "?" + urlencode(args)


def install(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", i18n.DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.DIRECTORY)
    Babel(app, locale_selector=select_locale)

    filters = {"role_word": i18n.ROLES, "coverage_word": i18n.COVERAGE, "kind_word": i18n.KINDS,
               "level_word": i18n.LEVELS, "text_kind_word": i18n.KINDS_OF_TEXT, "note_words": i18n.NOTES,
               "origin_word": i18n.ORIGINS}
    for name, table in filters.items():
        app.add_template_filter(lambda code, table=table: i18n.word(table, code, gettext), name)

    @app.context_processor
    def language():
        here = current()
        other = "en" if here == "zh" else "zh"
        return {"lang": here, "other_lang": other, "other_lang_url": switch_url(other),
                "html_lang": "zh-CN" if here == "zh" else "en"}

    @app.after_request
    def remember(resp: Response) -> Response:
        chosen = i18n.normalise(request.args.get("lang"))
        if chosen and request.cookies.get(COOKIE) != chosen:
            resp.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
        resp.vary.update(("Accept-Language", "Cookie"))
        return resp
