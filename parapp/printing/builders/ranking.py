"""The ranking of the units an appraiser follows ("Bảng xếp hạng Chỉ số CCHC năm ...").

BẢNG XẾP HẠNG / Chỉ số cải cách hành chính năm <year> của các xã, phường, ...
(Kèm theo Quyết định số ... ngày ... ) when the result is published
Body: a short lead-in and the table TT | Đơn vị | Chỉ số CCHC (%) | Xếp hạng | Xếp loại,
      with the points of each area when the set has few areas (it fits portrait);
      with many areas the points per area go to a landscape appendix.
One table per group of units ranked together (communes and wards share one).

The inputs are plain data (the service gathers them) so the PDF/DOCX builder and the XLSX
writer (``parapp.formats.ranking_xlsx``) print the same figures; they are defined in
``parapp.domain.ranking``, which both import.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parapp.domain.ranking import RankingInputs, RankingRow, group_words
from parapp.domain.text import clean
from parapp.printing import nd30
from parapp.printing.model import (
    Align,
    Appendix,
    Block,
    Column,
    Document,
    Header,
    Paragraph,
    Signature,
    Table,
    Title,
)

PORTRAIT_AREAS = 3  # up to this many area columns the whole table fits a portrait page


def issuing_lines(name: str) -> tuple[str, tuple[str, ...]]:
    """(parent body, issuing body lines) for a unit named as the program stores it.

    "Sở Nội vụ tỉnh Lạng Sơn" -> ("UBND TỈNH LẠNG SƠN", ("SỞ NỘI VỤ",)); "Xã Hoàng Việt" ->
    ("", ("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VIỆT")); anything else upper case as it is.
    """
    name = clean(name)
    lowered = name.lower()
    for word in (" tỉnh ", " thành phố "):
        at = lowered.find(word)
        if lowered.startswith(("sở ", "phòng ")) and at > 0:
            return f"UBND {name[at + 1 :]}".upper(), (name[:at].upper(),)
    if lowered.startswith(("xã ", "phường ", "đặc khu ", "thị trấn ", "huyện ", "quận ")):
        return "", ("ỦY BAN NHÂN DÂN", name.upper())
    return "", (name.upper(),)


def symbol_suffix(body_lines: tuple[str, ...]) -> str:
    """The issuer's abbreviation in a symbol: "SỞ NỘI VỤ" -> "SNV", a committee "UBND"."""
    if body_lines and body_lines[0] == "ỦY BAN NHÂN DÂN":
        return "UBND"
    words = body_lines[0].split() if body_lines else []
    return "".join(w[0] for w in words if w[0].isalpha()).upper() or "UBND"


def _points(value: Decimal) -> str:
    return nd30.points(value)


def _count(n: int) -> str:
    return f"{n:02d}" if 0 < n < 10 else str(n)


def _rank_text(row: RankingRow) -> str:
    return f"{row.rank}/{row.rank_of}"


def _main_table(data: RankingInputs, rows: list[RankingRow], with_areas: bool) -> Table:
    areas = data.areas if with_areas else ()
    columns = [Column("TT", 10, Align.CENTER), Column("Đơn vị", 0)]  # the name takes the rest
    columns += [Column(f"Lĩnh vực {a.code}\n({a.max_shown})", 17, Align.CENTER) for a in areas]
    columns += [
        Column("Chỉ số CCHC (%)", 21 if areas else 24, Align.CENTER),
        Column("Xếp hạng", 17 if areas else 20, Align.CENTER),
        Column("Xếp loại", 20 if areas else 24, Align.CENTER),
    ]
    body = []
    for i, row in enumerate(rows, start=1):
        cells = [str(i), row.unit_name]
        cells += [_points(p) for p in row.area_points] if areas else []
        cells += [_points(row.index), _rank_text(row), row.band]
        body.append(tuple(cells))
    return Table(tuple(columns), tuple(body), font_size=12)


def _area_table(data: RankingInputs, rows: list[RankingRow]) -> Table:
    """Landscape: TT | Đơn vị | one column per area | Tổng điểm | Chỉ số | Xếp hạng."""
    area_width = max(14.0, min(20.0, 150 / max(len(data.areas), 1)))
    columns = [Column("TT", 10, Align.CENTER), Column("Đơn vị", 0)]
    columns += [Column(f"{a.code} ({a.max_shown})", area_width, Align.CENTER) for a in data.areas]
    columns += [
        Column("Tổng điểm", 20, Align.CENTER),
        Column("Chỉ số (%)", 20, Align.CENTER),
        Column("Xếp hạng", 18, Align.CENTER),
    ]
    body = [
        (
            str(i),
            row.unit_name,
            *(_points(p) for p in row.area_points),
            _points(row.points),
            _points(row.index),
            _rank_text(row),
        )
        for i, row in enumerate(rows, start=1)
    ]
    return Table(tuple(columns), tuple(body), font_size=12)


