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
from enum import Enum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import evidence_store
from db.engine import Database, DatabaseError
from db.evidence_store import store_path
from db.models import AssessmentRow, EvidenceLinkRow, EvidenceRow
from parapp.domain.assessment import AssessmentStatus, FieldGroup, require_editable
from parapp.domain.criteria import CriteriaSet
from parapp.domain.errors import Phrase
from parapp.domain.text import clean, fold
from parapp.i18n import N_

from .assessments import find_row
from .common import Need, ServiceError, now
from .mapping import set_from_rows

CHUNK = 1 << 20
MAX_FILE_BYTES = 200 * 1024 * 1024  # a scanned decision is a few MB; 200 MB is surely a mistake
FIRST_YEAR = 1945  # no document of the Vietnamese state is older


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


class Outcome(Enum):
    """What adding a file did."""

    ADDED = "added"  # a new document
    LINKED = "linked"  # stored already, with these details; new links added
    UNCHANGED = "unchanged"  # stored already, with these details and links: nothing done
    UPDATED = "updated"  # stored already; its details changed (asked for)


@dataclass(frozen=True)
class SavedEvidence(EvidenceInfo):
    """A document as a change left it, what the change did, and what the clerk should check
    (a date outside the year assessed is kept, with a warning)."""

    outcome: Outcome = Outcome.ADDED
    changes: tuple[Phrase, ...] = ()  # old -> new, for UPDATED
    warnings: tuple[Phrase, ...] = ()


def check_doc_date(value: date) -> None:
    """A document date cannot be after today nor before 1945: such a date is a typing
    mistake (a year typed wrong), never a real document."""
    if value > now().date():
        raise ServiceError(
            "The document date {date} is after today; check the day, month and year.",
            date=value,
        )
    if value.year < FIRST_YEAR:
        raise ServiceError("The document date {date} is before 1945; check the year.", date=value)


def date_warnings(value: date | None, year: int) -> tuple[Phrase, ...]:
    """A date outside the assessed year is real evidence (a standing decision, a plan made
    in December for the next year), but often a typing mistake: keep it and say so."""
    if value is None or value.year == year:
        return ()
    return (
        Phrase(
            "The document date {date} is not in {year}, the year assessed; it was kept, "
            "but check it if the year was mistyped.",
            date=value,
            year=str(year),
        ),
    )


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
        if size == 0:
            raise ServiceError(_EMPTY, name=source.name)
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


_EMPTY = N_("The file {name} is empty (0 bytes); choose the document itself.")


def _info(s: Session, row: EvidenceRow, assessment_id: int | None) -> EvidenceInfo:
    query = select(EvidenceLinkRow.node_code).where(EvidenceLinkRow.evidence_id == row.id)
    if assessment_id is not None:
        query = query.where(EvidenceLinkRow.assessment_id == assessment_id)
    codes = tuple(sorted(set(s.scalars(query))))
    return EvidenceInfo(
        row.id, row.sha256, row.filename, row.title, row.doc_number, row.doc_date, row.size, codes
    )


def _changes(
    row: EvidenceRow, title: str, doc_number: str, doc_date: date | None
) -> list[tuple[str, object, Phrase]]:
    """The details given that differ from the stored ones: (column, new value, old -> new)."""
    none = Phrase("(none)")
    found: list[tuple[str, object, Phrase]] = []
    if title and title != row.title:
        found.append(("title", title, Phrase("title “{old}” → “{new}”", old=row.title, new=title)))
    if doc_number and doc_number != row.doc_number:
        old: object = f"“{row.doc_number}”" if row.doc_number else none
        found.append(
            ("doc_number", doc_number, Phrase("number {old} → “{new}”", old=old, new=doc_number))
        )
    if doc_date and doc_date != row.doc_date:
        found.append(
            (
                "doc_date",
                doc_date,
                Phrase("date {old} → {new}", old=row.doc_date or none, new=doc_date),
            )
        )
    return found


def _listed(phrases: list[Phrase]) -> Phrase:
    """Several phrases as one ("a; b; c"), each translated where it is shown."""
    result = phrases[-1]
    for phrase in reversed(phrases[:-1]):
        result = Phrase("{first}; {rest}", first=phrase, rest=result)
    return result


