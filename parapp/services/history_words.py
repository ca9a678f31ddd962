"""A change from the history in the clerk's words: field names translated, points with a
decimal comma, declared data as the table shows it ("7/10", "Có"), dates dd/MM/yyyy.

The history entries (``parapp.services.history``) hold values as stored (locale-free text,
"0.5"); the window's history list and ``parapp history`` both word them here.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from parapp.domain.numbers import NumberError, format_vi, to_decimal
from parapp.domain.remediation import ItemStatus
from parapp.domain.scoring import Declared
from parapp.i18n import N_, _, format_date, label

from .declared_words import declared_text

if TYPE_CHECKING:
    from parapp.domain.scoring import Rule

    from .history import HistoryEntry

ARROW = " → "

# Field names as the clerk reads them (msgids; translated when shown).
FIELD_LABELS: dict[str, str] = {
    "declared_json": N_("Declared data"),
    "self_score": N_("Self score"),
    "not_applicable": N_("Not applicable"),
    "explanation": N_("Explanation"),
    "appraised_score": N_("Appraised score"),
    "appraisal_comment": N_("Appraisal comment"),
    "survey_score": N_("Survey score"),
    "shortcoming": N_("Shortcoming"),
    "tasks": N_("Tasks"),
    "product": N_("Product"),
    "lead": N_("Lead unit"),
    "coordinating": N_("Coordinating units"),
    "deadline_text": N_("Deadline"),
    "status": N_("Status"),
    "progress": N_("Progress"),
    "progress_update": N_("Progress report"),
    "keep_up": N_("Keep up"),
    "node_codes": N_("Criteria"),
    "points_lost": N_("Points lost"),
    "index_kind": N_("Index"),
    "removed_at": N_("Removed from the plan"),
    "created": N_("Created"),
    "deleted": N_("Deleted"),
    "issued": N_("Issued"),
    "signed": N_("Signed"),
    "revision": N_("Revision"),
    "title": N_("Document title"),
    "doc_number": N_("Document number"),
    "doc_date": N_("Document date"),
    "document.number": N_("Document number"),
    "document.issued_on": N_("Date issued"),
    "document.summary": N_("Summary"),
    "document.signer.name": N_("Signer"),
}
SCORE_FIELDS = frozenset({"self_score", "appraised_score", "survey_score", "points_lost"})
YES_NO_FIELDS = frozenset({"not_applicable", "keep_up"})
DATE_FIELDS = frozenset({"doc_date", "document.issued_on"})


def field_label(entry: HistoryEntry) -> str:
    if entry.entity == "evidence_link":
        return _("Document linked") if entry.new else _("Document unlinked")
    text = FIELD_LABELS.get(entry.field)
    if text is not None:
        return _(text)
    if entry.field.startswith("document."):
        return _("Document text ({field})").format(field=entry.field.removeprefix("document."))
    return entry.field


def _score(value: str) -> str:
    try:
        return format_vi(to_decimal(value))
    except NumberError:
        return value


def _declared(value: str, rule: Rule | None) -> str:
    try:
        declared = Declared.from_dict(json.loads(value or "{}"))
    except (ValueError, TypeError, NumberError):
        return value
    return declared_text(rule, declared) or "—"


def _progress_update(value: str) -> str:
    try:
        data = json.loads(value)
        text = f"{format_date(date.fromisoformat(data['on']))}: {int(data['percent'])}%"
    except (ValueError, TypeError, KeyError):
        return value
    note = str(data.get("note") or "")
    return f"{text} — {note}" if note else text


def value_text(entry: HistoryEntry, value: str, rule: Rule | None = None) -> str:
    """One stored value in the clerk's words ("—" for nothing)."""
    if value == "":
        return "—"
    field = entry.field
    if field in SCORE_FIELDS:
        return _score(value)
    if field in YES_NO_FIELDS:
        return _("Yes") if value == "true" else _("No")
    if field == "declared_json":
        return _declared(value, rule)
    if field == "status" and entry.entity == "plan_item":
        try:
            return label(ItemStatus(value))
        except ValueError:
            return value
    if field == "progress":
        return f"{value}%"
    if field == "progress_update":
        return _progress_update(value)
    if field in DATE_FIELDS:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return " ".join(value.split())  # one line: a multi-line text reads as one here


def change_text(entry: HistoryEntry, rule: Rule | None = None) -> str:
    """Old → new ("2,00 → 1,40"); for a link, the document's title; for a single event
    (created, issued, a progress report), its value."""
    if entry.entity == "evidence_link":
        return entry.subject
    if entry.field in ("created", "issued", "progress_update"):
        return value_text(entry, entry.new, rule)
    if entry.field == "deleted":
        return value_text(entry, entry.old, rule)
    return value_text(entry, entry.old, rule) + ARROW + value_text(entry, entry.new, rule)
