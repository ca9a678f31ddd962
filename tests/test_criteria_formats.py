"""Criteria-set files: JSON and XLSX round trips, the JSON Schema, and refusal of bad files."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` from the checkout, without an installed package
    sys.path.insert(0, str(ROOT))

from parapp.domain.criteria import (  # noqa: E402
    Band,
    CriteriaSet,
    CriterionNode,
    IndexKind,
    Part,
    ScoreKind,
    SetStatus,
)
from parapp.domain.errors import CriteriaError  # noqa: E402
from parapp.domain.scoring import (  # noqa: E402
    DeductionRule,
    FreeRule,
    NaPolicy,
    RatioRule,
    Threshold,
    Tier,
    TiersRule,
    YesNoRule,
    ZeroCases,
)
from parapp.formats.criteria_json import CriteriaFileError, dumps, loads, to_dict  # noqa: E402
from parapp.formats.criteria_xlsx import (  # noqa: E402
    HUMAN_SHEET,
    MACHINE_SHEET,
    read_xlsx,
    write_xlsx,
)

SAMPLE = ROOT / "resources" / "criteria" / "sample-commune-par.json"
SCHEMA = ROOT / "resources" / "schemas" / "criteria-set-1.schema.json"
FORMAT_DOC = ROOT / "docs" / "criteria-set-format.md"
D = Decimal


def built_set() -> CriteriaSet:
    """Every rule type, three levels, bonus and penalty, awkward text and exact decimals."""

    def node(
        code: str, title: str, max_text: str, parent: str | None = None, **kw: Any
    ) -> CriterionNode:
        return CriterionNode(
            code=code,
            title=title,
            max_points=D(max_text.replace(",", ".")),
            parent_code=parent,
            max_text=max_text,
            **kw,
        )

    tiers = TiersRule(
        (
            Tier("xs", "Hoàn thành xuất sắc", percent=D(100)),
            Tier("tot", "Hoàn thành tốt", percent=D(75)),
            Tier("ht", "Hoàn thành", points=D("0.25")),
        ),
        allow_na=True,
    )
    ratio = RatioRule(
        (Threshold(D(100), percent=D(100)), Threshold(D(95), points=D("8"))),
        zero_cases=ZeroCases.NA,
    )
    nodes = (
        node("1", "Công tác chỉ đạo, điều hành CCHC", "16,5"),
        node(
            "1.1",
            "=SUM(A1:A3) ban hành kế hoạch",
            "1",
            "1",
            rule=YesNoRule(allow_na=True),
            scoring_text="Có: 1 điểm; Không: 0",
            evidence_text="Kế hoạch số 12/KH-UBND",
        ),
        node("1.2", "Thực hiện kế hoạch", "15,5", "1"),
        node(
            "1.2.1",
            "Mức độ hoàn thành\x0bxuống dòng kiểu Word _x0041_",
            "0,50",
            "1.2",
            rule=tiers,
            guidance="a\nb\tc",
        ),
        node(
            "1.2.2",
            "Tỷ lệ hồ sơ đúng hạn",
            "15",
            "1.2",
            rule=ratio,
            score_kinds=frozenset({ScoreKind.SELF, ScoreKind.SURVEY}),
        ),
        node("2", "Cải cách thể chế", "83,5"),
        node("2.1", "Báo cáo đúng hạn", "3.5", "2", rule=DeductionRule(D("0.25"), free_items=2)),
        node("2.2", "Mức độ hài lòng", "80", "2", rule=FreeRule(step=D("0.25"))),
        node("C", "Điểm cộng: sáng kiến", "2", part=Part.BONUS, rule=YesNoRule()),
        node("T", "Điểm trừ: vi phạm", "1", part=Part.PENALTY),
        node("T.1", "Vi phạm kỷ luật", "1", "T", part=Part.PENALTY, rule=FreeRule()),
    )
    cset = CriteriaSet(
        code="TEST-PAR-2024",
        name="Bộ tiêu chí thử nghiệm (tiếng Việt)",
        index_kind=IndexKind.PAR,
        period="2024",
        version=3,
        nodes=nodes,
        issuer="Sở Nội vụ",
        decision="QĐ 70/QĐ-UBND",
        status=SetStatus.PUBLISHED,
        na_policy=NaPolicy.EXCLUDE,
        bonus_may_exceed_max=True,
        bands=(Band(D(90), "Tốt", "A"), Band(D("80.5"), "Khá")),
        description="Mô tả\nhai dòng",
    )
    cset.validate()
    return cset


def doc_example() -> dict[str, Any]:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    match = re.search(r"```json\n(.*?)```", text, re.S)
    assert match, "the format document has no ```json example"
    return json.loads(match.group(1))


def sample_set() -> CriteriaSet:
    if not SAMPLE.exists():
        pytest.skip("resources/criteria/sample-commune-par.json is not there yet")
    return loads(SAMPLE.read_text(encoding="utf-8"))


SETS: dict[str, Callable[[], CriteriaSet]] = {
    "built": built_set,
    "doc-example": lambda: loads(json.dumps(doc_example())),
    "sample": sample_set,
}


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SETS)
def test_json_round_trip(name: str) -> None:
    cset = SETS[name]()
    assert to_dict(loads(dumps(cset))) == to_dict(cset)


@pytest.mark.parametrize("name", SETS)
def test_xlsx_round_trip(name: str) -> None:
    cset = SETS[name]()
    data = write_xlsx(cset)
    back = read_xlsx(data)
    assert to_dict(back) == to_dict(cset)
    assert [n.max_text for n in back.nodes] == [
        (n.max_text or str(n.max_points)).replace(".", ",") for n in cset.nodes
    ]
    assert write_xlsx(cset) == data  # deterministic: same set, same bytes


def test_xlsx_keeps_awkward_text_exact() -> None:
    back = read_xlsx(write_xlsx(built_set()))
    assert back.node("1.1").title == "=SUM(A1:A3) ban hành kế hoạch"
    assert back.node("1.2.1").title == "Mức độ hoàn thành\x0bxuống dòng kiểu Word _x0041_"
    # Line ends are made "\n" where text enters (openpyxl writes "\r" differently with and
    # without lxml installed, so anything else would not survive the round trip everywhere).
    assert back.node("1.2.1").guidance == "a\nb\tc"
    assert back.node("1.2.1").max_text == "0,50"
    assert back.node("1.2.2").score_kinds == {ScoreKind.SELF, ScoreKind.SURVEY}


def test_xlsx_human_sheet_layout() -> None:
    wb = load_workbook(io.BytesIO(write_xlsx(built_set())))
    assert wb.sheetnames == [HUMAN_SHEET, MACHINE_SHEET]
    ws = wb[HUMAN_SHEET]
    assert ws["A1"].value == "Bộ tiêu chí thử nghiệm (tiếng Việt)"
    assert [c.value for c in ws[2]] == [
        "STT",
        "Tiêu chí, tiêu chí thành phần",
        "Điểm tối đa",
        "Cách tính điểm",
        "Tài liệu kiểm chứng",
    ]
    assert ws.freeze_panes == "A3"
    assert [ws.cell(r, 1).value for r in range(3, 14)] == [
        "1",
        "1.1",
        "1.2",
        "1.2.1",
        "1.2.2",
        "2",
        "2.1",
        "2.2",
        "C",
        "T",
        "T.1",
    ]
    assert ws["B3"].font.b and not ws["B4"].font.b
    assert ws["C3"].value == 16.5 and ws["C3"].number_format == "0.0"
    assert ws["C6"].value == 0.5 and ws["C6"].number_format == "0.00"
    assert ws["B4"].data_type == "s" and ws["B4"].value.startswith("=SUM")
    assert ws["D4"].value == "Có: 1 điểm; Không: 0"
    assert "0,25" in ws["D9"].value  # generated from the deduction rule
    assert ws["B14"].value == "Tổng cộng" and ws["C14"].value == 100
    props = wb.properties
    assert props.created == props.modified and props.created.year == 2000


# -- JSON Schema ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_valid_sets(validator: Any) -> None:
    validator.validate(doc_example())
    validator.validate(json.loads(dumps(built_set())))


def test_schema_accepts_sample(validator: Any) -> None:
    if not SAMPLE.exists():
        pytest.skip("resources/criteria/sample-commune-par.json is not there yet")
    validator.validate(json.loads(SAMPLE.read_text(encoding="utf-8")))


def _area(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["nodes"][0]


def _leaf(doc: dict[str, Any], code: str) -> dict[str, Any]:
    def find(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
        for n in nodes:
            if n["code"] == code:
                return n
            hit = find(n.get("children", []))
            if hit:
                return hit
        return None

    found = find(doc["nodes"])
    assert found is not None
    return found


SCHEMA_BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "wrong format": lambda d: d.update(format="something-else"),
    "newer format version": lambda d: d.update(format_version=2),
    "missing max": lambda d: _leaf(d, "1.1").pop("max"),
    "max not a number": lambda d: _leaf(d, "1.1").update(max="một"),
    "leaf without rule": lambda d: _leaf(d, "1.1").pop("rule"),
    "parent with rule": lambda d: _area(d).update(rule={"type": "yes_no"}),
    "unknown rule type": lambda d: _leaf(d, "1.1").update(rule={"type": "maybe"}),
    "tier with points and percent": lambda d: _leaf(d, "1.2.1")["rule"]["tiers"][0].update(
        points="0.5"
    ),
    "threshold without min_percent": lambda d: _leaf(d, "2.1")["rule"]["thresholds"][0].pop(
        "min_percent"
    ),
    "bad zero_cases": lambda d: _leaf(d, "2.1")["rule"].update(zero_cases="half"),
    "negative deduction": lambda d: _leaf(d, "1.3")["rule"].update(per_item=-0.5),
    "bad index_kind": lambda d: d.update(index_kind="XYZ"),
    "bad part": lambda d: d["nodes"][2].update(part="extra"),
    "empty score_kinds": lambda d: _leaf(d, "2.2").update(score_kinds=[]),
    "only bonus roots": lambda d: d.update(nodes=d["nodes"][2:3]),
}


@pytest.mark.parametrize("case", SCHEMA_BROKEN)
def test_schema_rejects_broken(validator: Any, case: str) -> None:
    doc = doc_example()
    SCHEMA_BROKEN[case](doc)
    assert not validator.is_valid(doc)
    with pytest.raises(CriteriaError):  # the program refuses the same documents
        loads(json.dumps(doc))


# -- malformed JSON files ------------------------------------------------------------------


def _mutated(mutate: Callable[[dict[str, Any]], Any]) -> str:
    doc = copy.deepcopy(doc_example())
    mutate(doc)
    return json.dumps(doc, ensure_ascii=False)


def _set_code(d: dict[str, Any]) -> None:
    _leaf(d, "2.2")["code"] = "2.1"


JSON_BAD: list[tuple[str, Callable[[], str], str]] = [
    ("not JSON", lambda: '{"format": "parapp-criteria-set",', "not valid JSON"),
    (
        "wrong format name",
        lambda: _mutated(lambda d: d.update(format="xyz")),
        "not a parapp criteria set",
    ),
    (
        "newer format_version",
        lambda: _mutated(lambda d: d.update(format_version=2)),
        "format version 2; please update the program",
    ),
    (
        "missing max",
        lambda: _mutated(lambda d: _leaf(d, "1.1").pop("max")),
        "Criterion '1.1' has no maximum",
    ),
    (
        "children do not sum",
        lambda: _mutated(lambda d: _leaf(d, "1.1").update(max="1.5")),
        "sub-criteria of '1' add up to 7.0, not its maximum 6.5",
    ),
    ("duplicate code", lambda: _mutated(_set_code), "code '2.1' appears twice"),
    (
        "unknown rule type",
        lambda: _mutated(lambda d: _leaf(d, "1.1").update(rule={"type": "lottery"})),
        "unknown rule type 'lottery'",
    ),
    (
        "tier with points and percent",
        lambda: _mutated(lambda d: _leaf(d, "1.2.1")["rule"]["tiers"][1].update(points="0.25")),
        "Each level of '1.2.1' needs either points or a percentage",
    ),
    (
        "thresholds not descending",
        lambda: _mutated(lambda d: _leaf(d, "2.1")["rule"]["thresholds"].reverse()),
        "thresholds of '2.1' must go from highest to lowest",
    ),
    (
        "negative deduction",
        lambda: _mutated(lambda d: _leaf(d, "1.3")["rule"].update(per_item="-0,5")),
        "deduction per item of '1.3' must be positive",
    ),
    (
        "bad number",
        lambda: _mutated(lambda d: _leaf(d, "1.1").update(max="1,2,3")),
        "'1,2,3' is not a number",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), JSON_BAD, ids=[c[0] for c in JSON_BAD])
def test_json_refused(case: str, make: Callable[[], str], message: str) -> None:
    with pytest.raises(CriteriaError) as err:
        loads(make())
    assert message in str(err.value)


# -- malformed workbooks -------------------------------------------------------------------


def _header_row(ws: Worksheet) -> int:
    return next(
        r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "code" and ws.cell(r, 3).value
    )


def _row_of(ws: Worksheet, code: str) -> int:
    header = _header_row(ws)
    return next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == code)


def _column(ws: Worksheet, name: str) -> int:
    header = _header_row(ws)
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == name)


def _edit(edit: Callable[[Any, Worksheet], Any]) -> tuple[bytes, str]:
    """Apply ``edit`` to an exported workbook; it returns the row the error should name."""
    wb = load_workbook(io.BytesIO(write_xlsx(loads(json.dumps(doc_example())))))
    where = edit(wb, wb[MACHINE_SHEET])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), f"Sheet 'parapp', row {where}: " if where else ""


def _cell(
    code: str, column: str, value: Any, blame: str | None = None
) -> Callable[[Any, Worksheet], int]:
    """Set one cell of a node's row; the error should name the row of ``blame`` (or ``code``)."""

    def edit(_wb: Any, ws: Worksheet) -> int:
        row, named = _row_of(ws, code), _row_of(ws, blame or code)
        ws.cell(row, _column(ws, column)).value = value
        return named

    return edit


