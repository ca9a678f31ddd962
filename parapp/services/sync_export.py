"""Export packages: submission and progress (commune), result and criteria set (appraiser).

The package is written to a temp file beside the target, flushed, renamed and read back
and verified (parapp.sync.package.write_package) before anything in the database changes
(the sync log row): so a stick pulled out too early leaves the data as it was, and "you can
remove the stick" is only said when it is true. A submission package is written only for an
assessment already submitted (parapp.services.submission); writing it changes no status.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import AssessmentRow, EvidenceLinkRow, EvidenceRow, PlanRow, SyncLogRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.roles import SENDS, PackageKind, PackageOutcome
from parapp.formats import criteria_json
from parapp.sync import crypto
from parapp.sync.package import MANIFEST, PackageInfo, write_package

from . import council, history, submission, sync_data, sync_keys, sync_ranking
from .assessments import find_row
from .common import Need, ServiceError, now, unit_row
from .criteria import find_set_row
from .evidence import store_path
from .mapping import set_from_rows
from .plan_rows import KIND_REMEDIATION
from .setup import role_of
from .storage import on_stick
from .sync_apply import returned_reason_of
from .sync_sequence import next_sequence


@dataclass(frozen=True)
class Exported:
    info: PackageInfo
    kind: PackageKind
    recipient: str
    counts: dict[str, int]
    sender_name: str
    sender_code: str
    fingerprint: str


def _log(db: Database, info: PackageInfo, kind: PackageKind, assessment_uuid: str,
         counts: dict[str, int]) -> None:
    with db.session() as s:
        s.add(SyncLogRow(
            package_id=info.package_id, direction="out", kind=kind.value,
            sender_code=info.manifest["sender"]["unit_code"],
            recipient=json.dumps(info.manifest["recipient"]),
            assessment_uuid=assessment_uuid,
            created_at=datetime.fromisoformat(info.manifest["created_at"]).astimezone()
            .replace(tzinfo=None),
            logged_at=now(), outcome=PackageOutcome.EXPORTED.value, sha256=info.sha256,
            file_name=str(info.path), summary_json=json.dumps(counts), message="",
            sequence=info.manifest.get("sequence")))


def _target(out: Path, default_name: str) -> Path:
    """A folder (a path without a suffix, or an existing folder) gets the default file
    name; ``on_stick`` has checked that the folder exists."""
    out = Path(out)
    if out.is_dir() or not out.suffix:
        return out / default_name
    return out


def export(db: Database, kind: PackageKind | str, out: Path, *, to: str | None = None,
           year: int | None = None, encrypt: bool = False) -> Exported:
    """Write a package; ``encrypt`` seals it to the recipient's key (only they can open it;
    its manifest stays readable)."""
    # A full or locked stick is named as such (not the data folder, whose database
    # errors keep their own message).
    with on_stick(out):
        exported = _export(db, kind, out, to=to, year=year)
        if not encrypt:
            return exported
        return _encrypted(db, exported)


def _encrypted(db: Database, exported: Exported) -> Exported:
    recipient = exported.info.manifest["recipient"]
    if "unit_code" not in recipient:
        raise ServiceError("A package for every unit cannot be encrypted: send it unencrypted.")
    key = sync_keys.trusted_for(db, recipient["unit_code"])
    if not key.enc_public_key:
        raise ServiceError("The card of {code} has no encryption key.", code=recipient["unit_code"])
    target = exported.info.path
    plain = target.with_name(f".{target.name}.plain")
    os.replace(target, plain)
    try:
        with zipfile.ZipFile(plain) as archive:
            manifest_bytes = archive.read(MANIFEST)
        crypto.encrypt_file(plain, target, key.enc_public_key, manifest_bytes)
        crypto.read_envelope_header(target)  # read back: the header must parse
    except BaseException:
        # Encryption was asked for: no unencrypted copy is left on the stick (a full stick
        # would otherwise keep the plain package while the message says none was written),
        # nor an encrypted file that did not read back.
        target.unlink(missing_ok=True)
        raise
    finally:
        plain.unlink(missing_ok=True)
    info = PackageInfo(target, exported.info.package_id, _sha(target), target.stat().st_size,
                       exported.info.manifest)
    with db.session() as s:  # the log names the file on the stick: the encrypted one
        for row in s.scalars(select(SyncLogRow).where(
                SyncLogRow.package_id == info.package_id, SyncLogRow.direction == "out")):
            row.sha256 = info.sha256
    return Exported(info, exported.kind, exported.recipient, exported.counts,
                    exported.sender_name, exported.sender_code, exported.fingerprint)


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024**2):
            digest.update(chunk)
    return digest.hexdigest()


def _export(db: Database, kind: PackageKind | str, out: Path, *, to: str | None = None,
            year: int | None = None) -> Exported:
    role = role_of(db)
    if kind not in SENDS[role]:
        raise ServiceError("A {role} does not send '{kind}' packages.", role=role.value,
                           kind=str(kind))
    kind = PackageKind(kind)
    own = sync_keys.own_keys(db.path)
    with db.session() as s:
        council.require_secretariat(s)  # a member's login only appraises
        me = unit_row(s)
        sender_code, sender_name = me.code, me.name
    if kind == PackageKind.UNIT_CARD:
        info = sync_keys.export_card(db, _target(out, f"the-dinh-danh-{sender_code}.cchc"))
        recipient = _recipient_text(info.manifest["recipient"])
        _log(db, info, kind, "", {})
        return Exported(info, kind, recipient, {}, sender_name, sender_code, own.fingerprint)
    if kind in (PackageKind.SUBMISSION, PackageKind.PROGRESS):
        info, counts, uuid = _commune_package(db, kind, out, year, own)
    elif kind == PackageKind.RESULT:
        if not to:
            raise ServiceError("Say which unit the result is for.", need=Need.RESULT_UNIT)
        info, counts, uuid = _result_package(db, out, to, year, own)
    else:
        info, counts, uuid = _set_package(db, out, own)
    _log(db, info, kind, uuid, counts)
    return Exported(info, kind, _recipient_text(info.manifest["recipient"]), counts,
                    sender_name, sender_code, own.fingerprint)


def _recipient_text(recipient: dict[str, str]) -> str:
    if "unit_code" in recipient:
        return recipient["unit_code"]
    return f"*/{recipient['appraiser_of']}"


def _commune_package(db: Database, kind: PackageKind, out: Path, year: int | None,
                     own: sync_keys.OwnKeys) -> tuple[PackageInfo, dict[str, int], str]:
    appraiser_code = sync_keys.card_recipient(db).get("unit_code", "")
    sync_keys.trusted_for(db, appraiser_code)  # we must know who we are sending to
    with db.session() as s:
        arow = find_row(s, year)
        me = arow.unit
        status = AssessmentStatus(arow.status)
        uuid, set_ref = arow.uuid, {"code": arow.criteria_set.code,
                                    "version": arow.criteria_set.version}
        period, unit_code, appraiser = arow.year, me.code, me.appraiser_code
        if kind == PackageKind.SUBMISSION:
            # Exporting never submits: the clerk submits first (with the pre-submission
            # check), so writing a package cannot lock the year by surprise.
            if status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
                raise ServiceError("The {year} self-assessment has not been submitted yet: "
                                   "submit it first (Self-assessment › Submit for appraisal, "
                                   "or 'parapp assessment submit'), then write the package.",
                                   year=period)
            if status is not AssessmentStatus.SUBMITTED:
                raise ServiceError("The {year} assessment is already appraised: there is "
                                   "nothing to submit.", year=period)
            data = sync_data.build_submission(s, arow, [])
            note = submission.note_record(s, uuid)
            if note is not None:
                data["incomplete"] = note
            shas = [e["sha256"] for e in data["evidence"]]
        else:
            plan = s.scalars(select(PlanRow).where(PlanRow.assessment_id == arow.id,
                                                   PlanRow.kind == KIND_REMEDIATION)).first()
            if plan is None:
                plan = s.scalars(select(PlanRow).where(PlanRow.unit_id == me.id,
                                 PlanRow.kind == KIND_REMEDIATION)
                                 .order_by(PlanRow.year.desc())).first()
            if plan is None:
                raise ServiceError("There is no remediation plan to report on yet.")
            data = {"unit": sync_data.unit_record(me),
                    "assessment": sync_data.assessment_record(arow),
                    "plan": sync_data.plan_record(plan)}
            shas = []
    if kind == PackageKind.SUBMISSION:
        data["history"] = history.assessment_history(db, uuid)
    evidence = {sha: store_path(db.paths.evidence, sha) for sha in shas}
    missing = [sha for sha, path in evidence.items() if not path.is_file()]
    if missing:
        raise ServiceError("The evidence file {sha} is missing from the store: restore it from "
                           "a backup before sending.", sha=missing[0][:12])
    name = f"{'nop' if kind is PackageKind.SUBMISSION else 'tien-do'}-{unit_code}-{period}.cchc"
    info = write_package(_target(out, name), kind, own.signing, unit_code,
                         {"unit_code": appraiser}, data, evidence,
                         criteria_set=set_ref, period=period,
                         sequence=next_sequence(db, {"unit_code": appraiser}))
    counts = {"scores": len(data.get("scores", [])), "evidence": len(evidence),
              "items": len((data.get("plan") or {}).get("items", []))}
    return info, counts, uuid


def _result_package(db: Database, out: Path, to: str, year: int | None,
                    own: sync_keys.OwnKeys) -> tuple[PackageInfo, dict[str, int], str]:
    sync_keys.trusted_for(db, to)
    with db.session() as s:
        arow = find_row(s, year, unit_code=to)
        status = AssessmentStatus(arow.status)
        if status in (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED):
            raise ServiceError("{unit}'s {year} assessment is not appraised or returned yet: "
                               "there is no result to send.", unit=arow.unit.name, year=arow.year)
        reason = returned_reason_of(s, arow.uuid) if status is AssessmentStatus.RETURNED else ""
        data = sync_data.build_result(s, arow, reason)
        data["ranking"] = sync_ranking.build(s, arow)  # data schema 2
        uuid, period = arow.uuid, arow.year
        set_ref = {"code": arow.criteria_set.code, "version": arow.criteria_set.version}
    info = write_package(_target(out, f"ket-qua-{to}-{period}.cchc"), PackageKind.RESULT,
                         own.signing, unit_row_code(db), {"unit_code": to}, data,
                         criteria_set=set_ref, period=period, schema_version=sync_ranking.SCHEMA,
                         sequence=next_sequence(db, {"unit_code": to}))
    return info, {"scores": len(data["scores"]), "evidence": 0, "items": 0}, uuid


def unit_row_code(db: Database) -> str:
    with db.session() as s:
        return unit_row(s).code


def _set_package(db: Database, out: Path,
                 own: sync_keys.OwnKeys) -> tuple[PackageInfo, dict[str, int], str]:
    with db.session() as s:
        row = find_set_row(s)
        cset = set_from_rows(row)
        me = unit_row(s).code
    data = {"criteria_set": criteria_json.to_dict(cset)}
    info = write_package(_target(out, f"bo-tieu-chi-{cset.code}-v{cset.version}.cchc"),
                         PackageKind.CRITERIA_SET, own.signing, me, {"appraiser_of": me}, data,
                         criteria_set={"code": cset.code, "version": cset.version},
                         sequence=next_sequence(db, {"appraiser_of": me}))
    return info, {"nodes": len(cset.nodes)}, ""


def export_all_results(db: Database, folder: Path, year: int) -> list[Exported]:
    """A result package for every unit whose assessment of ``year`` is appraised, returned
    or published (the appraiser's "send back to everyone")."""
    folder.mkdir(parents=True, exist_ok=True)
    with db.session() as s:
        me = unit_row(s).code
        codes = sorted({
            row.unit.code for row in s.scalars(select(AssessmentRow).where(
                AssessmentRow.year == year,
                AssessmentRow.status.in_([AssessmentStatus.APPRAISED.value,
                                          AssessmentStatus.RETURNED.value,
                                          AssessmentStatus.PUBLISHED.value])))
            if row.unit.code != me
        })
    return [export(db, PackageKind.RESULT, folder, to=code, year=year) for code in codes]


def evidence_count(db: Database, uuid: str) -> int:
    with db.session() as s:
        arow = s.scalars(select(AssessmentRow).where(AssessmentRow.uuid == uuid)).one()
        return len(set(s.scalars(select(EvidenceRow.id).join(EvidenceLinkRow).where(
            EvidenceLinkRow.assessment_id == arow.id))))
