"""What the window loads from the database, on the worker thread: the snapshot the screens
share, and the functions that read it (the first one without the ORM: see ``_first``).

Apart from ``ui.state`` because the state object is on the way to the first paint and none
of this is. The services that load the ORM are imported inside the functions that need
them (marked "the ORM"): the first figures come before SQLAlchemy (``first_snapshot``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parapp.domain.roles import Role
from parapp.services.office import Office, open_office
from parapp.services.paths import server_url
from parapp.services.quick_view import first_view
from ui import preferences

if TYPE_CHECKING:
    from parapp.domain.errors import DomainError
    from parapp.services.assessments import AssessmentView
    from parapp.services.periods import SetupStatus
    from parapp.services.plans import PlanView

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
    role: Role = Role.COMMUNE  # the "role" setting
    unit_name: str = ""  # the appraiser's own name (a commune's is in view.info)
    year: int | None = None  # the appraiser: the latest year any unit submitted

    @property
    def is_appraiser(self) -> bool:
        return self.role is Role.APPRAISER


def open_db(path: Path) -> Office:
    return open_office(path)


def load_plan(db: Office) -> PlanView | None:
    """The latest remediation plan, if any (runs on the worker thread)."""
    from parapp.services import plans  # the ORM (see the module's note)
    from parapp.services.common import NotFound  # the ORM

    try:
        return plans.get_plan(db)
    except NotFound:
        return None


def load_snapshot(db: Office, year: int | None = None, *, with_plan: bool = True) -> Snapshot:
    """The assessment's view and (unless told not to) the plan; runs on the worker."""
    # The ORM (see the module's note).
    from parapp.services import assessments
    from parapp.services.common import NotFound
    from parapp.services.periods import setup_status
    from parapp.services.setup import role_of

    if role_of(db) is Role.APPRAISER:
        return _appraiser_snapshot(db, year)
    view = None
    problem = None
    try:
        view = assessments.view(db, year)
    except NotFound as exc:
        problem = exc
    if view is None:
        status = setup_status(db)
        if status.needed:
            return Snapshot(None, None, problem, status)
    return Snapshot(view, load_plan(db) if with_plan else None, problem)


def first_snapshot(db: Office) -> Snapshot:
    """The opening figures: read without the ORM when the start-up reader can answer
    (a commune's latest assessment), else through the services."""
    view = first_view(db.path)
    if view is not None:
        return Snapshot(view, None, None)
    return load_snapshot(db, with_plan=False)


def _appraiser_snapshot(db: Office, year: int | None) -> Snapshot:
    """The appraiser's hub has no view: its name and the year it works on."""
    # The ORM (see the module's note).
    from parapp.services.appraisal import latest_year
    from parapp.services.common import NotFound
    from parapp.services.periods import setup_status
    from parapp.services.setup import own_unit_or_none

    status = setup_status(db)
    if status.needed:
        return Snapshot(None, None, None, status, role=Role.APPRAISER)
    own = own_unit_or_none(db)
    if year is None:
        try:
            year = latest_year(db)
        except NotFound:
            year = date.today().year
    return Snapshot(None, None, role=Role.APPRAISER, unit_name=own.name if own else "", year=year)


def no_database(path: Path) -> bool:
    """No data file yet (or an empty one): the first run. A server's stand-in path has
    no file: the server says (open_db) whether its database is there."""
    if server_url(path) is not None:
        return False
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def sync_language(db: Office, path: Path) -> None:
    """Keep the start-up copy of the language setting in step with the database
    (a restored backup may carry another choice); used from the next start."""
    from parapp.services.setup import get_setting  # the ORM (see the module's note)

    wanted = get_setting(db, "language")
    if wanted in preferences.LANGUAGES and preferences.read_language(path) != wanted:
        # A read-only folder: the window still works, in the default language.
        with contextlib.suppress(OSError):
            preferences.set_language(path, wanted)
