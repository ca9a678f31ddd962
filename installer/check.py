"""Check a built installer (or the bundle folder it was made from) for what parapp needs.

    python installer/check.py dist/parapp-setup-0.1.0.exe
    python installer/check.py build/installer/bundle

An .exe is unpacked with 7-Zip (``7z``, Debian ``p7zip-full``), which reads NSIS archives.
The Windows wheels cannot be imported by a Linux Python, so the checks read file lists,
metadata and PE import tables instead:

- the interpreter: python312.dll, pythonw.exe, the ``._pth`` with ``Lib\\site-packages`` and
  ``import site``, the icon;
- our packages, derived from the source tree: every module of parapp/db/ui/resources, every
  data file under resources/ (except translation sources), every file that pyproject's
  package-data patterns select;
- every distribution our wheel requires on Windows (markers evaluated for Windows, so
  ``tzdata`` counts), each complete by its RECORD except what ``build.prune_reason`` leaves
  out on purpose;
- every Qt module imported anywhere in ui/ or parapp/, the Windows platform plugin, and a
  list of files named in issue 6 (Babel's vi/en data, python-docx templates, reportlab's
  fonts, vietnam_provinces' data …);
- every DLL and extension module finds the DLLs it imports in the bundle or in Windows.

Exit status 0 when everything is there; otherwise the problems are listed.
"""

from __future__ import annotations

