"""The transfer slip (phiếu giao nhận) of a package: what was handed over, and how the
receiver checks it is the same file (its SHA-256 and the sender's key fingerprint)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from db.engine import Database
from parapp.printing.builders.slip import SlipInputs, build_slip
from parapp.sync.package import read_package

from . import documents, sync_keys
from .common import unit_row
from .plans import place_of
from .setup import get_setting
from .sync_import import _file_sha

# Printed documents are Vietnamese whatever the program's language.
KIND_LABELS = {
    "submission": "Hồ sơ tự đánh giá (nộp thẩm định)",
    "progress": "Báo cáo tiến độ khắc phục",
    "result": "Kết quả thẩm định",
    "criteria-set": "Bộ tiêu chí đánh giá",
    "unit-card": "Thẻ định danh đơn vị (khóa công khai)",
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


def slip_inputs(db: Database, package: Path, on: date | None = None) -> SlipInputs:
    own = sync_keys.own_keys(db.path)
    trusted = sync_keys.trusted_map(db)
    trusted[own.fingerprint] = own.signing.public_bytes
    opened = read_package(package, trusted, None)  # the slip describes a checked file only
    m, data = opened.manifest, opened.data
    names = _names(db)
    sender = m["sender"]["unit_code"]
    to = m["recipient"]
    if "unit_code" in to:
        recipient = names.get(to["unit_code"], to["unit_code"])
    else:
        recipient = "Các đơn vị thuộc " + names.get(to["appraiser_of"], to["appraiser_of"])
    cs = m["criteria_set"]
    plan = data.get("plan") if isinstance(data, dict) else None
    with db.session() as s:
        me = unit_row(s)
        place = place_of(me.name)
    return SlipInputs(
        sender_name=names.get(sender, sender),
        sender_code=sender,
        recipient=recipient,
        package_kind=KIND_LABELS.get(opened.kind, opened.kind),
        package_id=opened.package_id,
        file_name=package.name,
        size=package.stat().st_size,
        sha256=_file_sha(package),
        fingerprint=m["sender"]["key_fingerprint"],
        created_at=datetime.fromisoformat(m["created_at"]).astimezone().replace(tzinfo=None),
        criteria_set=f"{cs['code']} v{cs['version']}" if cs else "",
        period=str(m["period"] or ""),
        scores=len(data.get("scores", [])) if isinstance(data, dict) else 0,
        evidence_files=len(opened.evidence),
        plan_items=len(plan.get("items", [])) if isinstance(plan, dict) else 0,
        signer_name=get_setting(db, "clerk_name"),
        place=place,
        on=on or date.today(),
    )


def write_slip(db: Database, package: Path, out: Path) -> Path:
    documents.save(build_slip(slip_inputs(db, package)), out)
    return out
