"""The audit trail: every change to a score, an evidence link, a plan item or a document,
written to ``audit_log`` by a ``before_flush`` listener as the change is flushed.

Recording at flush time, not in each service, means no code path can forget it: the CLI,
the GUI, an import and a later service all go through the same session. Values are stored
as text that reads the same in every database (a Decimal as "0.5", nothing as ""), and each
row names its record by a key that travels with a submission (a node's code, an item's
uuid, a document's SHA-256), so an appraiser receiving the history reads the same keys.

Who: ``session.info["actor"]`` when the caller set it, else on a server the connected council
member's name, else the setting ``clerk_name``; on a server, ``login`` is the login that made
the change, filled by the server itself (migration 0010).
Where from: ``session.info["audit_source"]`` (the sync import sets ``"package:<id>"``),
else ``"local"``. ``session.info["audit"] = False`` records nothing (an import that brings
the sender's own history instead).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from parapp.domain.numbers import normalize

from .council import member_name
from .models import (
    AssessmentRow,
    AuditRow,
    EvidenceLinkRow,
    EvidenceRow,
    IssuedDocumentRow,
    NodeScoreRow,
    PlanItemRow,
    PlanRow,
    ProgressUpdateRow,
    Setting,
)

ACTOR_SETTING = "clerk_name"
LOCAL = "local"

# Entities, as stored in audit_log.entity.
NODE = "node"  # entity_key: the node's code; assessment_uuid: its assessment
EVIDENCE_LINK = "evidence_link"  # entity_key: the node's code; values: the document's SHA-256
EVIDENCE = "evidence"  # entity_key: the document's SHA-256 (not tied to one assessment)
PLAN = "plan"  # entity_key: the plan's uuid
PLAN_ITEM = "plan_item"  # entity_key: the item's uuid
DOCUMENT = "document"  # entity_key: the issued document's uuid

# Fields that are not columns.
CREATED = "created"
DELETED = "deleted"
LINKED = "evidence"
PROGRESS = "progress_update"
ISSUED = "issued"
SIGNED = "signed"

NODE_FIELDS = (
    "declared_json",
    "self_score",
    "not_applicable",
    "explanation",
    "appraised_score",
    "appraisal_comment",
    "survey_score",
)
EVIDENCE_FIELDS = ("title", "doc_number", "doc_date")
# Every field the clerk edits; deadline_kind/start/end are parsed from deadline_text and
# position only orders the table, so they would repeat or add noise.
ITEM_FIELDS = (
    "shortcoming",
    "tasks",
    "product",
    "lead",
    "coordinating",
    "deadline_text",
    "status",
    "progress",
    "keep_up",
    "node_codes",
    "points_lost",
    "index_kind",
    "removed_at",  # removed from the plan (a time) or restored (blank)
)
PLAN_FIELDS = ("status", "revision")
DOCUMENT_PREFIX = "document."

# Bound by name: the drivers differ in their placeholders ("?" for sqlite3, "%s" psycopg).
_SETTING_SQL = text("SELECT value FROM settings WHERE key = :key")
# What a field holds before anything was entered: an insert records only what differs.
_BLANK = {"declared_json": "{}", "not_applicable": "false", "keep_up": "false", "progress": "0"}


def as_text(value: Any) -> str:
    """A value as stored in the trail: exact, locale-free, the same in every database."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{normalize(value):f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _history(obj: object, key: str) -> tuple[str, str] | None:
    """(old, new) as text when the attribute changed in this flush, else None."""
    hist = inspect(obj).attrs[key].history
    if not hist.added and not hist.deleted:
        return None
    old = as_text(hist.deleted[0]) if hist.deleted else ""
    new = as_text(hist.added[0]) if hist.added else ""
    return (old, new) if old != new else None


def _setting(session: Session, key: str) -> str:
    """A setting's value, by the cheapest path: a loaded (maybe just edited) row first,
    else one plain SELECT on the primary key (no ORM object for a name read per flush)."""
    loaded = session.identity_map.get(identity_key(Setting, key))
    if isinstance(loaded, Setting):
        return loaded.value or ""
    value = (
        session.connection()
        .execute(_SETTING_SQL, {"key": key})
        .scalar()
    )
    return str(value or "")


