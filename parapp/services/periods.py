"""Assessment periods: the unit's assessments year by year, a new period, and the first run.

The window's period selector lists a unit's assessments newest first; the first-run page
needs to know what the office still lacks (its unit, a criteria set, a first assessment)
and to set all of it up in one go.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from db.engine import Database, open_database
from db.models import AssessmentRow, CriteriaSetRow
from parapp.domain.assessment import AssessmentInfo, AssessmentStatus
from parapp.domain.roles import Role
from parapp.domain.units import Unit, UnitKind

from . import assessments, criteria, setup
from .appraisal_units import add_units_from_catalog
from .backups import before_import
from .common import NotFound, unit_row


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the period selector."""

    uuid: str
    year: int
    unit_code: str
    unit_name: str
    set_code: str
    set_version: int
    set_name: str
    status: AssessmentStatus
    updated_at: datetime


@dataclass(frozen=True)
class SetupStatus:
    """What this database already has for the first-run page."""

    unit: Unit | None  # the office's own unit
    role: Role
    sets: int  # criteria sets loaded
    assessments: int  # assessments of the own unit

    @property
    def needed(self) -> bool:
        """The office cannot work yet: no unit, or a commune without any assessment."""
        return self.unit is None or (self.role is Role.COMMUNE and self.assessments == 0)


def list_assessments(db: Database, unit_code: str | None = None) -> list[AssessmentSummary]:
    """The unit's assessments (this office's own unit by default), newest year first."""
    with db.session() as s:
        unit = unit_row(s, unit_code)
        rows = s.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.unit_id == unit.id)
            .order_by(AssessmentRow.year.desc(), AssessmentRow.id.desc())
        ).all()
        return [
            AssessmentSummary(
                uuid=row.uuid,
                year=row.year,
                unit_code=unit.code,
                unit_name=unit.name,
                set_code=row.criteria_set.code,
                set_version=row.criteria_set.version,
                set_name=row.criteria_set.name,
                status=AssessmentStatus(row.status),
                updated_at=row.updated_at,
            )
            for row in rows
        ]


def setup_status(db: Database | None) -> SetupStatus:
    """What the first-run page must still ask for (``None``: there is no database file)."""
    if db is None:
        return SetupStatus(None, Role.COMMUNE, 0, 0)
    unit = setup.own_unit_or_none(db)
    role = setup.role_of(db)
    with db.session() as s:
        sets = s.scalar(select(func.count()).select_from(CriteriaSetRow)) or 0
        count = 0
        if unit is not None:
            own = unit_row(s)
            count = (
                s.scalar(
                    select(func.count())
                    .select_from(AssessmentRow)
                    .where(AssessmentRow.unit_id == own.id)
                )
                or 0
            )
    return SetupStatus(unit, role, sets, count)


def next_year(summaries: list[AssessmentSummary], this_year: int) -> int:
    """The year a new period would naturally cover: after the latest one, else this year."""
    return max((s.year for s in summaries), default=this_year - 1) + 1


def new_period(
    db: Database, year: int, set_code: str | None = None, set_version: int | None = None
) -> AssessmentInfo:
    """A new, empty self-assessment of the own unit for ``year`` (latest set by default)."""
    return assessments.new_assessment(db, year, set_code, set_version)


def appraiser_unit(commune: Unit) -> Unit:
    """The appraising office of ``commune`` as a unit of its own (the province's Sở Nội vụ)."""
    return Unit(
        code=commune.appraiser_code,
        name=commune.appraiser_name,
        kind=UnitKind.DEPARTMENT,
        province_name=commune.province_name,
    )


def first_run(
    path: Path,
    db: Database | None,
    unit: Unit,
    role: Role,
    criteria_file: Path | None,
    year: int,
) -> Database:
    """Set up the office in one go and return the open database.

    Creates the database when ``db`` is None, records ``unit`` as this office (unless it
    already has one), loads the criteria set from ``criteria_file`` (the built-in sample
    when None) and, for a commune, starts its assessment of ``year``; an appraiser gets its
    province's communes and wards as units.
    """
    # The file is read first: a refused file leaves no half-made database behind.
    cset = criteria.read_set_file(criteria_file) if criteria_file else criteria.sample_set()
    if db is None:
        setup.init_database(path, unit, role)
        db = open_database(path)
    else:
        if setup.own_unit_or_none(db) is None:
            setup.save_unit(db, unit, is_self=True)
            setup.set_setting(db, "role", role.value)
        if criteria_file is not None:
            before_import(db.path)  # as for any import into data that may matter
    loaded = criteria.import_set(db, cset)
    if role is Role.APPRAISER and unit.kind is UnitKind.DEPARTMENT:
        # The hub lists every commune and ward of the province from the start, "not
        # submitted" until its package comes (`appraise add-units --province` on the command
        # line); an office outside the official list adds its units one by one.
        with suppress(NotFound):
            add_units_from_catalog(db, setup.own_unit(db).code)
    if role is Role.COMMUNE:
        existing = [s.year for s in list_assessments(db)]
        if year not in existing:
            assessments.new_assessment(db, year, loaded.summary.code, loaded.summary.version)
    return db
