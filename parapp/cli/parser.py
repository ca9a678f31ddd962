"""Argument parsing for ``parapp``; each sub-command names its handler."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from parapp import __version__
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.roles import Role
from parapp.i18n import N_, _

from . import (
    appraise_cmds,
    history_cmds,
    hub_cmds,
    office_cmds,
    plan_cmds,
    profile_cmds,
    record_cmds,
    sync_cmds,
    whatif_cmds,
    year_cmds,
)
from . import documents as d
from . import handlers as h
from .handlers import _year
from .language import Formatter
from .options import DECISION_DATE_HELP, DECISION_NUMBER_HELP, SIGNER_MODE_HELP, add_period


class _Parser(argparse.ArgumentParser):
    """Usage mistakes get one sentence on stderr, like every other error; help is printed
    in the chosen language (sub-command parsers are made with this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(
            2,
            _("The command was not understood: {detail}. See '{prog} --help'.").format(
                detail=message, prog=self.prog
            )
            + "\n",
        )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="parapp",
        description="PAR Index self-assessment and remediation plans (parapp).",
    )
    p.add_argument("--version", action="version", version=f"parapp {__version__}")
    p.add_argument("--db", help="database file (default: parapp.sqlite3 in the data folder)")
    p.add_argument("--lang", choices=("vi", "en"), help="language of messages (default vi)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("init", help="create the office's database and say who the office is")
    c.add_argument("--unit-code", help="official unit code, e.g. 06172")
    c.add_argument("--unit-name", help="unit name, e.g. 'Xã Hoàng Văn Thụ'")
    c.add_argument(
        "--kind",
        default=None,
        choices=(
            "commune",
            "ward",
            "special_zone",
            "township",
            "district",
            "province",
            "department",
        ),
        help="the kind of unit (default: as in the official list)",
    )
    c.add_argument("--appraiser-code", default=None,
                   help="the appraising office's unit code (default: as in the official list)")
    c.add_argument("--appraiser-name", default=None, help="e.g. 'Sở Nội vụ tỉnh Lạng Sơn'")
    c.add_argument("--province", default=None,
                   help="the province's name, e.g. 'Lạng Sơn' (default: as in the official list)")
    c.add_argument("--role", choices=[r.value for r in Role], default=Role.COMMUNE.value,
                   help="commune: the unit assesses itself; appraiser: the appraising office "
                   "(default: commune)")
    c.add_argument("--sample", action="store_true", help="also load the sample criteria set")
    c.add_argument(
        "--change-unit",
        action="store_true",
        help="let an existing database become another unit's",
    )
    c.set_defaults(handler=h.init)

    crit = sub.add_parser("criteria", help="criteria sets").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = crit.add_parser("import", help="load a criteria set from .json or .xlsx")
    c.add_argument("file", help="the .json or .xlsx file to load")
    c.set_defaults(handler=h.criteria_import)
    c = crit.add_parser("export", help="write a criteria set to .json or .xlsx")
    c.add_argument("file", help="the .json or .xlsx file to write")
    c.add_argument("--code", help="criteria set code (default: latest loaded)")
    c.add_argument("--set-version", type=int, help="the set's version (default: the latest)")
    c.set_defaults(handler=h.criteria_export)
    c = crit.add_parser("list", help="list the loaded criteria sets")
    c.set_defaults(handler=h.criteria_list)

    a = sub.add_parser("assessment", help="assessments").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = a.add_parser("new", help="start the self-assessment of a year")
    add_period(c, _year, required=True)
    c.add_argument("--set", dest="set_code", help="criteria set code (default: latest loaded)")
    c.add_argument("--set-version", type=int, help="the set's version (default: the latest)")
    c.set_defaults(handler=h.assessment_new)
    year_cmds.add_copy_option(c)
    c = a.add_parser("show", help="the criteria tree with scores, totals and index")
    add_period(c, _year)
    c.add_argument("--depth", type=int, help="show only this many levels (0 = areas)")
    c.set_defaults(handler=h.assessment_show)
    c = a.add_parser("submit", help="check the self-assessment and mark it submitted")
    add_period(c, _year)
    c.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="submit even though the check finds criteria missing (needs --reason)",
    )
    c.add_argument("--reason", default="", help="why it is submitted incomplete")
    c.set_defaults(handler=h.assessment_submit)
    c = a.add_parser("withdraw", help="take a submission back to draft (before any result)")
    add_period(c, _year)
    c.set_defaults(handler=h.assessment_withdraw)
    # Kept for scripts: "submitted" is submit (with its check), "draft" is withdraw; the
    # appraiser's states are accepted by the parser so the refusal is a sentence.
    c = a.add_parser("status", help="'submitted' = submit, 'draft' = withdraw")
    c.add_argument("status", choices=[s.value for s in AssessmentStatus],
                   help="submitted or draft")
    add_period(c, _year)
    c.set_defaults(handler=h.assessment_status)
    record_cmds.add_assessment_list(a)
    year_cmds.add_copy_last_year(a)

    s = sub.add_parser("scores", help="self scores").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = s.add_parser("import", help="self scores from CSV or XLSX (all rows or none)")
    c.add_argument("file", help="the .csv or .xlsx file of self scores")
    add_period(c, _year)
    c.set_defaults(handler=h.scores_import)
    record_cmds.add_scores_set(s)
    year_cmds.add_scores_export(s)

    e = sub.add_parser("evidence", help="evidence documents").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = e.add_parser("add", help="add a document and link it to criteria")
    c.add_argument("file", help="the document's file (PDF, a scan, Word …)")
    c.add_argument("--nodes", default="", help="criterion codes, comma-separated")
    c.add_argument("--title", default="", help="its title, e.g. 'Kế hoạch CCHC năm 2025'")
    c.add_argument("--number", default="", help="document number, e.g. 12/KH-UBND")
    c.add_argument("--date", default=None, help="document date, dd/mm/yyyy")
    c.add_argument(
        "--update",
        action="store_true",
        help="change the title, number or date of a file stored already",
    )
    add_period(c, _year)
    c.set_defaults(handler=h.evidence_add)
    c = e.add_parser("list", help="documents linked to the assessment")
    add_period(c, _year)
    c.set_defaults(handler=h.evidence_list)
    record_cmds.add_evidence_edits(e)

    r = sub.add_parser("result", help="the published result").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = r.add_parser(
        "set",
        help="type in the published result",
        description="type in the published result, as the decision announcing it gives it\n\n"
        "example:\n  parapp result set --year 2025 --index 86,50 --rank 12 --rank-of 65 "
        "--decision-number 70/QĐ-UBND",
    )
    c.add_argument("--index", help="the published index, e.g. 86,50 (needed the first time)")
    c.add_argument("--points", help="the published points, e.g. 84,96")
    c.add_argument("--max-points", help="the maximum points, e.g. 100")
    c.add_argument("--rank", type=int, help="the published rank, e.g. 12")
    c.add_argument("--rank-of", type=int, help="how many units were ranked, e.g. 65")
    c.add_argument("--band", default="", help="the published band, e.g. 'Tốt'")
    c.add_argument("--decision-number", default="", help=DECISION_NUMBER_HELP)
    c.add_argument("--decision-date", default=None, help=DECISION_DATE_HELP)
    c.add_argument("--issuer", default="", help="who issued the decision")
    c.add_argument(
        "--area",
        action="append",
        metavar="CODE=POINTS[:RANK]",
        help="an area's published points and rank, e.g. 1=13,63:9 (repeatable)",
    )
    add_period(c, _year)
    c.set_defaults(handler=h.result_set)
    c = r.add_parser("import", help="import a published-result file (.json)")
    c.add_argument("file", help="the published-result file (.json)")
    c.set_defaults(handler=h.result_import)
    c = r.add_parser("rank", help="rank all units in this database (appraiser)")
    c.add_argument("--set", dest="set_code", required=True, help="criteria set code")
    add_period(c, _year, required=True)
    c.set_defaults(handler=h.result_rank)
    profile_cmds.add_index_result_commands(r, _year)

    pl = sub.add_parser("plan", help="remediation plan").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = pl.add_parser("draft", help="draft items from the criteria that lost points")
    c.add_argument(
        "--period",
        "--year",
        dest="period",
        type=_year,
        help="assessed year (default: latest); the plan is for the next year",
    )
    c.add_argument(
        "--maintain",
        "--keep-full-marks",
        dest="keep_full_marks",
        action="store_true",
        help="also an item per area for its criteria at full marks ('tiếp tục duy trì')",
    )
    c.add_argument("--carry-over", action="store_true", help="copy last plan's unfinished items")
    c.add_argument("--lead", default="", help="default lead unit for new items")
    c.add_argument("--coordinating", default="", help="default coordinating units for new items")
    c.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing draft's items (its document fields are kept)",
    )
    c.add_argument(
        "--reset",
        action="store_true",
        help="with --replace: also reset signer, recipients, bases and texts to the defaults",
    )
    c.add_argument(
        "--annual", type=_year, metavar="YEAR",
        help="draft the annual reform plan of YEAR instead (tasks by reform area)",
    )
    c.set_defaults(handler=h.plan_draft)
    c = pl.add_parser("show", help="the plan's items, overdue ones marked")
    c.add_argument("--year", type=_year, help="plan year (default: latest)")
    c.add_argument("--as-of", default=None, help="dd/mm/yyyy (default: today)")
    c.set_defaults(handler=h.plan_show)
    c = pl.add_parser("edit", help="the plan's document fields: place, texts, recipients, signer")
    c.add_argument("--year", type=_year, help="plan year (default: latest)")
    c.add_argument("--annual", action="store_true", help="the annual reform plan")
    texts = {
        "place": N_("the place written before the date, e.g. 'Hoàng Văn Thụ'"),
        "summary": N_("the summary under the number (trích yếu)"),
        "purposes": N_("the text of the section on purposes"),
        "requirements": N_("the text of the section on requirements"),
        "solutions": N_("the text of the section on solutions"),
        "organisation": N_("the text of the section on organising the work"),
    }
    for name, text in texts.items():
        c.add_argument(f"--{name}", help=text)
    c.add_argument("--recipient", action="append", help="one recipient (repeatable)")
    c.add_argument("--basis", action="append", help="one legal basis (repeatable)")
    c.add_argument("--signer-mode", choices=("TM", "KT", "Q", "TL", "TUQ", "direct"),
                   help=SIGNER_MODE_HELP)
    c.add_argument("--signer-body", help="e.g. 'ỦY BAN NHÂN DÂN'")
    c.add_argument("--signer-head", help="whose authority KT./Q./TL./TUQ. stand for")
    c.add_argument("--signer-position", help="e.g. 'PHÓ CHỦ TỊCH'")
    c.add_argument("--signer-name", help="the signer's full name")
    c.set_defaults(handler=h.plan_edit)
    d.add_commands(pl, sub)
    plan_cmds.add_commands(pl)
    whatif_cmds.add_commands(pl)

    office = sub.add_parser("office", help="the office's own lists and wording").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    office_cmds.add_department_commands(office)
    profile_cmds.add_profile_commands(office)

    b = sub.add_parser("backup", help="backups of the database").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = b.add_parser("make", help="make a backup now (database + new evidence and documents)")
    c.add_argument(
        "--full",
        action="store_true",
        help="read every file back and check it (for moving to another computer)",
    )
    c.add_argument("--to", metavar="DIR", help="write it into DIR (e.g. a USB stick)")
    c.set_defaults(handler=h.backup_make)
    c = b.add_parser("list", help="list backups, newest first")
    c.add_argument("--from", dest="source", metavar="DIR", help="list the backups in DIR")
    c.set_defaults(handler=h.backup_list)
    c = b.add_parser("show", help="a backup's date and contents")
    c.add_argument("name", help="backup file name as listed, a path, or a folder (newest)")
    c.set_defaults(handler=h.backup_show)
    c = b.add_parser("restore", help="restore a backup (the current data is backed up first)")
    c.add_argument("name", help="backup file name as listed, a path, or a folder (newest)")
    c.add_argument("--yes", action="store_true", help="confirm replacing the current data")
    c.set_defaults(handler=h.backup_restore)

    sync_cmds.register(sub)

    history_cmds.add(sub)
    c = sub.add_parser("demo", help="build a demo office with two years of history in DIR")
    c.add_argument("dir", help="an empty folder for the demo office")
    c.set_defaults(handler=h.demo)
    appraise_cmds.register(sub)
    hub_cmds.register(sub)
    return p