def _meta(key: str, value: Any, named: bool = True) -> Callable[[Any, Worksheet], int | None]:
    def edit(_wb: Any, ws: Worksheet) -> int | None:
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
        ws.cell(row, 2).value = value
        return row if named else None

    return edit


def _drop_column(name: str) -> Callable[[Any, Worksheet], int]:
    def edit(_wb: Any, ws: Worksheet) -> int:
        ws.cell(_header_row(ws), _column(ws, name)).value = None
        return _header_row(ws)

    return edit


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "not a workbook")
    return out.getvalue()


XLSX_BAD: list[tuple[str, Callable[[], tuple[bytes, str]], str]] = [
    ("not a zip", lambda: (b"PK? no, plain text", ""), "not an Excel workbook"),
    ("zip of something else", lambda: (_zip_of_text(), ""), "not an Excel workbook"),
    ("no parapp sheet", lambda: _edit(lambda wb, ws: wb.remove(ws)), "no sheet 'parapp'"),
    (
        "no node table",
        lambda: _edit(lambda wb, ws: ws.delete_rows(_header_row(ws))),
        "has no criteria table",
    ),
    ("missing column", lambda: _edit(_drop_column("max")), "has no column 'max'"),
    ("bad number", lambda: _edit(_cell("1.3", "max", "ba")), "'ba' is not a number"),
    ("empty max", lambda: _edit(_cell("1.3", "max", None)), "'1.3' has no maximum"),
    (
        "bad rule JSON",
        lambda: _edit(_cell("1.1", "rule", '{"type": yes_no}')),
        "rule is not valid JSON",
    ),
    (
        "rule JSON not an object",
        lambda: _edit(_cell("1.1", "rule", "[1]")),
        "rule must be a JSON object",
    ),
    (
        "unknown rule type",
        lambda: _edit(_cell("1.1", "rule", '{"type": "coin"}')),
        "unknown rule type 'coin'",
    ),
    (
        "unknown parent",
        lambda: _edit(_cell("1.3", "parent_code", "9.9")),
        "parent '9.9' of criterion '1.3' is not listed above",
    ),
    ("duplicate code", lambda: _edit(_cell("2.2", "code", "2.1")), "'2.1' appears twice"),
    (
        "children do not sum",
        lambda: _edit(_cell("1.1", "max", "2", blame="1")),
        "sub-criteria of '1' add up to 7.5",
    ),
    ("bad part", lambda: _edit(_cell("C", "part", "extra")), "'extra' is not a part"),
    (
        "bad score kind",
        lambda: _edit(_cell("2.2", "score_kinds", "self,poll")),
        "'poll' is not a kind of score",
    ),
    (
        "bad boolean",
        lambda: _edit(_meta("is_sample", "maybe")),
        "'is_sample' must be true or false",
    ),
    ("bad bands", lambda: _edit(_meta("bands", "[{")), "list of bands is not valid JSON"),
    (
        "newer format_version",
        lambda: _edit(_meta("format_version", 2, named=False)),
        "please update the program",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), XLSX_BAD, ids=[c[0] for c in XLSX_BAD])
def test_xlsx_refused(case: str, make: Callable[[], tuple[bytes, str]], message: str) -> None:
    data, where = make()
    with pytest.raises(CriteriaFileError) as err:
        read_xlsx(data)
    assert message in str(err.value)
    assert str(err.value).startswith(where)


def test_xlsx_tolerates_hand_edits() -> None:
    """Excel turns typed maxima into numbers and people leave empty rows: both are fine."""

    def edit(_wb: Any, ws: Worksheet) -> None:
        ws.cell(_row_of(ws, "1.2.1"), _column(ws, "max")).value = 0.5
        ws.insert_rows(_row_of(ws, "2"))

    data, _ = _edit(edit)
    back = read_xlsx(data)
    assert to_dict(back) == to_dict(loads(json.dumps(doc_example())))
