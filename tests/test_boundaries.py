"""The floors of the house: the headless core never imports Qt, and the domain only the
standard library."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")
QT_ONLY = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def _python_files(*folders: str) -> list[Path]:
    files = sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))
    assert files, f"no Python files found under {folders}"
    return files


def _imports(path: Path) -> Iterator[tuple[int, str, int]]:
    """(line, absolute-or-relative module name, relative level) for every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, node.module or "", node.level


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


def test_core_never_imports_qt_or_ui() -> None:
    offenders = []
    for path in _python_files("parapp", "db"):
        for line, module, level in _imports(path):
            if level == 0 and _top(module) in QT_PACKAGES:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not offenders, "the core imports Qt or the GUI:\n" + "\n".join(offenders)


def test_domain_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"parapp"}
    offenders = []
    for path in _python_files("parapp/domain"):
        for line, module, level in _imports(path):
            if level > 0:
                # Relative imports must stay inside parapp.domain.
                depth = len(path.relative_to(ROOT / "parapp" / "domain").parts) - 1
                if level > depth + 1:
                    offenders.append(f"{path.relative_to(ROOT)}:{line} imports {'.' * level}")
                continue
            if module == "__future__":
                continue
            top = _top(module)
            in_domain = module == "parapp.domain" or module.startswith("parapp.domain.")
            if top not in allowed or (top == "parapp" and not in_domain):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not offenders, "parapp/domain must import only the standard library:\n" + "\n".join(
        offenders
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
        "    code = ui.launcher.main(['criteria', '--help'])\n"
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
        [sys.executable, "-X", "importtime", "-m", "ui.launcher", "criteria", "--help"],
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
