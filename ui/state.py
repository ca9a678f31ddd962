"""What the screens share: the open database, the current assessment and plan.

The database is opened on the worker thread after the window has painted; the first
figures are read there without the ORM (``parapp.services.quick_view``), and SQLAlchemy
loads on that thread just after, with the plan. Screens only ever see plain result objects.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from db.engine import Database
    from parapp.domain.errors import DomainError
    from parapp.services.assessments import AssessmentView
    from parapp.services.periods import SetupStatus
    from parapp.services.plans import PlanView
    from ui.tasks import TaskManager


APPRAISER = "appraiser"


@dataclass(frozen=True)
class Snapshot:
    """Everything loaded at once: the assessment's view and the current plan.

    An appraiser's database has no assessment of its own: its snapshot carries the role,
    the appraiser's name and the year to appraise instead of a view.
    """

    view: AssessmentView | None
    plan: PlanView | None
    problem: DomainError | None = None  # why there is no view (no unit, no assessment)
    setup: SetupStatus | None = None  # set when the office must be set up first (first run)
    role: str = "commune"  # the "role" setting: "commune" or "appraiser"
    unit_name: str = ""  # the appraiser's own name (a commune's is in view.info)
    year: int | None = None  # the appraiser: the latest year any unit submitted


def open_db(path: Path) -> Database:
    from db.engine import open_database

    return open_database(path)


def load_plan(db: Database) -> PlanView | None:
    """The latest remediation plan, if any (runs on the worker thread)."""
    from parapp.services import plans
    from parapp.services.common import NotFound

    try:
        return plans.get_plan(db)
    except NotFound:
        return None


def load_snapshot(db: Database, year: int | None = None, *, with_plan: bool = True) -> Snapshot:
    """The assessment's view and (unless told not to) the plan; runs on the worker."""
    from parapp.services import assessments
    from parapp.services.common import NotFound
    from parapp.services.setup import get_setting

    role = get_setting(db, "role", "commune") or "commune"
    if role == APPRAISER:
        return _appraiser_snapshot(db, year)
    view = None
    problem = None
    try:
        view = assessments.view(db, year)
    except NotFound as exc:
        problem = exc
    if view is None:
        from parapp.services.periods import setup_status

        status = setup_status(db)
        if status.needed:
            return Snapshot(None, None, problem, status)
    return Snapshot(view, load_plan(db) if with_plan else None, problem)


def _first_snapshot(db: Database) -> Snapshot:
    """The opening figures: read without the ORM when the start-up reader can answer
    (a commune's latest assessment), else through the services."""
    from parapp.services.quick_view import first_view

    view = first_view(db.path)
    if view is not None:
        return Snapshot(view, None, None)
    return load_snapshot(db, with_plan=False)


def _appraiser_snapshot(db: Database, year: int | None) -> Snapshot:
    """The appraiser's hub has no view: its name and the year it works on."""
    from parapp.services.appraisal import latest_year
    from parapp.services.common import NotFound
    from parapp.services.periods import setup_status
    from parapp.services.setup import own_unit_or_none

    status = setup_status(db)
    if status.needed:
        return Snapshot(None, None, None, status, role=APPRAISER)
    own = own_unit_or_none(db)
    if year is None:
        try:
            year = latest_year(db)
        except NotFound:
            year = date.today().year
    return Snapshot(None, None, role=APPRAISER, unit_name=own.name if own else "", year=year)


