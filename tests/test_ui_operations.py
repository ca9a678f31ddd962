"""OfficeOp (ui/operations.py): work on the office off the GUI thread, its result, failure
and progress back on the GUI thread, nothing run without an open office."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytestqt")

from parapp.services import setup
from parapp.services.common import ServiceError
from ui.operations import OfficeOp
from ui.state import AppState


@pytest.fixture
def opened(qtbot: Any, published_db: Path) -> Iterator[AppState]:
    state = AppState(None, published_db)
    state.open()
    qtbot.waitUntil(lambda: state.db is not None, timeout=30_000)
    yield state
    state.close()
    state.tasks.shutdown()


def test_the_work_gets_the_office_off_the_gui_thread(qtbot: Any, opened: AppState) -> None:
    gui = threading.get_ident()
    seen: list[Any] = []

    def work(office: Any) -> str:
        seen.append(threading.get_ident())
        assert office is opened.db
        unit = setup.own_unit_or_none(office)
        assert unit is not None
        return unit.name

    OfficeOp(opened, work).success(lambda name: seen.append((threading.get_ident(), name))).run()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen[0] != gui and seen[1] == (gui, "Xã Hoàng Văn Thụ")


def test_a_failure_and_progress_come_back_to_the_callbacks(qtbot: Any, opened: AppState) -> None:
    steps: list[tuple[int, int, str]] = []
    failures: list[BaseException] = []

    def work(office: Any) -> Iterator[tuple[int, int, str]]:
        yield 1, 2, "one"
        yield 2, 2, "two"
        raise ServiceError("The second step failed.")

    OfficeOp(opened, work).progress(lambda d, t, x: steps.append((d, t, x))).failure(
        failures.append
    ).run()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert steps == [(1, 2, "one"), (2, 2, "two")]
    assert str(failures[0]) == "The second step failed."


def test_nothing_runs_without_an_open_office(qtbot: Any, published_db: Path) -> None:
    state = AppState(None, published_db)  # not opened
    ran: list[bool] = []
    assert OfficeOp(state, lambda office: ran.append(True)).run() is None
    qtbot.wait(50)
    assert not ran and not state.has_tasks
