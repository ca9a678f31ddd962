"""What each builder needs, as plain data a service gathers (builders never read the database).

Common fields:
- ``unit``: the issuing unit (its name gives the header "XÃ HOÀNG VĂN THỤ" and the place);
- ``document``: number, symbol, place, date, summary, legal bases, texts, recipients, signer;
  a blank ``number`` prints a draft ("Số:      /KH-UBND"), and a draft with a date keeps only
  its month and year ("ngày      tháng 3 năm 2026");
- ``parent_body``: the header line above the issuing body, usually empty for a commune;
- ``appraiser``: who receives reports ("Sở Nội vụ tỉnh Lạng Sơn"); default
  ``unit.appraiser_name``;
- ``office``: who follows the work up for the People's Committee; default by era (texts
  ``common.office_two_tier`` from July 2025, ``common.office_before_2025`` before);
- ``profile``: how the office heads, numbers, dates and signs its documents and names
  itself in them (``parapp.domain.office``); default derived from the unit's kind and name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet
from parapp.domain.figures import Figures, Source, compute_figures
from parapp.domain.office import OfficeProfile
from parapp.domain.remediation import PlanDocument, RemediationItem
from parapp.domain.results import PublishedResult
from parapp.domain.totals import Basis, Change, Totals
from parapp.domain.units import Unit


@dataclass(frozen=True)
class IndexData:
    """The scores of one index a plan covers (PAR, SIPAS, PAPI, DTI, DAN_VAN, OTHER).

    Everything but ``kind`` is optional: PAPI or Dân vận items often have no scored tree,
    and then the plan lists their items without a score table.
    """

    kind: str  # an IndexKind value
    cset: CriteriaSet | None = None
    totals: Totals | None = None  # OFFICIAL basis after appraisal, else SELF
    result: PublishedResult | None = None
    change: Change | None = None  # of the index, from the previous period
    previous_area_points: Mapping[str, Decimal] | None = None  # area code -> last period
    figures: Figures | None = None  # what to print; default computed from totals and result
    pad_ranks: bool = False  # print ranks zero-padded ("04/20"), an office setting

    def printed(self) -> Figures | None:
        """The figures to print (``parapp.domain.figures``), when there is a scored tree."""
        if self.figures is not None:
            return self.figures
        if self.cset is None or self.totals is None:
            return None
        # Without the scores we cannot tell a typed result from an appraised one: the
        # services pass ``figures`` for that reason.
        official = self.totals.basis is Basis.OFFICIAL
        source = Source.APPRAISED if official else Source.SELF
        return compute_figures(self.cset, self.totals, self.result, source)


@dataclass(frozen=True)
class PlanInput:
    """A remediation plan (kế hoạch khắc phục) for ``year`` after the ``assessed_year`` result.

    ``cset``/``totals``/``result``/``change``/``previous_area_points`` describe the main index
    (usually PAR); ``extra_indices`` the others the plan covers. Items carry their
    ``index_kind``; a plan whose items or indices span several kinds is printed in parts.
    """

    unit: Unit
    document: PlanDocument
    items: tuple[RemediationItem, ...]
    year: int  # the year the plan is carried out (2026)
    assessed_year: int  # the year whose result it remedies (2025)
    cset: CriteriaSet | None = None
    totals: Totals | None = None
    result: PublishedResult | None = None
    change: Change | None = None
    previous_area_points: Mapping[str, Decimal] | None = None
    figures: Figures | None = None  # of the main index; default computed from totals, result
    pad_ranks: bool = False  # print ranks zero-padded ("04/20"), an office setting
    previous_year: int | None = None  # default assessed_year - 1
    extra_indices: tuple[IndexData, ...] = ()
    with_appendix: bool = False  # add the landscape "Phụ lục" task table
    parent_body: str = ""
    appraiser: str = ""
    office: str = ""
    profile: OfficeProfile | None = None
    rank_group: str = ""  # what was ranked ("xã, thị trấn"); default by the office's level


@dataclass(frozen=True)
class AnnualPlanInput:
    """The annual CCHC plan (kế hoạch cải cách hành chính năm): tasks by reform area.

    ``items`` are the tasks; ``area_code`` puts each under an area of ``cset`` and
    ``product`` fills the appendix's "Sản phẩm" column. ``document.summary`` defaults to
    "Cải cách hành chính năm {year}" and its legal bases to Nghị quyết 76/NQ-CP.
    """

    unit: Unit
    document: PlanDocument
    items: tuple[RemediationItem, ...]
    cset: CriteriaSet
    year: int
    parent_body: str = ""
    appraiser: str = ""
    office: str = ""
    profile: OfficeProfile | None = None


@dataclass(frozen=True)
class SelfReportInput:
    """The self-assessment report (báo cáo tự đánh giá) sent with the submission.

    ``document`` is the report's own metadata; its title and symbol default to "BÁO CÁO" and
    "BC-UBND" when left at the plan's defaults. ``evidence`` maps a criterion code to the
    citations of the documents linked to it ("Kế hoạch số 05/KH-UBND ngày 08/01/2025").
    Totals are computed on the self basis from ``scores``.
    """

    unit: Unit
    document: PlanDocument
    cset: CriteriaSet
    scores: Mapping[str, NodeScore]
    year: int
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    remarks: str = ""  # II. Đánh giá chung; default texts when empty
    proposals: str = ""  # III. Đề xuất, kiến nghị; default texts when empty
    parent_body: str = ""
    appraiser: str = ""
    office: str = ""
    profile: OfficeProfile | None = None


@dataclass(frozen=True)
class ExpectedRecovery:
    """What the items finished by the report date are expected to win back ("dự kiến"):
    earned only when the next appraisal publishes them (parapp.domain.whatif)."""

    points: Decimal  # each lost point once
    total: Decimal  # the printed total if they are published
    max_points: Decimal
    index: Decimal


@dataclass(frozen=True)
class ProgressInput:
    """A progress report on a remediation plan, counted to ``as_of``.

    ``plan_document`` is the plan reported on (cited by number and date once issued);
    ``document`` the report's own metadata (title/symbol default to "BÁO CÁO"/"BC-UBND").
    Status and progress are taken as of ``as_of``: updates dated later are ignored.
    """

    unit: Unit
    document: PlanDocument
    plan_document: PlanDocument
    items: tuple[RemediationItem, ...]
    as_of: date
    plan_year: int  # the plan's year (2026)
    assessed_year: int  # the result it remedies (2025)
    cset: CriteriaSet | None = None  # for area titles; items without one are listed flat
    remarks: str = ""  # II. Đánh giá chung; default by whether anything is overdue
    next_steps: str = ""  # III. Nhiệm vụ thời gian tới
    proposals: str = ""  # IV. Đề xuất, kiến nghị
    parent_body: str = ""
    appraiser: str = ""
    office: str = ""
    profile: OfficeProfile | None = None
    expected: ExpectedRecovery | None = None  # finished items' points, when measurable
