"""Packages are ordered by the sender's sequence number, not by its clock (issue 19, part 4).

Every package is written here with the demo commune's real signing key, from its real 2026
submission, with the number and date each case needs; each is imported through the real
import into a fresh copy of the demo appraiser.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sync_support import copy_demo, draft_2026_submission, dump

from db.engine import open_database
from parapp import i18n
from parapp.cli import main
from parapp.services import sync_export, sync_import, sync_keys, sync_sequence
from parapp.sync.package import OpenedPackage, read_package, write_package


@pytest.fixture(scope="module")
def demo(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, OpenedPackage]:
    """(the demo copy, the commune's real 2026 submission as read back)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("sequence") / "demo")
    valid = draft_2026_submission(root)
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    return root, read_package(valid, {own.fingerprint: own.signing.public_bytes}, None)


def _package(demo: tuple[Path, OpenedPackage], name: str, *, sequence: int | None,
             created_at: str, explanation: str = "") -> Path:
    """The commune's submission again, numbered and dated as the case needs (``sequence``
    None: format version 1, as programs before the sequence wrote it)."""
    root, opened = demo
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    data: dict[str, Any] = {**opened.data, "scores": [dict(s) for s in opened.data["scores"]]}
    if explanation:
        data["scores"][0]["explanation"] = explanation
    evidence = {sha: root / "commune" / "evidence" / sha[:2] / sha for sha in opened.evidence}
    return write_package(root / "made" / f"{name}.cchc", "submission", own.signing, "06172",
                         {"unit_code": "20"}, data, evidence,
                         criteria_set=opened.manifest["criteria_set"], period=2026,
                         package_id=str(uuid.uuid4()), created_at=created_at,
                         sequence=sequence).path


def _appraiser(demo: tuple[Path, OpenedPackage], tmp_path: Path) -> Path:
    shutil.copytree(demo[0] / "appraiser", tmp_path / "appraiser",
                    ignore=shutil.ignore_patterns("backups", "logs"))
    return tmp_path / "appraiser" / "parapp.sqlite3"


def _import(db_path: Path, package: Path) -> sync_import.Outcome:
    db = open_database(db_path)
    try:
        [(_d, _t, outcome)] = list(sync_import.import_packages(db, [package]))
        return outcome
    finally:
        db.close()


def _english(outcome: sync_import.Outcome) -> str:
    before = i18n.get_language()
    i18n.set_language("en")
    try:
        return i18n.message(outcome.error) if outcome.error is not None else ""
    finally:
        i18n.set_language(before)


def _refused_unchanged(db_path: Path, package: Path) -> str:
    """Import a package that must be refused: the database stays as it was; the English
    sentence is returned (one sentence, translated into Vietnamese too)."""
    before = dump(db_path)
    outcome = _import(db_path, package)
    assert outcome.status == "refused", outcome
    assert dump(db_path) == before
    assert outcome.error is not None
    text = _english(outcome)
    assert text.count(". ") == 0 and text.endswith("."), text  # one sentence
    i18n.set_language("vi")
    try:
        assert i18n._(outcome.error.template) != outcome.error.template, "not translated"
    finally:
        i18n.set_language("en")
    return text


def test_a_package_dated_2999_does_not_block_later_ones(
        demo: tuple[Path, OpenedPackage], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path)
    future = _package(demo, "clock-2999", sequence=10, created_at="2999-01-01T08:00:00+00:00")
    assert _import(db_path, future).status == "applied"
    later = _package(demo, "genuine", sequence=11, created_at="2026-12-07T08:00:00+00:00",
                     explanation="Sửa sau khi chỉnh đồng hồ")
    assert _import(db_path, later).status == "applied"
    # The date is shown as the sender wrote it, never compared.
    [state] = sync_sequence.senders(open_database(db_path), "06172")
    assert state.last_sequence == 11 and state.last_made is not None
    assert state.last_made.year == 2026


def test_a_clock_reset_to_2000_still_submits(demo: tuple[Path, OpenedPackage],
                                             tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path)
    assert _import(db_path, _package(demo, "now", sequence=3,
                                     created_at="2026-12-01T08:00:00+07:00")).status == "applied"
    reset_clock = _package(demo, "year-2000", sequence=4,
                           created_at="2000-01-01T00:05:00+07:00", explanation="Đồng hồ sai")
    assert _import(db_path, reset_clock).status == "applied"


def test_the_same_package_twice_is_already_imported(demo: tuple[Path, OpenedPackage],
                                                    tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path)
    package = _package(demo, "twice", sequence=5, created_at="2026-12-01T08:00:00+00:00")
    assert _import(db_path, package).status == "applied"
    before = dump(db_path)
    assert _import(db_path, package).status == "already"
    assert dump(db_path) == before


def test_an_older_number_is_refused_whatever_its_date(
        demo: tuple[Path, OpenedPackage], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path)
    newer = _package(demo, "seven", sequence=7, created_at="2026-01-01T08:00:00+00:00")
    assert _import(db_path, newer).status == "applied"
    for number in (7, 6):
        older = _package(demo, f"old-{number}", sequence=number,
                         created_at="2026-12-31T08:00:00+00:00")  # a later date: not trusted
        text = _refused_unchanged(db_path, older)
        assert f"number {number}" in text and "number 7" in text, text
        assert "31/12/2026" in text and "01/01/2026" in text  # dates shown
        assert "reset its numbering" in text and "--" not in text  # the window shows it too


def test_reset_accepts_the_next_package_and_is_logged(
        demo: tuple[Path, OpenedPackage], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db_path = _appraiser(demo, tmp_path)
    high = _package(demo, "high", sequence=40, created_at="2026-11-01T08:00:00+00:00")
    assert _import(db_path, high).status == "applied"
    # The commune restored an older backup: its counter is back at 12.
    restored = _package(demo, "restored", sequence=12, created_at="2026-12-05T08:00:00+00:00",
                        explanation="Sau khi khôi phục")
    _refused_unchanged(db_path, restored)

    before = dump(db_path)
    assert main(["--db", str(db_path), "--lang", "en", "sync", "sender", "reset", "06172",
                 "--reason", " "]) == 1
    assert "Say why" in capsys.readouterr().err
    assert dump(db_path) == before  # no reason, no reset
    assert main(["--db", str(db_path), "--lang", "en", "sync", "sender", "reset", "99999",
                 "--reason", "x"]) == 1
    assert "nothing to reset" in capsys.readouterr().err

    assert main(["--db", str(db_path), "--lang", "en", "sync", "sender", "reset", "06172",
                 "--reason", "Xã khôi phục bản sao lưu ngày 01/12"]) == 0
    out = capsys.readouterr().out
    assert "06172" in out and "Xã khôi phục bản sao lưu ngày 01/12" in out
    assert _import(db_path, restored).status == "applied"
    assert _import(db_path, high).status == "already"  # imported before the reset: still so
    assert _refused_unchanged(db_path, _package(
        demo, "restored-again", sequence=12, created_at="2026-12-05T09:00:00+00:00"))

    assert main(["--db", str(db_path), "--lang", "en", "sync", "sender", "show"]) == 0
    shown = capsys.readouterr().out
    assert "06172: last package number 12" in shown and "Xã khôi phục" in shown
    assert main(["--db", str(db_path), "--lang", "en", "sync", "log"]) == 0
    log = capsys.readouterr().out
    assert "sender's numbering reset" in log and "Xã khôi phục bản sao lưu ngày 01/12" in log


def test_version_1_packages_are_still_read(demo: tuple[Path, OpenedPackage],
                                           tmp_path: Path) -> None:
    """Packages of format version 1 (no number) from a commune not yet updated: ordered by
    their dates among themselves, as before; once a numbered package came, refused with a
    sentence that says to update."""
    db_path = _appraiser(demo, tmp_path)
    first = _package(demo, "v1-a", sequence=None, created_at="2026-10-01T08:00:00+00:00")
    assert read_package(first, sync_keys.trusted_map(open_database(db_path)), None
                        ).manifest["format_version"] == 1
    assert _import(db_path, first).status == "applied"
    older = _package(demo, "v1-older", sequence=None, created_at="2026-09-01T08:00:00+00:00")
    assert "older than one already imported" in _refused_unchanged(db_path, older)
    numbered = _package(demo, "v2", sequence=1, created_at="2026-08-01T08:00:00+00:00")
    assert _import(db_path, numbered).status == "applied"  # its date does not matter
    late_v1 = _package(demo, "v1-late", sequence=None, created_at="2026-12-01T08:00:00+00:00")
    assert "update parapp" in _refused_unchanged(db_path, late_v1)


def test_the_sender_numbers_per_recipient(demo: tuple[Path, OpenedPackage],
                                          tmp_path: Path) -> None:
    """Each export takes the next number of its recipient's counter, committed first."""
    shutil.copytree(demo[0] / "commune", tmp_path / "commune",
                    ignore=shutil.ignore_patterns("backups", "logs"))
    commune = open_database(tmp_path / "commune" / "parapp.sqlite3")
    (tmp_path / "out").mkdir()
    try:
        numbers = [sync_export.export(commune, "progress", tmp_path / "out" / f"{i}.cchc",
                                      year=2025).info.manifest["sequence"] for i in range(3)]
        assert numbers[1] == numbers[0] + 1 and numbers[2] == numbers[1] + 1
        assert sync_sequence.next_sequence(commune, {"unit_code": "other"}) == 1
        assert sync_sequence.next_sequence(commune, {"unit_code": "20"}) == numbers[2] + 1
    finally:
        commune.close()


def test_the_plan_shows_the_number_and_the_date_as_the_sender_wrote_it(
        demo: tuple[Path, OpenedPackage], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db_path = _appraiser(demo, tmp_path)
    package = _package(demo, "shown", sequence=21, created_at="2999-06-01T08:00:00+00:00")
    assert main(["--db", str(db_path), "--lang", "en", "sync", "import", str(package),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "number 21, dated 01/06/2999" in out and "by the sender's clock" in out, out
