"""Import self-assessment scores from a CSV or Excel sheet, all rows or none: clerks often
fill scores in a spreadsheet first; rows go through ``set_self_scores``, the screen's rules."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from db.engine import Database
from parapp.domain.criteria import CriteriaSet, CriterionNode
from parapp.domain.errors import DomainError
from parapp.domain.numbers import NumberError, to_decimal
from parapp.domain.scoring import (
    Answer,
    Declared,
    DeductionRule,
    RatioRule,
    Rule,
    RuleKind,
    TiersRule,
    YesNoRule,
    resolve_self_score,
)
from parapp.domain.text import clean, fold
from parapp.i18n import N_

from .assessments import SelfEntry, get_info, set_self_scores
from .backups import before_import
from .common import ServiceError, file_error
from .criteria import get_set


@dataclass(frozen=True)
class ScoreRow:
    line: int  # physical CSV line or Excel row number, for messages
    code: str
    declared: Declared | None  # None: keep what is stored
    typed: Decimal | None
    explanation: str | None


@dataclass(frozen=True)
class ScoresImportResult:
    rows: int
    changed: int


def _key(text: str) -> str:
    return fold(text).replace("_", " ")


# Column aliases, most specific first: a sheet with both "STT" (row number) and "Mã tiêu chí"
# must take the code from "Mã tiêu chí".
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "mã tiêu chí", "mã", "ma", "stt"),
    "declared": ("declared", "số liệu kê khai"),
    "self_score": ("self_score", "self score", "score", "điểm tự chấm", "điểm tự đánh giá"),
    "explanation": ("explanation", "giải trình"),
}
YES_WORDS = frozenset(map(_key, ("có", "yes", "x", "1", "true")))
NO_WORDS = frozenset(map(_key, ("không", "no", "0", "false")))
NA_WORDS = frozenset(map(_key, ("không áp dụng", "kad", "n/a", "na", "không phát sinh")))

# What a declared-data cell the rule cannot read should look like, by rule kind.
BAD_DECLARED = {
    RuleKind.YES_NO: N_(
        "Line {line}: declared data '{value}' for criterion {code} should be "
        "'Có', 'Không' or 'Không áp dụng'."
    ),
    RuleKind.TIERS: N_(
        "Line {line}: declared data '{value}' for criterion {code} is not one of "
        "its levels: {levels}."
    ),
    RuleKind.RATIO: N_(
        "Line {line}: declared data '{value}' for criterion {code} should be "
        "achieved/total, like 98/100."
    ),
    RuleKind.DEDUCTION: N_(
        "Line {line}: declared data '{value}' for criterion {code} should be "
        "a whole number of items."
    ),
    RuleKind.FREE: N_(
        "Line {line}: declared data '{value}' for criterion {code} must be empty: "
        "it is scored by judgement, so type its score."
    ),
}

Cell = str | int | float | bool | Decimal | date | time | timedelta | None
RawRow = tuple[int, list[Cell]]


# -- reading cells -------------------------------------------------------------------------
def _float_text(value: float) -> str:
    # Excel keeps 15 significant digits; formatting to that undoes binary noise such as
    # 0.30000000000000004 without any float arithmetic, and keeps 0.375 as "0.375".
    return format(value, ".15g")


def _text(line: int, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, date | time | timedelta):
        raise ServiceError(
            "Line {line}: a cell holds a date; format it as text and type the value again.",
            line=line,
        )
    return clean(str(value))


def _number(line: int, value: Cell) -> Decimal | None:
    if isinstance(value, float):
        return Decimal(_float_text(value))
    if isinstance(value, int) and not isinstance(value, bool):  # TRUE is not 1 point
        return Decimal(value)
    text = _text(line, value)
    try:
        return to_decimal(text) if text else None
    except NumberError:
        raise ServiceError(
            "Line {line}: '{value}' is not a number.", line=line, value=text
        ) from None


# -- file formats --------------------------------------------------------------------------
def _delimiter(text: str) -> str:
    header = next((ln for ln in text.splitlines() if ln.strip()), "")
    by_header = ";" if header.count(";") > header.count(",") else ","
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        sniffed = by_header
    # The sniffer can be fooled by decimal commas in the data; the header has none.
    return by_header if sniffed not in header and by_header in header else sniffed


def _csv_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            "Cannot read the file as CSV or Excel: it is not UTF-8 text. "
            "Save it as 'CSV UTF-8' and try again."
        ) from None


def _csv_rows(text: str, delimiter: str) -> Iterator[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, list(cells)
            start = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as exc:
        raise ServiceError("Line {line}: not readable as CSV: {why}", line=start, why=exc) from exc


def _cell(value: object) -> Cell:
    """An openpyxl value as a cell of ours; anything else (rich text, which we do not ask
    for) as its text."""
    if value is None or isinstance(value, str | int | float | Decimal | date | time | timedelta):
        return value
    return str(value)


def _xlsx_rows(data: bytes) -> list[RawRow]:
    import openpyxl  # a third of a second to import: only for an Excel file

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ServiceError("Cannot read the file as CSV or Excel.") from None
    try:  # read all now so the workbook is closed whatever happens next
        if not book.worksheets:
            return []
        # read-only sheets yield empty rows for missing ones, so the count is the row number
        rows = book.worksheets[0].iter_rows(values_only=True)
        return [
            (number, [_cell(v) for v in values]) for number, values in enumerate(rows, start=1)
        ]
    finally:
        book.close()


def _raw_rows(path: Path) -> tuple[Iterable[RawRow], str]:
    """The file's rows, and its CSV separator ("" for Excel)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(path, exc) from None
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise ServiceError("Scores must be in a .csv or .xlsx file, not '{name}'.", name=path.name)
    if not data.strip():
        raise ServiceError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):  # a zip: Excel, whatever the extension says
        return _xlsx_rows(data), ""
    if suffix != ".csv":
        raise ServiceError("Cannot read the file as CSV or Excel.")
    text = _csv_text(data)
    delimiter = _delimiter(text)
    return _csv_rows(text, delimiter), delimiter


