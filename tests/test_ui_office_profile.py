"""Cài đặt, "Hồ sơ cơ quan" (issue 15 part 1): a department's office sees the defaults of its
kind as placeholders, and what it types is what its documents use."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import OpenWindow, idle

from db.engine import open_database
from parapp.domain.units import Unit, UnitKind
from parapp.services import office_profile, setup
from ui import screens
from ui.screens.settings import SettingsScreen
from ui.widgets.settings_office import OfficeProfilePanel

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


def as_department(path: Path) -> Path:
    """A copy of the demo whose unit is a provincial office (its name carries no province)."""
    db = open_database(path)
    try:
        own = setup.own_unit(db)
        unit = Unit(own.code, "Văn phòng UBND tỉnh", UnitKind.DEPARTMENT,
                    appraiser_name=own.appraiser_name, province_name="Tỉnh Lạng Sơn")  # fmt: skip
        setup.save_unit(db, unit, is_self=True)
    finally:
        db.close()
    return path


def test_office_profile_in_settings(
    open_window: OpenWindow, qtbot: object, published_db: Path, tmp_path: Path
) -> None:
    path = as_department(published_db)
    window = open_window(path)
    window.navigate(screens.SETTINGS)
    screen = window.screen(screens.SETTINGS)
    assert isinstance(screen, SettingsScreen)
    panel = screen.office
    assert isinstance(panel, OfficeProfilePanel)
    fields = panel.fields
    qtbot.waitUntil(lambda: fields["symbol_suffix"].placeholderText() == "VP", timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert fields["governing_body"].placeholderText() == "UBND TỈNH LẠNG SƠN"
    assert fields["signer_title"].placeholderText() == "CHÁNH VĂN PHÒNG"
    assert fields["place"].placeholderText() == "Lạng Sơn" and fields["place"].text() == ""
    assert "KH-VP" in panel.preview.text()

    qtbot.keyClicks(fields["symbol_suffix"], "vpub")  # type: ignore[attr-defined]
    panel.save_now()
    qtbot.waitUntil(
        lambda: (
            idle(window)
            and "KH-VPUB" in panel.preview.text()
            and fields["symbol_suffix"].text() == "VPUB"
        ),
        timeout=WAIT_MS,
    )  # type: ignore[attr-defined]
    db = open_database(path)
    try:
        assert office_profile.get_profile(db).symbol("KH") == "KH-VPUB"
    finally:
        db.close()
    panel.grab().save(str(tmp_path / "office-panel.png"))
