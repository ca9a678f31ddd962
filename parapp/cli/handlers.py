"""One function per sub-command: parse arguments into service calls and print results."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace as _replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.numbers import NumberError, to_decimal
from parapp.domain.remediation import SignMode
from parapp.domain.roles import Role
from parapp.domain.text import clean, parse_date
from parapp.domain.units import Unit, UnitKind
from parapp.i18n import _, format_date, format_percent, message
from parapp.services import (
    assessments,
    backups,
    criteria,
    evidence,
    plans,
    results,
    setup,
    submission,
)
from parapp.services.annual import draft_annual_plan
from parapp.services.common import ServiceError
from parapp.services.demo import build_demo
from parapp.services.office import Office, open_office, resolve_db_path
from parapp.services.paths import describe_db
from parapp.services.scores_import import import_scores
from parapp.services.units_catalog import appraiser_office, official_unit

from . import render


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a year").format(text=text)) from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(_("'{text}' is not a year").format(text=text))
    return year


@contextmanager
def _db(args: argparse.Namespace) -> Iterator[Office]:
    db = open_office(resolve_db_path(args.db))
    try:
        yield db
    finally:
        db.close()


def _date(text: str | None) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        raise ServiceError("'{value}' is not a date; write it as dd/mm/yyyy.", value=text) from None


def _number(text: str | None, what: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return to_decimal(text)
    except NumberError:
        raise ServiceError(
            "{option}: '{value}' is not a number.", option=what, value=text
        ) from None


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def header(*columns: str) -> None:
    """The first line of a listing: its column names, tab-separated like its rows."""
    _out("\t".join(columns))


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def init(args: argparse.Namespace) -> int:
    path = resolve_db_path(args.db)
    unit = None
    if args.unit_code or args.unit_name:
        if not args.unit_code:
            raise ServiceError("Give the unit's official code with --unit-code.")
        # An appraiser is the province's Sở Nội vụ, named by the province's code.
        official = (appraiser_office(args.unit_code) if args.role == Role.APPRAISER else None) \
            or official_unit(args.unit_code)
        if official is None and not args.unit_name:
            raise ServiceError(
                "The unit code {code} is not in the official list; give both --unit-code and "
                "--unit-name.",
                code=args.unit_code or "-",
            )
        base = official or Unit(args.unit_code, args.unit_name, UnitKind.COMMUNE)
        unit = Unit(
            code=base.code,
            name=args.unit_name or base.name,
            kind=UnitKind(args.kind) if args.kind else base.kind,
            appraiser_code=args.appraiser_code or base.appraiser_code,
            appraiser_name=args.appraiser_name or base.appraiser_name,
            province_name=args.province or base.province_name,
        )
    result = setup.init_database(path, unit, role=args.role, change_unit=args.change_unit)
    _out(
        (
            _("Created the database {path}") if result.created else _("Opened the database {path}")
        ).format(path=describe_db(path))
    )
    if result.unit:
        _out(
            _("Unit: {name} ({code}); appraised by: {appraiser}").format(
                name=result.unit.name,
                code=result.unit.code,
                appraiser=result.unit.appraiser_name or "-",
            )
        )
    if args.sample:
        with _db(args) as db:
            imported = criteria.import_set(db, criteria.sample_set())
        _out(
            _("Loaded the sample criteria set {code} (a sample, not an official set).").format(
                code=imported.summary.code
            )
        )
    return 0


def criteria_import(args: argparse.Namespace) -> int:
    with _db(args) as db:
        result = criteria.import_file(db, Path(args.file))
    s = result.summary
    if result.created:
        _out(
            _("Loaded criteria set {code} version {version}: {n} criteria.").format(
                code=s.code, version=s.version, n=s.nodes
            )
        )
    else:
        _out(
            _("Criteria set {code} version {version} is already loaded; nothing changed.").format(
                code=s.code, version=s.version
            )
        )
    return 0


def criteria_export(args: argparse.Namespace) -> int:
    with _db(args) as db:
        out = criteria.export_set(db, Path(args.file), args.code, args.set_version)
    _out(_("Wrote {path}").format(path=out))
    return 0


def criteria_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        sets = criteria.list_sets(db)
    if not sets:
        _out(_("No criteria set is loaded yet."))
        return 0
    header(_("Code"), _("Version"), _("Index"), _("Period"), _("Criteria"), _("Name"))
    for s in sets:
        sample = " " + _("(sample)") if s.is_sample else ""
        _out(f"{s.code}\tv{s.version}\t{s.index_kind}\t{s.period}\t{s.nodes}\t{s.name}{sample}")
    return 0


def assessment_new(args: argparse.Namespace) -> int:
    with _db(args) as db:
        info = assessments.new_assessment(db, args.period, args.set_code, args.set_version)
    _out(
        _("Started the {year} assessment of {unit} with criteria set {code}.").format(
            year=info.year, unit=info.unit_name, code=info.set_code
        )
    )
    return 0


def assessment_show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        v = assessments.view(db, args.period)
    _out(render.assessment_tree(v, args.depth))
    return 0


def assessment_status(args: argparse.Namespace) -> int:
    """``assessment status submitted|draft`` are ``submit`` and ``withdraw``; the appraiser's
    states are refused by the service with one sentence."""
    with _db(args) as db:
        info = assessments.get_info(db, args.period)
        info = submission.change_status(db, info.id, AssessmentStatus(args.status))
    _out(
        _("The {year} assessment is now: {status}").format(
            year=info.year, status=render.status_text(info.status)
        )
    )
    return 0


def assessment_submit(args: argparse.Namespace) -> int:
    with _db(args) as db:
        info = assessments.get_info(db, args.period)
        done = submission.submit(
            db, info.id, allow_incomplete=args.allow_incomplete, reason=args.reason or ""
        )
    _out(
        _("The {year} self-assessment is submitted. Write the package for the appraiser with "
          "'parapp sync export --kind submission'.").format(year=done.info.year)
    )
    if done.gaps:
        _err(
            _("Submitted incomplete ({n} criteria); the package tells the appraiser why: "
              "{reason}").format(n=len(done.gaps), reason=done.reason)
        )
    return 0


def assessment_withdraw(args: argparse.Namespace) -> int:
    with _db(args) as db:
        info = assessments.get_info(db, args.period)
        info = submission.withdraw(db, info.id)
    _out(
        _("The {year} self-assessment is a draft again. If the package was already handed "
          "over, submit and send it again when it is ready.").format(year=info.year)
    )
    return 0


def scores_import(args: argparse.Namespace) -> int:
    with _db(args) as db:
        result = import_scores(db, Path(args.file), args.period)
    _out(
        _("Read {rows} rows; {changed} criteria changed.").format(
            rows=result.rows, changed=result.changed
        )
    )
    return 0


def evidence_add(args: argparse.Namespace) -> int:
    with _db(args) as db:
        info = evidence.add_evidence(
            db,
            Path(args.file),
            node_codes=[c for c in args.nodes.split(",") if c.strip()],
            title=args.title,
            doc_number=args.number,
            doc_date=_date(args.date),
            year=args.period,
            update=args.update,
        )
    done = {
        evidence.Outcome.ADDED: _("Stored {title} ({sha}); linked to: {nodes}"),
        evidence.Outcome.LINKED: _("{title} ({sha}) was stored already; linked to: {nodes}"),
        evidence.Outcome.UNCHANGED: _(
            "{title} ({sha}) is stored already with these details and links; nothing was changed."
        ),
        evidence.Outcome.UPDATED: _("Updated {title} ({sha}): {changes}; linked to: {nodes}"),
    }[info.outcome]
    _out(
        done.format(
            title=info.citation,
            sha=info.sha256[:12],
            nodes=", ".join(info.node_codes) or "-",
            changes="; ".join(message(c) for c in info.changes),
        )
    )
    for warning in info.warnings:
        _err(message(warning))
    return 0


def evidence_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        items = evidence.list_evidence(db, args.period)
    if items:
        header(_("Code"), _("Document"), _("Criteria"))
    for e in items:
        nodes = ", ".join(e.node_codes) or _("(not linked to a criterion yet)")
        _out(f"{e.sha256[:12]}\t{e.citation}\t{nodes}")
    return 0


def _area(text: str) -> tuple[str, Decimal, int | None]:
    """ "1=13,63" or "1=13,63:9" (area code, points, rank)."""
    code, sep, rest = text.partition("=")
    points_text, _sep, rank_text = rest.partition(":")
    points = _number(points_text, "--area")
    if not sep or not code.strip() or points is None:
        raise ServiceError("--area: '{value}' should look like 1=13,63 or 1=13,63:9.", value=text)
    try:
        rank = int(rank_text) if rank_text.strip() else None
    except ValueError:
        raise ServiceError(
            "--area: '{value}' should look like 1=13,63 or 1=13,63:9.", value=text
        ) from None
    return code.strip(), points, rank


def result_set(args: argparse.Namespace) -> int:
    given = {
        "index": _number(args.index, "--index"),
        "points": _number(args.points, "--points"),
        "max_points": _number(args.max_points, "--max-points"),
        "rank": args.rank,
        "rank_of": args.rank_of,
        "band": clean(args.band) or None,
        "decision_number": clean(args.decision_number) or None,
        "decision_date": _date(args.decision_date),
        "issuer": clean(args.issuer) or None,
        "areas": [_area(a) for a in args.area] if args.area else None,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with _db(args) as db:
        stored = results.amend_result(db, changes, year=args.period)
    _out(_("Recorded the published result: {index}.").format(index=format_percent(stored.index)))
    return 0


def result_import(args: argparse.Namespace) -> int:
    with _db(args) as db:
        stored = results.import_result_file(db, Path(args.file))
    _out(_("Recorded the published result: {index}.").format(index=format_percent(stored.index)))
    return 0


def result_rank(args: argparse.Namespace) -> int:
    with _db(args) as db:
        rows = results.compute_ranking(db, args.set_code, args.period)
    if rows:
        header(_("Rank"), _("Index"), _("Unit code"), _("Unit"))
    for row in rows:
        _out(
            f"{row.rank}/{len(rows)}\t{format_percent(row.index)}\t{row.unit_code}\t{row.unit_name}"
        )
    return 0


def plan_draft(args: argparse.Namespace) -> int:
    if args.annual:
        with _db(args) as db:
            plan = draft_annual_plan(
                db, args.annual, default_lead=args.lead, replace_existing=args.replace
            )
        _out(_("Drafted the annual reform plan {year}: {n} tasks.").format(
            year=plan.year, n=len(plan.items)))
        return 0
    if args.reset and not args.replace:
        raise ServiceError("--reset only goes with --replace.")
    with _db(args) as db:
        plan = plans.draft_plan(
            db,
            args.period,
            include_full_marks=args.keep_full_marks,
            carry_over_unfinished=args.carry_over,
            replace_existing=args.replace,
            reset_document=args.reset,
            default_lead=args.lead,
            default_coordinating=args.coordinating,
        )
    if plan.replaced is not None:
        _out(render.replaced_text(plan))
    _out(render.plan_text(plan, date.today()))
    for warning in plan.warnings:
        _err(_("Warning: {text}").format(text=message(warning)))
    return 0


def plan_edit(args: argparse.Namespace) -> int:

    kind = plans.KIND_ANNUAL if args.annual else plans.KIND_REMEDIATION
    texts = {
        name: getattr(args, name)
        for name in ("place", "summary", "purposes", "requirements", "solutions", "organisation")
        if getattr(args, name) is not None
    }
    with _db(args) as db:
        signer = None
        signer_given = {
            "body": args.signer_body, "head_title": args.signer_head,
            "position": args.signer_position, "name": args.signer_name,
        }
        if args.signer_mode or any(v is not None for v in signer_given.values()):
            signer = plans.get_plan(db, args.year, kind).document.signer
            if args.signer_mode:
                mode = SignMode.DIRECT if args.signer_mode == "direct" else SignMode(
                    args.signer_mode + ".")
                signer = _replace(signer, mode=mode)
            signer = _replace(signer, **{k: v for k, v in signer_given.items() if v is not None})
        document = plans.update_document(
            db, args.year, kind, signer=signer,
            recipients=tuple(args.recipient) if args.recipient else None,
            legal_bases=tuple(args.basis) if args.basis else None,
            **texts,
        )
    _out(_("Saved. Signer: {signer}").format(
        signer=" / ".join(filter(None, (document.signer.mode.value, document.signer.position,
                                        document.signer.name))) or "-"))
    return 0


def plan_show(args: argparse.Namespace) -> int:
    as_of = _date(args.as_of) or date.today()
    with _db(args) as db:
        plan = plans.get_plan(db, args.year)
    _out(render.plan_text(plan, as_of))
    return 0


def backup_make(args: argparse.Namespace) -> int:
    to = Path(args.to) if args.to else None
    report = backups.make_with_files(resolve_db_path(args.db), to=to, full=args.full)
    _out(_("Backup written: {path}").format(path=report.info.path))
    _out(
        _("{files} evidence and document files ({new} new), checked.").format(
            files=report.files_total, new=report.files_copied
        )
    )
    for rel in report.damaged:
        _err(_("Warning: the stored file {name} is damaged and was not backed up.").format(
            name=rel))
    return 0


def _kind_text(kind: str) -> str:
    return {
        "full": _("full"),
        "routine": _("database + files"),
    }.get(kind, _("database only"))


def backup_list(args: argparse.Namespace) -> int:
    if args.source:
        found = backups.in_folder(Path(args.source))
    else:
        found = backups.available(resolve_db_path(args.db))
    if not found:
        _out(_("There are no backups yet."))
        return 0
    header(_("File"), _("Made"), _("Reason"), _("Size"), _("Kind"))
    for b in found:
        _out(
            f"{b.path.name}\t{format_date(b.created.date())} {b.created:%H:%M:%S}\t{b.reason}\t"
            f"{b.size // 1024} KB\t{_kind_text(b.kind)}"
        )
    return 0


def _show_summary(summary: backups.BackupSummary) -> None:
    info = summary.info
    _out(_("Backup: {path}").format(path=info.path))
    _out(
        _("Made: {date} {time} ({reason}, {kind})").format(
            date=format_date(info.created.date()),
            time=f"{info.created:%H:%M:%S}",
            reason=info.reason or "-",
            kind=_kind_text(info.kind),
        )
    )
    counts = summary.counts
    _out(
        _("Contains: {a} assessments, {e} evidence files, {d} issued documents.").format(
            a=counts.get("assessments", 0),
            e=counts.get("evidence", 0),
            d=counts.get("issued_documents", 0),
        )
    )


def backup_show(args: argparse.Namespace) -> int:
    path = backups.find(resolve_db_path(args.db), args.name)
    _show_summary(backups.describe(path))
    return 0


def backup_restore(args: argparse.Namespace) -> int:
    db_path = resolve_db_path(args.db)
    path = backups.find(db_path, args.name)
    _show_summary(backups.describe(path))
    if not args.yes:
        raise ServiceError(
            "Restoring replaces the current data (it is backed up first). Add --yes to confirm."
        )
    report = backups.restore_with_files(db_path, str(path))
    if report.fresh:
        _out(_("Restored {name} into {path}.").format(name=path.name, path=db_path))
    else:
        _out(
            _("Restored {name}. The data it replaced was kept as {kept}.").format(
                name=path.name, kept=report.kept.path.name
            )
        )
    if report.files_copied:
        _out(_("{n} evidence and document files were put back.").format(n=report.files_copied))
    for rel in report.missing:
        _err(_("Warning: {name} is mentioned by the data but is in no backup.").format(name=rel))
    return 0


def demo(args: argparse.Namespace) -> int:
    for name, path in build_demo(Path(args.dir), progress=_err):
        _out(f"{name}\t{path}")
    return 0
