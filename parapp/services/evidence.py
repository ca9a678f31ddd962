"""Evidence documents (tài liệu kiểm chứng): a content-addressed, append-only file store
beside the database, and links from documents to any number of criteria."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import EvidenceLinkRow, EvidenceRow
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
        if target.exists():
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
