"""Evidence documents (tài liệu kiểm chứng): a content-addressed, append-only file store
beside the database, and links from documents to any number of criteria."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, EvidenceLinkRow, EvidenceRow
from parapp.domain.assessment import AssessmentStatus, FieldGroup, require_editable
from parapp.domain.text import clean, fold

from .assessments import find_row
from .common import ServiceError, now
from .mapping import set_from_rows

CHUNK = 1 << 20
MAX_FILE_BYTES = 200 * 1024 * 1024  # a scanned decision is a few MB; 200 MB is surely a mistake


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    sha256: str
    filename: str
    title: str
    doc_number: str
    doc_date: date | None
    size: int
    node_codes: tuple[str, ...]

    @property
    def citation(self) -> str:
        """How documents cite it: "Kế hoạch số 12/KH-UBND ngày 10/01/2024"."""
        text = self.title
        if self.doc_number:
            text += f" số {self.doc_number}"
        if self.doc_date:
            text += f" ngày {self.doc_date:%d/%m/%Y}"
        return text


def store_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def holds(target: Path, size: int) -> bool:
    """Whether the store's file ``target`` is whole: a file is synced before it gets its
    name, so one of the right size is the document (its name is its SHA-256); another size
    is what a crash of an older version or a failing disk left, to be replaced."""
    try:
        return target.stat().st_size == size
    except OSError:
        return False


def _store(source: Path, folder: Path) -> tuple[str, int]:
    """Copy ``source`` into the store under its SHA-256; an existing copy is reused."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=folder)
    temp = Path(temp_name)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ServiceError(
                        "{name} is larger than 200 MB; scan it at a lower resolution.",
                        name=source.name,
                    )
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        target = store_path(folder, sha)
        if holds(target, size):
            temp.unlink()
        else:
            target.parent.mkdir(exist_ok=True)
            os.replace(temp, target)
        return sha, size
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _info(s: Session, row: EvidenceRow, assessment_id: int | None) -> EvidenceInfo:
    query = select(EvidenceLinkRow.node_code).where(EvidenceLinkRow.evidence_id == row.id)
    if assessment_id is not None:
        query = query.where(EvidenceLinkRow.assessment_id == assessment_id)
    codes = tuple(sorted(set(s.scalars(query))))
    return EvidenceInfo(
        row.id, row.sha256, row.filename, row.title, row.doc_number, row.doc_date, row.size, codes
    )


def add_evidence(
    db: Database,
    source: Path,
    *,
    node_codes: Iterable[str] = (),
    title: str = "",
    doc_number: str = "",
    doc_date: date | None = None,
    year: int | None = None,
) -> EvidenceInfo:
    """Add a document and link it to criteria of the assessment for ``year`` (latest if None).

    The same file added twice is stored once; its links are added to.
    """
    if not source.is_file():
        raise ServiceError("There is no file {path}.", path=source)
    codes = [clean(c) for c in node_codes if clean(c)]
    with db.session() as s:
        arow = find_row(s, year)
        if codes:
            require_editable(AssessmentStatus(arow.status), FieldGroup.SELF)
            cset = set_from_rows(arow.criteria_set)
            for code in codes:
                if not cset.has(code):
                    raise ServiceError(
                        "There is no criterion '{code}' in this criteria set.", code=code
                    )
        # Files go in first: the store is append-only, so a failed transaction after this
        # leaves at worst an unreferenced file, never a row pointing at nothing.
        sha, size = _store(source, db.paths.evidence)
        row = s.scalars(select(EvidenceRow).where(EvidenceRow.sha256 == sha)).first()
        if row is None:
            row = EvidenceRow(sha256=sha, filename=clean(source.name), size=size, added_at=now())
            s.add(row)
        row.title = clean(title) or row.title or clean(source.stem)
        row.title_folded = fold(row.title)
        row.doc_number = clean(doc_number) or row.doc_number
        row.doc_date = doc_date or row.doc_date
        s.flush()
        for code in codes:
            exists = s.scalars(
                select(EvidenceLinkRow).where(
                    EvidenceLinkRow.evidence_id == row.id,
                    EvidenceLinkRow.assessment_id == arow.id,
                    EvidenceLinkRow.node_code == code,
                )
            ).first()
            if exists is None:
                s.add(EvidenceLinkRow(evidence_id=row.id, assessment_id=arow.id, node_code=code))
        s.flush()
        return _info(s, row, arow.id)


def list_evidence(db: Database, year: int | None = None) -> list[EvidenceInfo]:
    """Documents linked to the assessment of ``year`` (latest if None), and documents not
    linked to any criterion yet (added, waiting to be filed), by title."""
    with db.session() as s:
        arow = find_row(s, year)
        ids = set(
            s.scalars(
                select(EvidenceLinkRow.evidence_id).where(EvidenceLinkRow.assessment_id == arow.id)
            )
        )
        linked_anywhere = select(EvidenceLinkRow.evidence_id)
        rows = s.scalars(
            select(EvidenceRow).where(
                EvidenceRow.id.in_(ids) | EvidenceRow.id.not_in(linked_anywhere)
            )
        ).all()
        return sorted((_info(s, r, arow.id) for r in rows), key=lambda e: fold(e.title))


