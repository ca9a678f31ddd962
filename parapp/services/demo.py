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
from parapp.domain.remediation import Signer, SignMode
from parapp.domain.results import AreaResult, PublishedResult
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
from parapp.domain.units import Unit, UnitKind
from parapp.i18n import _

from . import (
    appraisal,
    assessments,
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
from .common import ServiceError
from .files import write_atomic
from .issuing import issue_plan, reprint

UNIT = Unit(
    code="06172",
    name="Xã Hoàng Văn Thụ",
    kind=UnitKind.COMMUNE,
    appraiser_code="20",
    appraiser_name="Sở Nội vụ tỉnh Lạng Sơn",
    province_name="Tỉnh Lạng Sơn",
)

# Where the commune lost points, by year: ("ratio", n, d) / ("tier", i) / ("count", n) /
# ("answer", "no"|"na") / ("typed", "1.5"). Everything else is at full marks.
SELF_LOSSES: dict[int, dict[str, tuple[object, ...]]] = {
    2024: {
        "1.2": ("count", 1),
        "1.3.2": ("ratio", 8, 10),
        "1.4.2": ("tier", 1),
        "1.5": ("tier", 1),
        "2.2.3": ("ratio", 3, 4),
        "3.3.2": ("ratio", 41, 100),
        "3.4.1": ("ratio", 1183, 1204),
        "3.4.2": ("ratio", 15, 21),
        "5.3.2": ("ratio", 8, 10),
        "6.2.3": ("tier", 1),
        "7.1.2": ("ratio", 912, 1000),
        "7.2.1": ("ratio", 38, 100),
        "7.3": ("ratio", 61, 100),
        "7.4": ("tier", 1),
        "3.1.2": ("ratio", 0, 0),
    },
    2025: {
        "1.4.2": ("tier", 1),
        "3.3.2": ("ratio", 47, 100),
        "3.4.1": ("ratio", 1301, 1310),
        "5.3.2": ("ratio", 9, 10),
        "7.2.1": ("ratio", 52, 100),
        "7.3": ("ratio", 86, 100),
        "2.4": ("typed", "1.75"),
        "C.1": ("answer", "yes"),
    },
}

EXPLANATIONS = {
    "3.4.1": "Một số hồ sơ đất đai quá hạn do phải xác minh nguồn gốc đất.",
    "3.4.2": "Chưa gửi thư xin lỗi đối với 06 hồ sơ trễ hạn.",
    "7.2.1": "Người dân ở các thôn vùng cao còn hạn chế sử dụng dịch vụ công trực tuyến.",
    "3.1.2": "Trong năm không phát sinh nhiệm vụ rà soát theo kế hoạch của cấp trên.",
    # No document of its own: explained instead (the pre-submission check accepts either).
    "1.3.3": "Các tồn tại phát hiện qua kiểm tra đã được chấn chỉnh ngay, ghi trong biên bản "
    "kiểm tra; chưa lập báo cáo riêng.",
}

# The appraiser's changes: code -> (appraised score, comment).
APPRAISALS: dict[int, dict[str, tuple[str, str]]] = {
    2024: {
        "1.6.2": ("0.25", "Chưa có văn bản trả lời kiến nghị sau đối thoại."),
        "5.5": ("1.5", "Hồ sơ tuyển dụng chưa đầy đủ theo quy định."),
        "7.2.2": ("0.5", "Chưa có tài liệu kiểm chứng về hỗ trợ người dân."),
        "1.3.3": ("0", "Chưa có báo cáo kết quả xử lý sau kiểm tra."),
    },
    2025: {
        "7.2.2": ("0.75", "Tài liệu kiểm chứng chưa thể hiện số lượt hỗ trợ."),
    },
}

SURVEY: dict[int, dict[str, str]] = {
    2024: {"8.1": "3.25", "8.2": "2.5", "8.3": "1.5", "8.4": "2.5"},
    2025: {"8.1": "3.5", "8.2": "2.75", "8.3": "1.75", "8.4": "2.5"},
}

SIGNER = Signer(
    mode=SignMode.KT,
    body="ỦY BAN NHÂN DÂN",
    head_title="CHỦ TỊCH",
    position="PHÓ CHỦ TỊCH",
    name="Nông Thị Hạnh",
)  # a made-up name

PUBLISHED = {
    2024: dict(
        rank=8,
        rank_of=17,
        decision_number="70/QĐ-UBND",
        decision_date=date(2025, 1, 27),
        issuer="UBND huyện Văn Lãng",
    ),
    2025: dict(
        rank=12,
        rank_of=65,
        decision_number="215/QĐ-SNV",
        decision_date=date(2026, 2, 10),
        issuer="Sở Nội vụ tỉnh Lạng Sơn",
    ),
}

EVIDENCE = [
    ("Kế hoạch cải cách hành chính năm {y}", "05/KH-UBND", (1, 8), ["1.1.1", "1.1.2"]),
    ("Báo cáo kết quả thực hiện CCHC năm {y}", "210/BC-UBND", (12, 10), ["1.2", "1.1.2"]),
    ("Kế hoạch kiểm tra công tác CCHC năm {y}", "12/KH-UBND", (1, 20), ["1.3.1", "1.3.2"]),
    ("Kế hoạch tuyên truyền CCHC năm {y}", "15/KH-UBND", (1, 25), ["1.4.1", "1.4.2"]),
    (
        "Biên bản đối thoại của Chủ tịch UBND xã với Nhân dân",
        "02/BB-UBND",
        (6, 14),
        ["1.6.1", "1.6.2"],
    ),
    (
        "Quyết định công bố danh mục văn bản hết hiệu lực",
        "45/QĐ-UBND",
        (3, 2),
        ["2.2.1", "2.2.2", "2.2.3"],
    ),
    (
        "Báo cáo kết quả giải quyết TTHC năm {y}",
        "198/BC-UBND",
        (12, 5),
        ["3.4.1", "3.4.2", "3.4.3", "3.6"],
    ),
    ("Quyết định ban hành Quy chế làm việc của UBND xã", "20/QĐ-UBND", (2, 1), ["4.1"]),
    (
        "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm {y}",
        "18/KH-UBND",
        (2, 15),
        ["5.3.1", "5.3.2"],
    ),
    (
        "Báo cáo số hóa hồ sơ, kết quả giải quyết TTHC",
        "176/BC-UBND",
        (11, 20),
        ["7.3", "7.2.3", "7.5"],
    ),
    (
        "Kế hoạch rà soát, đánh giá thủ tục hành chính năm {y}",
        "09/KH-UBND",
        (1, 15),
        ["3.1.1", "3.1.2", "3.1.3"],
    ),
    (
        "Báo cáo công khai thủ tục hành chính tại Bộ phận Một cửa",
        "61/BC-UBND",
        (4, 2),
        ["3.2.1", "3.2.2", "3.3.1", "3.3.2", "3.3.3", "3.5"],
    ),
    (
        "Kế hoạch theo dõi thi hành pháp luật năm {y}",
        "11/KH-UBND",
        (1, 18),
        ["2.1.1", "2.1.2", "2.3", "2.4"],
    ),
    (
        "Quyết định phê duyệt danh mục vị trí việc làm",
        "33/QĐ-UBND",
        (3, 20),
        ["5.1.1", "5.1.2", "5.2", "5.4", "5.5", "4.2", "4.3", "4.4"],
    ),
    (
        "Quy chế chi tiêu nội bộ năm {y}",
        "03/QĐ-UBND",
        (1, 10),
        ["6.1", "6.2.1", "6.2.2", "6.2.3", "6.3", "6.4", "6.5"],
    ),
    (
        "Báo cáo ứng dụng công nghệ thông tin, chuyển đổi số năm {y}",
        "201/BC-UBND",
        (12, 1),
        ["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2", "7.4"],
    ),
    ("Báo cáo kết quả thực hiện nhiệm vụ cấp trên giao", "205/BC-UBND", (12, 8), ["1.5", "1.7"]),
]


def _declared(
    rule: object, spec: tuple[object, ...] | None, part: Part
) -> tuple[Declared | None, Decimal | None]:
    """Declared data (or a typed score) for one leaf: full marks unless ``spec`` says not."""
    kind = spec[0] if spec else None
    if kind == "typed":
        return None, Decimal(str(spec[1]))  # type: ignore[index]
    if isinstance(rule, YesNoRule):
        if kind == "answer":
            return Declared(answer=Answer(str(spec[1]))), None  # type: ignore[index]
        return Declared(answer=Answer.YES if part is Part.MAIN else Answer.NO), None
    if isinstance(rule, TiersRule):
        index = int(spec[1]) if kind == "tier" else 0  # type: ignore[index, call-overload]
        return Declared(tier=rule.tiers[index].key), None
    if isinstance(rule, RatioRule):
        if kind == "ratio":
            return Declared(
                numerator=Decimal(spec[1]),
                denominator=Decimal(spec[2]),  # type: ignore
            ), None
        return Declared(numerator=Decimal(100), denominator=Decimal(100)), None
    if isinstance(rule, DeductionRule):
        return Declared(count=int(spec[1]) if kind == "count" else 0), None  # type: ignore
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
        ),  # type: ignore[arg-type]
        year=year,
        unit_code=unit_code,
    )


def _self_assess(db: Database, cset: CriteriaSet, year: int, scores_file: Path) -> None:
    from .scores_import import import_scores

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
    setup.init_database(db_path, UNIT, role="commune")
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
        from .backups import make

        make(db_path, reason="demo")
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
    entries = [
        assessments.SelfEntry(
            code, declared=score.declared, typed=score.self_score, explanation=score.explanation
        )
        for code, score in last.scores.items()
        if last.cset.area_of(code).code in areas and score.self_score is not None
    ]
    assessments.set_self_scores(db, info.id, entries)
    return info.id