class _Flush:
    """One flush's worth of audit rows, with lookups cached for its duration."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: list[dict[str, Any]] = []
        self._uuids: dict[int, str] = {}
        self._actor: str | None = None
        self._at = datetime.now().replace(microsecond=0)
        self._source = str(session.info.get("audit_source") or LOCAL)
        self._progress_seen: set[int] = set()

    # -- lookups (the identity map answers most of them without SQL) ---------------------
    def actor(self) -> str:
        if self._actor is None:
            actor = self.session.info.get("actor")
            if actor is None:
                # On a server, the council member connected (its login is in ``login``).
                actor = member_name(self.session)
            if actor is None:
                actor = _setting(self.session, ACTOR_SETTING)
            self._actor = str(actor)
        return self._actor

    def assessment_uuid(self, assessment_id: int | None) -> str:
        if assessment_id is None:
            return ""
        if assessment_id not in self._uuids:
            row = self.session.get(AssessmentRow, assessment_id)
            self._uuids[assessment_id] = row.uuid if row is not None else ""
        return self._uuids[assessment_id]

    def plan_of(self, obj: PlanItemRow) -> PlanRow | None:
        if obj.plan is not None:
            return obj.plan
        return self.session.get(PlanRow, obj.plan_id) if obj.plan_id is not None else None

    # -- writing -------------------------------------------------------------------------
    def add(self, entity: str, key: str, assessment: str, field: str, old: str, new: str) -> None:
        self.rows.append(
            {
                "at": self._at,
                "actor": self.actor(),
                "entity": entity,
                "entity_key": key,
                "assessment_uuid": assessment,
                "field": field,
                "old_value": old,
                "new_value": new,
                "source": self._source,
            }
        )

    def write(self) -> None:
        """The rows, in one executemany: nothing reads them back in the session, and the
        unit of work would insert them one by one (RETURNING each id)."""
        if self.rows:
            self.session.connection().execute(insert(AuditRow), self.rows)
            self.rows = []

    def changes(
        self, obj: object, fields: Iterable[str], state: str
    ) -> Iterator[tuple[str, str, str]]:
        """(field, old, new) for each audited field that this flush changes."""
        for key in fields:
            if state == "new":
                new = as_text(getattr(obj, key))
                if new != _BLANK.get(key, ""):
                    yield key, "", new
            elif state == "deleted":
                old = as_text(getattr(obj, key))
                if old != _BLANK.get(key, ""):
                    yield key, old, ""
            else:
                change = _history(obj, key)
                if change is not None:
                    yield key, *change

    # -- one method per audited class ----------------------------------------------------
    def node_score(self, obj: NodeScoreRow, state: str) -> None:
        assessment = self.assessment_uuid(obj.assessment_id)
        for field, old, new in self.changes(obj, NODE_FIELDS, state):
            self.add(NODE, obj.node_code, assessment, field, old, new)

    def evidence_link(self, obj: EvidenceLinkRow, state: str) -> None:
        if state == "dirty":
            return  # links are only ever added or removed
        evidence = obj.evidence
        if evidence is None and obj.evidence_id is not None:
            evidence = self.session.get(EvidenceRow, obj.evidence_id)
        sha = evidence.sha256 if evidence is not None else ""
        old, new = ("", sha) if state == "new" else (sha, "")
        assessment = self.assessment_uuid(obj.assessment_id)
        self.add(EVIDENCE_LINK, obj.node_code, assessment, LINKED, old, new)

    def evidence(self, obj: EvidenceRow, state: str) -> None:
        for field, old, new in self.changes(obj, EVIDENCE_FIELDS, state):
            self.add(EVIDENCE, obj.sha256, "", field, old, new)

    def plan_item(self, obj: PlanItemRow, state: str) -> None:
        plan = self.plan_of(obj)
        assessment = self.assessment_uuid(plan.assessment_id if plan is not None else None)
        if state == "new":
            # One row, not one per field: drafting a plan makes dozens of items at once.
            self.add(PLAN_ITEM, obj.uuid, assessment, CREATED, "", obj.tasks or obj.shortcoming)
        elif state == "deleted":
            self.add(PLAN_ITEM, obj.uuid, assessment, DELETED, obj.tasks or obj.shortcoming, "")
        else:
            for field, old, new in self.changes(obj, ITEM_FIELDS, state):
                self.add(PLAN_ITEM, obj.uuid, assessment, field, old, new)
        if state != "deleted":
            for update in inspect(obj).attrs["updates"].history.added:
                self.progress(update, obj, assessment)

    def progress_row(self, obj: ProgressUpdateRow, state: str) -> None:
        """An update added by item_id rather than through an item's ``updates`` list."""
        if state != "new" or id(obj) in self._progress_seen or obj.item_id is None:
            return
        item = self.session.get(PlanItemRow, obj.item_id)
        if item is not None:
            plan = self.plan_of(item)
            assessment = self.assessment_uuid(plan.assessment_id if plan is not None else None)
            self.progress(obj, item, assessment)

    def progress(self, obj: ProgressUpdateRow, item: PlanItemRow, assessment: str) -> None:
        self._progress_seen.add(id(obj))
        value = json.dumps(
            {"on": as_text(obj.on_date), "percent": obj.percent, "note": obj.note or ""},
            ensure_ascii=False,
            sort_keys=True,
        )
        self.add(PLAN_ITEM, item.uuid, assessment, PROGRESS, "", value)

    def plan(self, obj: PlanRow, state: str) -> None:
        assessment = self.assessment_uuid(obj.assessment_id)
        if state == "new":
            self.add(PLAN, obj.uuid, assessment, CREATED, "", f"{obj.kind} {obj.year}")
            return
        if state == "deleted":
            self.add(PLAN, obj.uuid, assessment, DELETED, f"{obj.kind} {obj.year}", "")
            return
        for field, old, new in self.changes(obj, PLAN_FIELDS, state):
            self.add(PLAN, obj.uuid, assessment, field, old, new)
        change = _history(obj, "document_json")
        if change is not None:
            for field, old, new in document_changes(*change):
                self.add(PLAN, obj.uuid, assessment, DOCUMENT_PREFIX + field, old, new)

    def issued(self, obj: IssuedDocumentRow, state: str) -> None:
        assessment = self.assessment_uuid(obj.assessment_id)
        if state == "new":
            reference = f"{obj.number}/{obj.symbol} {as_text(obj.issued_on)} r{obj.revision}"
            self.add(DOCUMENT, obj.uuid, assessment, ISSUED, "", reference)
            if obj.signed_sha256:
                self.add(DOCUMENT, obj.uuid, assessment, SIGNED, "", obj.signed_sha256)
        elif state == "dirty":
            change = _history(obj, "signed_sha256")
            if change is not None:
                self.add(DOCUMENT, obj.uuid, assessment, SIGNED, *change)