# -- header and rows -----------------------------------------------------------------------
def _columns(line: int, header: list[Cell]) -> dict[str, int]:
    keys = [_key(cell) if isinstance(cell, str) else "" for cell in header]
    found: dict[str, int] = {}
    for field, aliases in COLUMNS.items():
        for alias in map(_key, aliases):
            matches = [i for i, key in enumerate(keys) if key == alias]
            if len(matches) > 1:
                raise ServiceError(
                    "Line {line}: the header has two '{column}' columns.", line=line, column=field
                )
            if matches:
                found[field] = matches[0]
                break
    if "code" not in found:
        raise ServiceError("The file has no 'code' column.")
    if len(found) == 1:
        # Only codes: a header like "Điểm" instead of "Điểm tự chấm" would silently import
        # nothing, so say which headers were not understood.
        ignored = [str(cell) for i, cell in enumerate(header) if i != found["code"] and cell]
        raise ServiceError(
            "The file has no column of declared data, self scores or explanations "
            "(headers not understood: {headers}).",
            headers=", ".join(ignored) or "-",
        )
    return found


def _find_node(cset: CriteriaSet, line: int, code: str) -> CriterionNode:
    # "c.1" means "C.1": codes differ by more than case in any sane set
    code = {_key(n.code): n.code for n in cset.nodes}.get(_key(code), code)
    if not cset.has(code):
        raise ServiceError(
            "Line {line}: '{code}' is not a criterion of this set.", line=line, code=code
        )
    if not cset.is_leaf(code):
        raise ServiceError(
            "Line {line}: criterion {code} is scored through its sub-criteria; give a row for "
            "each of them instead.",
            line=line,
            code=code,
        )
    return cset.node(code)


def parse_declared(rule: Rule, value: str) -> Declared | None:
    """What the cell means under ``rule``; None when it means nothing."""
    key = _key(value)
    if isinstance(rule, TiersRule):
        try:
            return Declared(tier=rule.tier(value).key)
        except DomainError:
            pass  # perhaps an N/A word, below
    elif isinstance(rule, RatioRule):
        parts = value.split("/")
        try:
            if len(parts) == 2:
                return Declared(numerator=to_decimal(parts[0]), denominator=to_decimal(parts[1]))
        except NumberError:
            pass
        return None
    elif isinstance(rule, DeductionRule):
        try:
            count = to_decimal(value)
        except NumberError:
            return None
        return Declared(count=int(count)) if count == count.to_integral_value() else None
    elif isinstance(rule, YesNoRule):
        if key in YES_WORDS:
            return Declared(answer=Answer.YES)
        if key in NO_WORDS:
            return Declared(answer=Answer.NO)
    # Ratios and deductions have no N/A answer (their rule ignores it), so they never get here.
    return Declared(answer=Answer.NA) if key in NA_WORDS else None


def _declared(line: int, node: CriterionNode, value: str) -> Declared | None:
    """Interpret the declared-data cell by the node's rule; empty keeps what is stored."""
    if not value or node.rule is None:
        return None
    declared = parse_declared(node.rule, value)
    if declared is None:
        rule = node.rule
        levels = "; ".join(t.label for t in rule.tiers) if isinstance(rule, TiersRule) else ""
        raise ServiceError(
            BAD_DECLARED[rule.kind], line=line, value=value, code=node.code, levels=levels
        )
    return declared


