"""The demo's appraiser and its round trip with the commune, by USB-stick packages.

Sở Nội vụ tỉnh Lạng Sơn gets its own database in ``DIR/appraiser``; the two offices swap
unit cards (each confirming the other's fingerprint), the commune submits its 2025
self-assessment and sends it with its evidence, the appraiser imports it, appraises and
publishes, and sends the result back, which the commune imports: the same steps a clerk
takes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from db.engine import Database, open_database
from parapp.domain.criteria import CriteriaSet
from parapp.domain.roles import PackageKind, PackageOutcome, Role
from parapp.domain.units import Unit, UnitKind

from . import assessments, criteria, setup, sync_export, sync_import, sync_keys, sync_slip
from .common import ServiceError
from .submission import submit

APPRAISER = Unit(
    code="20",
    name="Sở Nội vụ tỉnh Lạng Sơn",
    kind=UnitKind.DEPARTMENT,
    province_name="Tỉnh Lạng Sơn",
)


def _import(db: Database, path: Path) -> None:
    for _done, _total, outcome in sync_import.import_packages(db, [path]):
        if outcome.status != PackageOutcome.APPLIED:
            raise ServiceError("The demo could not import {file}: {reason}", file=path.name,
                               reason=outcome.error or outcome.status)


def round_trip(
    commune_db: Database,
    target: Path,
    cset: CriteriaSet,
    year: int,
    appraise: Callable[[Database, CriteriaSet, int, str], None],
) -> dict[str, Path]:
    appraiser_path = target / "appraiser" / "parapp.sqlite3"
    usb = target / "usb"
    usb.mkdir(parents=True, exist_ok=True)  # the demo's stick, plugged in
    setup.init_database(appraiser_path, APPRAISER, role=Role.APPRAISER)
    adb = open_database(appraiser_path)
    try:
        criteria.import_set(adb, cset)
        commune_card = sync_export.export(commune_db, PackageKind.UNIT_CARD, usb).info.path
        appraiser_card = sync_export.export(adb, PackageKind.UNIT_CARD, usb).info.path
        # Each side types the fingerprint it was told (here: read from the card itself).
        sync_keys.trust_card(adb, commune_card, sync_keys.read_card(commune_card).fingerprint)
        sync_keys.trust_card(
            commune_db, appraiser_card, sync_keys.read_card(appraiser_card).fingerprint
        )
        # The clerk submits (the pre-submission check passes), then writes the package.
        submitted = assessments.get_info(commune_db, year)
        submit(commune_db, submitted.id)
        submission = sync_export.export(commune_db, PackageKind.SUBMISSION, usb,
                                        year=year).info.path
        _import(adb, submission)
        unit_code = setup.own_unit(commune_db).code
        appraise(adb, cset, year, unit_code)
        result = sync_export.export(adb, PackageKind.RESULT, usb, to=unit_code, year=year).info.path
        _import(commune_db, result)
        slip = sync_slip.write_slip(
            commune_db, submission, target / "files" / "van-ban" / f"phieu-giao-nhan-{year}.pdf"
        )
    finally:
        adb.close()
    return {
        "appraiser-db": appraiser_path,
        "appraiser-dir": appraiser_path.parent,
        "submission-package": submission,
        "result-package": result,
        "transfer-slip-pdf": slip,
        "commune-card": commune_card,
        "appraiser-card": appraiser_card,
    }
