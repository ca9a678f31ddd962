"""The floors of the house (docs/development.md, "Layers"): import-linter's contracts
(.importlinter), no import cycle, imports inside functions included, and the few modules the
window imports before its first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("parapp", "db", "ui")

# Everything the window imports before its first paint: Qt, the shell and where the data is.
# The rest (screens, services, SQLAlchemy) comes in the one deferred step after it.
BEFORE_FIRST_PAINT = frozenset({
    "db", "db.location",
    "parapp", "parapp.domain", "parapp.domain.errors", "parapp.i18n", "parapp.resources",
    "parapp.services", "parapp.services.paths",
    "ui", "ui.app", "ui.bench", "ui.main_window", "ui.options", "ui.preferences",
    "ui.qt_compat", "ui.screens", "ui.single_instance", "ui.state", "ui.style",
})


def test_the_layer_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    lint = pytest.importorskip("importlinter.cli")
    monkeypatch.chdir(ROOT)
    assert lint.lint_imports(no_cache=True, no_logo=True) == 0, "lint-imports: see the output"


def _cycles(graph: Any) -> list[list[str]]:
    """Groups of modules that import each other (Tarjan's strongly connected components)."""
    imported = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for start in sorted(imported):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            nexts = imported[node]
            if i < len(nexts):
                work.append((node, i + 1))
                child = nexts[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph(*OURS, cache_dir=None)  # every import statement, at any depth
    lines = []
    for group in _cycles(graph):
        lines.append(" ⇄ ".join(group))
        members = set(group)
        for importer in group:
            for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
                details = graph.get_import_details(importer=importer, imported=imported)
                where = ", ".join(f"l.{d['line_number']}" for d in details)
                lines.append(f"    {importer} -> {imported} ({where})")
    assert not lines, "import cycles:\n" + "\n".join(lines)


def test_the_window_imports_only_its_shell_before_the_first_paint(tmp_path: Path) -> None:
    """``ui.bench`` lists the modules loaded at each start-up marker (PARAPP_BENCH_MODULES)."""
    env = dict(
        os.environ, PARAPP_BENCH="1", PARAPP_BENCH_MODULES="1", PARAPP_DATA_DIR=str(tmp_path),
        QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
    )
    # No database there: the window paints, finds none and ends its smoke run.
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke", "--db", str(tmp_path / "none.sqlite3")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    listed = [
        line.split()[2:] for line in done.stdout.splitlines()
        if line.startswith("PARAPP_MODULES first_paint")
    ]
    assert listed, done.stdout + done.stderr
    loaded = set(listed[0])
    assert not loaded - BEFORE_FIRST_PAINT, sorted(loaded - BEFORE_FIRST_PAINT)
    assert "sqlalchemy" not in loaded


def test_the_first_screen_shown_loads_no_orm() -> None:
    """The overview shows the first figures, read without the ORM (parapp.services.quick_view);
    SQLAlchemy loads on the database thread meanwhile, so importing the screen must not."""
    code = (
        "import sys\n"
        "import ui.screens.overview\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')[:3])\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
