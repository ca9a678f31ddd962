"""Criteria sets: import from a file, list, load, export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, CriteriaSetRow
from parapp.domain.criteria import CriteriaSet, SetStatus
from parapp.domain.text import clean
from parapp.formats import criteria_json
from parapp.formats.criteria_json import CriteriaFileError
from parapp.resources import read_bytes
from parapp.services.files import write_atomic

from .backups import before_import
from .common import NotFound, ServiceError, file_error, now
from .mapping import set_from_rows
from .to_rows import set_to_rows


@dataclass(frozen=True)
class SetSummary:
    id: int
    code: str
    version: int
    name: str
    index_kind: str
    period: str
    status: str
    is_sample: bool
    nodes: int


@dataclass(frozen=True)
class SetImport:
    summary: SetSummary
    created: bool  # False: the same set was already there, nothing changed


def read_set_file(path: Path) -> CriteriaSet:
    """Read a criteria set from JSON or Excel, refusing anything invalid with a reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(path, exc) from None
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        # openpyxl takes a third of a second to import: only when an Excel file is read.
        from parapp.formats.criteria_xlsx import read_xlsx

        return read_xlsx(data)
    if path.suffix.lower() != ".json":
        raise CriteriaFileError("A criteria set must be a .json or .xlsx file.")
    return criteria_json.loads(data)


def import_file(db: Database, path: Path) -> SetImport:
    """Read, check and load a criteria-set file, after a backup."""
    cset = read_set_file(path)
    before_import(db.path)
    return import_set(db, cset)


def sample_set() -> CriteriaSet:
    return criteria_json.loads(read_bytes("criteria/sample-commune-par.json"))


def _summary(row: CriteriaSetRow, nodes: int) -> SetSummary:
    return SetSummary(
        row.id,
        row.code,
        row.version,
        row.name,
        row.index_kind,
        row.period,
        row.status,
        row.is_sample,
        nodes,
    )


def import_set(db: Database, cset: CriteriaSet) -> SetImport:
    """Store a criteria set. The same code and version again is accepted only if identical:
    published sets never change, a correction must come as a new version."""
    with db.session() as s:
        existing = s.scalars(
            select(CriteriaSetRow).where(
                CriteriaSetRow.code == cset.code, CriteriaSetRow.version == cset.version
            )
        ).first()
        if existing is not None:
            old = set_from_rows(existing)
            if criteria_json.to_dict(old) == criteria_json.to_dict(cset):
                return SetImport(_summary(existing, len(old.nodes)), created=False)
            used = s.scalar(
                select(func.count())
                .select_from(AssessmentRow)
                .where(AssessmentRow.set_id == existing.id)
            )
            if existing.status == SetStatus.PUBLISHED.value or used:
                raise ServiceError(
                    "Criteria set {code} version {version} is already loaded with different "
                    "content. A published set cannot change: the issuer must give the "
                    "corrected set a new version number.",
                    code=cset.code,
                    version=cset.version,
                )
            s.delete(existing)
            s.flush()
        row = set_to_rows(cset, now())
        s.add(row)
        s.flush()
        return SetImport(_summary(row, len(cset.nodes)), created=True)


def list_sets(db: Database) -> list[SetSummary]:
    with db.session() as s:
        rows = s.scalars(
            select(CriteriaSetRow).order_by(CriteriaSetRow.code, CriteriaSetRow.version)
        ).all()
        return [_summary(r, len(r.nodes)) for r in rows]


def find_set_row(s: Session, code: str | None = None, version: int | None = None) -> CriteriaSetRow:
    """The named set (latest version when none given); without a code, the latest import."""
    query = select(CriteriaSetRow)
    if code:
        query = query.where(CriteriaSetRow.code == clean(code))
        order = [CriteriaSetRow.version.desc(), CriteriaSetRow.id.desc()]
    else:
        order = [CriteriaSetRow.id.desc()]  # the set loaded last, whatever its code
    if version is not None:
        query = query.where(CriteriaSetRow.version == version)
    row = s.scalars(query.order_by(*order)).first()
    if row is None:
        if code:
            raise NotFound("There is no criteria set {code} in this database.", code=code)
        raise NotFound("No criteria set is loaded yet. Load one with 'parapp criteria import'.")
    return row


def get_set(db: Database, code: str | None = None, version: int | None = None) -> CriteriaSet:
    with db.session() as s:
        return set_from_rows(find_set_row(s, code, version))


def export_set(
    db: Database, out: Path, code: str | None = None, version: int | None = None
) -> Path:
    """Write the set as JSON or Excel (by the file's extension), atomically."""
    cset = get_set(db, code, version)
    if out.suffix.lower() == ".xlsx":
        from parapp.formats.criteria_xlsx import write_xlsx  # openpyxl: as in read_set_file

        data = write_xlsx(cset)
    elif out.suffix.lower() == ".json":
        data = criteria_json.dumps(cset).encode("utf-8")
    else:
        raise ServiceError("Export to a .json or .xlsx file.")
    write_atomic(out, data)
    return out
