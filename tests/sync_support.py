"""Shared by the sync tests: copies of the demo's two offices and row-for-row dumps."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db.engine import Database, open_database
from parapp import i18n
from parapp.domain.errors import DomainError
from parapp.services import sync_import


def copy_demo(demo_db: Path, target: Path) -> Path:
    """The whole demo folder (commune, appraiser, usb), so evidence stores and keys come too."""
    source = demo_db.parent.parent
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "logs"))
    return target


def dump(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: equal dumps mean an unchanged database."""
    con = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()


def store_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def opened(path: Path) -> Database:
    return open_database(path)


def draft_2026_submission(root: Path) -> Path:
    """In the demo copy at ``root``: start the commune's 2026 self-assessment (areas 1-6
    carried over), add two evidence files, submit it (incomplete, with a reason) and export
    the submission as a clerk would.
    Returns the package, written to ``root/out``."""
    from parapp.services import evidence, submission, sync_export
    from parapp.services.demo import start_next_year

    commune = open_database(root / "commune" / "parapp.sqlite3")
    try:
        assessment_id = start_next_year(commune, frozenset({"1", "2", "3", "4", "5", "6"}))
        for i, codes in enumerate((["1.1"], ["2.1", "2.2"]), start=1):
            doc = root / "docs" / f"bien-ban-{i}.txt"
            doc.parent.mkdir(parents=True, exist_ok=True)
            doc.write_text(f"Biên bản số {i}/2026\n", encoding="utf-8")
            evidence.add_evidence(commune, doc, node_codes=codes, title=f"Biên bản {i}",
                                  year=2026)
        # Area 7 is not scored yet: submitted as it is, with the reason the package carries.
        submission.submit(commune, assessment_id, allow_incomplete=True,
                          reason="Lĩnh vực 7 đang chờ số liệu của huyện.")
        (root / "out").mkdir(exist_ok=True)  # the stick, plugged in
        return sync_export.export(commune, "submission", root / "out", year=2026).info.path
    finally:
        commune.close()


def stable_dump(db_path: Path, ignore: dict[str, set[str]]) -> dict[str, list[str]]:
    """Like ``dump`` but without the named columns (times written with ``now()``)."""
    con = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')
                    if r[1] not in ignore.get(t, set())]
            names = ", ".join(f'"{c}"' for c in cols)
            out[t] = sorted(map(repr, con.execute(f'SELECT {names} FROM "{t}"')))
        return out
    finally:
        con.close()


def english(error: DomainError) -> str:
    """The error's sentence in English, whatever language the test runs in."""
    before = i18n.get_language()
    i18n.set_language("en")
    try:
        return i18n.message(error)
    finally:
        i18n.set_language(before)


def one_sentence(error: DomainError | None) -> str:
    """The English sentence; checked to be one sentence and to have its Vietnamese."""
    assert error is not None
    text = english(error)
    assert text.endswith(".") and ". " not in text and "\n" not in text, text
    assert "Error" not in text and "Traceback" not in text, text
    before = i18n.get_language()
    i18n.set_language("vi")
    try:
        assert i18n._(error.template) != error.template, f"no Vietnamese for: {error.template}"
        assert "{" not in i18n.message(error)
    finally:
        i18n.set_language(before)
    return text


def imported(db_path: Path, package: Path) -> sync_import.Outcome:
    """One package imported into the office at ``db_path`` (opened and closed around it)."""
    db = open_database(db_path)
    try:
        [(_d, _t, outcome)] = list(sync_import.import_packages(db, [package]))
    finally:
        db.close()
    return outcome