def add_evidence(
    db: Database,
    source: Path,
    *,
    node_codes: Iterable[str] = (),
    title: str = "",
    doc_number: str = "",
    doc_date: date | None = None,
    year: int | None = None,
    update: bool = False,
) -> SavedEvidence:
    """Add a document and link it to criteria of the assessment for ``year`` (latest if None).

    The same file added twice is stored once; its links are added to. Details given for a
    file stored already (title, number, date) that differ from the stored ones are refused,
    saying what would change, unless ``update``; the same details again change nothing.
    """
    if not source.is_file():
        raise ServiceError("There is no file {path}.", path=source)
    if source.stat().st_size == 0:
        raise ServiceError(_EMPTY, name=source.name)
    if doc_date is not None:
        check_doc_date(doc_date)
    title, doc_number = clean(title), clean(doc_number)
    with db.session() as s:
        arow = find_row(s, year)
        codes = _link_codes(s, arow, node_codes, required=False)
        # Files go in first: the store is append-only, so a failed transaction after this
        # leaves at worst an unreferenced file, never a row pointing at nothing.
        sha, size = _store(source, db.paths.evidence)
        evidence_store.put(s.connection(), sha, store_path(db.paths.evidence, sha))
        row = s.scalars(
            select(EvidenceRow).where(
                EvidenceRow.sha256 == sha, EvidenceRow.unit_id == arow.unit_id
            )
        ).first()
        stored = row is not None
        outcome, changes = Outcome.ADDED, []
        if row is None:
            row = EvidenceRow(
                sha256=sha,
                filename=clean(source.name),
                size=size,
                added_at=now(),
                unit_id=arow.unit_id,
            )
            row.title = title or clean(source.stem)
            row.title_folded = fold(row.title)
            row.doc_number = doc_number
            row.doc_date = doc_date
            s.add(row)
            s.flush()
        else:
            changes = _changes(row, title, doc_number, doc_date)
            if changes and not update:
                raise ServiceError(
                    "{name} is stored already as “{title}”, and adding it again would change "
                    "{changes}; say that this change is wanted.",
                    need=Need.UPDATE,
                    name=source.name,
                    title=row.title,
                    changes=_listed([c[2] for c in changes]),
                )
            for column, value, _phrase in changes:
                setattr(row, column, value)
            if changes:
                row.title_folded = fold(row.title)
                outcome = Outcome.UPDATED
        have = set(
            s.scalars(
                select(EvidenceLinkRow.node_code).where(
                    EvidenceLinkRow.evidence_id == row.id,
                    EvidenceLinkRow.assessment_id == arow.id,
                )
            )
        )
        new_links = [c for c in codes if c not in have]
        for code in new_links:
            s.add(EvidenceLinkRow(evidence_id=row.id, assessment_id=arow.id, node_code=code))
        if stored and outcome is not Outcome.UPDATED:
            outcome = Outcome.LINKED if new_links else Outcome.UNCHANGED
        s.flush()
        return _saved(
            _info(s, row, arow.id),
            outcome,
            tuple(c[2] for c in changes),
            date_warnings(doc_date, arow.year),
        )


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
    """The stored file ``sha256`` on this PC; on a server, written into this PC's store from
    the server's database first if it lacks it (checked by its SHA-256)."""
    path = store_path(db.paths.evidence, sha256)
    if not path.is_file():
        try:
            fetched = evidence_store.fetch(db, sha256)
        except DatabaseError as exc:
            raise ServiceError(exc.template, **exc.params) from exc
        if fetched is None:
            raise ServiceError("The evidence file {sha} is missing from the store.",
                               sha=sha256[:12])
        path = fetched
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
            parsed = date(year, month, day) if 1900 <= year <= 2100 else None
        except ValueError:
            parsed = None
        if parsed is not None:
            check_doc_date(parsed)
            return parsed
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
) -> SavedEvidence:
    """Change a document's title, number or date (None leaves a text as it is; the date
    is cleared with ``doc_date=None``). Its links are shown for the assessment of ``year``,
    and a date outside that year comes back with a warning."""
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
            if doc_date is not None:
                check_doc_date(doc_date)
            row.doc_date = doc_date
        s.flush()
        arow = find_row(s, year)
        given = doc_date if isinstance(doc_date, date) else None
        return _saved(_info(s, row, arow.id), Outcome.UPDATED, (), date_warnings(given, arow.year))


def _saved(
    info: EvidenceInfo,
    outcome: Outcome,
    changes: tuple[Phrase, ...],
    warnings: tuple[Phrase, ...],
) -> SavedEvidence:
    fields = {name: getattr(info, name) for name in EvidenceInfo.__dataclass_fields__}
    return SavedEvidence(**fields, outcome=outcome, changes=changes, warnings=warnings)


def check_link_codes(cset: CriteriaSet, codes: Iterable[str]) -> list[str]:
    """The criterion codes a document may be linked to, each once, in the order given.

    A whole area is refused with the unknown codes: "1,1,1" typed for criterion 1.1.1
    would otherwise link the document to every criterion of area 1."""
    wanted = list(dict.fromkeys(clean(c) for c in codes if clean(c)))
    for code in wanted:
        if not cset.has(code):
            raise ServiceError(
                "There is no criterion '{code}' in this criteria set; write criterion codes "
                "with dots, such as 1.1.1, and separate them with commas.",
                code=code,
            )
        if cset.node(code).parent_code is None and not cset.is_leaf(code):
            raise ServiceError(
                "'{code}' is a whole area, not a criterion; write criterion codes with dots, "
                "such as 1.1.1, and separate them with commas.",
                code=code,
            )
    return wanted


def _link_codes(
    s: Session, arow: AssessmentRow, node_codes: Iterable[str], *, required: bool = True
) -> list[str]:
    codes = [clean(c) for c in node_codes if clean(c)]
    if not codes:
        if required:
            raise ServiceError("Choose at least one criterion.")
        return []
    require_editable(AssessmentStatus(arow.status), FieldGroup.SELF)
    return check_link_codes(set_from_rows(arow.criteria_set), codes)


def _checked_codes(s: Session, arow: AssessmentRow, node_codes: Iterable[str]) -> list[str]:
    """Codes to unlink: any node of the set (links to a whole area made by older versions
    can be removed)."""
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
        codes = _link_codes(s, arow, node_codes)
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
