"""``parapp sync …`` and ``parapp keys …``: packages on a USB stick, and the keys behind them.

Never prompts: a passphrase comes from ``--passphrase-file`` or the environment variable
``PARAPP_KEY_PASSPHRASE``; trusting a key needs the fingerprint on the command line.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from parapp.domain.roles import PackageKind, PackageOutcome
from parapp.i18n import _, message
from parapp.services import sync_export as export_service
from parapp.services import sync_import as import_service
from parapp.services import sync_keys, sync_sequence
from parapp.services import sync_log as log_service
from parapp.services import sync_slip as slip_service
from parapp.services.common import ServiceError
from parapp.services.office import resolve_db_path
from parapp.services.sync_checks import NotForThisOffice
from parapp.services.sync_words import word as label

from .handlers import _db, _err, _out, header
from .hints import with_hint

PASSPHRASE_ENV = "PARAPP_KEY_PASSPHRASE"


def register(sub: Any) -> None:
    s = sub.add_parser("sync", help="packages to and from the appraiser").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = s.add_parser("export", help="write a signed package (.cchc) to a file or folder")
    c.add_argument("--kind", required=True,
                   choices=[k.value for k in PackageKind], help="what the package holds")
    c.add_argument("--to", help="the unit a result is for (appraiser)")
    c.add_argument("--year", type=int, help="the assessment's year (latest if not given)")
    c.add_argument("--all", action="store_true", help="results for every appraised unit")
    c.add_argument("--out", required=True, help="file or folder (e.g. the USB stick)")
    c.add_argument("--encrypt", action="store_true",
                   help="only the recipient can open it (its manifest stays readable)")
    c.set_defaults(handler=sync_export)
    c = s.add_parser(
        "import",
        help="import packages: files or folders of .cchc files",
        description="import packages: files or folders of .cchc files\n\nexample:\n"
        "  parapp sync import /media/usb --dry-run",
    )
    c.add_argument("sources", nargs="+",
                   help="the .cchc files, or folders holding them, e.g. /media/usb")
    c.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    c.add_argument("--details", action="store_true",
                   help="list every change of each package (default: the first few and counts)")
    c.set_defaults(handler=sync_import)
    c = s.add_parser("slip", help="print the transfer slip of a package (PDF)")
    c.add_argument("package", help="the package file (.cchc)")
    c.add_argument("--out", required=True, help="where to write the PDF")
    c.set_defaults(handler=sync_slip)
    c = s.add_parser("log", help="packages sent and received, newest first")
    c.set_defaults(handler=sync_log)
    sender = s.add_parser("sender", help="the order of each sender's packages (sequence numbers)"
                          ).add_subparsers(dest="sender_action", required=True, metavar="ACTION")
    c = sender.add_parser("show", help="the last package number imported from each sender")
    c.add_argument("code", nargs="?", help="one sender's unit code")
    c.set_defaults(handler=sync_sender_show)
    c = sender.add_parser("reset", help="accept a sender's next package whatever its number "
                          "(after it restored an older backup)")
    c.add_argument("code", help="the sender's unit code")
    c.add_argument("--reason", required=True, help="why (kept in the sync log)")
    c.set_defaults(handler=sync_sender_reset)

    k = sub.add_parser("keys", help="this office's keys and the keys it trusts").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = k.add_parser("show", help="this office's fingerprint and the trusted keys")
    c.set_defaults(handler=keys_show)
    c = k.add_parser("export-card", help="write this unit's card (public keys) to give out")
    c.add_argument("--out", required=True, help="where to write the card")
    c.set_defaults(handler=keys_export_card)
    c = k.add_parser("trust", help="trust a unit card after checking its fingerprint")
    c.add_argument("card", help="the unit card file")
    c.add_argument("--fingerprint", required=True, help="as read from the sender's slip")
    c.set_defaults(handler=keys_trust)
    c = k.add_parser("export", help="the private keys, passphrase-protected, for a new PC")
    c.add_argument("--out", required=True, help="where to write the protected key file")
    c.add_argument("--passphrase-file", help="else the variable PARAPP_KEY_PASSPHRASE")
    c.set_defaults(handler=keys_export)
    c = k.add_parser("import", help="install keys exported from the old PC")
    c.add_argument("file", help="the key file exported from the old PC")
    c.add_argument("--passphrase-file", help="else the variable PARAPP_KEY_PASSPHRASE")
    c.set_defaults(handler=keys_import)


def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        return Path(args.passphrase_file).read_text(encoding="utf-8").strip("\r\n")
    value = os.environ.get(PASSPHRASE_ENV, "")
    if not value:
        raise ServiceError(
            "Give the passphrase with --passphrase-file FILE or the variable {name}.",
            name=PASSPHRASE_ENV,
        )
    return value


def _counts(counts: dict[str, int]) -> str:
    return _("{scores} scores, {evidence} evidence files, {items} plan items").format(
        scores=counts.get("scores", 0), evidence=counts.get("evidence", 0),
        items=counts.get("items", 0))


def sync_export(args: argparse.Namespace) -> int:
    with _db(args) as db:
        if args.all:
            if args.kind != PackageKind.RESULT or args.year is None:
                raise ServiceError("--all goes with --kind result and --year YEAR.")
            done = export_service.export_all_results(db, Path(args.out), args.year)
        else:
            done = [export_service.export(db, args.kind, Path(args.out), to=args.to, year=args.year,
                                   encrypt=args.encrypt)]
    for ex in done:
        _out(f"{ex.info.path}\t{ex.info.package_id}\t{ex.info.sha256}")
        _err(_("Written and read back: {kind} for {to}, {counts}. Key fingerprint {fp}.").format(
            kind=label(ex.kind), to=ex.recipient, counts=_counts(ex.counts), fp=ex.fingerprint))
    _err(_("The package was checked after writing: you can remove the USB stick."))
    return 0


SHOWN_CHANGES = 5  # a commune's first submission is ~65 "new" lines: counts say enough


def _plan_lines(plan: Any, details: bool = False) -> list[str]:
    # The sender's number orders its packages; the date is its clock's, shown only.
    made = f"{plan.created_at:%d/%m/%Y %H:%M}"
    lines = ["  " + (_("number {number}, dated {made} by the sender's clock").format(
        number=plan.sequence, made=made) if plan.sequence is not None
        else _("dated {made} by the sender's clock (an older version: no number)").format(
            made=made))]
    changed = [c for c in plan.changes if c.action != "unchanged"]
    # Conflicts are always listed: each needs the clerk's eye.
    shown = changed if details else (
        changed[:SHOWN_CHANGES] + [c for c in changed[SHOWN_CHANGES:] if c.action == "conflict"])
    for change in shown:
        text = f"  {label(change.action)}: {message(change.what)}"
        if change.reason is not None:
            text += f" — {message(change.reason)}"
        lines.append(text)
    if len(shown) < len(changed):
        lines.append("  " + _("… and {n} more changes (--details lists them all)").format(
            n=len(changed) - len(shown)))
    counts = ", ".join(f"{plan.count(a)} {label(a)}"
                       for a in ("new", "updated", "unchanged", "conflict"))
    lines.append("  " + counts)
    return lines


def sync_import(args: argparse.Namespace) -> int:
    refused = skipped = seen = 0
    with _db(args) as db:
        for _done, _total, outcome in import_service.import_packages(
                db, [Path(p) for p in args.sources], dry_run=args.dry_run):
            name = outcome.path.name
            seen += 1
            if isinstance(outcome.error, NotForThisOffice):
                # The office's own package or a known card on the stick: not a fault.
                skipped += 1
                _out(_("{file}: skipped. {reason}").format(file=name,
                                                          reason=message(outcome.error)))
                continue
            if outcome.status == PackageOutcome.REFUSED:
                assert outcome.error is not None  # a refusal always says why
                refused += 1
                reason = with_hint(outcome.error, message(outcome.error))
                _err(_("{file}: refused. {reason}").format(file=name, reason=reason))
                continue
            plan = outcome.plan
            assert plan is not None
            if outcome.status == PackageOutcome.ALREADY:
                _out(_("{file}: already imported, nothing changed.").format(file=name))
                continue
            head = (_("{file}: would import {kind} from {sender}:") if args.dry_run
                    else _("{file}: imported {kind} from {sender}:"))
            _out(head.format(file=name, kind=label(plan.kind),
                             sender=plan.sender_name or plan.sender_code))
            for line in _plan_lines(plan, args.details):
                _out(line)
    if args.dry_run:
        _err(_("Dry run: nothing was changed."))
    # A stick with only the office's own files is a mistake too (nothing was for here).
    return 1 if refused or (seen and skipped == seen) else 0


def sync_slip(args: argparse.Namespace) -> int:
    with _db(args) as db:
        path = slip_service.write_slip(db, Path(args.package), Path(args.out))
    _out(str(path))
    return 0


def sync_log(args: argparse.Namespace) -> int:
    with _db(args) as db:
        lines = log_service.log_lines(db)
    if not lines:
        _out(_("No package has been sent or received yet."))
        return 0
    header(_("Logged"), _("Direction"), _("Kind"), _("Sender"), _("Outcome"),
           _("Package or reason"))
    for line in lines:
        direction = _("sent") if line.sent else _("received")
        # A reset has no package: its reason is what the line is for.
        last = line.message if line.kind == "sequence-reset" else line.package_id
        _out(f"{line.logged_at:%d/%m/%Y %H:%M}\t{direction}\t{label(line.kind)}\t"
             f"{line.sender_code}\t{label(line.outcome)}\t{last}")
    return 0


def _sender_line(state: Any) -> str:
    """One sender: the last number imported, its date as the sender's clock wrote it (shown,
    never compared), and the last reset with its reason."""
    if state.last_sequence is None:
        text = _("{code}: no numbered package imported since the last reset").format(
            code=state.unit_code)
    else:
        text = _("{code}: last package number {number} (dated {made} by the sender's "
                 "clock)").format(code=state.unit_code, number=state.last_sequence,
                                  made=f"{state.last_made:%d/%m/%Y %H:%M}"
                                  if state.last_made else "-")
    if state.reset_at is not None:
        text += "; " + _("reset on {when}: {reason}").format(
            when=f"{state.reset_at:%d/%m/%Y %H:%M}", reason=state.reset_reason)
    return text


def sync_sender_show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        states = sync_sequence.senders(db, args.code)
    if not states:
        _out(_("No package has been received yet."))
    for state in states:
        _out(_sender_line(state))
    return 0


def sync_sender_reset(args: argparse.Namespace) -> int:
    with _db(args) as db:
        state = sync_sequence.reset(db, args.code, args.reason)
    _out(_sender_line(state))
    _err(_("The next package from {code} will be accepted whatever its number; the reset and "
           "its reason are in the sync log.").format(code=args.code))
    return 0


def keys_show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        own = sync_keys.own_keys(db.path)
        trusted = sync_keys.trusted(db)
    _out(_("This office's key fingerprint: {fp}").format(fp=own.fingerprint))
    if not trusted:
        _out(_("No other unit's key is trusted yet."))
        return 0
    header(_("Unit code"), _("Unit"), _("Key fingerprint"))
    for key in trusted:
        _out(f"{key.unit_code}\t{key.unit_name}\t{key.fingerprint}")
    return 0


def keys_export_card(args: argparse.Namespace) -> int:
    with _db(args) as db:
        ex = export_service.export(db, PackageKind.UNIT_CARD, Path(args.out))
    _out(str(ex.info.path))
    _err(_("Give this card to the other side and tell them its fingerprint by another way "
           "(phone, the printed slip): {fp}").format(fp=ex.fingerprint))
    return 0


def keys_trust(args: argparse.Namespace) -> int:
    with _db(args) as db:
        card = sync_keys.trust_card(db, Path(args.card), args.fingerprint)
    _out(_("Trusted: {name} ({code}), fingerprint {fp}.").format(
        name=card.unit.name, code=card.unit.code, fp=card.fingerprint))
    return 0


def keys_export(args: argparse.Namespace) -> int:
    path = sync_keys.export_keys(resolve_db_path(args.db), Path(args.out), _passphrase(args))
    _out(str(path))
    _err(_("Keep this file and its passphrase apart: together they can sign in this office's "
           "name."))
    return 0


def keys_import(args: argparse.Namespace) -> int:
    fp = sync_keys.import_keys(resolve_db_path(args.db), Path(args.file), _passphrase(args))
    _out(_("Keys installed; this office's fingerprint is now {fp}.").format(fp=fp))
    return 0
