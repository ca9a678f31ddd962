"""The Windows installer (installer/build.py, installer/check.py).

The build downloads about 110 MB (embeddable CPython, Windows wheels) and compresses for
minutes, so it runs only when asked: ``PARAPP_BUILD_INSTALLER=1``. Without it, an installer
already built for the current version (``dist/parapp-setup-<version>.exe``) is checked if it
is newer than the source; otherwise those tests skip. The rules the build applies (pruning,
Windows-only dependencies) are tested here without downloading anything.
"""

from __future__ import annotations

import email.parser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"


def _load_check():
    spec = importlib.util.spec_from_file_location("parapp_installer_check", INSTALLER / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check = _load_check()
build = check.build  # installer/build.py


# --- rules, no download ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rel",
    [
        "PySide6/QtCore.pyd",
        "PySide6/QtWidgets.pyd",
        "PySide6/QtPdf.pyd",
        "PySide6/QtNetwork.pyd",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/plugins/imageformats/qico.dll",
        "babel/locale-data/vi.dat",
        "babel/locale-data/en.dat",
        "babel/locale-data/en_US.dat",
        "babel/locale-data/root.dat",
        "babel/global.dat",
        "docx/templates/default.docx",
        "reportlab/fonts/Vera.ttf",
        "vietnam_provinces/data/flat-divisions.json",
        "resources/fonts/LiberationSerif-Regular.ttf",
        "db/migrations/versions/0001_initial.py",
        "alembic/templates/generic/env.py",
    ],
)
def test_pruning_keeps_what_the_program_loads(rel: str) -> None:
    assert build.prune_reason(rel) is None


@pytest.mark.parametrize(
    "rel",
    [
        "PySide6/QtQuick.pyd",
        "PySide6/QtCore.pyi",
        "PySide6/designer.exe",
        "PySide6/opengl32sw.dll",
        "PySide6/qml/QtQuick/Controls/qmldir",
        "PySide6/translations/qtbase_de.qm",
        "PySide6/plugins/sqldrivers/qsqlite.dll",
        "babel/locale-data/fr.dat",
        "lxml/includes/etree_defs.h",
    ],
)
def test_pruning_drops_what_the_program_never_loads(rel: str) -> None:
    assert build.prune_reason(rel)


def test_windows_markers_bring_windows_only_dependencies() -> None:
    meta = email.parser.Parser().parsestr(
        "Name: tzlocal\n"
        'Requires-Dist: tzdata; platform_system == "Windows"\n'
        'Requires-Dist: uvloop; sys_platform == "linux"\n'
        'Requires-Dist: pytest; extra == "test"\n'
    )
    names = [r.name for r in build.windows_requirements(meta)]
    assert names == ["tzdata"]


def test_import_tables_are_read_from_real_pe_files(tmp_path: Path) -> None:
    import pip

    # pip carries small Windows launchers (distlib's): real PE files on any platform.
    launcher = Path(pip.__file__).parent / "_vendor" / "distlib" / "w64.exe"
    imported = [name.lower() for name in check.windows_pe.pe_imports(launcher)]
    assert "kernel32.dll" in imported
    not_pe = tmp_path / "x.dll"
    not_pe.write_bytes(b"MZ but nothing more")
    assert check.windows_pe.pe_imports(not_pe) == []


def test_the_bundle_runs_python_3_12_or_later() -> None:
    # 3.11 needs ui/__init__.py's reference-count workaround for PySide6 6.12.
    major, minor, _patch = (int(n) for n in build.PY_VERSION.split("."))
    assert (major, minor) >= (3, 12)
    # wheels, markers, the interpreter's files and its ._pth all name that version
    names = (build.PY_TAG, build.STEM, build.PTH_LINES[0], build.WINDOWS_ENV["python_version"])
    assert names == (f"cp{major}{minor}", f"python{major}{minor}", f"python{major}{minor}.zip",
                     f"{major}.{minor}")


def test_every_qt_module_the_code_imports_is_kept() -> None:
    used = check.qt_modules_used()
    assert "QtCore" in used
    assert used <= build.KEEP_QT_MODULES, used - build.KEEP_QT_MODULES


# --- the real installer ---------------------------------------------------------------------------
def _version() -> str:
    return build.project_version()


def _newest_source_mtime() -> float:
    newest = 0.0
    for pkg in ("parapp", "db", "ui", "resources", "installer"):
        for path in (ROOT / pkg).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def installer() -> Path:
    exe = ROOT / "dist" / f"parapp-setup-{_version()}.exe"
    if os.environ.get("PARAPP_BUILD_INSTALLER") == "1":
        result = subprocess.run(
            [sys.executable, str(INSTALLER / "build.py")],
            capture_output=True, text=True, timeout=3600,
        )
        if result.returncode != 0:
            tail = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            pytest.fail(f"installer build failed:\n{tail}")
    elif not exe.exists():
        pytest.skip("no installer built: set PARAPP_BUILD_INSTALLER=1 (downloads ~110 MB)")
    elif exe.stat().st_mtime < _newest_source_mtime():
        pytest.skip(f"{exe.name} is older than the source: rebuild with installer/build.sh")
    return exe


def test_installer_contains_everything_the_program_needs(installer: Path, tmp_path: Path) -> None:
    if shutil.which("7z") is None and shutil.which("7za") is None:
        pytest.skip("7z (p7zip-full) is needed to read the installer")
    bundle = check.unpack_installer(installer, tmp_path)
    report = check.check_bundle(bundle)
    assert not report.problems, "\n".join(report.problems)
    assert (bundle / "uninstall.exe").is_file()


def test_installer_is_under_100_mb(installer: Path) -> None:
    assert installer.stat().st_size < 100 * 2**20


def test_build_report_records_the_signatures(installer: Path) -> None:
    report_file = installer.with_suffix(".json")
    if not report_file.exists():
        pytest.skip("no build report beside the installer")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    signed = {s["file"]: s for s in report["signatures"]}
    for name in ("python.exe", "pythonw.exe", f"{build.STEM}.dll", "python3.dll"):
        sig = signed[name]
        assert sig["digest_ok"], sig
        assert "Python Software Foundation" in sig["signer"]
        # Debian's CA list lacks Microsoft's roots, which the PSF's signing chains to since 2025
        assert sig["chain_ok"] or (sig["tool"] == "osslsigncode"
                                   and check.windows_pe.MICROSOFT_ISSUER in sig["issuer"]), sig
    assert report["python"] == build.PY_VERSION and build.STEM == "python312"
