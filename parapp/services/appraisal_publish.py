"""Publishing the index, rank and band of every appraised unit, and the ranking's data.

Ranks come from :func:`parapp.services.results.compute_ranking` (competition ranking on the
official basis, communes/wards/townships/special zones ranked together, each criteria-set
version on its own); this module adds the group sizes (rank N of M), per-area points and
ranks, the band, and stores a ``PublishedResult`` per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, CriteriaSetRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.completeness import missing_survey, unscored_leaves
from parapp.domain.criteria import CriteriaSet, Part
from parapp.domain.errors import Phrase
from parapp.domain.figures import Figures, Source, compute_figures
from parapp.domain.ranking import RankingArea, RankingInputs, RankingRow
from parapp.domain.results import AreaResult, PublishedResult, rank
from parapp.domain.text import clean
from parapp.domain.totals import Basis, Totals, compute_totals
from parapp.domain.units import LOCAL_KINDS, UnitKind
from parapp.formats.ranking_xlsx import ranking_xlsx
from parapp.printing import nd30
from parapp.printing.builders.ranking import build_ranking

from . import council
from .appraisal import reappraisal_counts, require_hub
from .appraiser_signer import appraiser_signer
from .assessments import _scores
from .common import Need, NotFound, ServiceError
from .documents import save
from .files import write_atomic
from .mapping import set_from_rows
from .office_profile import get_profile
from .results import compute_ranking, load_result, store_result
from .setup import own_unit_or_none
from .submission import Incomplete, gap_phrase

RANKED = (AssessmentStatus.APPRAISED.value, AssessmentStatus.PUBLISHED.value)


def group_of(kind: UnitKind) -> str:
    """Units ranked together: the local kinds share a table (as compute_ranking does)."""
    return "local" if kind in LOCAL_KINDS else kind.value


@dataclass(frozen=True)
class _Standing:
    assessment_id: int
    unit_code: str
    unit_name: str
    kind: UnitKind
    status: AssessmentStatus
    cset: CriteriaSet
    totals: Totals

    @cached_property
    def figures(self) -> Figures:
        """What is published and ranked: the appraised figures as every document prints
        them (rounded once, adding up), so the commune prints the same numbers."""
        return compute_figures(self.cset, self.totals, None, Source.APPRAISED)


@dataclass(frozen=True)
class _SetStandings:
    set_id: int
    cset: CriteriaSet
    standings: dict[str, _Standing]  # by unit code
    ranks: dict[str, int]
    rank_of: dict[str, int]
    area_ranks: dict[str, dict[str, int]]  # unit code -> area code -> rank


def _set_rows(s: Session, year: int, set_code: str | None) -> list[CriteriaSetRow]:
    """The criteria-set versions that have ranked (appraised or published) units for year."""
    query = (
        select(CriteriaSetRow)
        .join(AssessmentRow, AssessmentRow.set_id == CriteriaSetRow.id)
        .where(AssessmentRow.year == year, AssessmentRow.status.in_(RANKED))
        .distinct()
        .order_by(CriteriaSetRow.code, CriteriaSetRow.version)
    )
    if set_code:
        query = query.where(CriteriaSetRow.code == clean(set_code))
    return list(s.scalars(query))


def _area_points(st: _Standing, code: str) -> Decimal:
    row = st.figures.row(code)
    return row.points if row is not None else Decimal(0)


def _standings(db: Database, year: int, set_row_id: int) -> _SetStandings:
    with db.session() as s:
        set_row = s.get(CriteriaSetRow, set_row_id)
        assert set_row is not None
        cset = set_from_rows(set_row)
        code, version = set_row.code, set_row.version
        rows = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.set_id == set_row_id,
                AssessmentRow.year == year,
                AssessmentRow.status.in_(RANKED),
            )
        ).all()
        standings = {
            r.unit.code: _Standing(
                r.id,
                r.unit.code,
                r.unit.name,
                UnitKind(r.unit.kind),
                AssessmentStatus(r.status),
                cset,
                compute_totals(cset, _scores(s, r.id), Basis.OFFICIAL),
            )
            for r in rows
        }
    ranking = compute_ranking(db, code, year, version)
    ranks = {r.unit_code: r.rank for r in ranking}
    sizes: dict[str, int] = {}
    for st in standings.values():
        sizes[group_of(st.kind)] = sizes.get(group_of(st.kind), 0) + 1
    rank_of = {c: sizes[group_of(st.kind)] for c, st in standings.items()}
    area_ranks: dict[str, dict[str, int]] = {c: {} for c in standings}
    for group in sizes:
        members = {c: st for c, st in standings.items() if group_of(st.kind) == group}
        for area in cset.roots(Part.MAIN):
            by_area = rank({c: _area_points(st, area.code) for c, st in members.items()})
            for c, r in by_area.items():
                area_ranks[c][area.code] = r
    return _SetStandings(set_row_id, cset, standings, ranks, rank_of, area_ranks)


@dataclass(frozen=True)
class PublishedUnit:
    unit_code: str
    unit_name: str
    set_code: str
    index: Decimal
    rank: int
    rank_of: int
    band: str


@dataclass(frozen=True)
class PublishOutcome:
    published: list[PublishedUnit]
    # Units left out: (code, name, status) — submitted but not fully appraised, or returned.
    skipped: list[tuple[str, str, AssessmentStatus]]


def _check_nothing_to_reappraise(s: Session, year: int, set_ids: Sequence[int]) -> None:
    rows = s.scalars(
        select(AssessmentRow).where(
            AssessmentRow.year == year,
            AssessmentRow.set_id.in_(set_ids),
            AssessmentRow.status.in_(
                [AssessmentStatus.SUBMITTED.value, AssessmentStatus.APPRAISED.value]
            ),
        )
    ).all()
    counts = reappraisal_counts(s, [r.id for r in rows])
    waiting = [r for r in rows if counts.get(r.id)]
    if waiting:
        first = min(waiting, key=lambda r: r.unit.code)
        raise ServiceError(
            "Nothing was published: {units} unit(s) still have criteria to re-appraise "
            "({unit}: {n}); score them with 'parapp appraise score' first.",
            units=len(waiting),
            unit=first.unit.name,
            n=counts[first.id],
        )


def _check_scored(s: Session, year: int, set_ids: Sequence[int]) -> None:
    """Refuse, with the list, to publish units whose criteria nobody scored (they would be
    published as 0 points): the caller confirms with ``confirm_incomplete``."""
    rows = s.scalars(
        select(AssessmentRow).where(
            AssessmentRow.year == year,
            AssessmentRow.set_id.in_(set_ids),
            AssessmentRow.status == AssessmentStatus.APPRAISED.value,
        )
    ).all()
    gaps, lines, units = [], [], 0
    for row in sorted(rows, key=lambda r: r.unit.code):
        cset, scores = set_from_rows(row.criteria_set), _scores(s, row.id)
        # A survey result missing at publication leaves its criterion out of the maximum.
        found = unscored_leaves(cset, scores) + missing_survey(cset, scores)
        units += bool(found)
        gaps += found
        lines += [Phrase("{unit}: {line}", unit=row.unit.name, line=gap_phrase(g)) for g in found]
    if gaps:
        raise Incomplete(
            "Nothing was published: {units} unit(s) have {n} criteria without a score or "
            "survey result (listed below): unscored ones would be published as 0, those "
            "without a survey result left out of the maximum. To publish anyway, confirm it.",
            gaps,
            need=Need.CONFIRM_INCOMPLETE,
            lines=lines,
            units=units,
            n=len(gaps),
        )


def publish(
    db: Database,
    year: int,
    set_code: str | None = None,
    *,
    decision_number: str,
    decision_date: date | None,
    issuer: str = "",
    confirm_incomplete: bool = False,
) -> PublishOutcome:
    """Publish every APPRAISED unit of ``year`` (of ``set_code``, or of every set in use,
    each ranked on its own): index, rank among the units ranked together, band and points
    per area with their ranks, and the decision; the assessments become PUBLISHED.

    Refused, with nothing changed, while any unit has criteria waiting for re-appraisal,
    and (unless ``confirm_incomplete``) while a unit to publish has criteria nobody scored.
    Units already published keep their stored result (their decision stays theirs).
    """
    decision_number = clean(decision_number)
    if not decision_number:
        raise ServiceError("Give the number of the decision that publishes the results.")
    with db.session() as s:
        require_hub(s)
        council.require_secretariat(s)
        set_rows = _set_rows(s, year, set_code)
        ids = [r.id for r in set_rows]
        if set_code and not ids:
            raise NotFound(
                "No unit's {year} assessment with criteria set {code} is appraised yet, so "
                "there is nothing to publish.",
                year=year,
                code=set_code,
            )
        # Re-appraisal is checked in every matching set, ranked or not yet.
        query = select(CriteriaSetRow.id)
        if set_code:
            query = query.where(CriteriaSetRow.code == clean(set_code))
        all_sets = list(s.scalars(query))
        _check_nothing_to_reappraise(s, year, all_sets)
        if not confirm_incomplete:
            _check_scored(s, year, ids)
        skipped_rows = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.year == year,
                AssessmentRow.set_id.in_(all_sets),
                AssessmentRow.status.in_(
                    [AssessmentStatus.SUBMITTED.value, AssessmentStatus.RETURNED.value]
                ),
            )
        ).all()
        skipped = sorted(
            (r.unit.code, r.unit.name, AssessmentStatus(r.status)) for r in skipped_rows
        )
    standings = [_standings(db, year, set_id) for set_id in ids]
    if not any(
        st.status is AssessmentStatus.APPRAISED for ss in standings for st in ss.standings.values()
    ):
        raise ServiceError(
            "No unit's {year} assessment is appraised and unpublished, so there is nothing "
            "to publish.",
            year=year,
        )
    own = own_unit_or_none(db)
    issuer = clean(issuer) or (own.name if own else "")
    published: list[PublishedUnit] = []
    with db.session() as s:  # one transaction: every unit published, or none
        for ss in standings:
            for code, st in sorted(ss.standings.items()):
                if st.status is not AssessmentStatus.APPRAISED:
                    continue
                row = s.get(AssessmentRow, st.assessment_id)
                assert row is not None
                figures = st.figures
                # Every row the documents print, bonus and penalty too, as printed.
                areas = tuple(
                    AreaResult(r.code, r.points, r.max_points, ss.area_ranks[code].get(r.code))
                    for r in figures.rows
                    if r.counted
                )
                stored = store_result(
                    s,
                    row,
                    PublishedResult(
                        index=figures.index,
                        points=figures.points,
                        max_points=figures.max_points,
                        rank=ss.ranks[code],
                        rank_of=ss.rank_of[code],
                        decision_number=decision_number,
                        decision_date=decision_date,
                        issuer=issuer,
                        areas=areas,
                    ),
                    "published",
                )
                published.append(
                    PublishedUnit(
                        code,
                        st.unit_name,
                        ss.cset.code,
                        stored.index,
                        ss.ranks[code],
                        ss.rank_of[code],
                        stored.band,
                    )
                )
    return PublishOutcome(published, skipped)


def ranking_inputs(
    db: Database, year: int, set_code: str | None = None, *, issued_on: date | None = None
) -> RankingInputs:
    """The ranking of ``year`` for one criteria set (the only one in use when not given):
    published figures (rank and index) where published, else the figures the appraisal
    gives now."""
    with db.session() as s:
        set_rows = _set_rows(s, year, set_code)
        if not set_rows:
            raise NotFound(
                "No unit's {year} assessment is appraised yet, so there is no ranking.", year=year
            )
        if len(set_rows) > 1:
            raise ServiceError(
                "Units were assessed with several criteria sets in {year} ({codes}); say which "
                "one.",
                year=year,
                need=Need.CRITERIA_SET,
                codes=", ".join(f"{r.code} v{r.version}" for r in set_rows),
            )
        set_id = set_rows[0].id
    ss = _standings(db, year, set_id)
    areas = tuple(
        RankingArea(a.code, a.title, a.max_points, a.max_text) for a in ss.cset.roots(Part.MAIN)
    )
    rows: list[RankingRow] = []
    decision: tuple[str, date | None, str] = ("", None, "")
    with db.session() as s:
        for code, st in ss.standings.items():
            result = load_result(s, st.assessment_id)
            band = result.band if result else ""
            figures = st.figures
            if not band:
                found = ss.cset.band_for(figures.index)
                band = found.label if found else ""
            if result and result.decision_number and not decision[0]:
                decision = (result.decision_number, result.decision_date, result.issuer)
            # Published figures are the decision's: the same rank and index the units
            # tab and the unit's own result show (a result typed from a decision that
            # ranked 65 units says 12 of 65, not 1 of the 1 unit held here).
            rank, rank_of, index = ss.ranks[code], ss.rank_of[code], figures.index
            if result is not None:
                index = result.index
                if result.rank is not None:
                    rank, rank_of = result.rank, result.rank_of or rank_of
            rows.append(
                RankingRow(
                    rank=rank,
                    rank_of=rank_of,
                    unit_code=code,
                    unit_name=st.unit_name,
                    kind=st.kind,
                    index=index,
                    points=figures.points,
                    max_points=figures.max_points,
                    area_points=tuple(_area_points(st, a.code) for a in areas),
                    band=band,
                    group=group_of(st.kind),
                    published=result is not None,
                )
            )
    rows.sort(key=lambda r: (r.group != "local", r.group, r.rank, r.unit_code))
    own = own_unit_or_none(db)
    signer = appraiser_signer(db)

    province = clean(own.province_name) if own else ""
    for prefix in ("Tỉnh ", "Thành phố "):
        province = province.removeprefix(prefix)
    return RankingInputs(
        year=year,
        set_code=ss.cset.code,
        set_name=ss.cset.name,
        issuer_name=own.name if own else "",
        areas=areas,
        rows=tuple(rows),
        decision_number=decision[0],
        decision_date=decision[1],
        decision_issuer=decision[2] if decision[2] != (own.name if own else "") else "",
        place=province,
        issued_on=issued_on,
        signer_authority=nd30.signer_lines(signer),
        signer_name=signer.name,
        office=get_profile(db) if own else None,
    )


RANKING_SUFFIXES = (".xlsx", ".pdf", ".docx")


def export_ranking(inputs: RankingInputs, path: Path) -> Path:
    """Write the ranking as XLSX, PDF or DOCX by the file's ending."""
    suffix = path.suffix.lower()
    if suffix not in RANKING_SUFFIXES:
        raise ServiceError("Save the ranking as a .xlsx, .pdf or .docx file.")
    if suffix == ".xlsx":
        write_atomic(path, ranking_xlsx(inputs))
        return path
    return save(build_ranking(inputs), path)