def _check(line: int, node: CriterionNode, cset: CriteriaSet, row: ScoreRow, raw: str) -> None:
    """Apply the rule now when the row carries declared data, so the message names the cell."""
    if row.declared is None or node.rule is None:
        return  # the stored data takes part: set_self_scores checks it
    template = N_("Line {line}: declared data '{value}' for criterion {code} is refused: {reason}")
    try:
        node.rule.compute(row.declared, node.max_points, cset.na_policy)
        template = N_("Line {line}: criterion {code}: {reason}")  # data fine, score not
        resolve_self_score(node.rule, row.declared, row.typed, node.max_points, cset.na_policy)
    except DomainError as exc:
        raise ServiceError(template, line=line, value=raw, code=node.code, reason=exc) from None


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


def _pick(cells: list[Cell], columns: dict[str, int], field: str) -> Cell:
    index = columns.get(field)
    return cells[index] if index is not None and index < len(cells) else None


def _check_width(line: int, cells: list[Cell], header: list[Cell], delimiter: str) -> None:
    """A CSV row with more fields than its header is refused, even when the extra fields are
    empty: an unquoted decimal comma ("1,5") shifts every later cell one column to the
    right, so the score would be 1 and the explanation "5". So is a value under a header
    cell left empty after the last named column (named extra columns stay ignored)."""
    named = max((i + 1 for i, cell in enumerate(header) if not _blank(cell)), default=0)
    used = max((i + 1 for i, cell in enumerate(cells) if not _blank(cell)), default=0)
    if len(cells) > len(header):
        fields, width = len(cells), len(header)
    elif used > named:
        fields, width = used, named
    else:
        return
    if delimiter == ",":
        raise ServiceError(
            "Line {line} has {fields} fields but the header has {width}: put a decimal comma "
            'in quotes ("1,5") or separate the columns with semicolons.',
            line=line,
            fields=fields,
            width=width,
        )
    raise ServiceError(
        "Line {line} has {fields} fields but the header has {width}: remove the extra "
        "'{separator}' or give the column a header.",
        line=line,
        fields=fields,
        width=width,
        separator=delimiter,
    )


def read_scores_file(path: Path, cset: CriteriaSet) -> list[ScoreRow]:
    """Read and check a scores file without touching the database."""
    columns: dict[str, int] | None = None
    header: list[Cell] = []
    result: list[ScoreRow] = []
    seen: dict[str, int] = {}
    rows, delimiter = _raw_rows(path)
    for line, cells in rows:
        if all(_blank(c) for c in cells):
            continue  # blank lines are layout, not data
        if columns is None:
            columns, header = _columns(line, cells), cells
            continue
        if delimiter:
            _check_width(line, cells, header, delimiter)
        code = _text(line, _pick(cells, columns, "code"))
        if not code:
            raise ServiceError("Line {line}: the row has no criterion code.", line=line)
        node = _find_node(cset, line, code)
        if node.code in seen:
            raise ServiceError(
                "Line {line}: criterion {code} appears twice (first on line {first}).",
                line=line,
                code=node.code,
                first=seen[node.code],
            )
        seen[node.code] = line
        raw = _text(line, _pick(cells, columns, "declared"))
        typed = _number(line, _pick(cells, columns, "self_score"))
        explanation = _text(line, _pick(cells, columns, "explanation")) or None
        row = ScoreRow(line, node.code, _declared(line, node, raw), typed, explanation)
        _check(line, node, cset, row, raw)
        result.append(row)
    if columns is None:
        raise ServiceError("The file is empty.")
    if not result:
        raise ServiceError("The file has no rows of scores under its header.")
    return result


def import_scores(db: Database, path: Path, year: int | None = None) -> ScoresImportResult:
    """Apply the file's scores to the assessment of ``year`` (latest if None), all or none."""
    info = get_info(db, year)
    cset = get_set(db, info.set_code, info.set_version)
    rows = read_scores_file(path, cset)

    before_import(db.path)  # only once the file reads cleanly
    entries = [SelfEntry(r.code, r.declared, r.typed, r.explanation) for r in rows]
    lines = {r.code: r.line for r in rows}
    try:
        changed = set_self_scores(db, info.id, entries)
    except ServiceError as exc:
        code = exc.params.get("code")
        if isinstance(code, str) and code in lines:
            # The clerk fixes the file, so point at its line, keeping the reason.
            raise ServiceError(
                "Line {line}: {reason}", line=lines[code], code=code, reason=exc
            ) from None
        raise
    return ScoresImportResult(rows=len(rows), changed=changed)
