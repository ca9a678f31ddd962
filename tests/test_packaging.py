"""The wheel carries every run-time resource: a missing data file is the classic bundling
failure, and it only shows on the machine of a user who installed the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

NEEDED = [
    "resources/criteria/sample-commune-par.json",
    "resources/schemas/criteria-set-1.schema.json",
    "resources/translations/vi/LC_MESSAGES/parapp.mo",
    "resources/translations/en/LC_MESSAGES/parapp.mo",
    "db/migrations/env.py",
    "db/migrations/script.py.mako",
    "db/migrations/versions/0001_initial.py",
    "ui/launcher.py",
    "parapp/cli/__init__.py",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    (built,) = out.glob("parapp-*.whl")
    return built


def test_wheel_has_every_runtime_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in NEEDED if n not in names]
    assert not missing, f"not in the wheel: {missing}"


def test_wheel_has_no_tests_or_build_junk(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    junk = [
        n for n in names if n.startswith(("tests/", "bench/", "scripts/")) or "__pycache__" in n
    ]
    assert not junk, junk


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        (entry,) = [n for n in zf.namelist() if n.endswith("entry_points.txt")]
        text = zf.read(entry).decode()
    assert "parapp = ui.launcher:main" in text
