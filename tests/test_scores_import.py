"""Importing self scores from CSV and Excel files into a real database, all rows or none."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from db.engine import Database, open_database
from parapp.domain.assessment import NodeScore
from parapp.domain.scoring import Answer, Declared
from parapp.domain.units import Unit, UnitKind
from parapp.services.assessments import new_assessment, view
from parapp.services.common import ServiceError
from parapp.services.criteria import get_set, import_set, sample_set
from parapp.services.scores_import import import_scores, read_scores_file
from parapp.services.setup import init_database

D = Decimal

# What every valid file below declares, and what must be stored:
# code -> (self score, declared data, not applicable, explanation)
EXPECTED: dict[str, tuple[Decimal, Declared, bool, str]] = {
    "1.1.1": (D("1"), Declared(answer=Answer.YES), False, "Đã ban hành kế hoạch"),  # yes_no
    "1.1.2": (D("1"), Declared(numerator=D(98), denominator=D(100)), False, ""),  # ratio 98%
    "1.2": (D("1.5"), Declared(count=2), False, ""),  # deduction: 2 - 2 x 0,25
    "1.4.2": (D("1.125"), Declared(tier="tot"), False, ""),  # 75% of 1,5
    "1.6.2": (D("0.375"), Declared(tier="tot"), False, ""),  # 75% of 0,5
    "2.4": (D("1.75"), Declared(), False, "Tự đánh giá"),  # free, step 0,25
    "3.5": (D("2"), Declared(answer=Answer.NA), True, ""),  # N/A counts as full
    "C.1": (D("1"), Declared(answer=Answer.YES), False, ""),  # bonus
    "T.2": (D("0"), Declared(answer=Answer.NO), False, ""),  # penalty not incurred
}
MAIN_POINTS = D("8.75")  # 1 + 1 + 1,5 + 1,125 + 0,375 + 1,75 + 2
SELF_MAX = D("88")  # 100 minus the survey-only area 8 (12 points)

COMMA_CSV = """code,declared,self_score,explanation
1.1.1,Có,,Đã ban hành kế hoạch
1.1.2,98/100,,
1.2,2,,
1.4.2,tot,,
1.6.2,Hoàn thành tốt,0.375,
2.4,,"1,75",Tự đánh giá
3.5,KAD,,
C.1,x,1,
T.2,không,,
"""

SEMICOLON_CSV = """Mã;Số liệu kê khai;Điểm tự chấm;Giải trình
1.1.1;có;1;Đã ban hành kế hoạch
1.1.2;98,0 / 100;;
1.2;2;1,5;
1.4.2;Hoàn thành tốt;1,125;
1.6.2;tot;0,375;
2.4;;1,75;Tự đánh giá
3.5;Không áp dụng;2;
C.1;yes;;
T.2;0;;
"""

BOM_CSV = (
    "\ufeffSTT,Tên tiêu chí,Declared,Score,Explanation\r\n"
    "1.1.1,Ban hành kế hoạch,YES,1,Đã ban hành kế hoạch\r\n"
    '1.1.2,Tỷ lệ,"98 / 100",,\r\n'
    "1.2,Báo cáo trễ,2,,\r\n"
    "1.4.2,,TOT,,\r\n"
    "1.6.2,,hoan thanh tot,0.375,\r\n"
    "2.4,,,1.75,Tự đánh giá\r\n"
    "3.5,,n/a,,\r\n"
    "c.1,,1,,\r\n"
    "T.2,,no,0,\r\n"
)

NFD_CSV = unicodedata.normalize(
    "NFD",
    """Mã tiêu chí;Số liệu kê khai;Điểm tự đánh giá;Giải trình

1.1.1;Có;;Đã ban hành kế hoạch
1.1.2;98/100;;
1.2;2;;

