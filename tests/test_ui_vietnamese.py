"""No English left in the Vietnamese window (issue 16): the import preview's lines built
from the services' changes, a backup's reason, a damaged package's sentence."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from sync_support import copy_demo

from db.engine import open_database
from parapp.i18n import message
from parapp.services import appraisal, assessments, submission, sync_export, sync_import
from parapp.services.demo import start_next_year
from parapp.sync.safety import damaged
from ui.dialogs_sync import change_lines
from ui.models.backups import reason_text

pytestmark = pytest.mark.usefixtures("vietnamese")
# Words of the English messages that must not reach a Vietnamese screen.
ENGLISH = re.compile(
    r"\b(the|of|appraisal|status|published|result|index|criterion|evidence|plan|item|"
    r"exit|auto|Bad|file|for|returned|submitted)\b"
)


def test_the_import_preview_of_a_returned_result_reads_vietnamese(
    demo_db: Path, tmp_path: Path
) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    commune = open_database(root / "commune" / "parapp.sqlite3")
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        assessment_id = start_next_year(commune, frozenset({"1", "2", "3", "4", "5", "6"}))
        submission.submit(commune, assessment_id, allow_incomplete=True, reason="Chờ số liệu.")
        stick = tmp_path / "usb"
        stick.mkdir()
        package = sync_export.export(commune, "submission", stick, year=2026).info.path
        [(_d, _t, done)] = list(sync_import.import_packages(appraiser, [package]))
        assert done.status == "applied"
        seen = assessments.view(appraiser, 2026, unit_code="06172")
        entries = [assessments.AppraisalEntry(c, appraised=s.self_score, comment="Đạt")
                   for c, s in seen.scores.items() if s.self_score is not None]
        assessments.set_appraisals(appraiser, seen.info.id, entries)
        appraisal.return_for_correction(appraiser, "06172", 2026, "Bổ sung tài liệu")
        back = tmp_path / "back"
        back.mkdir()
        result = sync_export.export(appraiser, "result", back, to="06172", year=2026).info.path
        [(_d, _t, planned)] = list(sync_import.import_packages(commune, [result], dry_run=True))
        assert planned.plan is not None, planned.error and message(planned.error)
        lines = [text for text, _change in change_lines(planned.plan.changes)]
    finally:
        commune.close()
        appraiser.close()
    assert any("thẩm định" in line for line in lines), lines
    assert any("trạng thái" in line for line in lines), lines
    english = [line for line in lines if ENGLISH.search(line)]
    assert not english, english


def test_backup_reasons_and_zip_errors_read_vietnamese(tmp_path: Path) -> None:
    for reason in ("exit", "auto", "manual", "before-import"):
        assert not ENGLISH.search(reason_text(reason)), reason_text(reason)
    # A package whose entry was changed after zipping: zipfile says "Bad CRC-32 for file".
    path = tmp_path / "goi.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data.json", b'{"a": 1}' * 20)
    data = bytearray(path.read_bytes())
    at = data.index(b'{"a": 1}')
    data[at + 2] ^= 0x01
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile) as caught:
        archive.read("data.json")
    text = message(damaged("data.json", caught.value))
    assert "CRC-32" in text and not ENGLISH.search(text.replace("CRC-32", "")), text
