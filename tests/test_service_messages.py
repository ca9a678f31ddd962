"""The services' sentences name no command-line option: the window shows the same ones.
What the user can give to go on travels as the error's ``need``, and each front end adds
its own way of giving it (the command line its option: ``parapp/cli/hints.py``)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir

from parapp import i18n
from parapp.cli import main
from parapp.cli.hints import HINTS
from parapp.domain.errors import Need
from parapp.domain.units import Unit, UnitKind
from parapp.services import setup
from parapp.services.common import ServiceError

ROOT = Path(__file__).resolve().parents[1]
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def _service_messages() -> list[tuple[str, int, str]]:
    """Every msgid in parapp/services, found as scripts/i18n.py finds them for the catalog."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    found = []
    for name, line, message, _comments, _context in extract_from_dir(
        ROOT / "parapp" / "services", method_map=[("**.py", "python")], keywords=script.KEYWORDS
    ):
        for text in [message] if isinstance(message, str) else message:
            if text:
                found.append((name, line, text))
    return found


def test_no_service_message_names_a_command_line_option() -> None:
    messages = _service_messages()
    assert len(messages) > 100  # the scan found the services' messages
    named = [f"{name}:{line}: {text}" for name, line, text in messages if OPTION.search(text)]
    assert not named, "a service message names an option:\n" + "\n".join(named)


def test_every_need_has_a_command_line_hint() -> None:
    assert set(HINTS) == set(Need)
    for need, hint in HINTS.items():
        fields = {f for _t, f, _s, _c in Formatter().parse(hint) if f}
        # Fields the errors that carry each need always give (with_hint formats with them).
        assert fields <= {"annual", "sender", "login"}, (need, fields)
        assert OPTION.search(hint) or "'parapp " in hint, (need, hint)


def _cli(db: Path, lang: str, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), "--lang", lang, *args])
    return code, err.getvalue().strip()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_command_line_adds_its_option_the_service_does_not(
    published_db: Path, lang: str
) -> None:
    other = Unit(code="99999", name="Xã Thử", kind=UnitKind.COMMUNE)
    with pytest.raises(ServiceError) as refused:
        setup.init_database(published_db, other)
    assert refused.value.need is Need.CHANGE_UNIT
    assert "--" not in str(refused.value)

    code, err = _cli(published_db, lang, "init", "--unit-code", "99999", "--unit-name", "Xã Thử")
    assert code == 1
    assert len(err.splitlines()) == 1 and "--change-unit" in err, err
    assert i18n.message(refused.value) in err  # the service's sentence, then the hint
