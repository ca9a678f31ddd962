"""The command line speaks the chosen language: our help texts and argparse's own words
(usage, section titles, its error messages), for every sub-command."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp import i18n
from parapp.cli import language
from parapp.cli.parser import build_parser
from tests.test_cli import run


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


SAME_IN_BOTH = {"dd/mm/yyyy", "SIPAS, PAPI, DTI, DAN_VAN, OTHER"}


def test_every_help_text_of_every_command_is_in_vietnamese() -> None:
    """Built in English (argparse's own "-h" text too), each help text has a Vietnamese
    translation: a command added without one fails here."""
    language.prepare(["--lang", "en"])
    texts = {}
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            for shown in [action, *getattr(action, "_choices_actions", [])]:
                if shown.help and shown.help != argparse.SUPPRESS:
                    texts[shown.help] = parser.prog
    i18n.set_language("vi")
    untranslated = [f"{prog}: {text}" for text, prog in texts.items()
                    if i18n._(text) == text and text not in SAME_IN_BOTH]
    assert len(texts) > 150
    assert not untranslated, "\n".join(untranslated)


def test_help_is_printed_in_vietnamese_and_in_english(tmp_path: Path) -> None:
    code, out, _err = run(None, "sync", "export", "--help", data_dir=tmp_path)
    assert code == 0
    assert out.startswith("cách dùng: parapp sync export")
    assert "tùy chọn:" in out and "hiện hướng dẫn này rồi thoát" in out
    assert "chỉ bên nhận mở được" in out  # our own help text, translated
    assert "usage" not in out and "options:" not in out
    code, out, _err = run(None, "--lang", "en", "sync", "export", "--help", data_dir=tmp_path)
    assert code == 0
    assert out.startswith("usage: parapp sync export") and "only the recipient can open it" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sync", "export"), "thiếu các tham số bắt buộc: --kind, --out"),
        (("sync", "export", "--kind", "x", "--out", "y"), "lựa chọn không hợp lệ: 'x'"),
        (("assessment", "show", "--year", "20x"), "'20x' không phải là một năm"),
        (("nonsense",), "lựa chọn không hợp lệ: 'nonsense'"),
    ],
)
def test_usage_mistakes_are_one_vietnamese_sentence(tmp_path: Path, args: tuple[str, ...],
                                                    expected: str) -> None:
    code, out, err = run(None, *args, data_dir=tmp_path)
    assert code == 2 and not out
    assert err.startswith("Không hiểu lệnh: ") and expected in err
    assert err.count("\n") == 1
    for english in ("argument", "invalid choice", "required", "not a year", "See '"):
        assert english not in err


def test_every_option_and_argument_of_every_command_says_what_it_is_for() -> None:
    """Each option and positional argument has a help text: one added without fails here."""
    language.prepare(["--lang", "en"])
    bare = [f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"
            for parser in _parsers(build_parser()) for action in parser._actions
            if not isinstance(action, argparse._SubParsersAction)
            and not (action.help and action.help.strip())]
    assert not bare, "\n".join(bare)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_prints_its_help(lang: str) -> None:
    """A help text or translation with a stray '%' (argparse formats them) breaks --help."""
    language.prepare(["--lang", lang])
    for parser in _parsers(build_parser()):
        assert parser.format_help()
