"""A demo office with two years of history, built through the same services a clerk uses.

Xã Hoàng Văn Thụ (Lạng Sơn): the 2024 assessment was appraised by the district (before the
July 2025 reorganisation), the 2025 one by the province's Sở Nội vụ. Each year has declared
data, evidence, appraisal with comments, survey scores and a published result; the 2025 plan
has progress updates, and the 2026 plan is drafted from the 2025 result with last year's
unfinished items carried over.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from db.engine import Database, open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import CriteriaSet, Part, ScoreKind
from parapp.domain.figures import Source, compute_figures
from parapp.domain.numbers import format_max
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.roles import Role
from parapp.domain.scoring import (
    Answer,
    Declared,
    DeductionRule,
    FreeRule,
    RatioRule,
    TiersRule,
    YesNoRule,
)
from parapp.domain.totals import Basis, compute_totals
from parapp.i18n import _

from . import (
    appraisal,
    assessments,
    carry_over,
    criteria,
    demo_sync,
    documents,
    evidence,
    plans,
    results,
    setup,
    submission,
)
from .annual import draft_annual_plan
from .backups import make as make_backup
from .common import ServiceError
from .demo_data import (
    APPRAISALS,
    EVIDENCE,
    EXPLANATIONS,
    PUBLISHED,
    SELF_LOSSES,
    SIGNER,
    SURVEY,
)
from .demo_data import UNIT as UNIT  # part of this module's interface (tests, builders)
from .files import write_atomic
from .issuing import issue_plan, reprint
from .scores_import import import_scores


def _declared(
    rule: object, spec: tuple[str | int, ...] | None, part: Part
) -> tuple[Declared | None, Decimal | None]:
    """Declared data (or a typed score) for one leaf: full marks unless ``spec`` says not."""
    kind, args = (spec[0], spec[1:]) if spec else (None, ())
    if kind == "typed":
        return None, Decimal(str(args[0]))
    if isinstance(rule, YesNoRule):
        if kind == "answer":
            return Declared(answer=Answer(str(args[0]))), None
        return Declared(answer=Answer.YES if part is Part.MAIN else Answer.NO), None
    if isinstance(rule, TiersRule):
        index = int(args[0]) if kind == "tier" else 0
        return Declared(tier=rule.tiers[index].key), None
    if isinstance(rule, RatioRule):
        if kind == "ratio":
            return Declared(numerator=Decimal(args[0]), denominator=Decimal(args[1])), None
        return Declared(numerator=Decimal(100), denominator=Decimal(100)), None
    if isinstance(rule, DeductionRule):
        return Declared(count=int(args[0]) if kind == "count" else 0), None
    assert isinstance(rule, FreeRule)
    return None, None  # typed by the caller: the maximum, or 0 for bonus and penalty


def _scores_csv(cset: CriteriaSet, year: int) -> bytes:
    """The year's self-assessment as the CSV a clerk would fill in (semicolons, decimal
    commas: what Excel writes in Vietnamese Windows)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Mã", "Số liệu kê khai", "Điểm tự chấm", "Giải trình"])
    losses = SELF_LOSSES[year]
    for leaf in cset.leaves():
        if ScoreKind.SELF not in leaf.score_kinds:
            continue
        declared, typed = _declared(leaf.rule, losses.get(leaf.code), leaf.part)
        if typed is None and isinstance(leaf.rule, FreeRule):
            typed = leaf.max_points if leaf.part is Part.MAIN else Decimal(0)
        cell = ""
        if declared is not None:
            if declared.answer is not None:
                cell = {"yes": "Có", "no": "Không", "na": "Không áp dụng"}[declared.answer]
            elif declared.tier is not None:
                assert isinstance(leaf.rule, TiersRule)
                cell = leaf.rule.tier(declared.tier).label
            elif declared.numerator is not None:
                cell = f"{declared.numerator}/{declared.denominator}"
            elif declared.count is not None:
                cell = str(declared.count)
        score = format_max(typed) if typed is not None else ""
        writer.writerow([leaf.code, cell, score, EXPLANATIONS.get(leaf.code, "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _evidence(db: Database, folder: Path, year: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, number, (month, day), nodes) in enumerate(EVIDENCE, start=1):
        text = title.format(y=year)
        doc_date = date(year, month, day)
        path = folder / f"{year}-{i:02d}.txt"
        path.write_text(
            f"UBND {UNIT.name.upper()}\nSố: {number}\n{text}\n"
            f"Hoàng Văn Thụ, ngày {doc_date:%d/%m/%Y}\n",
            encoding="utf-8",
        )
        evidence.add_evidence(
            db,
            path,
            node_codes=nodes,
            title=text,
            doc_number=number,
            doc_date=doc_date,
            year=year,
        )


def _appraise_and_publish(
    db: Database, cset: CriteriaSet, year: int, unit_code: str | None = None
) -> None:
    """The appraiser's word: in the commune's own database for 2024 (its district appraiser
    had no parapp: the clerk submits, then records the appraised scores and types in the
    published decision), in the appraiser's database for 2025 (appraised criterion by
    criterion, the rest accepted, through the appraiser's services)."""
    info = assessments.get_info(db, year, unit_code)
    if unit_code is None:
        if info.status is AssessmentStatus.DRAFT:
            submission.submit(db, info.id)
        entries = [
            assessments.AppraisalEntry(code, appraised=Decimal(score), comment=comment)
            for code, (score, comment) in APPRAISALS[year].items()
        ] + [
            assessments.AppraisalEntry(code, survey=Decimal(score))
            for code, score in SURVEY[year].items()
        ]
        assessments.set_appraisals(db, info.id, entries)
    else:
        scores = {**{c: s for c, (s, _t) in APPRAISALS[year].items()}, **SURVEY[year]}
        for code, score in scores.items():
            comment = APPRAISALS[year].get(code, ("", ""))[1]
            appraisal.appraise_node(db, unit_code, year, code, Decimal(score), comment)
        appraisal.accept_self_scores(db, unit_code, year)
    v = assessments.view(db, year, unit_code)
    # Published as every document prints the appraised figures (parapp.domain.figures).
    figures = compute_figures(
        cset, compute_totals(cset, v.scores, Basis.OFFICIAL), None, Source.APPRAISED
    )
    areas = tuple(AreaResult(r.code, r.points, r.max_points) for r in figures.rows if r.counted)
    results.record_result(
        db,
        PublishedResult(
            index=figures.index,
            points=figures.points,
            max_points=figures.max_points,
            areas=areas,
            **PUBLISHED[year],
        ),
        year=year,
        unit_code=unit_code,
    )


def _self_assess(db: Database, cset: CriteriaSet, year: int, scores_file: Path) -> None:
    assessments.new_assessment(db, year, cset.code, cset.version)
    write_atomic(scores_file, _scores_csv(cset, year))
    import_scores(db, scores_file, year)


def build_demo(
    target: Path, progress: Callable[[str], None] | None = None
) -> Iterator[tuple[str, Path]]:
    """Build the demo in ``target`` (empty or absent) and yield ``(name, path)`` pairs."""
    say = progress or (lambda _m: None)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ServiceError("{path} must be an empty folder or not exist yet.", path=target)
    commune = target / "commune"
    files = target / "files"
    db_path = commune / "parapp.sqlite3"
    say(_("1/6 database"))
    setup.init_database(db_path, UNIT, role=Role.COMMUNE)
    db = open_database(db_path)
    try:
        cset = criteria.sample_set()
        criteria.import_set(db, cset)
        for step, year in enumerate((2024, 2025), start=2):
            say(
                _("{step}/6 {year}: self-assessment, evidence, appraisal, result").format(
                    step=step, year=year
                )
            )
            _self_assess(db, cset, year, files / f"diem-tu-cham-{year}.csv")
            _evidence(db, files / f"tai-lieu-{year}", year)
            if year == 2024:
                _appraise_and_publish(db, cset, year)
            else:
                sync_files = demo_sync.round_trip(db, target, cset, year, _appraise_and_publish)
            if year == 2024:
                _plan_2025(db)
        say(_("4/6 remediation plan 2026"))
        plans.draft_plan(
            db,
            2025,
            carry_over_unfinished=True,
            include_full_marks=False,
            default_lead="Văn phòng - Thống kê",
        )
        plans.update_document(db, 2026, signer=SIGNER)
        draft_annual_plan(db, 2026, default_lead="Văn phòng HĐND và UBND xã")
        plans.update_document(db, 2026, plans.KIND_ANNUAL, signer=SIGNER)
        say(_("5/6 sample files and documents"))
        docs = _documents(db, files / "van-ban")
        criteria.export_set(db, files / "bo-tieu-chi-mau.xlsx")
        criteria.export_set(db, files / "bo-tieu-chi-mau.json")
        result_file = files / "ket-qua-2025.json"
        write_atomic(result_file, _result_json(db, 2025))
        say(_("6/6 backup"))
        make_backup(db_path, reason="demo")
    finally:
        db.close()
    yield "commune-db", db_path
    yield "commune-dir", commune
    yield from sync_files.items()
    yield "criteria-json", files / "bo-tieu-chi-mau.json"
    yield "criteria-xlsx", files / "bo-tieu-chi-mau.xlsx"
    yield "scores-csv", files / "diem-tu-cham-2025.csv"
    yield "result-json", result_file
    yield from docs.items()


def _plan_2025(db: Database) -> None:
    """The 2025 plan, drafted from the 2024 result, issued as No. 15 on 6 February 2025,
    then reported on through the year; some items are still unfinished at its end."""
    plan = plans.draft_plan(db, 2024, default_lead="Văn phòng - Thống kê")
    for i, item in enumerate(plan.items):
        if i % 3 == 2:
            plans.update_item(db, item.id, deadline="quý II/2025")
    plans.update_document(db, 2025, signer=SIGNER)
    issue_plan(db, 2025, number="15", issued_on=date(2025, 2, 6))
    for i, item in enumerate(plan.items):
        if i % 3 == 0:
            plans.record_progress(db, item.id, date(2025, 6, 30), 50, "Đang triển khai.")
            plans.record_progress(db, item.id, date(2025, 12, 15), 100, "Đã hoàn thành.")
        elif i % 3 == 1:
            plans.record_progress(
                db, item.id, date(2025, 9, 30), 60, "Đã thực hiện một phần, tiếp tục trong quý IV."
            )
        else:
            plans.record_progress(db, item.id, date(2025, 6, 20), 100, "Đã hoàn thành.")


def _documents(db: Database, folder: Path) -> dict[str, Path]:
    """The documents a clerk prints from the demo: this year's draft plan (PDF and Word),
    last year's issued plan as issued, the annual plan, the reports."""
    out = {
        "plan-pdf": folder / "ke-hoach-khac-phuc-2026.pdf",
        "plan-docx": folder / "ke-hoach-khac-phuc-2026.docx",
        "issued-plan-pdf": folder / "ke-hoach-khac-phuc-2025-da-ban-hanh.pdf",
        "annual-plan-pdf": folder / "ke-hoach-cchc-2026.pdf",
        "self-assessment-pdf": folder / "bao-cao-tu-danh-gia-2025.pdf",
        "progress-pdf": folder / "bao-cao-tien-do-khac-phuc-2025.pdf",
    }
    plan_2026 = documents.remediation_plan(db, 2026, with_appendix=True)
    documents.save(plan_2026, out["plan-pdf"])
    documents.save(plan_2026, out["plan-docx"])
    write_atomic(out["issued-plan-pdf"], reprint(db, 2025, "remediation"))
    documents.save(documents.annual_plan(db, 2026), out["annual-plan-pdf"])
    documents.save(documents.self_report(db, 2025), out["self-assessment-pdf"])
    documents.save(documents.progress_report(db, date(2025, 12, 20), 2025), out["progress-pdf"])
    return out


def _result_json(db: Database, year: int) -> bytes:
    v = assessments.view(db, year)
    r = v.result
    assert r is not None
    doc = {
        "format": results.RESULT_FORMAT,
        "format_version": results.RESULT_FORMAT_VERSION,
        "unit_code": v.info.unit_code,
        "year": year,
        "set_code": v.cset.code,
        "index": str(r.index),
        "points": None if r.points is None else str(r.points),
        "max_points": None if r.max_points is None else str(r.max_points),
        "rank": r.rank,
        "rank_of": r.rank_of,
        "band": r.band,
        "decision_number": r.decision_number,
        "decision_date": r.decision_date.isoformat() if r.decision_date else None,
        "issuer": r.issuer,
        "areas": [
            {"code": a.code, "points": str(a.points), "max": str(a.max_points)} for a in r.areas
        ],
        "scores": [
            {
                "code": code,
                "appraised": None if s.appraised_score is None else str(s.appraised_score),
                "survey": None if s.survey_score is None else str(s.survey_score),
                "comment": s.appraisal_comment,
            }
            for code, s in sorted(v.scores.items())
            if s.appraised_score is not None or s.survey_score is not None
        ],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def start_next_year(db: Database, areas: frozenset[str] = frozenset({"1", "2", "3"})) -> int:
    """A next-year self-assessment half done: the answers of ``areas`` copied from the
    latest year, the rest not scored (screenshots and tests of work in progress)."""
    last = assessments.view(db)
    info = assessments.new_assessment(db, last.info.year + 1)
    # The clerk's own "copy last year", limited to some areas and without the evidence links
    # (the half-done year's missing documents are part of what the demo shows).
    carry_over.copy_last_year(
        db, info.year, last.info.year,
        only=lambda code: last.cset.area_of(code).code in areas, links=False,
    )
    return info.id
