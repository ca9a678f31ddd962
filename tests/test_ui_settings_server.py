"""Settings' "Máy chủ (hub)" (issue 18, point 1): the fields filled, the connection tested
against the real PostgreSQL of tests/pg_support.py, saved for the next start, and the
password never in the preferences (this box has no keyring backend: keyring's own 'fail'
backend, as here, and its 'null' one both leave the password to .pgpass)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
pytest.importorskip("keyring")

import keyring
from conftest import copy_database
from gui_support import OpenWindow
from keyring.backends import fail, null

from parapp.services import hub_connection
from ui import preferences, screens
from ui.app import _database
from ui.screens.settings import SettingsScreen
from ui.widgets.settings_server import ServerPanel

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000
PASSWORD = "mat-khau-hub-7"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def _panel(open_window: OpenWindow, demo_db: Path, tmp_path: Path) -> ServerPanel:
    window = open_window(copy_database(demo_db, tmp_path / "office" / "parapp.sqlite3"))
    window.navigate(screens.SETTINGS)
    screen = window.screen(screens.SETTINGS)
    assert isinstance(screen, SettingsScreen)
    panel = screen.server
    panel.data_dir = tmp_path / "data"
    return panel


def _fill(panel: ServerPanel, cluster: object, database: str, login: str, password: str) -> None:
    panel.host.setText(str(cluster.socket_dir))  # type: ignore[attr-defined]
    panel.port.setText(str(cluster.port))  # type: ignore[attr-defined]
    panel.database.setText(database)
    panel.login.setText(login)
    panel.password.setText(password)


def _test(qtbot: object, panel: ServerPanel) -> bool:
    with qtbot.waitSignal(panel.checked, timeout=WAIT_MS) as blocker:  # type: ignore[attr-defined]
        panel.test_button.click()
    return bool(blocker.args[0])


def test_a_server_is_tested_and_saved_without_its_password(
    open_window: OpenWindow, demo_db: Path, tmp_path: Path, qtbot: object,
    pg_cluster: object, no_keyring: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = pg_cluster.add_password_login(  # type: ignore[attr-defined]
        "hub_settings", PASSWORD, "t_settings_server")
    time.sleep(0.5)  # the reload reaches the server
    panel = _panel(open_window, demo_db, tmp_path)
    assert not hub_connection.keyring_available()
    assert "pgpass" in panel.keyring_note.text()
    assert panel.password.echoMode() == panel.password.EchoMode.Password

    _fill(panel, pg_cluster, "t_settings_server", "hub_settings", "sai-mat-khau")
    assert not _test(qtbot, panel)
    refused = panel.result.text()
    assert "sai-mat-khau" not in refused and "\n" not in refused
    assert refused.startswith("Không kết nối được") and "password" in refused, refused

    panel.password.setText(PASSWORD)
    assert _test(qtbot, panel)
    assert panel.result.text().startswith("Đã kết nối: PostgreSQL"), panel.result.text()
    assert "trống" in panel.result.text()  # no 'parapp init' yet

    panel.save_button.click()
    saved = (tmp_path / "data" / preferences.SERVER_FILENAME).read_text(encoding="utf-8")
    assert saved.strip() == url
    assert PASSWORD not in saved
    assert not [p for p in (tmp_path / "data").rglob("*")
                if p.is_file() and PASSWORD.encode() in p.read_bytes()]
    assert "pgpass" in panel.result.text()  # the password had nowhere to go: said so
    assert panel.password.text() == ""

    # The next start opens the saved server (no keyring: libpq's .pgpass gives the password).
    monkeypatch.setenv("PARAPP_DATA_DIR", str(tmp_path / "data"))
    assert _database(None) == url
    assert _database(str(tmp_path / "x.sqlite3")) == str(tmp_path / "x.sqlite3")
    panel.load()
    assert (panel.host.text(), panel.port.text(), panel.database.text(), panel.login.text()) == (
        str(pg_cluster.socket_dir), str(pg_cluster.port),  # type: ignore[attr-defined]
        "t_settings_server", "hub_settings")

    panel.forget_button.click()
    assert _database(None) is None


def test_a_missing_field_is_one_sentence_and_nothing_is_saved(
    open_window: OpenWindow, demo_db: Path, tmp_path: Path, no_keyring: None,
) -> None:
    panel = _panel(open_window, demo_db, tmp_path)
    panel.host.setText("hub.snv.example")
    panel.port.setText("99999")
    panel.database.setText("parapp")
    panel.save_button.click()
    assert "99999" in panel.result.text() and "65535" in panel.result.text()
    assert not (tmp_path / "data" / preferences.SERVER_FILENAME).exists()


def test_the_null_keyring_keeps_nothing_and_the_preferences_refuse_a_password(
    tmp_path: Path,
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        conn = hub_connection.connection("hub.snv.example", "", "parapp", "tv_tuphap")
        assert not hub_connection.keyring_available()
        with pytest.raises(hub_connection.ServiceError):
            hub_connection.remember_password(conn, PASSWORD)
        assert hub_connection.opening_url(conn.url()) == conn.url()
    finally:
        keyring.set_keyring(before)
    with pytest.raises(ValueError):
        preferences.save_server(tmp_path, f"postgresql://tv:{PASSWORD}@hub/parapp")
