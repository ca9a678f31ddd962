"""Screen language: translated messages and locale-aware numbers and dates (no Qt).

The core writes user-facing text in English, marked for translation:

* ``_("Save")`` translates now, in the current language;
* ``N_("draft")`` only marks a string (for tables built at import time); translate it
  later with ``_(value)``;
* ``ngettext("{n} criterion", "{n} criteria", n)`` picks the plural form;
* errors are :class:`~parapp.domain.errors.DomainError` with an English template and
  parameters; :func:`message` turns one into a sentence in the current language.

Vietnamese is the default; English uses the msgids as they are. Catalogs are compiled
``.mo`` files under ``resources/translations/<lang>/LC_MESSAGES/parapp.mo``; see
``scripts/i18n.py`` for how to refresh them after adding strings.

Numbers are exact :class:`~decimal.Decimal` values rounded half up for display only
(84,955 -> "84,96"; Babel alone would round half even). Documents printed for the office
are always Vietnamese and do not use this module.

This module is on the window's way to its first paint (tests/test_layers.py); Babel,
``decimal`` and the domain's number and status modules are not, so they are imported where
first used (the imports marked "after the first paint").
"""

from __future__ import annotations

import gettext
import os
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

from parapp import resources
from parapp.domain.errors import DomainError, Phrase

if TYPE_CHECKING:
    from decimal import Decimal

    from babel import Locale

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "_",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_max",
    "format_percent",
    "format_points",
    "get_language",
    "in_vietnamese",
    "label",
    "message",
    "ngettext",
    "parse_decimal",
    "set_language",
]

LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "parapp"
ENV_VAR = "PARAPP_LANG"


def _normalise(lang: str) -> str:
    """The primary language subtag, lower case: "vi_VN", "en-US", "VI" -> "vi", "en"."""
    return lang.strip().replace("-", "_").split("_")[0].split(".")[0].lower()


def _initial_language() -> str:
    lang = _normalise(os.environ.get(ENV_VAR, ""))
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


_language: str = _initial_language()


def set_language(lang: str) -> None:
    """Switch the language of everything translated from now on ("vi" or "en")."""
    global _language
    code = _normalise(lang)
    if code not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _language = code


def get_language() -> str:
    return _language


# --- messages ---------------------------------------------------------------------------


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of one language (NullTranslations if there is none)."""
    localedir = resources.path("translations")
    return gettext.translation(DOMAIN, localedir, languages=[lang], fallback=True)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after recompiling them in a running process)."""
    _translations.cache_clear()
    # stdlib's own cache of opened .mo files (private, so typeshed leaves it out)
    gettext._translations.clear()  # type: ignore[attr-defined]