import email.parser
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _load_build():
    """installer/build.py, the same rules the build used (under a name of its own: ``build``
    is also a PyPI package)."""
    spec = importlib.util.spec_from_file_location("parapp_installer_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()
import windows_pe  # noqa: E402  (beside this file: build.py put installer/ on sys.path)

SITE = build.SITE
OUR_PACKAGES = ("parapp", "db", "ui", "resources")
SKIP_SOURCE_PARTS = {"__pycache__"}
NOT_SHIPPED_SUFFIXES = (".po", ".pot", ".pyc")

# DLLs every supported Windows (10 and 11) has in System32, as imported by CPython, Qt and the
# wheels we ship. Anything else must be in the bundle.
WINDOWS_DLLS = {
    "advapi32.dll", "authz.dll", "bcrypt.dll", "bcryptprimitives.dll", "cfgmgr32.dll",
    "comctl32.dll", "comdlg32.dll", "crypt32.dll", "d2d1.dll", "d3d11.dll", "d3d12.dll",
    "d3d9.dll", "d3dcompiler_47.dll", "dcomp.dll", "dnsapi.dll", "dwmapi.dll", "dwrite.dll",
    "dxgi.dll", "gdi32.dll", "gdiplus.dll", "icu.dll", "icuuc.dll", "icuin.dll", "imm32.dll",
    "iphlpapi.dll", "kernel32.dll", "mpr.dll", "msimg32.dll", "msvcrt.dll", "ncrypt.dll",
    "netapi32.dll", "ntdll.dll", "ole32.dll", "oleacc.dll", "oleaut32.dll", "opengl32.dll",
    "powrprof.dll", "propsys.dll", "rpcrt4.dll", "secur32.dll", "setupapi.dll", "shcore.dll",
    "shell32.dll", "shlwapi.dll", "user32.dll", "userenv.dll", "uxtheme.dll", "version.dll",
    "winhttp.dll", "wininet.dll", "winmm.dll", "winspool.drv", "wintrust.dll", "wldap32.dll",
    "ws2_32.dll", "wtsapi32.dll", "cabinet.dll", "msi.dll", "d3d10.dll",
    "d3d10_1.dll", "dbghelp.dll", "hid.dll", "ntdsapi.dll", "psapi.dll", "sspicli.dll",
    "usp10.dll", "wsock32.dll", "xinput1_4.dll", "dxva2.dll", "mf.dll", "mfplat.dll",
    "mfreadwrite.dll", "evr.dll", "wevtapi.dll", "credui.dll", "normaliz.dll",
    "uiautomationcore.dll", "mscms.dll",
}


def is_windows_dll(name: str) -> bool:
    low = name.lower()
    return low in WINDOWS_DLLS or low.startswith(("api-ms-win-", "ext-ms-"))


# --- unpacking ------------------------------------------------------------------------------------
def unpack_installer(exe: Path, dest: Path) -> Path:
    seven = shutil.which("7z") or shutil.which("7za")
    if seven is None:
        raise SystemExit("7z is needed to read the installer: apt-get install p7zip-full")
    subprocess.run([seven, "x", "-y", "-bd", f"-o{dest}", str(exe)], check=True,
                   stdout=subprocess.DEVNULL)
    # 7-Zip names the program files by their NSIS output folder: $INSTDIR/...
    for candidate in (dest / "$INSTDIR", dest):
        if (candidate / f"{build.STEM}._pth").exists():
            return candidate
    raise SystemExit(f"no {build.STEM}._pth in {exe.name}: not a parapp installer?")


# --- the checks -----------------------------------------------------------------------------------
class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.passed = 0

    def need(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.problems.append(what)


def source_expected() -> list[str]:
    """Paths (relative to site-packages) that the source tree says must ship."""
    expected: set[str] = set()
    for pkg in OUR_PACKAGES:
        for path in (ROOT / pkg).rglob("*"):
            if not path.is_file() or SKIP_SOURCE_PARTS & set(path.parts):
                continue
            rel = path.relative_to(ROOT).as_posix()
            data = pkg == "resources" and not path.name.endswith(NOT_SHIPPED_SUFFIXES)
            if path.suffix == ".py" or data:
                expected.add(rel)
    try:
        import tomllib

        config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        package_data = config["tool"]["setuptools"].get("package-data", {})
    except (ImportError, KeyError, OSError):
        package_data = {}
    for pkg, patterns in package_data.items():
        base = ROOT / pkg.replace(".", "/")
        for pattern in patterns:
            for path in base.glob(pattern):
                if path.is_file() and not SKIP_SOURCE_PARTS & set(path.parts):
                    expected.add(path.relative_to(ROOT).as_posix())
    return sorted(expected)


def qt_modules_used() -> set[str]:
    used: set[str] = set()
    pattern = re.compile(r"PySide6\.(Qt\w+)|from\s+PySide6\s+import\s+\(?([\w\s,]+)")
    for pkg in ("ui", "parapp"):
        for path in (ROOT / pkg).rglob("*.py"):
            for match in pattern.finditer(path.read_text(encoding="utf-8")):
                if match.group(1):
                    used.add(match.group(1))
                else:
                    used.update(n.strip() for n in match.group(2).split(",")
                                if n.strip().startswith("Qt"))
    return used


def dist_infos(site: Path) -> dict[str, Path]:
    out = {}
    for info in site.glob("*.dist-info"):
        out[build.canonical(info.name[: -len(".dist-info")].rsplit("-", 1)[0])] = info
    return out


def read_metadata(info: Path):
    return email.parser.Parser().parsestr((info / "METADATA").read_text(encoding="utf-8"))


def check_bundle(bundle: Path) -> Report:
    r = Report()
    site = bundle / SITE

    # the interpreter
    stem = build.STEM
    for name in (f"{stem}.dll", "python3.dll", "python.exe", "pythonw.exe", f"{stem}.zip",
                 "vcruntime140.dll", "parapp.ico"):
        r.need((bundle / name).is_file(), f"runtime file missing: {name}")
    pth = bundle / f"{stem}._pth"
    lines = pth.read_text(encoding="ascii").split() if pth.exists() else []
    for line in (f"{stem}.zip", "Lib\\site-packages", "site"):
        r.need(line in lines, f"{stem}._pth lacks {line!r}: {lines}")
    r.need("import" in lines, f"{stem}._pth does not run 'import site'")

    # our own packages, from the source tree
    expected = source_expected()
    missing = [rel for rel in expected if not (site / rel).is_file()]
    r.need(not missing, f"files of our source missing from the bundle: {missing[:20]}")
    for pattern in ("resources/fonts/*.ttf", "resources/translations/vi/LC_MESSAGES/parapp.mo",
                    "resources/criteria/*.json", "resources/schemas/*.json",
                    "resources/documents/defaults.json", "resources/icons/parapp.ico",
                    "db/migrations/env.py", "db/migrations/script.py.mako",
                    "db/migrations/versions/0001_*.py", "ui/launcher.py", "parapp/__main__.py"):
        r.need(any(site.glob(pattern)), f"not in the bundle: {pattern}")

    # every distribution needed on Windows, complete by its RECORD
    infos = dist_infos(site)
    (own,) = [info for name, info in infos.items() if name == "parapp"] or [None]
    r.need(own is not None, "parapp's dist-info is missing")
    needed: list[str] = []
    if own is not None:
        todo = list(build.windows_requirements(read_metadata(own)))
        while todo:
            req = todo.pop()
            name = build.canonical(req.name)
            if name in needed:
                continue
            needed.append(name)
            info = infos.get(name)
            r.need(info is not None, f"distribution missing: {req}")
            if info is not None:
                todo.extend(build.windows_requirements(read_metadata(info)))
    qt_kept = build.dll_closure(build.qt_roots(site), bundle)
    incomplete: list[str] = []
    for name in needed:
        info = infos.get(name)
        if info is None or not (info / "RECORD").exists():
            continue
        for row in (info / "RECORD").read_text(encoding="utf-8").splitlines():
            rel = row.rsplit(",", 2)[0]
            if not rel or rel.split("/")[0].endswith(".data") or "__pycache__" in rel:
                continue
            if (site / rel).exists() or build.prune_reason(rel):
                continue
            if rel.startswith(("PySide6/", "shiboken6/")) and rel.endswith(".dll") \
                    and rel.count("/") == 1 and (site / rel) not in qt_kept:
                continue  # a Qt DLL that no kept module or plugin imports
            incomplete.append(rel)
    r.need(not incomplete, f"files of the dependencies missing: {incomplete[:20]}")

    # Qt: what our code imports, and what a Windows program needs
    for module in sorted(qt_modules_used() | {"QtCore", "QtGui", "QtWidgets", "QtPdf"}):
        r.need((site / "PySide6" / f"{module}.pyd").is_file(), f"PySide6.{module} missing")
    for rel in ("PySide6/Qt6Core.dll", "PySide6/Qt6Gui.dll", "PySide6/Qt6Widgets.dll",
                "PySide6/Qt6Pdf.dll", "PySide6/plugins/platforms/qwindows.dll",
                "shiboken6/Shiboken.pyd", "shiboken6/shiboken6.abi3.dll",
                "PySide6/pyside6.abi3.dll"):
        r.need((site / rel).is_file(), f"not in the bundle: {rel}")
    r.need(any(site.glob("PySide6/plugins/styles/*.dll")), "no Qt style plugin (native look)")
    r.need(any(site.glob("PySide6/plugins/imageformats/qico.dll")), "no Qt ICO image plugin")

    # data files of the dependencies named in issue 6
    for pattern in ("sqlalchemy/__init__.py", "alembic/__init__.py", "alembic/script/*.py",
                    "reportlab/__init__.py", "reportlab/fonts/*", "_rl_accel.pyd",
                    "babel/global.dat", "babel/locale-data/root.dat", "babel/locale-data/vi.dat",
                    "babel/locale-data/en.dat", "openpyxl/__init__.py",
                    "docx/templates/default.docx", "docx/templates/*.xml",
                    "cryptography/hazmat/bindings/_rust.pyd", "pyhanko/sign/__init__.py",
                    "platformdirs/windows.py", "vietnam_provinces/data/*.json",
                    "tzdata/zoneinfo/Asia/Ho_Chi_Minh", "PIL/_imaging*.pyd", "lxml/etree*.pyd",
                    # the QR code of issued documents (Word) and reading it back from a scan
                    "segno/__init__.py", "zxingcpp/zxingcpp*.pyd"):
        r.need(any(site.glob(pattern)), f"not in the bundle: {pattern}")

    # every DLL import resolves in the bundle or in Windows
    unresolved: set[str] = set()
    local: dict[Path, set[str]] = {}
    for pe in [*bundle.rglob("*.pyd"), *bundle.rglob("*.dll"), *bundle.glob("*.exe")]:
        for name in windows_pe.pe_imports(pe):
            found = False
            for folder in windows_pe.dll_search_dirs(pe, bundle):
                if folder not in local:
                    local[folder] = {p.name.lower() for p in folder.glob("*.dll")}
                if name.lower() in local[folder]:
                    found = True
                    break
            if not found and not is_windows_dll(name):
                unresolved.add(f"{pe.relative_to(bundle).as_posix()} -> {name}")
    r.need(not unresolved, f"DLLs imported but found nowhere: {sorted(unresolved)[:20]}")
    return r


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    target = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="parapp-check-") as tmp:
        if target.is_file():
            bundle = unpack_installer(target, Path(tmp))
            print(f"{target.name}: {target.stat().st_size / 2**20:.1f} MB")
        else:
            bundle = target
        report = check_bundle(bundle)
        size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
        files = sum(1 for p in bundle.rglob("*") if p.is_file())
        print(f"bundle: {size / 2**20:.1f} MB in {files} files")
    for problem in report.problems:
        print(f"FAIL {problem}")
    print(f"{report.passed} passed, {len(report.problems)} failed")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

