"""The transfer slip (phiếu giao nhận) of a package: what was handed over, and how the
receiver checks it is the same file (its SHA-256 and the sender's key fingerprint)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import SyncLogRow
from parapp.domain.roles import PackageKind
from parapp.printing.builders.slip import SlipInputs, build_slip
from parapp.sync import crypto
from parapp.sync.package import read_package
from parapp.sync.safety import PackageError

from . import documents, paper, sync_keys
from .common import unit_row
from .office_profile import get_profile
from .plans import place_of
from .setup import get_setting
from .sync_stage import file_sha

# Printed documents are Vietnamese whatever the program's language.
KIND_LABELS: dict[str, str] = {
    PackageKind.SUBMISSION: "Hồ sơ tự đánh giá (nộp thẩm định)",
    PackageKind.PROGRESS: "Báo cáo tiến độ khắc phục",
    PackageKind.RESULT: "Kết quả thẩm định",
    PackageKind.CRITERIA_SET: "Bộ tiêu chí đánh giá",
    PackageKind.UNIT_CARD: "Thẻ định danh đơn vị (khóa công khai)",
}


def _names(db: Database) -> dict[str, str]:
    with db.session() as s:
        me = unit_row(s)
        names = {me.code: me.name}
        if me.appraiser_code:
            names[me.appraiser_code] = me.appraiser_name or me.appraiser_code
    for key in sync_keys.trusted(db, include_replaced=True):
        names.setdefault(key.unit_code, key.unit_name or key.unit_code)
    return names


@dataclass(frozen=True)
class _Described:
    manifest: dict[str, Any]
    sha256: str
    scores: int
    evidence: int
    items: int


def _describe(db: Database, package: Path) -> _Described:
    """What the slip prints, from a file checked here: a signed package is verified; an
    encrypted one (only its recipient can open it) must be one this office sent, the same
    bytes its sync log recorded."""
    sha = file_sha(package)
    if crypto.is_encrypted(package):
        manifest_bytes, _info = crypto.read_envelope_header(package)
        try:
            manifest = json.loads(manifest_bytes.decode("utf-8"))
            package_id = str(manifest["package_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise PackageError("The encrypted package's label cannot be read.") from exc
        with db.session() as s:
            row = s.scalars(select(SyncLogRow).where(
                SyncLogRow.package_id == package_id, SyncLogRow.direction == "out",
                SyncLogRow.sha256 == sha)).first()
            counts = json.loads(row.summary_json or "{}") if row is not None else None
        if counts is None:
            raise PackageError("This encrypted package was not sent from this computer (or it "
                               "was changed since): only its sender can print its transfer "
                               "slip.")
        return _Described(manifest, sha, int(counts.get("scores", 0)),
                          int(counts.get("evidence", 0)), int(counts.get("items", 0)))
    own = sync_keys.own_keys(db.path)
    trusted = sync_keys.trusted_map(db)
    trusted[own.fingerprint] = own.signing.public_bytes
    opened = read_package(package, trusted, None)  # the slip describes a checked file only
    data = opened.data if isinstance(opened.data, dict) else {}
    plan = data.get("plan")
    return _Described(opened.manifest, sha, len(data.get("scores", [])), len(opened.evidence),
                      len(plan.get("items", [])) if isinstance(plan, dict) else 0)


def slip_inputs(db: Database, package: Path, on: date | None = None) -> SlipInputs:
    described = _describe(db, package)
    m = described.manifest
    names = _names(db)
    sender = m["sender"]["unit_code"]
    to = m["recipient"]
    if "unit_code" in to:
        recipient = names.get(to["unit_code"], to["unit_code"])
    else:
        recipient = "Các đơn vị thuộc " + names.get(to["appraiser_of"], to["appraiser_of"])
    cs = m["criteria_set"]
    with db.session() as s:
        me = unit_row(s)
        place = place_of(me.name)
        own_code = me.code
    office = get_profile(db) if sender == own_code else None
    return SlipInputs(
        sender_name=names.get(sender, sender),
        sender_code=sender,
        recipient=recipient,
        package_kind=KIND_LABELS.get(m["kind"], m["kind"]),
        package_id=str(m["package_id"]),
        file_name=package.name,
        size=package.stat().st_size,
        sha256=described.sha256,
        fingerprint=m["sender"]["key_fingerprint"],
        created_at=datetime.fromisoformat(m["created_at"]).astimezone().replace(tzinfo=None),
        criteria_set=f"{cs['code']} v{cs['version']}" if cs else "",
        period=str(m["period"] or ""),
        scores=described.scores,
        evidence_files=described.evidence,
        plan_items=described.items,
        # the clerk of this office hands over only what this office sent: a received
        # package's slip leaves the sender's name to be written by hand
        signer_name=get_setting(db, "clerk_name") if sender == own_code else "",
        place=office.place if office is not None and office.place else place,
        on=on or date.today(),
        sender_office=office,
    )


def write_slip(db: Database, package: Path, out: Path) -> Path:
    """The slip with its QR code (the package's id, the day and the slip's content hash)."""
    inputs = slip_inputs(db, package)
    on = inputs.on or date.today()  # slip_inputs always dates it; the type allows none
    slip = paper.with_slip_qr(db, build_slip(inputs), inputs.package_id, on)
    documents.save(slip, out)
    return out
