"""The ranking as an Excel workbook, for the appraiser to sort, filter and paste into a report.

Layout: three title rows (issuer, "BẢNG XẾP HẠNG CHỈ SỐ CCHC NĂM ...", the criteria set and
the decision), a blank row, the header row (frozen), then one row per unit: Xếp hạng, Mã đơn
vị, Đơn vị, Loại, Chỉ số CCHC, Tổng điểm, one column per area, Xếp loại.

Figures are numbers, not text, rounded half up to two decimals as documents print them (the
exact value would show 75,62 under Excel's own rounding where the documents say 75,63). Their
format "0.00" shows the decimal separator of the reader's Windows locale: "84,96" on a
Vietnamese system. A number format cannot force the comma on an English system without
turning the figure into text, which would break sorting.
"""

from __future__ import annotations

import io
from decimal import Decimal

from parapp.domain.numbers import round_half_up
from parapp.domain.ranking import RankingInputs, group_words, kind_label

NUMBER_FORMAT = "0.00"
HEADER_ROW = 5


def _cell_number(value: Decimal) -> Decimal:
    return round_half_up(value, 2)


def ranking_xlsx(data: RankingInputs) -> bytes:
    """The workbook's bytes (openpyxl)."""
    # openpyxl takes a third of a second to import: only when the ranking is exported.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = f"Xếp hạng {data.year}"[:31]
    areas = data.areas
    headers = ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Loại", "Chỉ số CCHC (%)", "Tổng điểm"]
    headers += [f"Lĩnh vực {a.code} ({a.max_shown})" for a in areas]
    headers += ["Xếp loại"]
    last_col = len(headers)
    font = "Times New Roman"
    title_rows = [
        (data.issuer_name.upper(), Font(name=font, size=12, bold=True)),
        (
            f"BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {data.year} "
            f"CỦA CÁC {group_words(list(data.rows)).upper()}",
            Font(name=font, size=14, bold=True),
        ),
        (_subtitle(data), Font(name=font, size=12, italic=True)),
    ]
    for r, (text, style) in enumerate(title_rows, start=1):
        ws.cell(row=r, column=1, value=text).font = style
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, title in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=title)
        cell.font = Font(name=font, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    ws.row_dimensions[HEADER_ROW].height = 45

    for i, row in enumerate(data.rows, start=HEADER_ROW + 1):
        values: list[Decimal | int | str | None] = [
            row.rank,
            row.unit_code,
            row.unit_name,
            kind_label(row.kind),
            _cell_number(row.index),
            _cell_number(row.points),
            *(_cell_number(p) for p in row.area_points),
            row.band,
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=c, value=value)
            cell.font = Font(name=font, size=11)
            cell.border = border
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT
                cell.alignment = Alignment(horizontal="right")
            elif c in (1, 2, 4, last_col):
                cell.alignment = Alignment(horizontal="center")

    widths = [9, 11, 30, 10, 12, 11] + [12] * len(areas) + [12]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4).coordinate  # header, unit name
    if data.rows:
        ws.auto_filter.ref = (
            f"A{HEADER_ROW}:{get_column_letter(last_col)}{HEADER_ROW + len(data.rows)}"
        )
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if areas else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    legend = wb.create_sheet("Lĩnh vực")
    legend.append(["Mã", "Lĩnh vực", "Điểm tối đa"])
    for a in areas:
        legend.append([a.code, a.title, a.max_points])
        legend.cell(row=legend.max_row, column=3).number_format = "0.##"
    legend.column_dimensions["B"].width = 70
    for cell in legend[1]:
        cell.font = Font(bold=True)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _subtitle(data: RankingInputs) -> str:
    parts = [f"Bộ tiêu chí: {data.set_name} ({data.set_code})"]
    if data.decision_number:
        when = f" ngày {data.decision_date:%d/%m/%Y}" if data.decision_date else ""
        parts.append(f"Quyết định số {data.decision_number}{when}")
    else:
        parts.append("Kết quả thẩm định, chưa công bố")
    return "; ".join(parts)
