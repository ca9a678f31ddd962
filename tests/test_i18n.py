"""Screen language: locale-aware numbers and dates, translated errors, complete catalogs."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_extract

from parapp import i18n
from parapp.domain.errors import CriteriaError, DomainError, ScoreError
from parapp.domain.numbers import NumberError
from parapp.i18n import (
    N_,
    _,
    format_date,
    format_decimal,
    format_max,
    format_percent,
    format_points,
    message,
    ngettext,
    parse_decimal,
    set_language,
)
from parapp.services.common import ServiceError

D = Decimal
TOOL_PATH = Path(__file__).resolve().parent.parent / "scripts" / "i18n.py"
OUTSIDE = "The score {score} is outside 0 to {max}."  # a msgid the core really raises


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture(params=["vi", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    set_language(request.param)
    return str(request.param)


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    """scripts/i18n.py, imported from its path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("parapp_i18n_tool", TOOL_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def template(tool: ModuleType) -> Catalog:
    return tool.extract()


# --- language -----------------------------------------------------------------------------


def test_languages() -> None:
    assert i18n.LANGUAGES == ("vi", "en")
    assert i18n.DEFAULT_LANGUAGE == "vi"
    assert i18n.get_language() == "vi"


def test_set_language_accepts_region_and_refuses_unknown() -> None:
    set_language("en-US")
    assert i18n.get_language() == "en"
    set_language("vi_VN")
    assert i18n.get_language() == "vi"
    with pytest.raises(ValueError):
        set_language("fr")
    assert i18n.get_language() == "vi"


@pytest.mark.parametrize(
    ("env", "expected"), [("en", "en"), ("vi", "vi"), ("fr", "vi"), ("", "vi")]
)
def test_initial_language_from_environment(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: str
) -> None:
    monkeypatch.setenv("PARAPP_LANG", env)
    assert i18n._initial_language() == expected


def test_gettext_in_both_languages() -> None:
    assert _("Index: {index}") == "Chỉ số: {index}"
    assert _("No such msgid, shown as it is.") == "No such msgid, shown as it is."
    assert _("") == ""
    set_language("en")
    assert _("Index: {index}") == "Index: {index}"


def test_mark_only_and_plurals() -> None:
    assert N_("draft") == "draft"
    set_language("en")
    assert ngettext("{n} item", "{n} items", 1) == "{n} item"
    assert ngettext("{n} item", "{n} items", 2) == "{n} items"


# --- numbers and dates --------------------------------------------------------------------

DECIMALS = [
    # value, places, vi, en
    (D("1234.5"), 2, "1.234,50", "1,234.50"),
    (D("84.955"), 2, "84,96", "84.96"),
    (D("0.375"), 2, "0,38", "0.38"),
    (D("0.125"), 2, "0,13", "0.13"),
    (D("0.005"), 2, "0,01", "0.01"),
    (D("2.5"), 0, "3", "3"),
    (D("-1234.5"), 2, "-1.234,50", "-1,234.50"),
    (D("-0.001"), 2, "0,00", "0.00"),
    (D("1234567.891"), 1, "1.234.567,9", "1,234,567.9"),
    (D(100), 2, "100,00", "100.00"),
]


@pytest.mark.parametrize(("value", "places", "vi", "en"), DECIMALS)
def test_format_decimal_rounds_half_up(
    lang: str, value: Decimal, places: int, vi: str, en: str
) -> None:
    assert format_decimal(value, places) == (vi if lang == "vi" else en)


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [(D("84.955"), "84,96", "84.96"), (D("0.125"), "0,13", "0.13"), (D(7), "7,00", "7.00")],
)
def test_format_points(lang: str, value: Decimal, vi: str, en: str) -> None:
    assert format_points(value) == (vi if lang == "vi" else en)


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (D("16.5"), "16,5", "16.5"),
        (D("16.50"), "16,5", "16.5"),
        (D(7), "7", "7"),
        (D("7.000"), "7", "7"),
        (D("0.375"), "0,375", "0.375"),
        (D("1E+1"), "10", "10"),
        (D("1234.5"), "1.234,5", "1,234.5"),
        (D("-0.25"), "-0,25", "-0.25"),
    ],
)
def test_format_max_is_exact_without_trailing_zeros(
    lang: str, value: Decimal, vi: str, en: str
) -> None:
    assert format_max(value) == (vi if lang == "vi" else en)


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (D("86.5"), "86,50%", "86.50%"),
        (D("86.505"), "86,51%", "86.51%"),
        (D(100), "100,00%", "100.00%"),
    ],
)
def test_format_percent(lang: str, value: Decimal, vi: str, en: str) -> None:
    assert format_percent(value) == (vi if lang == "vi" else en)


def test_format_date_is_day_month_year_in_both_languages(lang: str) -> None:
    assert format_date(date(2024, 3, 5)) == "05/03/2024"
    assert format_date(date(2025, 12, 31)) == "31/12/2025"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,5", D("0.5")),
        ("0.5", D("0.5")),
        (" 16,5 ", D("16.5")),
        ("7", D(7)),
        ("-0,25", D("-0.25")),
        ("0,375", D("0.375")),
    ],
)
def test_parse_decimal_takes_comma_or_point(lang: str, text: str, expected: Decimal) -> None:
    result = parse_decimal(text)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize("junk", ["", "abc", "1,2,3", "0,5đ", "NaN", "Infinity"])
def test_parse_decimal_refuses_junk(lang: str, junk: str) -> None:
    with pytest.raises(NumberError):
        parse_decimal(junk)


