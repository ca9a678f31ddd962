"""The window answers at once (issue 16, point 5; bench/ui_actions.py times it): the
documents screen says it is preparing the preview before the document's fields arrive,
issuing says so the moment it is confirmed, and closing takes the exit backup only when the
data changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import OpenWindow, figures_shown, idle

from db.location import DataPaths
from parapp.i18n import _
from parapp.services import plans
from ui import after_paint, dialogs, screens
from ui.main_window import MainWindow
from ui.screens.documents import DocumentsScreen

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


def _settled(window: MainWindow) -> bool:
    return figures_shown(window) and window.state.plan is not None and idle(window)


def _office(demo_db: Path, target: Path) -> Path:
    """A copy of the demo commune with its backups (the newest one is of this very data)."""
    shutil.copytree(demo_db.parent, target, ignore=shutil.ignore_patterns("logs"))
    return target / demo_db.name


def test_documents_and_issuing_show_progress_at_once(
    qtbot: object, open_window: OpenWindow, published_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(published_db, _settled)
    window.navigate(screens.DOCUMENTS)
    screen = window.screen(screens.DOCUMENTS)
    assert isinstance(screen, DocumentsScreen)
    # Nothing has come back from the worker yet: no fields to type into, and it says why.
    assert screen.editing is None
    assert not screen.form.isEnabled()
    assert not screen.print_button.isEnabled()
    assert not screen.issue_actions.issue_button.isEnabled()
    assert screen.preview.busy_label.text() == _("Updating the preview…")
    assert screen.preview.message.text() == _("Preparing the preview…")
    qtbot.waitUntil(lambda: screen.preview.page_count > 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert screen.form.isEnabled()

    said: list[str] = []
    screen.status_message.connect(said.append)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)  # "Ban hành"
    screen.issue_actions.issue_button.click()
    assert not screen.issue_actions.issue_button.isEnabled()  # taken at once, and once
    qtbot.waitUntil(screen.issue_actions.banner.isVisible, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert said[0] == _("Issuing the plan…")  # from the confirmation to the issued banner
    assert said[-1].startswith(_("Issued No. {ref} of {date}.").split("{")[0])


def test_issue_is_clickable_again_after_the_question_is_declined(
    qtbot: object, open_window: OpenWindow, published_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(published_db, _settled)
    window.navigate(screens.DOCUMENTS)
    screen = window.screen(screens.DOCUMENTS)
    assert isinstance(screen, DocumentsScreen)
    qtbot.waitUntil(lambda: screen.preview.page_count > 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, text, *_a, **_k: asked.append(text))
    screen.issue_actions.issue_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert screen.issue_actions.issue_button.isEnabled()
    assert not screen.form.read_only


def test_closing_takes_the_exit_backup_only_of_changed_data(
    qtbot: object, open_window: OpenWindow, demo_db: Path, tmp_path: Path
) -> None:
    path = _office(demo_db, tmp_path / "commune")
    backups = DataPaths(path).backups
    made = sorted(backups.iterdir())
    window = open_window(path, _settled)
    window.close()
    after_paint.close_down(window.state, window, backup=True)
    assert sorted(backups.iterdir()) == made  # opening and looking changed nothing

    window = open_window(path, _settled)
    window.state.run(lambda: plans.update_document(window.state.db, 2026, place="Hữu Lũng"))
    qtbot.waitUntil(lambda: idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    window.close()
    after_paint.close_down(window.state, window, backup=True)
    assert len(list(backups.iterdir())) > len(made)