def _no_database(path: Path) -> bool:
    """No data file yet (or an empty one): the first run."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _sync_language(db: Database, path: Path) -> None:
    """Keep the start-up copy of the language setting in step with the database
    (a restored backup may carry another choice); used from the next start."""
    from parapp.services.setup import get_setting
    from ui import preferences

    wanted = get_setting(db, "language")
    if wanted in preferences.LANGUAGES and preferences.read_language(path) != wanted:
        # A read-only folder: the window still works, in the default language.
        with contextlib.suppress(OSError):
            preferences.set_language(path, wanted)


class AppState(QObject):
    """The open database and the latest snapshot; ``changed`` tells the screens."""

    loaded = Signal()  # the first snapshot arrived (or the database failed to open)
    changed = Signal()  # a new snapshot or view: screens refresh
    saved = Signal(object)  # datetime of the last write
    failed = Signal(str)  # the database could not be opened: the reason, translated

    def __init__(
        self, tasks: TaskManager | None, db_path: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.db_path = db_path
        self.db: Database | None = None
        self.snapshot: Snapshot | None = None
        self.problem: str = ""
        self.last_saved: datetime | None = None
        self.today: date = date.today()

    # -- accessors -----------------------------------------------------------------
    @property
    def tasks(self) -> TaskManager:
        """The database thread, started on first use (after the first paint)."""
        if self._tasks is None:
            from ui.tasks import TaskManager

            self._tasks = TaskManager(self)
        return self._tasks

    @property
    def has_tasks(self) -> bool:
        return self._tasks is not None

    @property
    def view(self) -> AssessmentView | None:
        return self.snapshot.view if self.snapshot else None

    @property
    def role(self) -> str | None:
        """ "commune" or "appraiser" (None until the database has been read)."""
        return self.snapshot.role if self.snapshot else None

    @property
    def is_appraiser(self) -> bool:
        return self.role == APPRAISER

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

        def job() -> tuple[Database | None, Snapshot]:
            from ui import bench

            bench.mark("worker_start")
            if _no_database(path):
                from parapp.services.periods import setup_status

                return None, Snapshot(None, None, None, setup_status(None))
            db = open_db(path)  # checked and migrated; SQLAlchemy is not loaded yet
            bench.mark("db_open")
            snapshot = _first_snapshot(db)  # the plan follows: see _opened
            bench.mark("snapshot")
            return db, snapshot

        self.tasks.run(job, self._opened, self._open_failed)

    def _opened(self, result: tuple[Database | None, Snapshot]) -> None:
        self.db, self.snapshot = result
        self.loaded.emit()
        self.changed.emit()
        db, path = self.db, self.db_path
        if db is None:
            return
        # After the first figures: the plan (overdue items on the overview; this is where
        # the ORM loads) and the start-up copy of the language setting.
        with_plan = self.view is not None

        def settle() -> PlanView | None:
            plan = load_plan(db) if with_plan else None
            _sync_language(db, path)
            return plan

        self.tasks.run(settle, self._plan_loaded)

    def _plan_loaded(self, plan: PlanView | None) -> None:
        if self.snapshot is not None and plan is not None:
            self.snapshot = replace(self.snapshot, plan=plan)
            self.changed.emit()

    def _open_failed(self, exc: BaseException) -> None:
        from parapp.i18n import message
        from parapp.services.storage import explain

        # A full disk or a read-only data folder is said as such, not as a crash.
        exc = explain(exc, self.db_path.parent) or exc
        if not hasattr(exc, "template"):
            from ui import crash

            crash.report(exc)
        self.problem = message(exc)
        self.failed.emit(self.problem)
        self.loaded.emit()

    def adopt(self, db: Database) -> None:
        """The first run has set the office up in ``db``: load it as if just opened."""
        self.run(lambda: (db, load_snapshot(db, with_plan=False)), self._opened)

    def reload(self, year: int | None = None) -> None:
        """A new snapshot of ``year`` (by default the year on screen)."""
        db = self.db
        if db is None:
            return
        if year is None:
            year = self.view.info.year if self.view else None
        if year is None and self.snapshot is not None and self.snapshot.role == APPRAISER:
            year = self.snapshot.year
        self.tasks.run(lambda: load_snapshot(db, year), self._reloaded)

    def _reloaded(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.changed.emit()

    def set_view(self, view: AssessmentView) -> None:
        """A fresh view returned by a save: share it with every screen."""
        if self.snapshot is None:
            return
        self.snapshot = replace(self.snapshot, view=view, problem=None, setup=None)
        self.changed.emit()

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