# --- error messages -----------------------------------------------------------------------


def test_message_in_vietnamese_uses_decimal_comma() -> None:
    exc = ScoreError(OUTSIDE, score=D("-0.5"), max=D("16.50"))
    text = message(exc)
    assert _(OUTSIDE) != OUTSIDE  # the catalog has it
    assert text.startswith("Điểm ")
    assert "-0,5" in text and "16,5" in text
    assert "0.5" not in text and "16.50" not in text


def test_message_in_english_is_the_template() -> None:
    set_language("en")
    exc = ScoreError(OUTSIDE, score=D("-0.5"), max=D("16.50"))
    assert message(exc) == "The score -0.5 is outside 0 to 16.5."


def test_message_translates_nested_errors() -> None:
    inner = ScoreError(OUTSIDE, score=D("0.5"), max=D(0))
    outer = ServiceError("Criterion {code}: {reason}", code="A1", reason=inner)
    assert message(outer) == f"Tiêu chí A1: {message(inner)}"
    assert "0,5" in message(outer)
    set_language("en")
    assert message(outer) == "Criterion A1: The score 0.5 is outside 0 to 0."


def test_message_without_params_and_other_params() -> None:
    assert message(CriteriaError("The criteria set has no code.")) == "Bộ tiêu chí chưa có mã."
    exc = DomainError(
        "Due {when} at {at}; {n} left in {path}.",
        when=date(2024, 3, 5),
        at=datetime(2024, 3, 5, 14, 30),
        n=1234,
        path=Path("a") / "b.json",
    )
    assert message(exc) == f"Due 05/03/2024 at 05/03/2024 14:30; 1234 left in {Path('a/b.json')}."


def test_message_of_other_exceptions_is_str() -> None:
    assert message(ValueError("plain")) == "plain"
    assert message(OSError(2, "No such file")) == str(OSError(2, "No such file"))


def test_message_survives_a_broken_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_", lambda m: "Hỏng {khong_co}")
    exc = ScoreError(OUTSIDE, score=D("0.5"), max=D(1))
    assert message(exc) == "The score 0,5 is outside 0 to 1."


# --- catalogs -----------------------------------------------------------------------------


def test_extraction_keywords(tool: ModuleType) -> None:
    source = b"""
class Oops(ServiceError):
    pass
try:
    raise ServiceError("A {x}.", x=f"{1}")
except DomainError as exc:
    raise ServiceError(str(exc)) from None
def f(n, msg):
    errors.StateError("B")
    return CriteriaFileError(
        "C "
        "D", where="not me"
    )
_("E"), N_("F"), ngettext("{n} G", "{n} Gs", n), NotFound(msg), ScoreError("H")
CriteriaError("I"); DomainError("J"); Other("not me")
"""
    found = [m for _, m, _, _ in babel_extract("python", BytesIO(source), tool.KEYWORDS)]
    assert found == ["A {x}.", "B", "C D", "E", "F", ("{n} G", "{n} Gs"), "H", "I", "J"]


def test_every_msgid_has_a_vietnamese_translation(tool: ModuleType, template: Catalog) -> None:
    assert len(template) > 0
    vi = tool.read_catalog(tool.po_path("vi"), "vi")
    missing = tool.untranslated(template, vi)
    assert not missing, (
        "untranslated in vi (run scripts/i18n.py extract/update, translate, compile): "
        + "; ".join(missing)
    )
    assert tool.placeholder_errors(vi) == []


@pytest.mark.parametrize("code", ["vi", "en"])
def test_compiled_catalog_matches_its_po(tool: ModuleType, code: str) -> None:
    po, mo = tool.po_path(code), tool.mo_path(code)
    assert mo.exists(), f"{mo} is missing: run scripts/i18n.py compile"
    assert mo.read_bytes() == tool.compile_po(po, code), f"{mo} is stale: run compile"


def test_catalogs_are_in_step(tool: ModuleType, template: Catalog) -> None:
    assert tool.problems(template) == []


def test_outputs_are_deterministic(tool: ModuleType, template: Catalog) -> None:
    again = tool.extract()
    assert tool.dump_po(again) == tool.dump_po(template)
    text = tool.dump_po(template).decode()
    assert "POT-Creation-Date" not in text and "PO-Revision-Date" not in text
    assert ".py:" not in text  # no line numbers
    po = tool.po_path("vi")
    assert tool.compile_po(po, "vi") == tool.compile_po(po, "vi")


# -- the compiled catalogs the program reads ----------------------------------------------
def test_the_program_gives_every_translation_of_the_po(tool: ModuleType) -> None:
    catalog = tool.read_catalog(tool.po_path("vi"), "vi")
    singular = [m for m in catalog if m.id and isinstance(m.id, str)]
    plural = [m for m in catalog if isinstance(m.id, tuple)]
    assert len(singular) > 500 and plural
    i18n.reload_catalogs()
    try:
        set_language("vi")
        for m in singular:
            assert _(m.id) == m.string, m.id
        for m in plural:
            assert ngettext(m.id[0], m.id[1], 1) == m.string[0], m.id
        set_language("en")
        assert all(_(m.id) == m.id for m in singular)
    finally:
        i18n.reload_catalogs()
        set_language(i18n.DEFAULT_LANGUAGE)


@pytest.mark.parametrize("code", ["vi", "en"])
def test_each_language_ships_its_po_and_mo_only(tool: ModuleType, code: str) -> None:
    folder = tool.po_path(code).parent
    assert sorted(p.name for p in folder.iterdir()) == ["parapp.mo", "parapp.po"]