def evidence_file(db: Database, sha256: str) -> Path:
    path = store_path(db.paths.evidence, sha256)
    if not path.is_file():
        raise ServiceError("The evidence file {sha} is missing from the store.", sha=sha256[:12])
    return path


def export_evidence(db: Database, sha256: str, target: Path) -> Path:
    """Copy a stored document out (to open it, or hand it over)."""
    shutil.copyfile(evidence_file(db, sha256), target)
    return target


_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def parse_doc_date(text: str) -> date | None:
    """A document date as the office types it ("05/03/2024", "5/3/2024", "5-3-2024");
    empty text means no date."""
    value = clean(text)
    if not value:
        return None
    m = _DATE_RE.match(value)
    if m is not None:
        day, month, year = (int(g) for g in m.groups())
        try:
            if 1900 <= year <= 2100:
                return date(year, month, day)
        except ValueError:
            pass
    raise ServiceError(
        "'{text}' is not a date. Write it as day/month/year, e.g. 05/03/2024.", text=value
    )


def _evidence_row(s: Session, sha256: str) -> EvidenceRow:
    row = s.scalars(select(EvidenceRow).where(EvidenceRow.sha256 == sha256)).first()
    if row is None:
        raise ServiceError("There is no evidence document {sha}.", sha=sha256[:12])
    return row


_KEEP = object()  # "leave the date as it is" (None clears it)


def update_evidence(
    db: Database,
    sha256: str,
    *,
    title: str | None = None,
    doc_number: str | None = None,
    doc_date: date | object | None = _KEEP,
    year: int | None = None,
) -> EvidenceInfo:
    """Change a document's title, number or date (None leaves a text as it is; the date
    is cleared with ``doc_date=None``). Its links are shown for the assessment of ``year``."""
    with db.session() as s:
        row = _evidence_row(s, sha256)
        if title is not None:
            if not clean(title):
                raise ServiceError(
                    "A document needs a title, e.g. 'Kế hoạch cải cách hành chính năm 2025'."
                )
            row.title = clean(title)
            row.title_folded = fold(row.title)
        if doc_number is not None:
            if len(clean(doc_number)) > 100:
                raise ServiceError("The document number is too long (at most 100 characters).")
            row.doc_number = clean(doc_number)
        if doc_date is not _KEEP:
            if doc_date is not None and not isinstance(doc_date, date):
                raise ServiceError("The document date is not a date.")
            row.doc_date = doc_date  # type: ignore[assignment]
        s.flush()
        return _info(s, row, find_row(s, year).id)


def _checked_codes(s: Session, arow: AssessmentRow, node_codes: Iterable[str]) -> list[str]:
    require_editable(AssessmentStatus(arow.status), FieldGroup.SELF)
    cset = set_from_rows(arow.criteria_set)
    codes = list(dict.fromkeys(clean(c) for c in node_codes if clean(c)))
    if not codes:
        raise ServiceError("Choose at least one criterion.")
    for code in codes:
        if not cset.has(code):
            raise ServiceError("There is no criterion '{code}' in this criteria set.", code=code)
    return codes


def link_evidence(
    db: Database, sha256: str, node_codes: Iterable[str], year: int | None = None
) -> EvidenceInfo:
    """Link a stored document to criteria of the assessment of ``year`` (latest if None);
    links that exist already are left as they are."""
    with db.session() as s:
        arow = find_row(s, year)
        codes = _checked_codes(s, arow, node_codes)
        row = _evidence_row(s, sha256)
        have = set(
            s.scalars(
                select(EvidenceLinkRow.node_code).where(
                    EvidenceLinkRow.evidence_id == row.id,
                    EvidenceLinkRow.assessment_id == arow.id,
                )
            )
        )
        for code in codes:
            if code not in have:
                s.add(EvidenceLinkRow(evidence_id=row.id, assessment_id=arow.id, node_code=code))
        s.flush()
        return _info(s, row, arow.id)


def unlink_evidence(
    db: Database, sha256: str, node_codes: Iterable[str], year: int | None = None
) -> EvidenceInfo:
    """Remove the document's links to these criteria (the file stays in the store and in
    the list, waiting to be linked again)."""
    with db.session() as s:
        arow = find_row(s, year)
        codes = _checked_codes(s, arow, node_codes)
        row = _evidence_row(s, sha256)
        links = s.scalars(
            select(EvidenceLinkRow).where(
                EvidenceLinkRow.evidence_id == row.id,
                EvidenceLinkRow.assessment_id == arow.id,
                EvidenceLinkRow.node_code.in_(codes),
            )
        ).all()
        for link in links:
            s.delete(link)
        s.flush()
        return _info(s, row, arow.id)
