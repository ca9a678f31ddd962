"""One worker thread for all database work, results back on the GUI thread (Anki's taskman).

``tasks.run(fn, on_done, on_error)`` queues ``fn`` on the worker. Jobs run one after the
other, in the order given, so a save and the reload that follows it never overtake each
other. ``fn`` may return a generator yielding ``(done, total, message)``: that is long work,
which gets a progress dialog with a "Hủy" button and stops between two yields when the
user cancels (the generator is closed, so its ``finally`` can roll back).

The window never waits: a busy cursor appears only after 300 ms, the progress dialog after
600 ms.
"""

from __future__ import annotations

import inspect
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from parapp.i18n import _
from ui import qt_compat

BUSY_CURSOR_MS = 300
PROGRESS_DIALOG_MS = 600

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progressed = Callable[[int, int, str], None]  # done, total, text


class Cancelled(Exception):
    """Raised into nobody: a job's on_error gets it when the user pressed "Hủy"."""


@dataclass
class Task:
    id: int
    label: str
    on_done: Done | None
    on_error: Failed | None
    started: float = field(default_factory=time.monotonic)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    progressive: bool = False
    busy_cursor: bool = False
    dialog: Any = None  # a QProgressDialog once shown
    last_progress: tuple[int, int, str] = (0, 0, "")
    on_progress: Progressed | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Worker(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)

    @Slot(int, object, object)
    def execute(self, task_id: int, fn: Callable[[], Any], cancel: threading.Event) -> None:
        try:
            result = fn()
            if inspect.isgenerator(result):
                result = self._drive(task_id, result, cancel)
        except BaseException as exc:  # every failure goes back to the GUI thread
            self.failed.emit(task_id, exc)
            return
        self.finished.emit(task_id, result)

    def _drive(self, task_id: int, gen: Any, cancel: threading.Event) -> Any:
        while True:
            if cancel.is_set():
                gen.close()
                raise Cancelled()
            try:
                step = next(gen)
            except StopIteration as stop:
                return stop.value
            done, total, text = _unpack(step)
            self.progressed.emit(task_id, done, total, text)


def _unpack(step: object) -> tuple[int, int, str]:
    if isinstance(step, tuple):
        parts = [*step, 0, 0, ""][:3]
        return int(parts[0] or 0), int(parts[1] or 0), str(parts[2] or "")
    return 0, 0, str(step)


class TaskManager(QObject):
    """Owns the database thread; every callback runs on the GUI thread."""

    _submit = Signal(int, object, object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        qt_compat.apply()
        self._ids = itertools.count(1)
        self._tasks: dict[int, Task] = {}
        self._thread = QThread()
        self._thread.setObjectName("parapp-database")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        # Auto connections across threads are queued: the worker runs jobs in its own
        # thread and its signals reach our slots on the GUI thread.
        self._submit.connect(self._worker.execute)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._worker.progressed.connect(self._progressed)
        self._thread.start()
        self.dialog_parent: QWidget | None = None
        self.default_error: Failed | None = None

    # -- public --------------------------------------------------------------------
    def run(
        self,
        fn: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        label: str = "",
        on_progress: Progressed | None = None,
    ) -> Task:
        """Queue ``fn`` on the database thread; ``on_done(result)`` or ``on_error(exc)``
        later runs on the GUI thread (errors without ``on_error`` go to the default
        handler: a message in our language), ``on_progress`` at each step of long work."""
        task = Task(next(self._ids), label, on_done, on_error, on_progress=on_progress)
        self._tasks[task.id] = task
        QTimer.singleShot(BUSY_CURSOR_MS, lambda: self._maybe_busy(task.id))
        QTimer.singleShot(PROGRESS_DIALOG_MS, lambda: self._maybe_dialog(task.id))
        self._submit.emit(task.id, fn, task.cancel_event)
        return task

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until every queued job has finished (used when closing)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._tasks and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            QThread.msleep(5)
        return not self._tasks

    def shutdown(self) -> None:
        self.wait_idle()
        self._thread.quit()
        self._thread.wait(5000)

    # -- worker results ------------------------------------------------------------
    def _end(self, task_id: int) -> Task | None:
        task = self._tasks.pop(task_id, None)
        if task is None:
            return None
        if task.busy_cursor:
            QApplication.restoreOverrideCursor()
        if task.dialog is not None:
            task.dialog.blockSignals(True)
            task.dialog.close()
            task.dialog.deleteLater()
            task.dialog = None
        if not self._tasks:
            self.idle.emit()
        return task

    @Slot(int, object)
    def _finished(self, task_id: int, result: object) -> None:
        task = self._end(task_id)
        if task is not None and task.on_done is not None:
            task.on_done(result)

    @Slot(int, object)
    def _failed(self, task_id: int, exc: BaseException) -> None:
        task = self._end(task_id)
        if task is None:
            return
        if task.on_error is not None:
            task.on_error(exc)
        elif isinstance(exc, Cancelled):
            return
        elif self.default_error is not None:
            self.default_error(exc)
        else:
            raise exc

    @Slot(int, int, int, str)
    def _progressed(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._tasks.get(task_id)
        if task is None:
            return
        task.progressive = True
        task.last_progress = (done, total, text)
        if task.on_progress is not None:
            task.on_progress(done, total, text)
        if task.dialog is None and self._elapsed_ms(task) >= PROGRESS_DIALOG_MS:
            self._show_dialog(task)
        if task.dialog is not None:
            self._update_dialog(task)

    # -- feedback ------------------------------------------------------------------
    @staticmethod
    def _elapsed_ms(task: Task) -> float:
        return (time.monotonic() - task.started) * 1000

    def _maybe_busy(self, task_id: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None and not task.busy_cursor:
            task.busy_cursor = True
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def _maybe_dialog(self, task_id: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.dialog is None and task.progressive:
            self._show_dialog(task)

    def _show_dialog(self, task: Task) -> None:
        dialog = QProgressDialog(self.dialog_parent)
        dialog.setWindowTitle(_("Please wait"))
        dialog.setLabelText(task.label or _("Working…"))
        dialog.setCancelButtonText(_("Cancel"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(task.cancel)
        task.dialog = dialog
        self._update_dialog(task)
        dialog.show()

    @staticmethod
    def _update_dialog(task: Task) -> None:
        assert task.dialog is not None
        done, total, text = task.last_progress
        task.dialog.setRange(0, max(total, 0))
        task.dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            task.dialog.setLabelText(text)