def _flat(data: Any, prefix: str = "") -> dict[str, str]:
    """A document's JSON as field -> text: lists one entry a line, the signer per field."""
    out: dict[str, str] = {}
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        elif isinstance(value, list):
            out[name] = "\n".join(as_text(v) for v in value)
        else:
            out[name] = as_text(value)
    return out


def document_changes(old_json: str, new_json: str) -> list[tuple[str, str, str]]:
    """The document fields that differ between two versions of ``plans.document_json``."""
    try:
        old = _flat(json.loads(old_json or "{}"))
        new = _flat(json.loads(new_json or "{}"))
    except ValueError:
        return [("json", old_json, new_json)]
    return [
        (key, old.get(key, ""), new.get(key, ""))
        for key in sorted(old.keys() | new.keys())
        if old.get(key, "") != new.get(key, "")
    ]


_HANDLERS: dict[type, str] = {
    NodeScoreRow: "node_score",
    EvidenceLinkRow: "evidence_link",
    EvidenceRow: "evidence",
    PlanItemRow: "plan_item",
    PlanRow: "plan",
    IssuedDocumentRow: "issued",
}
# After the items: an update appended to an item's list is recorded there, with its item.
_LAST: dict[type, str] = {ProgressUpdateRow: "progress_row"}


def before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Write an audit row for every audited change in this flush, in the flush's
    transaction (a failed flush rolls them back with it)."""
    if session.info.get("audit") is False:
        return
    flush: _Flush | None = None
    # Lookups below may query; the session is already flushing, but say so explicitly.
    with session.no_autoflush:
        changed = (
            ("new", list(session.new)),
            ("dirty", list(session.dirty)),
            ("deleted", list(session.deleted)),
        )
        for handlers in (_HANDLERS, _LAST):
            for state, objects in changed:
                for obj in objects:
                    name = handlers.get(type(obj))
                    if name is None:
                        continue
                    if flush is None:
                        flush = _Flush(session)
                    getattr(flush, name)(obj, state)
    if flush is not None:
        flush.write()


def insert_evidence(session: Session, documents: list[dict[str, Any]],
                    links: list[tuple[str, int, str]], ids: dict[str, int]) -> None:
    """Insert new evidence rows (``documents``: their column values) and new links
    (``(sha256, assessment_id, node_code)``) with one statement each, not through the unit
    of work (which inserts an import's rows one by one), with the same audit rows a flush
    of those objects would write. ``ids`` maps the SHA-256 of documents already here to
    their row ids; the new ones are added to it. The caller flushed pending changes first."""
    connection = session.connection()
    if documents:
        table = EvidenceRow.__table__
        # An executemany and a read of the new ids: statements compiled once, where a
        # multi-row INSERT ... RETURNING is compiled anew for every count of rows (and
        # SQLite does not promise RETURNING follows the order of the rows). The new rows are
        # those above the largest id before them: another unit's row of the same file (a
        # SHA-256 is one row per unit) is not one of them.
        before = connection.execute(select(func.max(table.c.id))).scalar() or 0
        connection.execute(insert(EvidenceRow), documents)
        ids.update((sha, int(row_id)) for sha, row_id in connection.execute(
            select(table.c.sha256, table.c.id).where(table.c.id > before)))
    if links:
        connection.execute(insert(EvidenceLinkRow), [
            {"evidence_id": ids[sha], "assessment_id": assessment, "node_code": code}
            for sha, assessment, code in links])
    if session.info.get("audit") is False:
        return
    flush = _Flush(session)
    for values in documents:
        for field, _old, new in flush.changes(_Values(values), EVIDENCE_FIELDS, "new"):
            flush.add(EVIDENCE, values["sha256"], "", field, "", new)
    for sha, assessment, code in links:
        flush.add(EVIDENCE_LINK, code, flush.assessment_uuid(assessment), LINKED, "", sha)
    flush.write()


class _Values:
    """Column values read as attributes (what ``_Flush.changes`` reads of a new object)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _keep_old_values() -> None:
    """Have SQLAlchemy load an attribute's old value before it is overwritten even when it
    was expired (otherwise the history would know only the new value)."""
    audited = (
        (NodeScoreRow, NODE_FIELDS),
        (EvidenceRow, EVIDENCE_FIELDS),
        (PlanItemRow, ITEM_FIELDS),
        (PlanRow, (*PLAN_FIELDS, "document_json")),
        (IssuedDocumentRow, ("signed_sha256",)),
    )
    for cls, fields in audited:
        for key in fields:
            event.listen(getattr(cls, key), "set", _noop_set, active_history=True)


_attributes_ready = False


def _noop_set(_target: Any, _value: Any, _old: Any, _initiator: Any) -> None:
    """Registered only for ``active_history``; the set itself is left as it is."""


def install(factory: sessionmaker[Session]) -> None:
    """Record the audit trail for every session ``factory`` makes (call it once per
    factory: a second call would record every change twice)."""
    global _attributes_ready
    if not _attributes_ready:
        _keep_old_values()
        _attributes_ready = True
    # No event.contains() guard: the registry is keyed by id(), and a new factory may get
    # the id of one already collected, which would then wrongly look installed.
    event.listen(factory, "before_flush", before_flush)