def _(message: str) -> str:
    """Translate ``message`` (an English msgid) into the current language."""
    if not message:
        return message  # gettext("") would return the catalog header
    return _translations(_language).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate the form of ``singular``/``plural`` that fits ``n``."""
    return _translations(_language).ngettext(singular, plural, n)


def in_vietnamese(phrase: Phrase | str) -> str:
    """``phrase`` in Vietnamese whatever the screen language: the wording a document gets
    (a drafted plan's tasks). Parameters are text (nested phrases translated too)."""
    if isinstance(phrase, str):
        return phrase
    catalog = _translations("vi")
    params = {
        k: in_vietnamese(v) if isinstance(v, Phrase) else str(v) for k, v in phrase.params.items()
    }
    template = catalog.gettext(phrase.template) if phrase.template else ""
    for text in (template, phrase.template):  # a broken translation falls back to English
        try:
            return text.format(**params) if params else text
        except (KeyError, IndexError, ValueError):
            continue
    return str(phrase)


# --- numbers and dates ------------------------------------------------------------------


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale  # after the first paint (see the module's note)

    return Locale.parse(lang)


def _pattern(places: int) -> str:
    return "#,##0." + "0" * places if places > 0 else "#,##0"


def _format(value: Decimal, places: int) -> str:
    """``value`` already has at most ``places`` decimals; Babel only lays it out."""
    if value.is_zero():
        value = abs(value)  # no "-0,00"
    from babel.numbers import format_decimal  # after the first paint

    return format_decimal(value, format=_pattern(places), locale=_locale(_language))


def format_decimal(value: Decimal, places: int = 2) -> str:
    """``value`` rounded half up to ``places`` decimals, in the current locale.

    vi: 1234.5 -> "1.234,50"; en: "1,234.50".
    """
    from parapp.domain.numbers import round_half_up, to_decimal  # after the first paint

    if places < 0:
        raise ValueError("places must be 0 or more")
    return _format(round_half_up(to_decimal(value), places), places)


def format_points(value: Decimal) -> str:
    """Points as screens show them: two decimals, half up."""
    return format_decimal(value, 2)


def format_max(value: Decimal) -> str:
    """A value as exact as needed, no trailing zeros: "16,5", "7", "0,375" (vi)."""
    from parapp.domain.numbers import normalize, to_decimal  # after the first paint

    exact = normalize(to_decimal(value))
    exponent = exact.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _format(exact, places)


def format_percent(value: Decimal) -> str:
    """A percentage given as 0..100: 86.5 -> "86,50%" (vi), "86.50%" (en)."""
    return format_decimal(value, 2) + "%"


def parse_decimal(text: str) -> Decimal:
    """What a clerk typed, exactly: "0,5" and "0.5" both work in either language.

    Raises :class:`~parapp.domain.numbers.NumberError` for anything that is not a number.
    """
    from parapp.domain.numbers import NumberError, to_decimal  # after the first paint

    if not isinstance(text, str):
        raise NumberError(f"not a number: {text!r}")
    return to_decimal(text)


def format_date(d: date) -> str:
    """dd/MM/yyyy in both languages, as the office writes dates: "05/03/2024"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(moment: datetime) -> str:
    """dd/MM/yyyy HH:mm: "05/03/2024 14:30"."""
    return f"{format_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


# --- errors -----------------------------------------------------------------------------


def _param(value: object) -> str:
    from decimal import Decimal  # after the first paint

    from parapp.domain.numbers import Points  # after the first paint

    if isinstance(value, BaseException | Phrase):
        return message(value)
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Points):
        return format_points(value)
    if isinstance(value, Decimal):
        return format_max(value) if value.is_finite() else str(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _labels() -> dict[Enum, str]:
    # After the first paint, as the rest of the domain (see the module's note).
    from parapp.domain.assessment import AssessmentStatus, FieldGroup
    from parapp.domain.criteria import ScoreKind
    from parapp.domain.remediation import ItemStatus

    return {
        AssessmentStatus.DRAFT: N_("draft"),
        AssessmentStatus.SUBMITTED: N_("submitted"),
        AssessmentStatus.RETURNED: N_("returned for correction"),
        AssessmentStatus.APPRAISED: N_("appraised"),
        AssessmentStatus.PUBLISHED: N_("published"),
        FieldGroup.SELF: N_("self-assessment"),
        FieldGroup.APPRAISAL: N_("appraisal"),
        FieldGroup.RESULT: N_("published result"),
        ScoreKind.SELF: N_("self"),
        ScoreKind.SURVEY: N_("survey"),
        ItemStatus.NOT_STARTED: N_("not started"),
        ItemStatus.IN_PROGRESS: N_("in progress"),
        ItemStatus.DONE: N_("done"),
    }


def label(value: Enum) -> str:
    """A domain enum member as a word in the current language ("đã nộp")."""
    text = _labels().get(value)
    return _(text) if text is not None else str(value.value)


def message(exc: BaseException | Phrase) -> str:
    """The sentence to show the user for ``exc``, in the current language.

    A :class:`DomainError` is translated from its template and its parameters laid out for
    the locale (Decimals exact with the locale's decimal mark, nested errors translated,
    dates dd/MM/yyyy). Anything else is ``str(exc)``.
    """
    if not isinstance(exc, DomainError | Phrase):
        return str(exc)
    template = _(exc.template)
    if not exc.params:
        return template
    params = {name: _param(value) for name, value in exc.params.items()}
    for text in (template, exc.template):  # a broken translation falls back to English
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            continue
    return str(exc)
