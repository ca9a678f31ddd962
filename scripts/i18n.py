"""Keep the translation catalogs in step with the source (Babel + stdlib only).

Files (all under ``resources/translations``)::

    parapp.pot                      every English msgid found in parapp/, db/, ui/
    vi/LC_MESSAGES/parapp.po        Vietnamese translations (every msgid must have one)
    en/LC_MESSAGES/parapp.po        English: msgstr stays empty, the msgid is shown
    <lang>/LC_MESSAGES/parapp.mo    compiled catalogs the program loads (parapp.i18n)

What is extracted: string literals passed to ``_()``, ``N_()``, ``ngettext()`` and the
first positional argument of ``ServiceError``, ``NotFound``, ``DomainError``,
``CriteriaError``, ``CriteriaFileError``, ``ScoreError`` and ``StateError`` (also when the
call is not raised, e.g. ``return CriteriaFileError("...")``). Only literals count: write
``raise ServiceError("There is no file {path}.", path=p)``, never an f-string or a
variable. The command line's literal ``help=`` and ``description=`` texts are extracted
too. A ``# TRANSLATORS: ...`` comment just above a call reaches the translator.

Workflow after adding or changing user-facing strings (from the project root)::

    /work/venv/bin/python scripts/i18n.py extract   # source -> parapp.pot
    /work/venv/bin/python scripts/i18n.py update    # parapp.pot -> vi/en parapp.po
    # translate every empty msgstr "" in resources/translations/vi/LC_MESSAGES/parapp.po
    # (keep each {placeholder} exactly; leave en/.../parapp.po empty)
    /work/venv/bin/python scripts/i18n.py compile   # .po -> .mo
    /work/venv/bin/python scripts/i18n.py check     # exit 1 and a list if anything is off

``refresh`` runs extract + update + compile + check in one go (handy before and after
translating). Output is deterministic: no timestamps, no line numbers, messages sorted
by msgid, files only rewritten when their content changes. ``update`` keeps existing
translations, does no fuzzy matching and drops msgids that left the source (it prints
them, so a reworded string's old translation can be reused by hand).
``tests/test_i18n.py`` fails while any msgid lacks a Vietnamese translation or a .mo
is stale.
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
POT = TRANSLATIONS / "parapp.pot"
DOMAIN = "parapp"
LANGUAGES = ("vi", "en")
TRANSLATED = ("vi",)  # languages whose every msgid needs a msgstr
SOURCE_DIRS = ("parapp", "db", "ui")
ERROR_CLASSES = (
    "ServiceError",
    "NotFound",
    "DomainError",
    "CriteriaError",
    "CriteriaFileError",
    "ScoreError",
    "StateError",
    "Phrase",
    "DatabaseError",
    "NoDatabaseError",
    "NotAllowedError",
    "NewerSchemaError",
    "BackupError",
    "PackageError",
    "NotForThisOffice",
    "IdentityError",
    "Incomplete",
    "Conflict",  # parapp/services/appraisal_conflicts.py
)
KEYWORDS: dict[str, object] = {
    "_": DEFAULT_KEYWORDS["_"],
    "N_": DEFAULT_KEYWORDS["N_"],
    "ngettext": DEFAULT_KEYWORDS["ngettext"],
    **{name: (1,) for name in ERROR_CLASSES},
    "_err": (2,),  # parapp/formats/criteria_xlsx.py: _err(row, template, **params)
    "_bad": (2,),  # parapp/services/sync_data.py: _bad(where, template, **params)
}
COMMENT_TAGS = ("TRANSLATORS:",)
HEADERS = {
    None: "# English messages of parapp: the template of every catalog.\n"
    "# Made by scripts/i18n.py extract; do not edit by hand.\n#",
    "vi": "# Vietnamese translations of parapp.\n"
    "# Refresh with scripts/i18n.py, then fill every empty msgstr.\n#",
    "en": "# English for parapp: an empty msgstr shows the msgid as it is.\n"
    "# Refresh with scripts/i18n.py (see its docstring).\n#",
}
_VOLATILE = frozenset({"pot-creation-date", "po-revision-date", "generated-by"})


class _StableCatalog(Catalog):
    """A catalog whose header has no dates or tool version, so every output is reproducible."""

    @property
    def mime_headers(self) -> list[tuple[str, str]]:
        headers = [(n, v) for n, v in Catalog.mime_headers.fget(self) if n.lower() not in _VOLATILE]
        if headers:
            name, value = headers[-1]
            headers[-1] = (name, value.rstrip("\n") + "\n")
        return headers

    @mime_headers.setter
    def mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        Catalog.mime_headers.fset(self, headers)


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def _stabilise(catalog: Catalog, lang: str | None) -> Catalog:
    catalog.__class__ = _StableCatalog
    catalog.project = DOMAIN
    catalog.version = _version()
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "parapp"
    catalog.language_team = "parapp"
    catalog.header_comment = HEADERS[lang]
    if lang is not None:
        catalog.fuzzy = False
    return catalog


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the steps --------------------------------------------------------------------------


def extract() -> Catalog:
    """Every marked string in the source, as a template catalog (nothing is written)."""
    catalog = _stabilise(Catalog(domain=DOMAIN), None)
    for top in SOURCE_DIRS:
        if not (ROOT / top).is_dir():
            continue
        for filename, lineno, msgid, comments, context in extract_from_dir(
            ROOT / top,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            catalog.add(
                msgid,
                None,
                [(f"{top}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    _cli_help(catalog)
    return catalog


def _cli_help(catalog: Catalog) -> None:
    """The command line's help texts: literal ``help=`` / ``description=`` arguments in
    parapp/cli (translated when printed, see parapp/cli/language.py)."""
    for path in sorted((ROOT / "parapp" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                value = kw.value
                if kw.arg in ("help", "description") and isinstance(value, ast.Constant) \
                        and isinstance(value.value, str) and value.value:
                    catalog.add(value.value, None, [(_rel(path), value.lineno)],
                                auto_comments=["command-line help"])


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return _stabilise(read_po(fh, locale=lang, domain=DOMAIN), lang)


def dump_po(catalog: Catalog) -> bytes:
    buf = BytesIO()
    write_po(
        buf,
        catalog,
        sort_output=True,
        ignore_obsolete=True,
        include_lineno=False,
        include_previous=False,
    )
    return buf.getvalue()


def compile_po(path: Path, lang: str) -> bytes:
    """The .mo bytes for one .po (fuzzy and empty entries left out)."""
    buf = BytesIO()
    write_mo(buf, read_catalog(path, lang), use_fuzzy=False)
    return buf.getvalue()


def updated(template: Catalog, lang: str) -> tuple[Catalog, list[str]]:
    """The language's catalog merged with ``template``, and the msgids it dropped."""
    path = po_path(lang)
    if path.exists():
        catalog = read_catalog(path, lang)
    else:
        catalog = _stabilise(Catalog(locale=lang, domain=DOMAIN), lang)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    dropped = sorted(_text(m.id) for m in catalog.obsolete.values())
    return _stabilise(catalog, lang), dropped