def _decision_phrase(data: RankingInputs) -> str:
    if not clean(data.decision_number):
        return ""
    when = f" ngày {nd30.short_date(data.decision_date)}" if data.decision_date else ""
    who = clean(data.decision_issuer) or clean(data.issuer_name)
    return f"Quyết định số {clean(data.decision_number)}{when} của {who}"


def build_ranking(data: RankingInputs) -> Document:
    parent, body_lines = issuing_lines(data.issuer_name)
    suffix = symbol_suffix(body_lines)
    if data.office is not None:  # the office's own header wins over its name's reading
        parent, body_lines = data.office.parent_body(), data.office.issuing_body()
        suffix = clean(data.office.symbol_suffix).upper() or suffix
    groups = data.groups()
    everyone = group_words(list(data.rows))
    portrait = len(data.areas) <= PORTRAIT_AREAS
    decision = _decision_phrase(data)
    blocks: list[Block] = []
    if decision:
        blocks.append(
            Paragraph.of(f"(Kèm theo {decision})", indent=False, align=Align.CENTER, italic=True)
        )
    set_name = clean(data.set_name)
    if not set_name.lower().startswith("bộ tiêu chí"):
        set_name = f"Bộ tiêu chí {set_name}"
    lead = (
        f"Kết quả xác định Chỉ số cải cách hành chính năm {data.year} của các {everyone} "
        f"theo {set_name} ({clean(data.set_code)}), xếp hạng theo "
        "Chỉ số từ cao xuống thấp; các đơn vị có Chỉ số bằng nhau cùng thứ hạng. "
        "Chỉ số tính bằng điểm đạt chia điểm tối đa nhân 100, làm tròn hai chữ số thập phân."
    )
    blocks.append(Paragraph.of(lead))
    if not data.rows:
        blocks.append(Paragraph.of("Chưa có đơn vị nào được thẩm định."))
    for n, (_group, rows) in enumerate(groups, start=1):
        if len(groups) > 1:
            blocks.append(Paragraph.of(f"{n}. Khối {group_words(rows)}", keep_with_next=True))
        blocks.append(_main_table(data, rows, with_areas=portrait))
    if data.rows:
        closing = f"Bảng xếp hạng gồm {_count(len(data.rows))} đơn vị"
        if not portrait:
            closing += "; điểm theo từng lĩnh vực tại Phụ lục kèm theo"
        blocks.append(Paragraph.of(closing + "."))
    appendices: tuple[Appendix, ...] = ()
    if not portrait and data.rows:
        tables: list[Block] = []
        for n, (_group, rows) in enumerate(groups, start=1):
            if len(groups) > 1:
                tables.append(Paragraph.of(f"{n}. Khối {group_words(rows)}", keep_with_next=True))
            tables.append(_area_table(data, rows))
        legend = "; ".join(f"{a.code}. {a.title}" for a in data.areas)
        tables.append(Paragraph.of(f"Ghi chú: {legend}.", indent=False))
        appendices = (
            Appendix(
                label="Phụ lục",
                title=f"ĐIỂM THEO LĨNH VỰC CỦA CÁC ĐƠN VỊ NĂM {data.year}",
                note=f"(Kèm theo Bảng xếp hạng Chỉ số CCHC năm {data.year})",
                blocks=tuple(tables),
                landscape=True,
            ),
        )
    summary = f"Chỉ số cải cách hành chính năm {data.year} của các {everyone}"
    place = clean(data.place) or (data.office.place if data.office else "") or "……"
    return Document(
        header=Header(
            issuing_body=body_lines,
            parent_body=parent,
            number="",
            symbol=f"BXH-{suffix}",
            place=place,
            date=data.issued_on,
            draft_year=None if data.issued_on else data.year + 1,
        ),
        title=Title("BẢNG XẾP HẠNG", (summary,)),
        body=tuple(blocks),
        signature=Signature(
            recipients=nd30.recipients_lines(data.recipients or ("Các đơn vị được xếp hạng",)),
            authority=tuple(line.upper() for line in data.signer_authority if clean(line)),
            name=clean(data.signer_name),
        ),
        appendices=appendices,
        subject=f"Bảng xếp hạng {summary}",
        author=clean(data.issuer_name),
        created=data.issued_on or data.decision_date or date(data.year + 1, 1, 1),
    )
