"""SQLAlchemy 2 typed models. Services map them to domain objects; ui/ never sees them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import ExactDecimal


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class DepartmentRow(Base):
    """One of the office's departments or officers (migration 0007), offered as the lead
    and coordinating units of plan items."""

    __tablename__ = "office_departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(400), unique=True)  # case and spacing folded
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    appraiser_code: Mapped[str] = mapped_column(String(32), default="")
    appraiser_name: Mapped[str] = mapped_column(String(200), default="")
    province_name: Mapped[str] = mapped_column(String(200), default="")
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)


class CriteriaSetRow(Base):
    __tablename__ = "criteria_sets"
    __table_args__ = (UniqueConstraint("code", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    index_kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(32), default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    na_policy: Mapped[str] = mapped_column(String(16))
    bonus_may_exceed_max: Mapped[bool] = mapped_column(Boolean, default=False)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    bands_json: Mapped[str] = mapped_column(Text, default="[]")
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    nodes: Mapped[list[CriterionNodeRow]] = relationship(
        back_populates="criteria_set",
        order_by="CriterionNodeRow.position",
        cascade="all, delete-orphan",
    )


class CriterionNodeRow(Base):
    __tablename__ = "criterion_nodes"
    __table_args__ = (UniqueConstraint("set_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    part: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    title_folded: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[Decimal] = mapped_column(ExactDecimal)
    max_text: Mapped[str] = mapped_column(String(40), default="")
    rule_json: Mapped[str | None] = mapped_column(Text)
    scoring_text: Mapped[str] = mapped_column(Text, default="")
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    score_kinds: Mapped[str] = mapped_column(String(32), default="self")
    criteria_set: Mapped[CriteriaSetRow] = relationship(back_populates="nodes")


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("unit_id", "set_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    unit: Mapped[UnitRow] = relationship()
    criteria_set: Mapped[CriteriaSetRow] = relationship()


class NodeScoreRow(Base):
    __tablename__ = "node_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "node_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    node_code: Mapped[str] = mapped_column(String(32))
    declared_json: Mapped[str] = mapped_column(Text, default="{}")
    self_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")
    appraised_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    appraisal_comment: Mapped[str] = mapped_column(Text, default="")
    survey_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    needs_reappraisal: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# This office's own unit, as an expression the INSERT evaluates (see EvidenceRow.unit_id).
_OWN_UNIT = (
    select(UnitRow.id).where(UnitRow.is_self.is_(True)).order_by(UnitRow.id).limit(1)
    .scalar_subquery()
)


class EvidenceRow(Base):
    """A document as one unit filed it: its title, number and date are that unit's; the
    file itself is shared by its hash in the store (two communes sending the same file get
    a row each, so neither can retitle the other's document)."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("unit_id", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    title_folded: Mapped[str] = mapped_column(Text, default="")
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    doc_date: Mapped[date | None] = mapped_column(Date)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    # Added by migration 0005 (after the older columns). A document the clerk adds here is
    # this office's own (the default); an import always names the sending unit.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), default=_OWN_UNIT)


class EvidenceLinkRow(Base):
    __tablename__ = "evidence_links"
    __table_args__ = (UniqueConstraint("evidence_id", "assessment_id", "node_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    node_code: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[EvidenceRow] = relationship()


class PublishedResultRow(Base):
    __tablename__ = "published_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    index_value: Mapped[Decimal] = mapped_column(ExactDecimal)
    points: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    max_points: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    rank: Mapped[int | None] = mapped_column(Integer)
    rank_of: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(64), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(Text, default="")
    areas_json: Mapped[str] = mapped_column(Text, default="[]")
    source: Mapped[str] = mapped_column(String(16), default="typed")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("unit_id", "year", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32), default="remediation")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    document_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Added by migration 0002, so after the older columns (a test compares with migrations).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    unit: Mapped[UnitRow] = relationship()
    # Only the items in the plan: removed ones (restorable, see PlanItemRow.removed_at) are
    # left out here so that nothing reading a plan has to know about them.
    items: Mapped[list[PlanItemRow]] = relationship(
        back_populates="plan",
        primaryjoin="and_(PlanRow.id == PlanItemRow.plan_id, PlanItemRow.removed_at.is_(None))",
        order_by="PlanItemRow.position",
        cascade="all, delete-orphan",
    )
    removed_items: Mapped[list[PlanItemRow]] = relationship(
        primaryjoin="and_(PlanRow.id == PlanItemRow.plan_id, "
        "PlanItemRow.removed_at.is_not(None))",
        order_by="PlanItemRow.removed_at.desc()",
        viewonly=True,
    )


class PlanItemRow(Base):
    __tablename__ = "plan_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    area_code: Mapped[str | None] = mapped_column(String(32))
    node_codes: Mapped[str] = mapped_column(Text, default="")  # comma-separated codes
    index_kind: Mapped[str] = mapped_column(String(16), default="PAR")
    shortcoming: Mapped[str] = mapped_column(Text, default="")
    points_lost: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    tasks: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    coordinating: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text)
    deadline_kind: Mapped[str] = mapped_column(String(16))
    deadline_start: Mapped[date | None] = mapped_column(Date)
    deadline_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    keep_up: Mapped[bool] = mapped_column(Boolean, default=False)
    carried_from: Mapped[str | None] = mapped_column(String(36))
    # Added by migration 0002.
    product: Mapped[str] = mapped_column(Text, default="", server_default="")  # sản phẩm
    # Added by migration 0006. A removed item stays here, out of ``PlanRow.items`` (so out
    # of every view, print and package), until restored or the plan is issued.
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    plan: Mapped[PlanRow] = relationship(back_populates="items")
    updates: Mapped[list[ProgressUpdateRow]] = relationship(
        order_by="ProgressUpdateRow.on_date", cascade="all, delete-orphan"
    )


class ProgressUpdateRow(Base):
    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"))
    on_date: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class IssuedDocumentRow(Base):
    """A document as issued: its number, date and the exact PDF bytes (by SHA-256, in the
    documents store beside the database), so it can be reprinted and proven unchanged."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("kind", "plan_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    number: Mapped[str] = mapped_column(String(32))
    symbol: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# -- added by migration 0003: sync and the audit trail ---------------------------------
class TrustedKeyRow(Base):
    """A unit's public keys, pinned after its fingerprint was confirmed by a person.

    A key replaced by a newer one keeps its row (``replaced_at`` set), so packages signed
    before the change can still be explained in the sync log.
    """

    __tablename__ = "trusted_keys"
    __table_args__ = (UniqueConstraint("unit_code", "fingerprint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(32))
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    fingerprint: Mapped[str] = mapped_column(String(80))
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, hex
    enc_public_key: Mapped[str] = mapped_column(String(64), default="")  # X25519, hex
    enc_signature: Mapped[str] = mapped_column(String(128), default="")  # binds the two
    trusted_at: Mapped[datetime] = mapped_column(DateTime)
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncLogRow(Base):
    """Every package made or received: applied, already imported, or refused (and why)."""

    __tablename__ = "sync_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # in / out
    kind: Mapped[str] = mapped_column(String(32))
    sender_code: Mapped[str] = mapped_column(String(32), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    assessment_uuid: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime | None] = mapped_column(DateTime)  # from the manifest
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # applied / already / refused / exported
    sha256: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    summary_json: Mapped[str] = mapped_column(Text, default="{}")
    message: Mapped[str] = mapped_column(Text, default="")
    # The sender's number for the package (format version 2); None for packages of
    # version 1 and for rows that are not packages (a reset: outcome "reset").
    sequence: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SyncCounterRow(Base):
    """The last sequence number this office gave a package for one recipient
    ("unit:CODE" or "appraiser_of:CODE"): packages are ordered by it, not by the clock."""

    __tablename__ = "sync_counters"
    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    """One change to a score, an evidence link, a plan item or a document: who, when, old
    → new. ``source`` says whether it was typed here or came in a package."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200), default="")
    entity: Mapped[str] = mapped_column(String(32), index=True)
    entity_key: Mapped[str] = mapped_column(String(200), index=True)
    assessment_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(64), default="local")
    # Added by migration 0010: the server login that made the change (blank in a file). No
    # default here: the server fills it (CURRENT_USER), so no client chooses it.
    login: Mapped[str] = mapped_column(String(63), server_default="")


