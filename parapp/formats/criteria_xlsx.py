"""The criteria set as an Excel workbook (.xlsx): see docs/criteria-set-format.md.

Sheet "Bo tieu chi" is for people: the table provinces publish (STT, criterion, maximum,
scoring method, evidence). Sheet "parapp" is for the program: the set's metadata as key/value
rows, then one row per node. Reading uses only the "parapp" sheet and goes through
``criteria_json.from_dict``, so a workbook is validated exactly like a JSON file.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from parapp.domain.criteria import CriteriaSet, Part, ScoreKind
from parapp.domain.errors import CriteriaError, Phrase
from parapp.domain.numbers import NumberError, format_max, to_decimal
from parapp.domain.scoring import (
    DeductionRule,
    FreeRule,
    NaPolicy,
    RatioRule,
    Rule,
    TiersRule,
    YesNoRule,
)
from parapp.domain.text import clean
from parapp.formats.criteria_json import CriteriaFileError, from_dict, rule_from_dict, to_dict

HUMAN_SHEET = "Bo tieu chi"
MACHINE_SHEET = "parapp"
HEADERS = (
    "STT",
    "Tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Cách tính điểm",
    "Tài liệu kiểm chứng",
)
WIDTHS = (9, 60, 11, 45, 45)
# fmt: off
META_KEYS = ("format", "format_version", "code", "name", "index_kind", "period", "version",
             "status", "issuer", "decision", "is_sample", "description", "na_policy",
             "bonus_may_exceed_max", "bands")
COLUMNS = ("code", "parent_code", "part", "title", "max", "score_kinds", "rule",
           "scoring_text", "evidence", "guidance")
# fmt: on
REQUIRED_COLUMNS = ("code", "parent_code", "title", "max")
FIXED_TIME = datetime(2000, 1, 1)  # workbook properties and zip entries: same set, same bytes

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)

# OOXML cannot hold most control characters; Excel escapes them as _xHHHH_ (and a literal
# "_xHHHH_" as "_x005F_xHHHH_"). We do the same, so text survives export and import exactly.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _escape(text: str) -> str:
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _put(cell: Cell | MergedCell, value: Any) -> Cell:
    """Write a value; text is always text, never a formula (a title may start with "=")."""
    assert isinstance(cell, Cell)  # nothing is merged where values are written
    if isinstance(value, str):
        value = _escape(value)
        cell.value = value or None
        if value.startswith("="):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


# -- writing -------------------------------------------------------------------------------


def _flatten(
    nodes: list[dict[str, Any]], parent: str, part: str, depth: int
) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    for node in nodes:
        node_part = node.get("part", part)
        yield depth, parent, node_part, node
        yield from _flatten(node.get("children", []), node["code"], node_part, depth + 1)


def _number_format(text: str) -> str:
    """Show as many decimals as the set writes (Excel shows "16,5" in a Vietnamese locale)."""
    exponent = to_decimal(text).as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return "0." + "0" * places if places else "0"


def describe(rule: Rule | None, max_points: Decimal, na: NaPolicy) -> str:
    """A short Vietnamese wording of a rule, for sets that give no scoring text."""
    if rule is None:
        return ""
    na_text = (
        "Không áp dụng: điểm tối đa"
        if na is NaPolicy.FULL
        else "Không áp dụng: không tính vào điểm tối đa"
    )
    parts: list[str] = []
    if isinstance(rule, YesNoRule):
        parts = [f"Có: {format_max(max_points)} điểm", "Không: 0 điểm"]
    elif isinstance(rule, TiersRule):
        parts = [f"{t.label}: {format_max(t.value(max_points))} điểm" for t in rule.tiers]
    elif isinstance(rule, RatioRule):
        parts = [
            f"Tỷ lệ từ {format_max(t.min_percent)}%: {format_max(t.value(max_points))} điểm"
            for t in rule.thresholds
        ]
        parts.append(
            f"Dưới {format_max(rule.thresholds[-1].min_percent)}%: 0 điểm"
            if rule.thresholds
            else "0 điểm"
        )
    elif isinstance(rule, DeductionRule):
        free = f" (không tính {rule.free_items} trường hợp đầu)" if rule.free_items else ""
        parts = [f"Mỗi trường hợp trừ {format_max(rule.per_item)} điểm{free}, tối thiểu 0 điểm"]
    elif isinstance(rule, FreeRule):
        step = f", bước {format_max(rule.step)} điểm" if rule.step is not None else ""
        parts = [f"Chấm từ 0 đến {format_max(max_points)} điểm{step}"]
    if isinstance(rule, YesNoRule | TiersRule | FreeRule) and rule.allow_na:
        parts.append(na_text)
    return "; ".join(parts) + "."


def _human_sheet(ws: Worksheet, cset: CriteriaSet, rows: list[tuple[Any, ...]]) -> None:
    ws.title = HUMAN_SHEET
    title = _put(ws.cell(1, 1), cset.name or cset.code)
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.row_dimensions[1].height = 40
    for col, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = _put(ws.cell(2, col), text)
        cell.font = _BOLD
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    row = 2
    for depth, _parent, _part, node in rows:
        row += 1
        model = cset.node(node["code"])
        text = node.get("scoring_text") or describe(model.rule, model.max_points, cset.na_policy)
        values = (
            node["code"],
            node["title"],
            to_decimal(node["max"]),
            text,
            node.get("evidence", ""),
        )
        for col, value in enumerate(values, start=1):
            cell = _put(ws.cell(row, col), value)
            cell.border = _BORDER
            cell.alignment = _WRAP
            if depth == 0:
                cell.font = _BOLD
        ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
        ws.cell(row, 3).number_format = _number_format(node["max"])
    row += 1
    total = cset.max_total
    for col, value in ((2, "Tổng cộng"), (3, total)):
        cell = _put(ws.cell(row, col), value)
        cell.font = _BOLD
    ws.cell(row, 3).number_format = _number_format(str(total))
    for col in range(1, len(HEADERS) + 1):
        ws.cell(row, col).border = _BORDER
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _machine_sheet(ws: Worksheet, doc: dict[str, Any], rows: list[tuple[Any, ...]]) -> None:
    for row, key in enumerate(META_KEYS, start=1):
        value = doc[key]
        if key == "bands":
            value = json.dumps(value, ensure_ascii=False)
        _put(ws.cell(row, 1), key).font = _BOLD
        _put(ws.cell(row, 2), value)
    header = len(META_KEYS) + 2
    for col, name in enumerate(COLUMNS, start=1):
        _put(ws.cell(header, col), name).font = _BOLD
    for row, (_depth, parent, part, node) in enumerate(rows, start=header + 1):
        rule = node.get("rule")
        values = (
            node["code"],
            parent,
            part,
            node["title"],
            node["max"],
            ",".join(node.get("score_kinds", [ScoreKind.SELF.value])),
            json.dumps(rule, ensure_ascii=False) if rule is not None else "",
            node.get("scoring_text", ""),
            node.get("evidence", ""),
            node.get("guidance", ""),
        )
        for col, value in enumerate(values, start=1):
            _put(ws.cell(row, col), value)
    for letter, width in zip("ABCDEFGHIJ", (22, 12, 9, 50, 9, 14, 50, 40, 40, 30), strict=True):
        ws.column_dimensions[letter].width = width


def write_xlsx(cset: CriteriaSet) -> bytes:
    """Export a criteria set; ``read_xlsx`` gives back the same set."""
    doc = to_dict(cset)
    rows = list(_flatten(doc["nodes"], "", Part.MAIN.value, 0))
    wb = Workbook()
    sheet = wb.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    _human_sheet(sheet, cset, rows)
    _machine_sheet(wb.create_sheet(MACHINE_SHEET), doc, rows)
    wb.properties.creator = "parapp"
    wb.properties.lastModifiedBy = "parapp"
    wb.properties.title = cset.name
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not wb.save(), which stamps the current time
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


# -- reading -------------------------------------------------------------------------------


def _err(row: int, message: str, **params: Any) -> CriteriaFileError:
    return CriteriaFileError(
        "Sheet '{sheet}', row {row}: {reason}",
        sheet=MACHINE_SHEET,
        row=row,
        reason=Phrase(message, **params),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return clean(_unescape(str(value)))


def _int(value: Any, row: int, key: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise _err(row, "'{key}' must be a whole number, not '{value}'.", key=key, value=text)
    return int(text)


def _bool(value: Any, row: int, key: str) -> bool:
    text = _text(value).casefold()
    if text in ("true", "1", "yes", "có"):
        return True
    if text in ("false", "0", "no", "không", ""):
        return False
    raise _err(row, "'{key}' must be true or false, not '{value}'.", key=key, value=text)


def _json(text: str, row: int, what: str, kind: type) -> Any:
    try:
        value = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _err(
            row, "the {what} is not valid JSON ({detail}).", what=what, detail=exc.msg
        ) from None
    if not isinstance(value, kind):
        raise _err(
            row,
            "the {what} must be a JSON {kind}.",
            what=what,
            kind="list" if kind is list else "object",
        )
    return value


def _metadata(ws: Worksheet, header: int) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for row in range(1, header):
        key = _text(ws.cell(row, 1).value)
        value = ws.cell(row, 2).value
        if not key:
            continue
        if key in ("format_version", "version"):
            number = _int(value, row, key)
            if number is not None:
                doc[key] = number
        elif key in ("is_sample", "bonus_may_exceed_max"):
            doc[key] = _bool(value, row, key)
        elif key == "bands":
            text = _text(value)
            doc[key] = _json(text, row, "list of bands", list) if text else []
        elif key in META_KEYS:
            text = _text(value)
            if text or key not in ("index_kind", "status", "na_policy"):
                doc[key] = text
    return doc


def _find_header(ws: Worksheet) -> int:
    for row in range(1, ws.max_row + 1):
        if _text(ws.cell(row, 1).value) == "code" and any(
            ws.cell(row, col).value not in (None, "") for col in range(3, ws.max_column + 1)
        ):
            return row
    raise CriteriaFileError(
        "Sheet '{sheet}' has no criteria table (a header row starting with 'code').",
        sheet=MACHINE_SHEET,
    )


def _node(
    ws: Worksheet, row: int, cols: dict[str, int], parent: dict[str, Any] | None
) -> dict[str, Any]:
    def get(name: str) -> str:
        return _text(ws.cell(row, cols[name]).value) if name in cols else ""

    code = get("code")
    node: dict[str, Any] = {"code": code, "title": get("title")}
    raw_max = ws.cell(row, cols["max"]).value
    node["max"] = _text(raw_max)
    if not node["max"]:
        raise _err(row, "criterion '{code}' has no maximum.", code=code)
    try:
        to_decimal(node["max"])
    except NumberError:
        raise _err(row, "the maximum '{value}' is not a number.", value=node["max"]) from None
    part = get("part")
    if part and part not in {p.value for p in Part}:
        raise _err(row, "'{value}' is not a part (main, bonus or penalty).", value=part)
    if parent is None:
        if part:
            node["part"] = part
    elif part and part != parent["_part"]:
        raise _err(row, "criterion '{code}' is not in the same part as its parent.", code=code)
    node["_part"] = part or (parent["_part"] if parent else Part.MAIN.value)
    kinds = [k.strip() for k in get("score_kinds").split(",") if k.strip()]
    for kind in kinds:
        if kind not in {k.value for k in ScoreKind}:
            raise _err(row, "'{value}' is not a kind of score (self, survey).", value=kind)
    if kinds:
        node["score_kinds"] = kinds
    rule_text = get("rule")
    if rule_text:
        rule = _json(rule_text, row, "rule", dict)
        rule_from_dict(rule, f"Sheet '{MACHINE_SHEET}', row {row}")  # row-numbered errors
        node["rule"] = rule
    for name in ("scoring_text", "evidence", "guidance"):
        if get(name):
            node[name] = get(name)
    return node


def read_xlsx(data: bytes) -> CriteriaSet:
    """Import a workbook written by ``write_xlsx`` (or edited by hand in its layout)."""
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not xlsx
        raise CriteriaFileError("The file is not an Excel workbook (.xlsx).") from None
    if MACHINE_SHEET not in wb.sheetnames:
        raise CriteriaFileError(
            "The workbook has no sheet '{sheet}'; export the criteria set from parapp first.",
            sheet=MACHINE_SHEET,
        )
    ws = wb[MACHINE_SHEET]
    header = _find_header(ws)
    doc = _metadata(ws, header)
    cols: dict[str, int] = {}
    for col in range(1, ws.max_column + 1):
        name = _text(ws.cell(header, col).value)
        if name in COLUMNS:
            cols.setdefault(name, col)
    for name in REQUIRED_COLUMNS:
        if name not in cols:
            raise _err(header, "the criteria table has no column '{name}'.", name=name)
    roots: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    for row in range(header + 1, ws.max_row + 1):
        if all(ws.cell(row, c).value in (None, "") for c in cols.values()):
            continue
        code = _text(ws.cell(row, cols["code"]).value)
        parent_code = _text(ws.cell(row, cols["parent_code"]).value)
        if not code:
            raise _err(row, "the criterion has no code.")
        if code in by_code:
            raise _err(row, "the criterion code '{code}' appears twice.", code=code)
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise _err(
                row,
                "the parent '{parent}' of criterion '{code}' is not listed above this row.",
                parent=parent_code,
                code=code,
            )
        node = _node(ws, row, cols, parent)
        (parent.setdefault("children", []) if parent else roots).append(node)
        by_code[code], rows[code] = node, row
    for node in by_code.values():
        del node["_part"]
    doc["nodes"] = roots
    try:
        return from_dict(doc)
    except CriteriaFileError:
        raise
    except CriteriaError as exc:  # a validation error names a code: name its row too
        failed = exc.params.get("code")
        if isinstance(failed, str) and failed in rows:
            raise _err(rows[failed], exc.template, **exc.params) from None
        raise


__all__ = ["HUMAN_SHEET", "MACHINE_SHEET", "describe", "read_xlsx", "write_xlsx"]
