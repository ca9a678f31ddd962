"""What the screens share: the open database, the current assessment and plan.

The database is opened on the worker thread after the window has painted; the first
figures are read there without the ORM (``parapp.services.quick_view``), and SQLAlchemy
loads on that thread just after, with the plan. Screens only ever see plain result objects.

This module is on the way to the first paint (tests/test_layers.py); what it uses after
that paint (the task manager, ``ui.snapshot`` and the services, the kinds of change) is
imported inside the methods that run then, each marked "after the first paint".
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from parapp.i18n import message
from ui import bench

if TYPE_CHECKING:
    from parapp.domain.roles import Role
    from parapp.services.assessments import AssessmentView
    from parapp.services.changes import Changed
    from parapp.services.office import Office
    from parapp.services.plans import PlanView
    from ui.snapshot import Snapshot
    from ui.tasks import TaskManager


class AppState(QObject):
    """The open database and the latest snapshot; ``updated`` tells the screens what
    changed (``parapp.services.changes``), ``changed`` that something did."""

    loaded = Signal()  # the first snapshot arrived (or the database failed to open)
    changed = Signal()  # a new snapshot or view
    updated = Signal(object)  # the same moment, with the Changed parts: screens refresh
    saved = Signal(object)  # datetime of the last write
    failed = Signal(str)  # the database could not be opened: the reason, translated

    def __init__(
        self, tasks: TaskManager | None, db_path: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.db_path = db_path
        self.db: Office | None = None
        self.snapshot: Snapshot | None = None
        self.problem: str = ""
        self.last_saved: datetime | None = None
        self.today: date = date.today()

    # -- accessors -----------------------------------------------------------------
    @property
    def tasks(self) -> TaskManager:
        """The database thread, started on first use (after the first paint)."""
        if self._tasks is None:
            from ui.tasks import TaskManager  # after the first paint

            self._tasks = TaskManager(self)
        return self._tasks

    @property
    def has_tasks(self) -> bool:
        return self._tasks is not None

    @property
    def view(self) -> AssessmentView | None:
        return self.snapshot.view if self.snapshot else None

    @property
    def role(self) -> Role | None:
        """The office's side (None until the database has been read)."""
        return self.snapshot.role if self.snapshot else None

    @property
    def is_appraiser(self) -> bool:
        return self.snapshot is not None and self.snapshot.is_appraiser

    @property
    def plan(self) -> PlanView | None:
        return self.snapshot.plan if self.snapshot else None

    @property
    def log_dir(self) -> Path:
        return self.db_path.parent / "logs"

    # -- loading -------------------------------------------------------------------
    def open(self) -> None:
        """Open the database and load the first snapshot on the worker."""
        path = self.db_path

        def job() -> tuple[Office | None, Snapshot]:
            # After the first paint, on the database thread.
            from ui.snapshot import Snapshot, first_snapshot, no_database, open_db

            bench.mark("worker_start")
            if no_database(path):
                from parapp.services.periods import setup_status  # after the first paint

                return None, Snapshot(None, None, None, setup_status(None))
            db = open_db(path)  # checked and migrated; SQLAlchemy is not loaded yet
            bench.mark("db_open")
            snapshot = first_snapshot(db)  # the plan follows: see _opened
            bench.mark("snapshot")
            return db, snapshot

        self.tasks.run(job, self._opened, self._open_failed)

    def _opened(self, result: tuple[Office | None, Snapshot]) -> None:
        self.db, self.snapshot = result
        self.loaded.emit()
        self._tell(None)
        db, path = self.db, self.db_path
        if db is None:
            return
        # After the first figures: the plan (overdue items on the overview; this is where
        # the ORM loads) and the start-up copy of the language setting.
        with_plan = self.view is not None

        def settle() -> PlanView | None:
            from parapp.services import leftovers  # after the first paint
            from ui.snapshot import load_plan, sync_language  # after the first paint

            plan = load_plan(db) if with_plan else None
            sync_language(db, path)
            # What an import killed last time left in tmp/ (decrypted packages included).
            leftovers.clear(path.parent)
            return plan

        self.tasks.run(settle, self._plan_loaded)

    def _plan_loaded(self, plan: PlanView | None) -> None:
        if self.snapshot is not None and plan is not None:
            from dataclasses import replace  # after the first paint

            from parapp.services.changes import PLAN_ITEMS  # after the first paint

            self.snapshot = replace(self.snapshot, plan=plan)
            self._tell(PLAN_ITEMS)

    def _open_failed(self, exc: BaseException) -> None:
        from parapp.services.storage import explain  # after the first paint

        # A full disk or a read-only data folder is said as such, not as a crash.
        exc = explain(exc, self.db_path.parent) or exc
        if not hasattr(exc, "template"):
            from ui import crash  # after the first paint

            crash.report(exc)
        self.problem = message(exc)
        self.failed.emit(self.problem)
        self.loaded.emit()

    def adopt(self, db: Office) -> None:
        """The first run has set the office up in ``db``: load it as if just opened."""
        from ui.snapshot import load_snapshot  # after the first paint

        self.run(lambda: (db, load_snapshot(db, with_plan=False)), self._opened)

    def reload(self, year: int | None = None, *, changed: Changed | None = None) -> None:
        """After a write: read again what ``changed`` says changed (everything by default,
        and always when ``year`` is given: another year is another snapshot), then tell the
        screens. A plan's change leaves the assessment's view as it is."""
        db = self.db
        if db is None:
            return
        from parapp.services.changes import Data  # after the first paint

        if year is None and changed is not None and Data.ASSESSMENT not in changed \
                and self.view is not None:
            self._reload_plan(db, changed)
            return
        if year is None:
            year = self.view.info.year if self.view else None
        if year is None and self.snapshot is not None and self.snapshot.is_appraiser:
            year = self.snapshot.year
        from ui.snapshot import load_snapshot  # after the first paint

        self.tasks.run(lambda: load_snapshot(db, year), lambda s: self._reloaded(s, changed))

    def _reload_plan(self, db: Office, changed: Changed) -> None:
        from parapp.services.changes import Data  # after the first paint

        if Data.PLAN not in changed:
            self._tell(changed)  # nothing the snapshot holds: only the screens reload
            return
        from ui.snapshot import load_plan  # after the first paint

        self.tasks.run(lambda: load_plan(db), lambda plan: self._plan_reloaded(plan, changed))

    def _plan_reloaded(self, plan: PlanView | None, changed: Changed) -> None:
        if self.snapshot is None:
            return
        from dataclasses import replace  # after the first paint

        self.snapshot = replace(self.snapshot, plan=plan)
        self._tell(changed)

    def _reloaded(self, snapshot: Snapshot, changed: Changed | None) -> None:
        self.snapshot = snapshot
        self._tell(changed)

    def set_view(self, view: AssessmentView) -> None:
        """A fresh view returned by a save: share it with every screen."""
        if self.snapshot is None:
            return
        from dataclasses import replace  # after the first paint

        from parapp.services.changes import SCORES  # after the first paint

        self.snapshot = replace(self.snapshot, view=view, problem=None, setup=None)
        self._tell(SCORES)

    def _tell(self, changed: Changed | None) -> None:
        """``changed``, then ``updated`` with what changed (None: everything)."""
        from parapp.services.changes import EVERYTHING  # after the first paint

        self.changed.emit()
        self.updated.emit(EVERYTHING if changed is None else changed)

    def mark_saved(self, when: datetime | None = None) -> None:
        self.last_saved = when or datetime.now()
        self.saved.emit(self.last_saved)

    def close(self) -> None:
        db = self.db
        self.db = None
        if db is not None:
            self.tasks.run(db.close)

    def run(self, fn: Any, on_done: Any = None, on_error: Any = None, **kw: Any) -> None:
        self.tasks.run(fn, on_done, on_error, **kw)
