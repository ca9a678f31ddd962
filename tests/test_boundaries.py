"""The headless core loads no Qt when it runs (the imports themselves are held to the layers
by import-linter: tests/test_layers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_ONLY = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "-c", code] if code else [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import parapp.cli, parapp.services.demo, parapp.services.assessments, db.engine, "
        "db.models, parapp.formats.criteria_xlsx; import sys; "
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "assert not loaded, loaded"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr


def test_command_line_help_loads_no_qt() -> None:
    code = (
        "import sys\n"
        "import ui.launcher\n"
        "try:\n"
        "    code = ui.launcher.main(['--lang', 'en', 'criteria', '--help'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{QT_ONLY!r})\n"
        "print('EXIT', code)\n"
        "print('QT', qt)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout and "criteria" in done.stdout
    assert "EXIT 0" in done.stdout or "EXIT None" in done.stdout
    assert "QT []" in done.stdout, done.stdout


def test_launcher_module_help_loads_no_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ui.launcher", "--lang", "en", "criteria",
         "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    imported = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert imported, "no -X importtime output to check"
    qt = [m for m in imported if _top(m) in QT_ONLY]
    assert not qt, f"'parapp criteria --help' imported Qt: {qt}"