# -- added by migration 0008: office profiles and other indices' results ----------------
class OfficeProfileRow(Base):
    """An office's own wording in its documents (parapp.domain.office): a blank column is
    the default derived from the unit's kind and name."""

    __tablename__ = "office_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), unique=True)
    governing_body: Mapped[str] = mapped_column(Text, default="")
    own_name: Mapped[str] = mapped_column(Text, default="")
    symbol_suffix: Mapped[str] = mapped_column(String(32), default="")
    place: Mapped[str] = mapped_column(Text, default="")
    signer_authority: Mapped[str] = mapped_column(Text, default="")
    signer_title: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(64), default="")
    self_name: Mapped[str] = mapped_column(Text, default="")
    head: Mapped[str] = mapped_column(Text, default="")


class IndexResultRow(Base):
    """The published result of an index other than the assessed one (SIPAS, PAPI, DTI, Dân
    vận ...) for a unit and year: a value, a rank and the decision that published it."""

    __tablename__ = "index_results"
    __table_args__ = (UniqueConstraint("unit_id", "year", "index_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    index_kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(ExactDecimal)
    points: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    max_points: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    rank: Mapped[int | None] = mapped_column(Integer)
    rank_of: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(64), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


# -- added by migration 0009: the published ranking that came with a result ---------------
class PublishedRankingRow(Base):
    """The province's published ranking as the appraiser sent it with a result (public:
    each unit's code, name, index and rank), kept at the commune for the what-if's projected
    rank. The appraiser's; read-only here (a newer result package replaces it)."""

    __tablename__ = "published_rankings"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    year: Mapped[int] = mapped_column(Integer)
    # [{"unit_code", "unit_name", "index" (decimal text), "rank"}], in rank order
    entries_json: Mapped[str] = mapped_column(Text, default="[]")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(16), default="package")  # or "file"
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


# -- added by migration 0010: the appraisal council on a server (docs/hub.md) ---------------
class CouncilMemberRow(Base):
    """A member of the appraisal council: a server login and the name shown for it. The
    secretariat's members import, accept, return, publish and export; the others appraise
    the areas assigned to them. No member: everything is allowed, as in a file."""

    __tablename__ = "council_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    secretariat: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class AreaAssignmentRow(Base):
    """An area (a root criterion, by code) of a criteria set (by code) in a year, assigned
    to one member, who alone among the members may score its criteria."""

    __tablename__ = "area_assignments"
    __table_args__ = (UniqueConstraint("set_code", "year", "area_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_members.id", ondelete="CASCADE")
    )
    set_code: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(String(32))
    member: Mapped[CouncilMemberRow] = relationship()


# -- added by migration 0011: evidence on a server (docs/hub.md) ------------------------------
class EvidenceContentRow(Base):
    """An evidence file's content, by its SHA-256: on a server, where every council PC reads
    it (db/evidence_store.py); a database file keeps its files in the store folder and leaves
    this table empty."""

    __tablename__ = "evidence_contents"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