1.4.2;Hoàn thành tốt;;
1.6.2;Hoàn thành tốt;0,375;
2.4;;1,75;Tự đánh giá
3.5;Không phát sinh;;
C.1;Có;;
T.2;Không;;
""",
)


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


XLSX_ROWS: list[list[object]] = [
    ["Mã tiêu chí", "Số liệu kê khai", "Điểm tự đánh giá", "Giải trình", "Ghi chú"],
    ["1.1.1", "Có", 1, "Đã ban hành kế hoạch", "xem hồ sơ"],
    ["1.1.2", "98/100", None, None, None],
    ["1.2", 2, 1.5, None, None],
    [],
    ["1.4.2", "Hoàn thành tốt", 1.125, None, None],
    ["1.6.2", "tot", 0.375, None, None],  # a float cell that must stay exactly 0.375
    ["2.4", None, 1.75, "Tự đánh giá", None],
    ["3.5", "KAD", None, None, None],
    ["C.1", True, None, None, None],
    ["T.2", 0, 0, None, None],
]


def _text_file(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    return make


def _xlsx_file(name: str, rows: list[list[object]]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        _write_xlsx(path, rows)
        return path

    return make


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "db.sqlite3"
    init_database(path, Unit(code="00001", name="Xã Thử", kind=UnitKind.COMMUNE))
    database = open_database(path)
    import_set(database, sample_set())
    new_assessment(database, 2025)
    yield database
    database.close()


def _assert_expected(database: Database) -> None:
    current = view(database, 2025)
    for code, (score, declared, na, explanation) in EXPECTED.items():
        stored = current.scores[code]
        assert stored.self_score == score, code
        assert stored.declared == declared, code
        assert stored.not_applicable is na, code
        assert stored.explanation == explanation, code
        assert unicodedata.is_normalized("NFC", stored.explanation)
    assert set(current.scores) == set(EXPECTED)
    assert str(current.scores["1.6.2"].self_score) == "0.375"
    totals = current.totals
    assert totals.main_max == SELF_MAX
    assert totals.main_points == MAIN_POINTS
    assert totals.bonus == D("1")
    assert totals.penalty == D("0")
    assert totals.total == MAIN_POINTS + D("1")
    assert totals.index == (MAIN_POINTS + D("1")) * D(100) / SELF_MAX
    assert totals.nodes["1.1"].achieved == D("2")  # 1.1.1 + 1.1.2
    assert totals.nodes["1.6"].achieved == D("0.375")


VALID = {
    "csv-comma": _text_file("scores.csv", COMMA_CSV),
    "csv-semicolon-decimal-comma": _text_file("diem.CSV", SEMICOLON_CSV),
    "csv-bom-crlf": _text_file("scores.csv", BOM_CSV),
    "csv-nfd": _text_file("scores.csv", NFD_CSV),
    "xlsx": _xlsx_file("diem.xlsx", XLSX_ROWS),
}


@pytest.mark.parametrize("make", VALID.values(), ids=VALID.keys())
def test_valid_files_store_the_same_scores(
    db: Database, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    result = import_scores(db, path, 2025)
    assert result.rows == len(EXPECTED)
    assert result.changed == len(EXPECTED)
    _assert_expected(db)
    again = import_scores(db, path)  # the latest assessment, and nothing new to change
    assert (again.rows, again.changed) == (len(EXPECTED), 0)
    _assert_expected(db)


def test_xlsx_float_stays_exact_and_rows_keep_sheet_numbers(db: Database, tmp_path: Path) -> None:
    path = _xlsx_file("diem.xlsx", XLSX_ROWS)(tmp_path)
    rows = {r.code: r for r in read_scores_file(path, get_set(db))}
    assert rows["1.6.2"].typed == D("0.375")
    assert str(rows["1.6.2"].typed) == "0.375"
    assert rows["1.6.2"].line == 7  # the empty sheet row 5 still counts
    assert rows["1.2"].declared == Declared(count=2)
    assert rows["1.1.2"].typed is None
    assert rows["1.1.2"].declared == Declared(numerator=D(98), denominator=D(100))
    assert rows["2.4"].declared is None
    assert rows["1.1.1"].explanation == "Đã ban hành kế hoạch"
    assert rows["3.5"].explanation is None


def test_empty_cells_keep_what_is_stored(db: Database, tmp_path: Path) -> None:
    import_scores(db, _text_file("a.csv", COMMA_CSV)(tmp_path))
    path = _text_file("b.csv", "code;declared;self_score;explanation\n1.2;;;Hai báo cáo trễ\n")
    result = import_scores(db, path(tmp_path))
    assert (result.rows, result.changed) == (1, 1)
    stored = view(db).scores["1.2"]
    assert stored.declared == Declared(count=2)
    assert stored.self_score == D("1.5")
    assert stored.explanation == "Hai báo cáo trễ"


def _snapshot(
    database: Database,
) -> tuple[dict[str, NodeScore], dict[str, int], dict[str, list[str]]]:
    con = sqlite3.connect(database.path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        content = {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        counts = {t: len(rows) for t, rows in content.items()}
    finally:
        con.close()
    return view(database).scores, counts, content


HEADER = "code,declared,self_score,explanation\n"
GOOD = "1.3.1,có,,\n"  # line 2: valid, and not stored yet, so a partial write would show
BAD_LINE_4 = {  # line 3 is blank; the bad row is on physical line 4
    "unknown code": ("3.9,có,,", "Line 4: '3.9' is not a criterion of this set."),
    "not a number": ("2.4,,abc,", "Line 4: 'abc' is not a number."),
    "ratio above total": ("1.1.2,98/97,,", "Line 4: declared data '98/97' for criterion 1.1.2"),
    "ratio shape": ("1.1.2,98%,,", "Line 4: declared data '98%' for criterion 1.1.2 should be"),
    "duplicate": ("1.3.1,không,,", "Line 4: criterion 1.3.1 appears twice (first on line 2)."),
    "n/a not allowed": ("1.1.1,KAD,,", "Line 4: declared data 'KAD' for criterion 1.1.1 is"),
    "unknown level": ("1.4.2,Xuất sắc lắm,,", "Line 4: declared data 'Xuất sắc lắm'"),
    "fractional count": ("1.2,1.5,,", "Line 4: declared data '1.5' for criterion 1.2 should"),
    "negative count": ("1.2,-1,,", "Line 4: declared data '-1' for criterion 1.2 is refused"),
    "free with data": ("2.4,có,1,", "Line 4: declared data 'có' for criterion 2.4 must be"),
    "yes_no word": ("1.1.1,maybe,,", "Line 4: declared data 'maybe' for criterion 1.1.1"),
    "typed disagrees": ("1.1.1,có,0.5,", "Line 4: criterion 1.1.1: The typed score 0.5"),
    "typed vs stored": ("1.1.1,,0,", "Line 4: Criterion 1.1.1: The typed score 0 disagrees"),
    "off step": ("2.4,,0.3,", "Line 4: Criterion 2.4: The score 0.3 is not a step of 0.25."),
    "above max": ("2.4,,2.25,", "Line 4: Criterion 2.4: The score 2.25 is outside 0 to 2"),
    "survey node": ("8.1,,2,", "Line 4: Criterion '8.1' is scored by the appraiser's survey"),
    "not a leaf": ("1.1,có,,", "Line 4: criterion 1.1 is scored through its sub-criteria"),
    "no code": (",có,1,", "Line 4: the row has no criterion code."),
    "unquoted comma": ("2.4,,1,75,tốt", "Line 4 has 5 fields but the header has 4: put a"),
}
MALFORMED: dict[str, tuple[Callable[[Path], Path], str]] = {
    f"csv {name}": (_text_file("bad.csv", f"{HEADER}{GOOD}\n{row}\n"), message)
    for name, (row, message) in BAD_LINE_4.items()
}
MALFORMED |= {
    "csv multi-line cell": (
        _text_file("bad.csv", f'{HEADER}1.3.1,có,,"Dòng một\nDòng hai"\n3.9,có,,\n'),
        "Line 4: '3.9' is not a criterion of this set.",
    ),
    "semicolon disagrees": (
        _text_file("bad.csv", "Mã;Số liệu kê khai;Điểm tự chấm\n1.3.1;có;\n\n1.2;2;1,25\n"),
        "Line 4: criterion 1.2: The typed score 1.25 disagrees with the rule, which gives 1.5",
    ),
    "xlsx not a number": (
        _xlsx_file("bad.xlsx", [["code", "score"], ["1.3.1", 0.5], [], ["2.4", "abc"]]),
        "Line 4: 'abc' is not a number.",
    ),
    "xlsx date in ratio": (
        _xlsx_file(
            "bad.xlsx", [["code", "declared"], ["1.3.1", "có"], [], ["1.1.2", datetime(2025, 3, 9)]]
        ),
        "Line 4: a cell holds a date",
    ),
    "xlsx typed vs float": (
        _xlsx_file(
            "bad.xlsx", [["Mã", "Số liệu kê khai", "Điểm tự chấm"], [], [], ["1.6.2", "tot", 0.37]]
        ),
        "Line 4: criterion 1.6.2: The typed score 0.37 disagrees with the rule, which gives 0.375",
    ),
    "no code column": (_text_file("bad.csv", "declared,self_score\nyes,1\n"), "no 'code' column"),
    "empty": (_text_file("bad.csv", ""), "The file is empty."),
    "blank lines only": (_text_file("bad.csv", "\n \n\n"), "The file is empty."),
    "header only": (_text_file("bad.csv", HEADER), "The file has no rows of scores"),
    "two code columns": (_text_file("bad.csv", "code,Code\n1.3.1,1.3.1\n"), "two 'code' columns"),
    "not utf-8": (
        _text_file("bad.csv", "code,explanation\n1.3.1,Café crème\n", encoding="latin-1"),
        "Cannot read the file as CSV or Excel",
    ),
    "not excel": (_text_file("bad.xlsx", "code\n1.3.1\n"), "Cannot read the file as CSV or Excel."),
    "other type": (_text_file("bad.txt", HEADER + GOOD), "must be in a .csv or .xlsx file"),
    "old excel": (_text_file("bad.xls", HEADER + GOOD), "must be in a .csv or .xlsx file"),
}


@pytest.mark.parametrize(("make", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_is_refused_and_nothing_changes(
    db: Database, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    import_scores(db, _text_file("baseline.csv", COMMA_CSV)(tmp_path), 2025)
    before = _snapshot(db)
    with pytest.raises(ServiceError) as caught:
        import_scores(db, make(tmp_path), 2025)
    assert message in str(caught.value)
    assert _snapshot(db) == before
    _assert_expected(db)


def test_mapped_error_keeps_the_code(db: Database, tmp_path: Path) -> None:
    path = _text_file("bad.csv", f"{HEADER}{GOOD}8.1,,2,\n")(tmp_path)
    with pytest.raises(ServiceError) as caught:
        import_scores(db, path)
    assert str(caught.value).startswith("Line 3: ")
    assert caught.value.params["code"] == "8.1"


def test_xlsx_floats_read_as_excel_shows_them(db: Database, tmp_path: Path) -> None:
    # 0.1 + 0.2 as a formula result is stored as 0.30000000000000004; Excel shows 0.3.
    rows = [["code", "score"], ["2.4", 0.1 + 0.2], ["5.5", 0.37], ["6.5", 1.0]]
    path = _xlsx_file("floats.xlsx", rows)(tmp_path)
    typed = {r.code: r.typed for r in read_scores_file(path, get_set(db))}
    assert typed == {"2.4": D("0.3"), "5.5": D("0.37"), "6.5": D("1")}
    assert str(typed["5.5"]) == "0.37"


# -- rows with more fields than their header (issue 13, part 6) ----------------------------
COMMA_HINT = 'put a decimal comma in quotes ("1,5") or separate the columns with semicolons.'
WIDER_ROWS = {
    # the case: the explanation cell empty, so the extra field is empty too
    "decimal comma, no explanation": (
        "code,declared,self_score,explanation\n1.3.1,có,,\n2.4,,1,5,\n",
        f"Line 3 has 5 fields but the header has 4: {COMMA_HINT}",
    ),
    "decimal comma under a shorter header": (
        "code,self_score,explanation\n1.1.1,1,5,Đã ban hành kế hoạch\n",
        f"Line 2 has 4 fields but the header has 3: {COMMA_HINT}",
    ),
    "a value under an empty header cell": (
        "code,self_score,explanation,\n2.4,1,75,tốt\n",
        f"Line 2 has 4 fields but the header has 3: {COMMA_HINT}",
    ),
    "semicolon file": (
        "Mã;Điểm tự chấm;Giải trình\n2.4;1,75;tốt;;\n",
        "Line 2 has 5 fields but the header has 3: remove the extra ';' or give the column a "
        "header.",
    ),
}


@pytest.mark.parametrize(("text", "expected"), WIDER_ROWS.values(), ids=WIDER_ROWS.keys())
def test_a_row_wider_than_its_header_is_refused(
    db: Database, tmp_path: Path, text: str, expected: str
) -> None:
    from parapp import i18n

    import_scores(db, _text_file("baseline.csv", COMMA_CSV)(tmp_path), 2025)
    before = _snapshot(db)
    with pytest.raises(ServiceError) as caught:
        import_scores(db, _text_file("wide.csv", text)(tmp_path), 2025)
    assert str(caught.value) == expected  # one sentence, naming the line
    assert _snapshot(db) == before
    language = i18n.get_language()
    i18n.set_language("vi")
    try:
        vietnamese = i18n.message(caught.value)
    finally:
        i18n.set_language(language)
    assert vietnamese.startswith("Dòng ") and "\n" not in vietnamese


NAMED_EXTRA_COLUMNS = {
    "a named extra column": 'code,self_score,Ghi chú,explanation\n2.4,"1,75",xem hồ sơ,Tốt\n',
    "empty columns after the header, as Excel writes them": (
        'code,self_score,explanation,,\n2.4,"1,75",Tốt,,\n'
    ),
    "a short row": "code,declared,self_score,explanation\n2.4,,1.75\n",
}


@pytest.mark.parametrize("text", NAMED_EXTRA_COLUMNS.values(), ids=NAMED_EXTRA_COLUMNS.keys())
def test_named_extra_columns_stay_ignored(db: Database, tmp_path: Path, text: str) -> None:
    rows = read_scores_file(_text_file("ok.csv", text)(tmp_path), get_set(db))
    assert [(r.code, r.typed) for r in rows] == [("2.4", D("1.75"))]
    assert rows[0].explanation in {"Tốt", None}
