"""Who signs the appraiser's documents (the ranking): kept in the appraiser's settings.

An appraiser is a department (Sở Nội vụ) or a district, not a commune's People's Committee:
its director signs in their own right ("GIÁM ĐỐC") or a deputy for them ("KT. GIÁM ĐỐC /
PHÓ GIÁM ĐỐC"). Until one is set, the signer follows the office's profile (its head's
title); the signer chosen in Cài đặt is used only when it signs the way the office does,
never a commune committee's "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" (the window's built-in
default) for a department — only its name is kept.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from db.engine import Database
from parapp.domain.remediation import Signer, SignMode
from parapp.domain.text import clean
from parapp.printing import nd30

from .office_profile import get_profile
from .setup import default_signer, get_setting, own_unit_or_none, set_setting

APPRAISER_SIGNER_KEY = "appraiser_signer"
BUILT_IN = Signer(mode=SignMode.DIRECT, body="", head_title="GIÁM ĐỐC", position="GIÁM ĐỐC")
MODES = {"TM": SignMode.TM, "KT": SignMode.KT, "Q": SignMode.Q, "TL": SignMode.TL}
MODES |= {"TUQ": SignMode.TUQ, "direct": SignMode.DIRECT}


def appraiser_signer(db: Database) -> Signer:
    """The signer of the ranking and the appraiser's other documents."""
    text = get_setting(db, APPRAISER_SIGNER_KEY)
    if text:
        try:
            data = json.loads(text)
            return Signer(**{**data, "mode": SignMode(data.get("mode", ""))})
        except (ValueError, TypeError):
            pass  # a damaged setting falls back as if none were set
    return office_default(db)


def office_default(db: Database) -> Signer:
    """The signer an appraiser's office starts with: its profile's (a department's
    "GIÁM ĐỐC"), with the name of the default signer of Cài đặt when that one signs as the
    office does."""
    chosen = default_signer(db)
    if own_unit_or_none(db) is None:
        return chosen or BUILT_IN
    profile = get_profile(db)
    own = profile.signer(chosen.name if chosen else "")
    if not own.body and own.mode is SignMode.TM:  # no collective body: the head signs
        own = replace(own, mode=SignMode.DIRECT)
    if chosen is None or _committee(chosen) != profile.committee:
        return own
    return chosen


def _committee(signer: Signer) -> bool:
    """Whether ``signer`` signs for a People's Committee."""
    return clean(signer.body).upper() == "ỦY BAN NHÂN DÂN" and signer.mode in (
        SignMode.TM, SignMode.KT, SignMode.Q,
    )  # fmt: skip


def set_appraiser_signer(
    db: Database,
    *,
    mode: str | None = None,
    body: str | None = None,
    head_title: str | None = None,
    position: str | None = None,
    name: str | None = None,
) -> Signer:
    """Change the given parts of the appraiser's signer and keep it; returns the result."""
    signer = appraiser_signer(db)
    if mode is not None:
        signer = replace(signer, mode=MODES[mode])
    signer = replace(
        signer,
        body=signer.body if body is None else clean(body),
        head_title=signer.head_title if head_title is None else clean(head_title),
        position=signer.position if position is None else clean(position),
        name=signer.name if name is None else clean(name),
    )
    data = asdict(signer)
    data["mode"] = signer.mode.value
    set_setting(db, APPRAISER_SIGNER_KEY, json.dumps(data, ensure_ascii=False))
    return signer


def signer_lines(signer: Signer) -> tuple[str, ...]:
    """The authority and position lines the documents print above the signature."""
    return nd30.signer_lines(signer)