def _write(path: Path, data: bytes) -> bool:
    """Write only if different (keeps mtimes and diffs quiet); True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _text(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else " | ".join(msgid)


# --- checks -----------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _strings(message: Message) -> list[str]:
    s = message.string
    return list(s) if isinstance(s, (list, tuple)) else [s or ""]


def is_translated(message: Message) -> bool:
    return not message.fuzzy and all(_strings(message))


def untranslated(template: Catalog, catalog: Catalog) -> list[str]:
    """Msgids of ``template`` with no (non-fuzzy) translation in ``catalog``."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        if found is None or not is_translated(found):
            missing.append(_text(message.id))
    return sorted(missing)


def placeholder_errors(catalog: Catalog) -> list[str]:
    """Translations whose {placeholders} differ from their msgid's."""
    errors = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        wanted = set().union(*(_fields(i) for i in ids))
        for string in _strings(message):
            if string and _fields(string) != wanted:
                errors.append(f"{_text(message.id)!r} -> {string!r}")
    return errors


def problems(template: Catalog | None = None) -> list[str]:
    """Everything that is out of step; empty when the catalogs are complete and compiled."""
    template = extract() if template is None else template
    found: list[str] = []
    if not POT.exists() or POT.read_bytes() != dump_po(template):
        found.append(f"{_rel(POT)} is out of date with the source: run extract, update")
    for lang in LANGUAGES:
        po, mo = po_path(lang), mo_path(lang)
        if not po.exists():
            found.append(f"{_rel(po)} is missing: run update")
            continue
        catalog = read_catalog(po, lang)
        if lang in TRANSLATED:
            found += [f"untranslated in {lang}: {m!r}" for m in untranslated(template, catalog)]
        else:
            absent = [_text(m.id) for m in template if m.id and m.id not in catalog]
            found += [f"not in {_rel(po)} (run update): {m!r}" for m in absent]
        found += [f"placeholders differ in {lang}: {e}" for e in placeholder_errors(catalog)]
        if not mo.exists():
            found.append(f"{_rel(mo)} is missing: run compile")
        elif mo.read_bytes() != compile_po(po, lang):
            found.append(f"{_rel(mo)} is older than / differs from its .po: run compile")
    return found


