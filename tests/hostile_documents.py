"""Hostile data for the long-text tests (issue 15, part 3): every document kind built from
texts with every Vietnamese letter and tone mark, markup characters, 200-character unit
names, 5,000-character cells in every table and 60 items.

Every word of every text is used once only (``word``): where the cells of a row broken
across pages interleave, a word says which cell it belongs to.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from datetime import date, datetime
from decimal import Decimal

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind
from parapp.domain.deadlines import parse_deadline
from parapp.domain.ranking import RankingArea, RankingInputs, RankingRow
from parapp.domain.remediation import (
    ItemStatus,
    PlanDocument,
    ProgressUpdate,
    RemediationItem,
    Signer,
)
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.scoring import FreeRule
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.units import Unit, UnitKind
from parapp.printing.builders import (
    AnnualPlanInput,
    PlanInput,
    ProgressInput,
    SelfReportInput,
    build_annual_plan,
    build_progress_report,
    build_remediation_plan,
    build_self_report,
)
from parapp.printing.builders.ranking import build_ranking
from parapp.printing.builders.slip import SlipInputs, build_slip
from parapp.printing.model import Document

LETTERS = list("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ")
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n"]
ONSETS += ["ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
MARKUP = ("<b>{}", "{}&amp;", "</i>{}", "{}%", "({})", '"{}"', "'{}'", "[{}]", "{}/x-y")


_USED: set[str] = set()


def word(rng: random.Random, vowel: str) -> str:
    """A Vietnamese-looking word (one or two syllables) no other text of the test uses: where
    the cells of a broken row interleave, each word says which cell it belongs to."""
    for syllables in (1, 1, 1, 2, 2, 2, 3, 3, 3, 3):
        parts = [rng.choice(ONSETS) + vowel + rng.choice(CODAS)]
        parts += [
            rng.choice(ONSETS) + rng.choice(LETTERS[:-1]) + rng.choice(CODAS)
            for _ in range(syllables - 1)
        ]
        candidate = "".join(parts)
        if candidate not in _USED:
            _USED.add(candidate)
            return candidate
    raise AssertionError("no unused word found")


def text(seed: int, chars: int) -> str:
    """About ``chars`` characters of words no other text uses: every Vietnamese vowel with
    every tone and đ (upper and lower case), markup characters, punctuation."""
    rng = random.Random(seed)
    out: list[str] = []
    length, k = 0, 0
    while length < chars or k < 3:
        vowel = LETTERS[k % (len(LETTERS) - 1)]
        w = word(rng, vowel)
        if k % 5 == 1:
            w = "đ" + w
        if k % 7 == 3:
            w = w.upper()
        elif rng.random() < 0.08:
            w = w.capitalize()
        if k % 11 == 5:
            w = rng.choice(MARKUP).format(w)
        elif rng.random() < 0.06:
            w += rng.choice(",;:")
        out.append(w)
        length += len(w) + 1
        k += 1
    return unicodedata.normalize("NFC", " ".join(out))


LONG = 5000
UNIT_NAME = "Xã " + text(1, 197)
UNIT = Unit("99999", UNIT_NAME, UnitKind.COMMUNE, appraiser_name="Sở Nội vụ " + text(2, 180))
SET = CriteriaSet(
    code="T",
    name="Bộ tiêu chí " + text(3, 300),
    index_kind=IndexKind.PAR,
    period="2025",
    version=1,
    nodes=(
        CriterionNode("1", "Lĩnh vực " + text(4, 200), Decimal("20")),
        CriterionNode("1.1", text(5, 120), Decimal("10"), "1", rule=FreeRule()),
        CriterionNode("1.2", text(6, LONG), Decimal("10"), "1", rule=FreeRule()),
        CriterionNode("2", "Lĩnh vực " + text(7, 200), Decimal("10")),
        CriterionNode("2.1", text(8, 200), Decimal("10"), "2", rule=FreeRule()),
    ),
)
SCORES = {
    "1.1": NodeScore("1.1", self_score=Decimal("6.5"), explanation=text(9, LONG)),
    "1.2": NodeScore("1.2", self_score=Decimal("9")),
    "2.1": NodeScore("2.1", self_score=Decimal("7.25"), explanation=text(10, 400)),
}
RESULT = PublishedResult(
    index=Decimal("75.83"),
    points=Decimal("22.75"),
    max_points=Decimal("30"),
    rank=4,
    rank_of=20,
    decision_number="70/QĐ-UBND",
    decision_date=date(2026, 1, 27),
    issuer="UBND tỉnh " + text(11, 60),
    areas=(
        AreaResult("1", Decimal("15.5"), Decimal("20")),
        AreaResult("2", Decimal("7.25"), Decimal("10")),
    ),
)
SIGNER = Signer(name="Âu " + text(12, 60))


def items(count: int = 60) -> tuple[RemediationItem, ...]:
    """``count`` items, the first with 5,000 characters in a cell of every table it is
    printed in (and 200 to 1,000 in the others), the rest shorter; products of 520
    characters every tenth."""
    out: list[RemediationItem] = []
    for i in range(count):
        size = LONG if i == 0 else 20 + (i * 37) % 40
        out.append(
            RemediationItem(
                id=f"i{i}",
                deadline=parse_deadline("quý II/2026", default_year=2026),
                area_code="1" if i % 2 else "2",
                node_codes=("1.1",) if i % 2 else ("2.1",),
                shortcoming=text(100 + i, size),
                points_lost=Decimal("0.5"),
                tasks=text(200 + i, 1000 if i == 0 else size),
                lead=text(300 + i, 200 if i == 0 else 30),
                coordinating=text(400 + i, LONG if i == 0 else 30),
                product=text(500 + i, LONG if i == 0 else (520 if i % 10 == 1 else 60)),
                status=ItemStatus.IN_PROGRESS,
                progress=40,
                updates=(ProgressUpdate(date(2026, 3, 31), 40, text(600 + i, size)),),
            )
        )
    return tuple(out)


def plan_document() -> PlanDocument:
    return PlanDocument(
        place=text(13, 40),
        summary=text(14, 300),
        legal_bases=(text(15, 600), text(16, 300)),
        purposes=text(17, 1500),
        requirements=text(18, 800),
        organisation=text(19, 1200),
        recipients=tuple(text(20 + i, 150) for i in range(6)),
        signer=SIGNER,
    )


def documents() -> dict[str, Document]:
    totals = compute_totals(SET, SCORES, Basis.OFFICIAL)
    all_items = items()
    plan = PlanInput(
        unit=UNIT,
        document=plan_document(),
        items=all_items,
        year=2026,
        assessed_year=2025,
        cset=SET,
        totals=totals,
        result=RESULT,
        with_appendix=True,
    )
    annual = AnnualPlanInput(
        unit=UNIT, document=plan_document(), items=all_items, cset=SET, year=2026
    )
    report = SelfReportInput(
        unit=UNIT,
        document=PlanDocument(),
        cset=SET,
        scores=SCORES,
        year=2025,
        evidence={"1.1": (text(30, LONG),), "2.1": (text(31, 200),)},
        remarks=text(32, 1500),
        proposals=text(33, 900),
    )
    progress = ProgressInput(
        unit=UNIT,
        document=PlanDocument(),
        plan_document=PlanDocument(number="15", issued_on=date(2026, 2, 6)),
        items=all_items,
        as_of=date(2026, 6, 30),
        plan_year=2026,
        assessed_year=2025,
        cset=SET,
        remarks=text(34, 800),
    )
    slip = SlipInputs(
        sender_name=UNIT_NAME,
        sender_code="99999",
        recipient=UNIT.appraiser_name,
        package_kind=text(35, 120),
        package_id=str(uuid.UUID(int=7)),
        file_name=text(36, 200).replace(" ", "_") + ".cchc",
        size=123_456_789,
        sha256="ab" * 32,
        fingerprint="cd" * 32,
        created_at=datetime(2026, 1, 5, 8, 30),
        criteria_set=text(37, LONG),
        period="2025",
        signer_title=text(38, 120),
        signer_name=text(39, 60),
        place=text(40, 40),
        on=date(2026, 1, 5),
    )
    areas = (
        RankingArea("1", "Lĩnh vực " + text(41, 200), Decimal("20")),
        RankingArea("2", "Lĩnh vực " + text(42, 200), Decimal("10")),
    )
    rows = tuple(
        RankingRow(
            rank=i + 1,
            rank_of=60,
            unit_code=f"{i:05d}",
            unit_name=("Xã " + text(700 + i, LONG if i == 0 else 197)),
            kind=UnitKind.COMMUNE,
            index=Decimal("80.5") - i,
            points=Decimal("24.15"),
            max_points=Decimal("30"),
            area_points=(Decimal("16.15"), Decimal("8")),
            band=text(800 + i, 20),
        )
        for i in range(60)
    )
    ranking = RankingInputs(
        year=2025,
        set_code="T",
        set_name=SET.name,
        issuer_name="Sở Nội vụ tỉnh " + text(43, 40),
        areas=areas,
        rows=rows,
        decision_number="70/QĐ-UBND",
        decision_date=date(2026, 1, 27),
        place=text(44, 30),
        issued_on=date(2026, 1, 28),
        signer_authority=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        signer_name=text(45, 60),
    )
    return {
        "remediation": build_remediation_plan(plan),
        "annual": build_annual_plan(annual),
        "self-assessment": build_self_report(report),
        "progress": build_progress_report(progress),
        "slip": build_slip(slip),
        "ranking": build_ranking(ranking),
    }


KINDS = ("remediation", "annual", "self-assessment", "progress", "slip", "ranking")
