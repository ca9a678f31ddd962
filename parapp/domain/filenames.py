"""File names that came from outside (a package, a dropped file): reduced to a safe base
name before they are stored or used to write a file, and the types never handed to the
system to open.

A name in a package is the sender's text, not a path: ``../../x.sh``, ``C:\\x.bat``, a name
with a newline or a right-to-left override (which shows ``gpj.exe`` as ``exe.jpg``), or a
device name like ``CON`` must never become a path outside the folder it is written to, nor
make a program look like a document.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 120  # what the window shows whole; a file name is not a title
MAX_BYTES = 200  # under the 255 bytes most file systems allow, with room for a suffix

# Character categories dropped: controls (newlines, NUL, escapes), format characters
# (bidirectional overrides, zero-width), separators of lines and paragraphs, surrogates.
_DROPPED = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_FORBIDDEN = re.compile(r'[<>:"|?*]')  # Windows refuses these in a name; ':' is a stream
_SPACES = re.compile(r"\s+")
_DRIVE = re.compile(r"^[A-Za-z]:")
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}

# Types a system "open" would run rather than show: programs, scripts, installers,
# shortcuts and the like (Windows first, where the offices work; Unix scripts too).
EXECUTABLE = frozenset({
    "exe", "com", "bat", "cmd", "scr", "pif", "cpl", "msi", "msp", "mst", "msc", "lnk",
    "url", "scf", "inf", "reg", "hta", "htm", "html", "xht", "xhtml", "svg", "mht", "mhtml",
    "js", "jse", "mjs", "vbs", "vbe", "vb", "wsf", "wsh", "wsc", "ws", "ps1", "psm1", "psd1",
    "ps1xml", "psc1", "jar", "class", "dll", "ocx", "sys", "drv", "application", "appref-ms",
    "gadget", "appx", "appxbundle", "msix", "msixbundle", "library-ms", "settingcontent-ms",
    "search-ms", "searchconnector-ms", "chm", "iso", "img", "vhd", "vhdx", "diagcab",
    "sh", "bash", "zsh", "csh", "ksh", "command", "run", "bin", "elf", "app", "desktop",
    "py", "pyw", "pyz", "pl", "rb", "php", "lua", "tcl", "apk", "deb", "rpm", "dmg", "pkg",
    "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm",
})


def safe_name(name: str, fallback: str = "tai-lieu") -> str:
    """``name`` reduced to a base name safe to write in any folder on any system: the last
    path component only, no control or format characters, none of ``<>:"|?*``, no leading
    or trailing dots and spaces, not a device name, at most ``MAX_CHARS`` characters and
    ``MAX_BYTES`` UTF-8 bytes (the extension kept). ``fallback`` when nothing is left."""
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # a path's last component
    text = _DRIVE.sub("", text)  # "C:x.pdf" is x.pdf in drive C's current folder
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text).strip(" .")
    if text.split(".", 1)[0].strip().lower() in _DEVICES:
        text = "_" + text
    text = _shortened(text)
    if not text:
        text = _shortened(_FORBIDDEN.sub("_", fallback).replace("/", "_").strip(" .")) or "_"
    return text


def _shortened(text: str) -> str:
    """At most MAX_CHARS characters and MAX_BYTES bytes, cut in the stem (the extension
    tells the viewer what the file is, and the opener what it must refuse)."""
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, dot, ext = text, "", ""
    while stem and (len(stem) + len(dot) + len(ext) > MAX_CHARS
                    or len((stem + dot + ext).encode("utf-8")) > MAX_BYTES):
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    if not stem:
        return ext[:MAX_CHARS].strip(" .") if ext else ""
    return stem + dot + ext


def extension(name: str) -> str:
    """The last extension, lower case, as a system would read it (Windows ignores trailing
    dots and spaces: ``x.exe.`` runs as ``x.exe``)."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1].rstrip(" .")
    base = base.split(":", 1)[0]  # "x.exe:stream" is x.exe on NTFS
    _stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot else ""


def is_executable(name: str) -> bool:
    """A type the system would run or that runs code when opened: never opened from here."""
    return extension(name) in EXECUTABLE