# --- command line -----------------------------------------------------------------------


def cmd_extract() -> int:
    template = extract()
    written = _write(POT, dump_po(template))
    print(f"{_rel(POT)}: {len(template)} msgids{'' if written else ' (unchanged)'}")
    return 0


def cmd_update() -> int:
    if not POT.exists():
        print(f"{_rel(POT)} does not exist: run extract first", file=sys.stderr)
        return 1
    template = read_catalog(POT)
    for lang in LANGUAGES:
        catalog, dropped = updated(template, lang)
        written = _write(po_path(lang), dump_po(catalog))
        todo = len(untranslated(template, catalog)) if lang in TRANSLATED else 0
        note = f", {todo} to translate" if todo else ""
        print(f"{_rel(po_path(lang))}: {'updated' if written else 'unchanged'}{note}")
        for msgid in dropped:
            print(f"  dropped (no longer in the source): {msgid!r}")
    return 0


def cmd_compile() -> int:
    for lang in LANGUAGES:
        po, mo = po_path(lang), mo_path(lang)
        if not po.exists():
            print(f"{_rel(po)} does not exist: run update first", file=sys.stderr)
            return 1
        data = compile_po(po, lang)
        written = _write(mo, data)
        print(f"{_rel(mo)}: {'compiled' if written else 'unchanged'}")
    return 0


def cmd_check() -> int:
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s); see the docstring of scripts/i18n.py")
        return 1
    print("translation catalogs are complete and compiled")
    return 0


def cmd_refresh() -> int:
    for step in (cmd_extract, cmd_update, cmd_compile):
        if step():
            return 1
    return cmd_check()


COMMANDS = {
    "extract": (cmd_extract, "collect the English msgids from the source into parapp.pot"),
    "update": (cmd_update, "merge parapp.pot into the vi and en .po files"),
    "compile": (cmd_compile, "compile each .po into the .mo next to it"),
    "check": (cmd_check, "exit 1 listing untranslated msgids and stale catalogs"),
    "refresh": (cmd_refresh, "extract, update, compile, then check"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/i18n.py",
        description="Maintain parapp's translation catalogs (see the module docstring).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text)
    args = parser.parse_args(argv)
    return COMMANDS[args.command][0]()


if __name__ == "__main__":
    sys.exit(main())
