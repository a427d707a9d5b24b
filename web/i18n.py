"""Languages: Dutch and English for the interface (Flask-Babel) and for the plan's own texts.

The interface language is the one chosen with the language switch (kept in the session), else
the browser's preference, else Dutch. Interface strings are translated from
``web/translations/nl/LC_MESSAGES/messages.po``; the compiled ``messages.mo`` beside it is
committed, and a test checks that it matches the ``.po`` file and that every string of the
code and templates has a Dutch translation. After changing strings::

    .venv/bin/pybabel extract -F web/babel.cfg -k _l -k lazy_gettext --no-location \
        -o /tmp/messages.pot .
    .venv/bin/pybabel update -i /tmp/messages.pot -d web/translations --no-fuzzy-matching
    # translate the new entries in web/translations/nl/LC_MESSAGES/messages.po, then
    .venv/bin/pybabel compile -d web/translations

Plan texts come in both languages (:class:`toc.model.Text`); when the chosen one is missing,
the other is shown with a visible marker (:func:`plan_text`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, format_datetime, get_locale, get_translations, gettext, lazy_gettext
from markupsafe import Markup, escape

from toc.model import Text

__all__ = [
    "TRANSLATIONS",
    "current_lang",
    "init_app",
    "lazy_gettext",
    "plan_paragraphs",
    "plan_text",
    "select_locale",
]

TRANSLATIONS = Path(__file__).parent / "translations"
_NAMES = {"nl": "Nederlands", "en": "English"}


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and the template helpers for plan texts."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["LANGUAGES"][0])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)
    # Templates look up the request's catalogue once, not on every string (Flask-Babel's own
    # callables find the locale and the catalogue again for each of them).
    # The i18n extension (which Flask-Babel adds) sets this method on the environment at run
    # time; Jinja's Environment class does not declare it.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters["plantext"] = plan_text
    app.jinja_env.filters["paragraphs"] = plan_paragraphs
    app.jinja_env.filters["isotime"] = _iso_time
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.globals["language_names"] = _NAMES


def _translations() -> NullTranslations:
    """The interface catalogue of this request (babel's Translations, or NullTranslations
    for a language without a catalogue)."""
    try:
        return g._pathways_translations
    except AttributeError:
        g._pathways_translations = get_translations()
        return g._pathways_translations


def select_locale() -> str:
    """The interface language of this request: the session's choice, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_lang() -> str:
    """The language code of this request ("nl" or "en")."""
    return str(get_locale() or current_app.config["LANGUAGES"][0])


def plan_text(text: Text | None, lang: str | None = None) -> Markup:
    """A plan text in ``lang`` (default: the request's), escaped; when that translation is
    missing, the other language's text marked with its language code."""
    if not text:
        return Markup("")
    lang = lang or current_lang()
    if text.has(lang):
        return escape(text.get(lang))
    other = "en" if lang == "nl" else "nl"
    return Markup(
        '<span lang="{lang}">{text}</span> <abbr class="fallback" title="{title}">{code}</abbr>'
    ).format(
        lang=other,
        text=text.get(other),
        title=gettext(
            "Not available in this language; shown in %(language)s", language=_NAMES[other]
        ),
        code=other.upper(),
    )


def plan_paragraphs(text: Text | None, lang: str | None = None) -> Markup:
    """A longer plan text as HTML paragraphs (blank lines separate them), with the same
    fallback marker as :func:`plan_text` on the first paragraph."""
    if not text:
        return Markup("")
    lang = lang or current_lang()
    shown_lang = lang if text.has(lang) else ("en" if lang == "nl" else "nl")
    paras = [p.strip() for p in text.get(shown_lang).split("\n\n") if p.strip()]
    if not paras:
        return Markup("")
    marker = Markup("")
    if shown_lang != lang:
        marker = Markup(' <abbr class="fallback" title="{title}">{code}</abbr>').format(
            title=gettext(
                "Not available in this language; shown in %(language)s",
                language=_NAMES[shown_lang],
            ),
            code=shown_lang.upper(),
        )
    html = Markup("").join(
        Markup('<p lang="{lang}">{text}{marker}</p>').format(
            lang=shown_lang, text=p, marker=marker if i == 0 else ""
        )
        for i, p in enumerate(paras)
    )
    return html


def _iso_time(value: str) -> str:
    """An ISO 8601 time stored as text, formatted for the request's locale."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_datetime(moment, "medium")
