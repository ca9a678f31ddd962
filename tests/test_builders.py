"""Document builders: plain inputs -> model.Document, checked on the demo office and on small
hand-made inputs. The test gathers inputs through services; the builders never may."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from db.engine import open_database
from parapp import resources
from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind, Part
from parapp.domain.deadlines import parse_deadline
from parapp.domain.remediation import (
    ItemStatus,
    PlanDocument,
    ProgressUpdate,
    RemediationItem,
    Signer,
    SignMode,
)
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.scoring import Answer, Declared, FreeRule, YesNoRule
from parapp.domain.totals import Basis, Change, compute_totals
from parapp.domain.units import Unit, UnitKind
from parapp.printing import model, nd30, texts
from parapp.printing.builders import (
    AnnualPlanInput,
    IndexData,
    PlanInput,
    ProgressInput,
    SelfReportInput,
    build_annual_plan,
    build_progress_report,
    build_remediation_plan,
    build_self_report,
)
from parapp.printing.builders.common import balanced_lines, letter, roman
from parapp.services import assessments, evidence, plans
from parapp.services.demo import UNIT as DEMO_UNIT
from parapp.services.demo import build_demo

ROOT = Path(__file__).resolve().parents[1]


# -- helpers ------------------------------------------------------------------------------
def para_text(block: model.Paragraph) -> str:
    return "".join(run.text for run in block.runs)


def texts_of(blocks: tuple[model.Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, model.Paragraph):
            out.append(para_text(block))
        elif isinstance(block, model.Heading):
            out.append(block.text)
        elif isinstance(block, model.PartHeading):
            out += [block.label, block.title]
        elif isinstance(block, model.Table):
            out += [" | ".join(row) for row in block.rows]
    return out


def all_text(doc: model.Document) -> str:
    parts = texts_of(doc.body)
    for appendix in doc.appendices:
        parts += [appendix.title, appendix.note, *texts_of(appendix.blocks)]
    return "\n".join(parts)


def headings(doc: model.Document) -> list[str]:
    return [b.text for b in doc.body if isinstance(b, model.Heading)]


def tables(blocks: tuple[model.Block, ...]) -> list[model.Table]:
    return [b for b in blocks if isinstance(b, model.Table)]


def number(cell: str) -> Decimal:
    return Decimal(cell.replace(".", "").replace(",", "."))


# -- the demo office, gathered through services -------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    target = tmp_path_factory.mktemp("demo") / "office"
    paths = dict(build_demo(target))
    db = open_database(paths["commune-db"])
    try:
        data = {
            "view": assessments.view(db, 2025),
            "view_2024": assessments.view(db, 2024),
            "plan": plans.get_plan(db, 2026),
            "plan_2025": plans.get_plan(db, 2025),
            "evidence": evidence.list_evidence(db, 2025),
        }
    finally:
        db.close()
    return data


def demo_plan_input(demo: dict[str, object], **changes: object) -> PlanInput:
    v = demo["view"]
    v0 = demo["view_2024"]
    p = demo["plan"]
    assert isinstance(v, assessments.AssessmentView)
    assert isinstance(v0, assessments.AssessmentView)
    assert isinstance(p, plans.PlanView)
    previous = {r.code: r.points for r in v0.figures.areas}  # as the service passes them
    data = PlanInput(
        unit=DEMO_UNIT,
        document=p.document,
        items=p.items,
        year=p.year,
        assessed_year=v.info.year,
        cset=v.cset,
        totals=v.totals,
        result=v.result,
        change=v.change,
        previous_area_points=previous,
        with_appendix=True,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


# -- hand-made small inputs ---------------------------------------------------------------
UNIT = Unit(
    "00001",
    "Xã Hoàng Việt",
    UnitKind.COMMUNE,
    appraiser_name="Phòng Nội vụ huyện Văn Lãng",
)

SET = CriteriaSet(
    code="T",
    name="Bộ tiêu chí thử",
    index_kind=IndexKind.PAR,
    period="2024",
    version=1,
    nodes=(
        CriterionNode("1", "Công tác chỉ đạo, điều hành CCHC", Decimal("16.5"), max_text="16,5"),
        CriterionNode("1.1", "Kế hoạch CCHC năm", Decimal("10"), "1", rule=FreeRule()),
        CriterionNode("1.2", "Công tác kiểm tra CCHC", Decimal("6.5"), "1", rule=FreeRule()),
        CriterionNode("2", "Cải cách thể chế", Decimal("7"), rule=FreeRule()),
        CriterionNode("3", "Cải cách tài chính công", Decimal("6.5"), rule=YesNoRule()),
        CriterionNode("C", "Điểm thưởng", Decimal("1"), part=Part.BONUS, rule=FreeRule()),
    ),
)

SCORES = {
    "1.1": NodeScore("1.1", self_score=Decimal("10")),
    "1.2": NodeScore("1.2", self_score=Decimal("5.99")),
    "2": NodeScore("2", self_score=Decimal("6.18"), explanation="Chậm ban hành 01 văn bản."),
    "3": NodeScore("3", declared=Declared(answer=Answer.YES), self_score=Decimal("6.5")),
    "C": NodeScore("C", self_score=Decimal("0.5")),
}

RESULT = PublishedResult(
    index=Decimal("95.25"),
    points=Decimal("29.17"),
    max_points=Decimal("30"),
    rank=8,
    rank_of=17,
    decision_number="70/QĐ-UBND",
    decision_date=date(2025, 1, 27),
    issuer="UBND huyện Văn Lãng",
    areas=(
        AreaResult("1", Decimal("15.99"), Decimal("16.5"), rank=9),
        AreaResult("2", Decimal("6.18"), Decimal("7"), rank=3),
    ),
)


def item(ident: str, **kw: object) -> RemediationItem:
    deadline = str(kw.pop("deadline", "quí II năm 2025"))
    base = RemediationItem(
        id=ident,
        deadline=parse_deadline(deadline, default_year=2025),
        area_code="1",
        node_codes=("1.2",),
        shortcoming="Công tác kiểm tra CCHC (Trừ 0,51 điểm)",
        tasks="Ban hành kế hoạch kiểm tra.\nKiểm tra 100% bộ phận chuyên môn.",
        lead="Văn phòng - Thống kê",
        coordinating="các bộ phận chuyên môn",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def small_plan(*items: RemediationItem, **changes: object) -> PlanInput:
    totals = compute_totals(SET, SCORES, Basis.OFFICIAL)
    data = PlanInput(
        unit=UNIT,
        document=PlanDocument(summary="", legal_bases=()),
        items=items or (item("a"),),
        year=2025,
        assessed_year=2024,
        cset=SET,
        totals=totals,
        result=RESULT,
        change=Change(Decimal("80.25"), Decimal("95.25")),
        previous_area_points={"1": Decimal("15.49"), "2": Decimal("6.50")},
    )
    return replace(data, **changes)  # type: ignore[arg-type]


# -- remediation plan ---------------------------------------------------------------------
def test_demo_plan_header_title_and_legal_basis(demo: dict[str, object]) -> None:
    doc = build_remediation_plan(demo_plan_input(demo))
    assert doc.header.issuing_body == ("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VĂN THỤ")
    assert doc.header.number == "" and doc.header.date is None  # a draft
    assert doc.header.draft_year == 2026 and doc.header.symbol == "KH-UBND"
    assert doc.header.place == "Hoàng Văn Thụ"
    assert doc.title.kind == "KẾ HOẠCH"
    assert " ".join(doc.title.summary).endswith("Chỉ số cải cách hành chính năm 2025")
    first = doc.body[0]
    assert isinstance(first, model.Paragraph)
    basis = para_text(first)
    assert "Căn cứ Quyết định số 215/QĐ-SNV ngày 10/02/2026 của Sở Nội vụ tỉnh Lạng Sơn" in basis
    assert "xã Hoàng Văn Thụ đạt 91,88/100 điểm (91,88%)" in basis
    assert "xếp thứ 12/65" in basis
    assert basis.count("215/QĐ-SNV") == 1  # the stored basis citing it is not repeated
    assert basis.endswith("xây dựng Kế hoạch khắc phục tồn tại, hạn chế như sau:")
    assert first.runs[0].italic and not first.runs[-1].italic


def test_demo_plan_score_table(demo: dict[str, object]) -> None:
    v = demo["view"]
    assert isinstance(v, assessments.AssessmentView)
    doc = build_remediation_plan(demo_plan_input(demo))
    table = tables(doc.body)[0]
    assert [c.title for c in table.columns] == [
        "TT",
        "Nội dung",
        "Điểm tối đa",
        "Điểm thẩm định",
        "Điểm bị trừ",
    ]
    # Lost is the maximum minus the points as printed: 14 − 13,63 (never 0,38, which would
    # make the row add up to 14,01).
    assert ("1", "Công tác chỉ đạo, điều hành CCHC", "14", "13,63", "0,37") in table.rows
    total = table.rows[-1]
    assert total[1] == "Tổng cộng" and table.bold_rows == frozenset({len(table.rows) - 1})
    assert total[2:] == ("100", nd30.points(v.figures.points), "9,12")
    lost = sum((Decimal(r[4].replace(",", ".")) for r in table.rows[:-1] if r[4]), Decimal(0))
    assert nd30.points(lost) == total[4]  # the column adds up as printed
    areas = [r for r in table.rows if r[0]]
    bonus = next(r for r in table.rows if r[1].startswith("Điểm thưởng"))
    penalty = next(r for r in table.rows if r[1] == "Điểm trừ")
    summed = sum((number(r[3]) for r in areas), Decimal(0)) + number(bonus[3])
    assert summed - number(penalty[3].lstrip("-")) == number(total[3])
    assert sum((number(r[4]) for r in areas), Decimal(0)) == number(total[4])


def test_demo_plan_sections_and_items(demo: dict[str, object]) -> None:
    p = demo["plan"]
    assert isinstance(p, plans.PlanView)
    doc = build_remediation_plan(demo_plan_input(demo))
    text = all_text(doc)
    heads = headings(doc)
    assert heads[:3] == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu"]
    for wanted in (
        "II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC",
        "1. Kết quả đánh giá",
        "2. Nội dung khắc phục",
        "2.1. Công tác chỉ đạo, điều hành CCHC",
        "III. GIẢI PHÁP THỰC HIỆN",
        "IV. TỔ CHỨC THỰC HIỆN",
    ):
        assert wanted in heads
    assert not any(isinstance(b, model.PartHeading) for b in doc.body)
    # 2024 published 80,26: the printed total of areas 11,375 -> 11,38 and 6,875 -> 6,88.
    assert "tăng 11,62 điểm phần trăm so với năm 2024 (từ 80,26% lên 91,88%)" in text
    assert "Kết quả: đạt 13,63/14 điểm, bị trừ 0,37 điểm; tăng 2,25 điểm so với năm 2024." in text
    for it in p.items:
        assert f"thời gian thực hiện: {it.deadline.text}" in text
        assert it.shortcoming in text
    assert "chuyển từ kế hoạch năm trước" in text  # carried-over items are marked
    assert "Tiếp tục duy trì kết quả" not in text  # no keep-up item in this plan
    assert "hằng quý, 6 tháng, năm" in text and "Sở Nội vụ tỉnh Lạng Sơn" in text
    assert "{" not in text  # every placeholder filled


def test_demo_plan_signature_and_appendix(demo: dict[str, object]) -> None:
    doc = build_remediation_plan(demo_plan_input(demo))
    recipients = doc.signature.recipients
    assert not any("Như trên" in r for r in recipients)  # plans have no "Kính gửi"
    assert recipients[0] == "- Sở Nội vụ tỉnh Lạng Sơn;"
    assert recipients[-1] == "- Lưu: VT, VP."
    # the demo's plan is signed by a vice-chair for the chair
    assert doc.signature.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert doc.signature.name == "Nông Thị Hạnh"
    (appendix,) = doc.appendices
    assert appendix.landscape and appendix.label == "Phụ lục"
    assert appendix.note.startswith("(Kèm theo Kế hoạch số")
    assert appendix.note.endswith("của Ủy ban nhân dân xã Hoàng Văn Thụ)")
    table = tables(appendix.blocks)[0]
    assert [c.title for c in table.columns] == [
        "TT",
        "Nội dung tồn tại",
        "Nhiệm vụ, giải pháp",
        "Chủ trì",
        "Phối hợp",
        "Thời gian",
        "Kết quả/ghi chú",
    ]
    assert table.rows[0][:2] == ("I", "Công tác chỉ đạo, điều hành CCHC")
    assert 0 in table.bold_rows
    assert sum(1 for r in table.rows if r[0].isdigit()) == len(demo_plan_input(demo).items)
    assert sum(c.width_mm for c in table.columns) <= 250


def test_demo_plan_is_deterministic(demo: dict[str, object]) -> None:
    data = demo_plan_input(demo)
    assert build_remediation_plan(data) == build_remediation_plan(data)


def test_issued_plan_header_and_appendix_note() -> None:
    doc_data = PlanDocument(number="5", issued_on=date(2025, 2, 6), symbol="KH-UBND")
    doc = build_remediation_plan(small_plan(document=doc_data, with_appendix=True))
    assert doc.header.number == "5" and doc.header.date == date(2025, 2, 6)
    assert doc.appendices[0].note == (
        "(Kèm theo Kế hoạch số 05/KH-UBND ngày 06 tháng 02 năm 2025 "
        "của Ủy ban nhân dân xã Hoàng Việt)"
    )
    assert doc.created == date(2025, 2, 6)


def test_unnumbered_plan_with_a_date_keeps_month_and_year() -> None:
    doc_data = PlanDocument(issued_on=date(2024, 3, 12))
    header = build_remediation_plan(small_plan(document=doc_data)).header
    assert header.date is None and (header.draft_month, header.draft_year) == (3, 2024)


def test_small_plan_results_ranks_and_changes() -> None:
    doc = build_remediation_plan(small_plan())
    text = all_text(doc)
    table = tables(doc.body)[0]
    assert ("1", "Công tác chỉ đạo, điều hành CCHC", "16,5", "15,99", "0,51") in table.rows
    assert table.rows[-1] == ("", "Tổng cộng", "30", "29,17", "1,33")
    assert "Kết quả: đạt 15,99/16,5 điểm, bị trừ 0,51 điểm; xếp thứ 9/17;" in text
    assert "tăng 0,50 điểm so với năm 2023" in text
    assert "Năm 2024, xã Hoàng Việt đạt 29,17/30 điểm" in text
    assert "xếp thứ 8/17 đơn vị cấp xã" in text
    # Before July 2025 the commune's office was "Văn phòng - Thống kê".
    assert "Giao công chức Văn phòng - Thống kê chủ trì" in text


def test_item_wording_is_verbatim() -> None:
    doc = build_remediation_plan(small_plan())
    lines = texts_of(doc.body)
    assert "a) Tồn tại: Công tác kiểm tra CCHC (Trừ 0,51 điểm)." in lines
    assert "b) Nhiệm vụ, giải pháp: Ban hành kế hoạch kiểm tra." in lines
    assert (
        "Kiểm tra 100% bộ phận chuyên môn. Chủ trì: Văn phòng - Thống kê; "
        "phối hợp: các bộ phận chuyên môn; thời gian thực hiện: quí II năm 2025." in lines
    )


def test_several_items_in_one_area_get_numbers() -> None:
    second = item("b", node_codes=("1.1",), shortcoming="Kế hoạch CCHC năm (Trừ 0,25 điểm)")
    heads = headings(build_remediation_plan(small_plan(item("a"), second)))
    assert "2.1.1. Công tác kiểm tra CCHC" in heads
    assert "2.1.2. Kế hoạch CCHC năm" in heads


def test_keep_up_items_only_when_present() -> None:
    keep = item(
        "k",
        area_code="3",
        node_codes=("3",),
        keep_up=True,
        shortcoming="Cải cách tài chính công",
        tasks="Tiếp tục duy trì.",
        deadline="Thường xuyên",
    )
    text = all_text(build_remediation_plan(small_plan(item("a"), keep)))
    assert "Tiếp tục duy trì kết quả các nội dung đã đạt điểm tối đa:" in text
    assert "- Cải cách tài chính công: Tiếp tục duy trì." in text
    assert "thời gian thực hiện: Thường xuyên." in text
    # Area 3 is not among the decision's areas: its figure is labelled.
    assert "Kết quả (điểm thẩm định): đạt điểm tối đa (6,50/6,5 điểm)" in text
    plain = all_text(build_remediation_plan(small_plan(item("a"))))
    assert "Tiếp tục duy trì kết quả" not in plain


def test_multi_index_plan_is_printed_in_parts() -> None:
    papi = item(
        "p",
        index_kind="PAPI",
        area_code=None,
        node_codes=(),
        shortcoming="Công khai, minh bạch trong hoạch định chính sách",
        tasks="Niêm yết công khai danh sách hộ nghèo tại nhà văn hóa thôn.",
    )
    sipas = item("s", index_kind="SIPAS", area_code=None, node_codes=(), shortcoming="Tiếp cận")
    doc = build_remediation_plan(small_plan(item("a"), papi, sipas))
    parts = [b for b in doc.body if isinstance(b, model.PartHeading)]
    assert [p.label for p in parts] == ["Phần I", "Phần II", "Phần III"]
    assert parts[1].title == "KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC"
    heads = headings(doc)
    assert "I. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)" in heads
    assert heads.index(
        "II. CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN "
        "HÀNH CHÍNH NHÀ NƯỚC (SIPAS)"
    ) < heads.index("III. CHỈ SỐ HIỆU QUẢ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG (PAPI)")
    text = all_text(doc)
    assert "Niêm yết công khai danh sách hộ nghèo tại nhà văn hóa thôn." in text
    assert "II. GIẢI PHÁP THỰC HIỆN" not in heads and "I. GIẢI PHÁP THỰC HIỆN" in heads


def test_extra_index_decision_joins_the_legal_bases() -> None:
    papi_result = PublishedResult(
        index=Decimal("40"), decision_number="12/QĐ-UBND", issuer="UBND tỉnh Lạng Sơn"
    )
    papi = item("p", index_kind="PAPI", area_code=None, node_codes=())
    data = small_plan(item("a"), papi, extra_indices=(IndexData("PAPI", result=papi_result),))
    basis = para_text(build_remediation_plan(data).body[0])  # type: ignore[arg-type]
    assert "Quyết định số 12/QĐ-UBND của UBND tỉnh Lạng Sơn về việc công bố kết quả" in basis
    assert basis.index("12/QĐ-UBND") < basis.index("70/QĐ-UBND")


def test_bases_as_separate_lines() -> None:
    doc_data = PlanDocument(
        legal_bases=("Kế hoạch số 10/KH-UBND ngày 05/01/2025 của UBND huyện Văn Lãng",),
        bases_as_sentence=False,
    )
    body = build_remediation_plan(small_plan(document=doc_data)).body
    first, second, third = body[0], body[1], body[2]
    assert isinstance(first, model.Paragraph) and first.italic
    assert para_text(first) == (
        "Căn cứ Kế hoạch số 10/KH-UBND ngày 05/01/2025 của UBND huyện Văn Lãng;"
    )
    assert isinstance(second, model.Paragraph) and second.italic
    assert para_text(second).startswith("Căn cứ Quyết định số 70/QĐ-UBND ngày 27/01/2025")
    assert para_text(second).endswith("năm 2024.")
    assert isinstance(third, model.Paragraph) and not third.italic
    assert para_text(third).startswith("Xã Hoàng Việt đạt 29,17/30 điểm (95,25%), xếp thứ 8/17")


def test_clerk_texts_and_recipients_win_over_defaults() -> None:
    doc_data = PlanDocument(
        purposes="Mục đích một.\nMục đích hai của {unit_name}.",
        organisation="Giao {office} theo dõi.",
        recipients=("Như trên;", "Phòng Nội vụ huyện;", "Lưu: VT."),
        signer=Signer(SignMode.KT, position="PHÓ CHỦ TỊCH", name="Nguyễn Văn A"),
    )
    doc = build_remediation_plan(small_plan(document=doc_data, office="Văn phòng UBND xã"))
    lines = texts_of(doc.body)
    assert "Mục đích hai của xã Hoàng Việt." in lines
    assert "Giao Văn phòng UBND xã theo dõi." in lines
    assert doc.signature.recipients == ("- Phòng Nội vụ huyện;", "- Lưu: VT.")
    assert doc.signature.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert doc.signature.name == "Nguyễn Văn A"


def test_self_basis_plan_says_so() -> None:
    totals = compute_totals(SET, SCORES, Basis.SELF)
    doc = build_remediation_plan(small_plan(result=None, totals=totals, change=None))
    basis = para_text(doc.body[0])  # type: ignore[arg-type]
    assert basis.startswith("Căn cứ kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính")
    assert tables(doc.body)[0].columns[3].title == "Điểm tự đánh giá"


# -- self-assessment report ---------------------------------------------------------------
def demo_self_input(demo: dict[str, object]) -> SelfReportInput:
    v = demo["view"]
    assert isinstance(v, assessments.AssessmentView)
    cites: dict[str, list[str]] = {}
    for info in demo["evidence"]:  # type: ignore[attr-defined]
        for code in info.node_codes:
            cites.setdefault(code, []).append(info.citation)
    return SelfReportInput(
        unit=DEMO_UNIT,
        document=PlanDocument(),
        cset=v.cset,
        scores=v.scores,
        year=v.info.year,
        evidence={code: tuple(c) for code, c in cites.items()},
    )


def test_demo_self_report(demo: dict[str, object]) -> None:
    data = demo_self_input(demo)
    totals = compute_totals(data.cset, data.scores, Basis.SELF)
    doc = build_self_report(data)
    assert doc.title.kind == "BÁO CÁO" and doc.header.symbol == "BC-UBND"
    assert doc.title.summary == (
        "Kết quả tự đánh giá, chấm điểm",
        "Chỉ số cải cách hành chính năm 2025",
    )
    text = all_text(doc)
    assert "Kính gửi: Sở Nội vụ tỉnh Lạng Sơn." in text
    assert (
        f"Tổng điểm tự đánh giá: {nd30.points(totals.total)}/88 điểm, "
        f"đạt {nd30.points(totals.index)}%" in text
    )
    assert "chưa tính 12 điểm" in text
    assert "- 3.4.1. Tỷ lệ hồ sơ TTHC giải quyết đúng hạn: đạt 3,50/7 điểm" in text
    assert doc.signature.recipients[0] == "- Như trên;"
    (appendix,) = doc.appendices
    assert appendix.landscape
    table = tables(appendix.blocks)[0]
    assert [c.title for c in table.columns][3:6] == [
        "Số liệu kê khai",
        "Điểm tự chấm",
        "Tài liệu kiểm chứng",
    ]
    rows = {r[0]: r for r in table.rows if r[0]}
    assert rows["3.4.1"][3] == "1.301/1.310 (99,31%)" and rows["3.4.1"][4] == "3,50"
    assert rows["1.4.2"][3] == "Hoàn thành tốt" and rows["1.4.2"][4] == "1,13"
    assert rows["1.1.1"][3] == "Có"
    assert "Kế hoạch cải cách hành chính năm 2025 số 05/KH-UBND ngày 08/01/2025" in rows["1.1.1"][5]
    assert rows["3.4.1"][6].startswith("Một số hồ sơ đất đai quá hạn")
    assert rows["8.1"][6] == "Điều tra XHH" and rows["8.1"][4] == ""
    assert rows["1"][4] == nd30.points(totals.nodes["1"].achieved)
    assert table.rows[-2][1] == "Tổng điểm tự đánh giá"
    assert table.rows[-2][4] == nd30.points(totals.total)
    assert table.rows[-1][4] == nd30.points(totals.index)


def test_self_report_lists_missing_evidence_and_counts_documents() -> None:
    data = SelfReportInput(
        unit=UNIT,
        document=PlanDocument(),
        cset=SET,
        scores=SCORES,
        year=2024,
        evidence={"1": ("Kế hoạch số 05/KH-UBND ngày 08/01/2024",)},
    )
    text = all_text(build_self_report(data))
    assert "Kèm theo Báo cáo này có 01 tài liệu kiểm chứng" in text
    missing = text[text.index("chưa có tài liệu kiểm chứng:") :]
    assert "- 2. Cải cách thể chế (giải trình: Chậm ban hành 01 văn bản)." in missing
    assert "- 3. Cải cách tài chính công." in missing
    assert "1.1." not in missing  # covered by the document filed under area 1


# -- progress report ----------------------------------------------------------------------
def demo_progress_input(demo: dict[str, object], as_of: date) -> ProgressInput:
    p = demo["plan_2025"]
    v = demo["view"]
    assert isinstance(p, plans.PlanView) and isinstance(v, assessments.AssessmentView)
    issued = replace(p.document, number="15", issued_on=date(2025, 2, 6))
    return ProgressInput(
        unit=DEMO_UNIT,
        document=PlanDocument(),
        plan_document=issued,
        items=p.items,
        as_of=as_of,
        plan_year=p.year,
        assessed_year=2024,
        cset=v.cset,
    )


def test_demo_progress_report_overdue_as_of_a_date(demo: dict[str, object]) -> None:
    as_of = date(2026, 1, 15)
    data = demo_progress_input(demo, as_of)
    overdue = [i for i in data.items if i.is_overdue(as_of)]
    assert overdue
    doc = build_progress_report(data)
    lines = texts_of(doc.body)
    assert doc.title.summary[-1].endswith("(tính đến ngày 15/01/2026)")
    assert any("Kế hoạch số 15/KH-UBND ngày 06/02/2025" in line for line in lines)
    start = lines.index("3. Nhiệm vụ quá hạn")
    section = lines[start : lines.index("II. ĐÁNH GIÁ CHUNG")]
    listed = [line for line in section if line.startswith("- ")]
    assert len(listed) == len(overdue)
    for it in overdue:
        # A drafted shortcoming is a sentence; the line goes on after it ("(chủ trì: …)").
        assert any(line.startswith(f"- {it.shortcoming.rstrip('.')}") for line in listed)
    done = sum(1 for i in data.items if i.status is ItemStatus.DONE)
    counts = next(line for line in lines if line.startswith("Tổng số"))
    # Counts under ten are written with two digits, as documents do ("09"), zero as "0".
    assert counts.startswith(f"Tổng số {len(data.items)} nhiệm vụ: đã hoàn thành {done:02d}")
    assert f"quá hạn {len(overdue):02d}" in counts
    table = tables(doc.appendices[0].blocks)[0]
    assert sum(1 for r in table.rows if r[5].endswith("(quá hạn)")) == len(overdue)


def test_progress_is_taken_as_of_the_report_date(demo: dict[str, object]) -> None:
    data = demo_progress_input(demo, date(2025, 9, 30))
    doc = build_progress_report(data)
    text = all_text(doc)
    assert "Tính đến ngày 30/09/2025, không có nhiệm vụ quá hạn." in text
    # Finished on 15/12/2025, so still half done on 30/09/2025.
    first = min(data.items, key=lambda i: i.position)
    assert first.status is ItemStatus.DONE
    assert f"- {first.shortcoming}: đang thực hiện, đạt 50%" in text
    assert "cập nhật ngày 15/12/2025" not in text


def test_progress_report_ongoing_items() -> None:
    ongoing = item(
        "o",
        deadline="Thường xuyên",
        updates=(ProgressUpdate(date(2025, 3, 31), 30, "Đã tuyên truyền trên loa truyền thanh."),),
        progress=30,
        status=ItemStatus.IN_PROGRESS,
    )
    late = item("l", deadline="quý I/2025")
    data = ProgressInput(
        unit=UNIT,
        document=PlanDocument(),
        plan_document=PlanDocument(number="15", issued_on=date(2025, 2, 6)),
        items=(ongoing, late),
        as_of=date(2025, 6, 30),
        plan_year=2025,
        assessed_year=2024,
        cset=SET,
    )
    lines = texts_of(build_progress_report(data).body)
    text = "\n".join(lines)
    assert "4. Nhiệm vụ thực hiện thường xuyên" in lines
    assert "thời hạn: Thường xuyên (nhiệm vụ thường xuyên)." in text
    assert "Đã tuyên truyền trên loa truyền thanh (cập nhật ngày 31/03/2025)." in text
    assert "trong đó có 01 nhiệm vụ thực hiện thường xuyên" in text
    overdue = lines[
        lines.index("3. Nhiệm vụ quá hạn") : lines.index("4. Nhiệm vụ thực hiện thường xuyên")
    ]
    assert sum(1 for line in overdue if line.startswith("- ")) == 1  # the ongoing one never


# -- annual plan --------------------------------------------------------------------------
def test_annual_plan_with_products() -> None:
    tasks = (
        item(
            "t1",
            area_code="1",
            node_codes=(),
            tasks="Ban hành Kế hoạch kiểm tra CCHC năm 2025.",
            product="Kế hoạch kiểm tra",
            deadline="tháng 01/2025",
        ),
        item(
            "t2",
            area_code="2",
            node_codes=(),
            tasks="Rà soát văn bản QPPL.",
            product="Báo cáo rà soát",
            deadline="quý III/2025",
        ),
    )
    doc = build_annual_plan(
        AnnualPlanInput(unit=UNIT, document=PlanDocument(), items=tasks, cset=SET, year=2025)
    )
    assert doc.title.summary == ("Cải cách hành chính năm 2025",)
    assert para_text(doc.body[0]).startswith("Căn cứ Nghị quyết số 76/NQ-CP")  # type: ignore[arg-type]
    heads = headings(doc)
    for wanted in (
        "II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Công tác chỉ đạo, điều hành CCHC",
        "3. Cải cách tài chính công",
        "III. NHIỆM VỤ CỤ THỂ",
        "IV. TỔ CHỨC THỰC HIỆN",
    ):
        assert wanted in heads
    lines = texts_of(doc.body)
    assert "- Ban hành Kế hoạch kiểm tra CCHC năm 2025." in lines
    assert "(Phụ lục kèm theo)" in lines
    # An area without tasks gets the default ones for its kind of reform.
    assert any(line.startswith("- Thực hiện dự toán thu, chi ngân sách") for line in lines)
    table = tables(doc.appendices[0].blocks)[0]
    assert [c.title for c in table.columns] == [
        "TT",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm",
    ]
    assert table.rows[0] == ("I", "Công tác chỉ đạo, điều hành CCHC", "", "", "", "")
    assert table.rows[1][1:] == (
        "Ban hành Kế hoạch kiểm tra CCHC năm 2025.",
        "Văn phòng - Thống kê",
        "các bộ phận chuyên môn",
        "tháng 01/2025",
        "Kế hoạch kiểm tra",
    )
    assert table.bold_rows == frozenset({0, 2})


# -- texts ----------------------------------------------------------------------------------
def test_fill_leaves_unknown_placeholders_visible() -> None:
    assert texts.fill("{unit_name} và {nobody}", {"unit_name": "xã A"}) == "xã A và {nobody}"
    assert texts.fill("{a} {0} { {b.c} }", {"a": None}) == "{a} {0} { {b.c} }"
    assert texts.fill("Hòa", {}) == "Hòa"  # NFC out


def test_defaults_document_their_placeholders() -> None:
    data = json.loads(resources.read_bytes("documents/defaults.json").decode("utf-8"))
    documented = " ".join(data["_comment"]["placeholders"])
    used: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            used.update(re.findall(r"\{([a-z_]+)\}", node))
        elif isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "_comment":
                    walk(value)

    walk(data)
    local = {"diff", "before", "after", "count", "points", "max", "lost", "source_note"}
    assert {u for u in used - local if f"{{{u}}}" not in documented} == set()
    for section in ("remediation", "annual", "self_report", "progress_report"):
        assert data[section]["recipients"][-1].startswith("Lưu")
    assert all(s.startswith("- ") for s in data["remediation"]["solutions"])
    assert 4 <= len(data["remediation"]["solutions"]) <= 6
    assert not any("Như trên" in r for r in data["remediation"]["recipients"])


def test_small_helpers() -> None:
    assert [letter(i) for i in (0, 4, 5, 22, 23)] == ["a", "đ", "e", "y", "aa"]
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert balanced_lines("Cải cách hành chính năm 2026") == ("Cải cách hành chính năm 2026",)
    assert balanced_lines(
        "Khắc phục tồn tại, hạn chế theo kết quả Chỉ số cải cách hành chính năm 2025"
    ) == ("Khắc phục tồn tại, hạn chế theo kết quả", "Chỉ số cải cách hành chính năm 2025")


# -- floors -------------------------------------------------------------------------------
def test_printing_imports_no_services_db_or_qt() -> None:
    forbidden = ("parapp.services", "db", "PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")
    offenders = []
    for path in sorted((ROOT / "parapp" / "printing").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, "\n".join(offenders)
