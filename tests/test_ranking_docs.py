"""The ranking as XLSX, PDF and DOCX: figures read back from the files themselves."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parapp.domain.ranking import RankingArea, RankingInputs, RankingRow
from parapp.domain.units import UnitKind
from parapp.formats.ranking_xlsx import HEADER_ROW, ranking_xlsx
from parapp.printing.builders.ranking import build_ranking, issuing_lines
from parapp.services.documents import render

AREAS3 = (
    RankingArea("1", "Công tác chỉ đạo, điều hành CCHC", Decimal("6.5")),
    RankingArea("2", "Cải cách thể chế", Decimal(8)),
    RankingArea("3", "Cải cách TTHC", Decimal("5.5")),
)


def row(
    rank: int, code: str, name: str, index: str, areas: tuple[str, ...], **kw: object
) -> RankingRow:
    return RankingRow(
        rank=rank,
        rank_of=kw.pop("rank_of", 3),  # type: ignore[arg-type]
        unit_code=code,
        unit_name=name,
        kind=kw.pop("kind", UnitKind.COMMUNE),  # type: ignore[arg-type]
        index=Decimal(index),
        points=sum((Decimal(a) for a in areas), Decimal(0)),
        max_points=Decimal(20),
        area_points=tuple(Decimal(a) for a in areas),
        band=str(kw.pop("band", "Khá")),
        group=str(kw.pop("group", "local")),
    )


def inputs(**kw: object) -> RankingInputs:
    base: dict[str, object] = dict(
        year=2025,
        set_code="TEST-XA-2025",
        set_name="Bộ tiêu chí thử nghiệm",
        issuer_name="Sở Nội vụ tỉnh Lạng Sơn",
        areas=AREAS3,
        rows=(
            # 75,625 prints 75,63 (half up), never 75,62
            row(1, "06001", "Xã Đoàn Kết", "75.625", ("5.625", "5.75", "3.75")),
            row(1, "06016", "Phường Quốc Khánh", "75.625", ("5.625", "5.75", "3.75"),
                kind=UnitKind.WARD),
            row(3, "06019", "Xã Tân Tiến", "60", ("4", "4", "4"), band="Yếu"),
        ),
        decision_number="70/QĐ-UBND",
        decision_date=date(2026, 1, 27),
        place="Lạng Sơn",
        issued_on=date(2026, 1, 28),
        signer_authority=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        signer_name="Hoàng Văn Hùng",
    )
    base.update(kw)
    return RankingInputs(**base)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "") for page in pdf.pages]


def test_issuing_lines() -> None:
    assert issuing_lines("Sở Nội vụ tỉnh Lạng Sơn") == ("UBND TỈNH LẠNG SƠN", ("SỞ NỘI VỤ",))
    assert issuing_lines("Sở Nội vụ thành phố Hà Nội") == (
        "UBND THÀNH PHỐ HÀ NỘI", ("SỞ NỘI VỤ",)
    )
    assert issuing_lines("Xã Hoàng Việt") == ("", ("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VIỆT"))
    assert issuing_lines("Phòng Nội vụ huyện Văn Lãng") == ("", ("PHÒNG NỘI VỤ HUYỆN VĂN LÃNG",))


def test_portrait_pdf_with_few_areas() -> None:
    pages = pdf_text(render(build_ranking(inputs()), ".pdf"))
    assert len(pages) == 1  # three areas fit portrait: no appendix
    text = pages[0]
    assert "BẢNG XẾP HẠNG" in text
    assert "Chỉ số cải cách hành chính năm 2025 của các xã, phường" in text
    assert "Quyết định số 70/QĐ-UBND ngày 27/01/2026" in text
    assert "Lạng Sơn, ngày 28 tháng 01 năm 2026" in text
    assert "Xã Đoàn Kết" in text and "Phường Quốc Khánh" in text
    assert text.count("75,63") == 2 and "75,62" not in text
    assert "5,63" in text and "1/3" in text and "3/3" in text and "2/3" not in text  # tie
    assert "60,00" in text and "Yếu" in text
    assert "(6,5)" in text and "(5,5)" in text
    assert "PHÓ GIÁM ĐỐC" in text and "Hoàng Văn Hùng" in text
    assert "./." in text


def test_landscape_appendix_with_many_areas() -> None:
    areas = tuple(RankingArea(str(i), f"Lĩnh vực {i}", Decimal(10)) for i in range(1, 9))
    rows = (
        row(1, "06001", "Xã Đoàn Kết", "88.5", ("10",) * 7 + ("8.5",), rank_of=2),
        row(2, "06019", "Xã Tân Tiến", "80", ("10",) * 8, rank_of=2),
    )
    doc = build_ranking(inputs(areas=areas, rows=rows))
    assert len(doc.appendices) == 1 and doc.appendices[0].landscape
    data = render(doc, ".pdf")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        first, second = pdf.pages
        assert first.width < first.height and second.width > second.height
        appendix = second.extract_text()
    assert "Phụ lục" in appendix and "8,50" in appendix and "88,50" in appendix
    assert "Lĩnh vực 1 (" not in pdf_text(data)[0]  # points per area only in the appendix
    assert render(doc, ".docx")[:2] == b"PK"


def test_groups_print_separately() -> None:
    rows = (
        row(1, "06001", "Xã Đoàn Kết", "90", ("6", "8", "4"), rank_of=1),
        row(1, "178", "Huyện Văn Lãng", "80", ("5", "7", "4"), rank_of=1,
            kind=UnitKind.DISTRICT, group="district"),
    )
    text = pdf_text(render(build_ranking(inputs(rows=rows)), ".pdf"))[0]
    assert "1. Khối xã" in text and "2. Khối huyện" in text


def test_xlsx_read_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "xep-hang.xlsx"
    path.write_bytes(ranking_xlsx(inputs()))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert "BẢNG XẾP HẠNG" in ws["A2"].value and "2025" in ws["A2"].value
    assert "70/QĐ-UBND" in ws["A3"].value
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:6] == ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Loại", "Chỉ số CCHC (%)",
                          "Tổng điểm"]
    assert header[-1] == "Xếp loại" and "Lĩnh vực 1 (6,5)" in header
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert [r[0] for r in body] == [1, 1, 3]
    assert [r[3] for r in body] == ["Xã", "Phường", "Xã"]
    assert body[0][4] == pytest.approx(75.63)  # rounded half up, stored as a number
    assert body[0][6] == pytest.approx(5.63)
    assert body[2][-1] == "Yếu"
    index_cell = ws.cell(row=HEADER_ROW + 1, column=5)
    assert index_cell.number_format == "0.00" and index_cell.data_type == "n"
    assert ws.freeze_panes == f"D{HEADER_ROW + 1}"
    assert ws.column_dimensions["C"].width >= 25
    assert wb["Lĩnh vực"]["B2"].value == "Công tác chỉ đạo, điều hành CCHC"


def test_hub_ranking_files(tmp_path: Path) -> None:
    """From a real appraiser database: the figures the service publishes are printed."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_appraisal import YEAR, make_hub, score_survey

    from parapp.services.appraisal import accept_self_scores, appraise_node
    from parapp.services.appraisal_publish import publish, ranking_inputs

    db, (a, b, c) = make_hub(tmp_path)
    try:
        for unit in (a, b, c):
            if unit == c:
                appraise_node(db, unit, YEAR, "1.2", Decimal("1.25"), "03 báo cáo chậm")
            accept_self_scores(db, unit, YEAR)
            score_survey(db, unit)
        publish(db, YEAR, decision_number="70/QĐ-UBND", decision_date=date(2026, 1, 27))
        data = ranking_inputs(db, YEAR)
    finally:
        db.close()
    assert [(r.rank, r.unit_code) for r in data.rows] == [(1, a), (1, b), (3, c)]
    text = "\n".join(pdf_text(render(build_ranking(data), ".pdf")))
    assert text.count("100,00") >= 2 and "99,25" in text
    assert "SỞ NỘI VỤ" in text and "UBND TỈNH LẠNG SƠN" in text
