"""The case store: people, their cases and charges, motions, and the append-only history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    case,
    column,
    false,
    literal,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import Grouping

from casetracker.domain.clock import utcnow
from casetracker.domain.column_types import UTCDateTime, enum_column
from casetracker.domain.enums import (
    ChargeRole,
    County,
    CourtOutcome,
    Decision,
    DispositionKind,
    FlagKind,
    IntakeChannel,
    MotionKind,
    NotificationMethod,
    NotificationOutcome,
    ScreeningResult,
    Stage,
    WarrantStatus,
)

# Motion columns the desk sorts by that no other index covers (services.desk.SORT_KEYS), with
# the short name of each one's index.
DESK_SORTED = {
    "kind": "kind",
    "screening_result": "screening",
    "assigned_prosecutor": "prosecutor",
    "court_date": "court_date",
}


def sparse_index(table: str, name: str) -> Index:
    """An index of the rows that have a value: most rows leave the column empty (an imported
    motion has no court date, prosecutor or screening yet), and each empty entry would cost
    every bulk insert a b-tree write for nothing. `column = x`, `IN`, ranges and `LIKE` all
    imply a value, so SQLite and PostgreSQL use it for them."""
    where = column(name).is_not(None)
    return Index(f"ix_{table}_{name}", name, sqlite_where=where, postgresql_where=where)


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        str: String(200),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        MotionKind: enum_column(MotionKind),
        Stage: enum_column(Stage),
        Decision: enum_column(Decision),
        CourtOutcome: enum_column(CourtOutcome),
        ScreeningResult: enum_column(ScreeningResult),
        IntakeChannel: enum_column(IntakeChannel),
        County: enum_column(County),
        WarrantStatus: enum_column(WarrantStatus),
        FlagKind: enum_column(FlagKind),
        DispositionKind: enum_column(DispositionKind),
        ChargeRole: enum_column(ChargeRole),
        NotificationMethod: enum_column(NotificationMethod),
        NotificationOutcome: enum_column(NotificationOutcome),
    }


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    # Accent-free, case-free "last|first": how the same person is recognised across files.
    # Looked up through ix_person_name_dob, which starts with it.
    name_key: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    date_of_birth: Mapped[date | None]
    # Normalized; one person per NYSID (ix_person_nysid is unique where there is one).
    nysid: Mapped[str | None] = mapped_column(String(20))
    nysid_as_typed: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    flags: Mapped[list[PersonFlag]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonFlag.id"
    )
    cases: Mapped[list[Case]] = relationship(back_populates="person", order_by="Case.id")
    motions: Mapped[list[Motion]] = relationship(back_populates="person", order_by="Motion.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_person_name_dob", "name_key", "date_of_birth"),
        Index(
            "ix_person_nysid",
            "nysid",
            unique=True,
            sqlite_where=column("nysid").is_not(None),
            postgresql_where=column("nysid").is_not(None),
        ),
    )

    @property
    def display_name(self) -> str:
        given = " ".join(p for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name}, {given}" if given else self.last_name


class PersonFlag(Base):
    """A fact that can exclude a person from the policy, with where it came from."""

    __tablename__ = "person_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FlagKind]
    source: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="flags")


class Case(Base):
    __tablename__ = "court_case"
    __table_args__ = (
        sparse_index("court_case", "docket"),
        sparse_index("court_case", "summons_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    docket_as_typed: Mapped[str | None] = mapped_column(String(60))
    docket: Mapped[str | None] = mapped_column(String(40))
    summons_number: Mapped[str | None] = mapped_column(String(40))
    county: Mapped[County | None]
    # The court that heard the case ("Criminal Court", "Supreme Court"), as staff write it.
    court: Mapped[str | None] = mapped_column(String(120))
    court_part: Mapped[str | None] = mapped_column(String(40))
    arrest_date: Mapped[date | None]
    # Who defended the person on this case (not who brings the motion: Motion.defense_org).
    defense_counsel: Mapped[str | None] = mapped_column(String(120))
    # As written on the record ("PG 240.20", "DISM", "ACD 6 MOS"); `disposition_kind` is what
    # it means (normalize.disposition), which is what screening decides on.
    disposition: Mapped[str | None] = mapped_column(String(200))
    disposition_kind: Mapped[DispositionKind | None]
    disposition_date: Mapped[date | None]
    sentence: Mapped[str | None] = mapped_column(String(200))
    warrant_issued_date: Mapped[date | None]
    warrant_status: Mapped[WarrantStatus] = mapped_column(default=WarrantStatus.NONE)
    record_source: Mapped[str | None] = mapped_column(String(200))
    smoking_while_driving: Mapped[bool] = mapped_column(Boolean, default=False)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    import_row: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Also moved on by a change to the case's charges, so one version guards the whole case.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    person: Mapped[Person] = relationship(back_populates="cases")
    charges: Mapped[list[Charge]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Charge.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        return self.docket or self.summons_number or self.docket_as_typed or f"case {self.id}"


class Charge(Base):
    __tablename__ = "charge"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("court_case.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[str | None] = mapped_column(String(40))
    as_typed: Mapped[str] = mapped_column(String(200))
    charge_class: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[ChargeRole] = mapped_column(default=ChargeRole.ARREST, server_default="arrest")

    case: Mapped[Case] = relationship(back_populates="charges")


class CommunityEvent(Base):
    __tablename__ = "community_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    event_date: Mapped[date]
    location: Mapped[str | None]
    county: Mapped[County | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A retired event is no longer offered at intake; the motions taken there keep it.
    retired_at: Mapped[datetime | None]
    retired_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class CourtList(Base):
    """One motion list for one court date and part, as the office files it."""

    __tablename__ = "court_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    court_date: Mapped[date] = mapped_column(index=True)
    part: Mapped[str] = mapped_column(String(40))
    judge: Mapped[str | None] = mapped_column(String(100))
    county: Mapped[County | None]
    filed_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The numbers the court gives an omnibus motion, printed in the papers' caption once known.
    index_number: Mapped[str | None] = mapped_column(String(40))
    calendar_number: Mapped[str | None] = mapped_column(String(40))

    @property
    def title(self) -> str:
        return f"{self.court_date.isoformat()} part {self.part}"


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(400))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str | None] = mapped_column(String(200))
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_by: Mapped[str | None] = mapped_column(String(100))
    undone_at: Mapped[datetime | None]


class Motion(Base):
    __tablename__ = "motion"
    # By case, covering what an import asks of every case it reads (is there a live motion
    # of this kind?) without reading the motion rows themselves.
    __table_args__ = (
        Index("ix_motion_case_kind_batch", "case_id", "kind", "import_batch_id"),
        *(
            sparse_index("motion", column)
            for column in ("event_id", "court_list_id", "sealing_deadline")
        ),
        # Columns the desk sorts by, empty ones too, in the table's order (value, then id): the
        # sort reads the index alone, not every wide motion row (0019_desk_sort_indexes).
        *(Index(f"ix_motion_{short}_sort", name, "id") for name, short in DESK_SORTED.items()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MotionKind]
    stage: Mapped[Stage] = mapped_column(index=True)
    stage_entered_at: Mapped[datetime] = mapped_column(index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))

    # intake / imported
    intake_date: Mapped[date]
    intake_channel: Mapped[IntakeChannel]
    event_id: Mapped[int | None] = mapped_column(ForeignKey("community_event.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    import_row: Mapped[int | None]
    referral_source: Mapped[str | None]
    defense_org: Mapped[str | None] = mapped_column(String(120))
    defense_attorney: Mapped[str | None] = mapped_column(String(120))

    # record verified
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verified_at: Mapped[datetime | None]

    # screened
    screening_result: Mapped[ScreeningResult | None]
    screening_ruleset: Mapped[str | None] = mapped_column(String(60))
    screening_reasons: Mapped[list[Any]] = mapped_column(default=list)
    # The date the screening was made as of: the laws and rule set in force then applied.
    screening_as_of: Mapped[date | None]
    screened_by: Mapped[str | None] = mapped_column(String(100))
    screened_at: Mapped[datetime | None]

    # DA review
    assigned_prosecutor: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[Decision | None]
    decision_reason_code: Mapped[str | None] = mapped_column(String(60))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    supervisor_signoff_by: Mapped[str | None] = mapped_column(String(100))
    supervisor_signoff_at: Mapped[datetime | None]
    # The person wants the vacatur although the conviction is already expunged by law.
    proceed_if_expunged: Mapped[bool] = mapped_column(Boolean, default=False)

    # filed
    filed_date: Mapped[date | None]
    filed_court: Mapped[str | None] = mapped_column(String(120))
    filed_part: Mapped[str | None] = mapped_column(String(40))

    # calendared
    court_date: Mapped[date | None]
    court_part: Mapped[str | None] = mapped_column(String(40))
    judge: Mapped[str | None] = mapped_column(String(100))
    court_list_id: Mapped[int | None] = mapped_column(ForeignKey("court_list.id"))
    appearance_required: Mapped[bool] = mapped_column(Boolean, default=False)

    # decided
    outcome: Mapped[CourtOutcome | None]
    order_date: Mapped[date | None]
    outcome_reasons: Mapped[str | None] = mapped_column(Text)

    # sealed
    sealing_deadline: Mapped[date | None]
    sealing_confirmed_date: Mapped[date | None]

    # notified
    notification_method: Mapped[NotificationMethod | None]
    notification_date: Mapped[date | None]
    notification_outcome: Mapped[NotificationOutcome | None]
    notifying_org: Mapped[str | None] = mapped_column(String(120))

    # closed / withdrawn
    closed_reason: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(back_populates="motions")
    case: Mapped[Case] = relationship()
    event: Mapped[CommunityEvent | None] = relationship()
    court_list: Mapped[CourtList | None] = relationship()
    history: Mapped[list[MotionEvent]] = relationship(
        back_populates="motion", order_by="MotionEvent.id", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}


# A stage's place in the pipeline (intake 0, verified 1, … withdrawn last): how the desk sorts
# by stage and next step. Its values are written into the SQL, not bound, so the query and
# the index below are one expression: SQLite and PostgreSQL read an index of an expression
# only for a query that spells it the same way. The index ends with the desk's tie-break (id)
# and holds the stage itself, so the sort reads the index alone (0020_stage_sort_index).
STAGE_ORDER = case(
    *(
        (literal(stage.value, literal_execute=True), literal(n, literal_execute=True))
        for n, stage in enumerate(Stage)
    ),
    value=Motion.stage,
)
# In parentheses: PostgreSQL takes an expression in an index only so.
Index("ix_motion_stage_sort", Grouping(STAGE_ORDER), Motion.id, Motion.stage)


class MotionEvent(Base):
    """One change to a motion. Append-only: the database refuses UPDATE and DELETE on it."""

    __tablename__ = "motion_event"
    __table_args__ = (
        sparse_index("motion_event", "group_id"),
        sparse_index("motion_event", "undoes_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motion.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    from_stage: Mapped[Stage | None]
    to_stage: Mapped[Stage]
    reason: Mapped[str] = mapped_column(Text)
    # field -> [before, after], as JSON-safe values; what an undo puts back.
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Several events made by one user action share a group, so the action undoes as one.
    group_id: Mapped[str | None] = mapped_column(String(36))
    undoes_group: Mapped[str | None] = mapped_column(String(36))

    motion: Mapped[Motion] = relationship(back_populates="history")


class RecordEvent(Base):
    """One change to a person, case, charge, flag or community event: the records' history,
    kept beside the motions' (MotionEvent). Append-only: the database refuses UPDATE and
    DELETE on it."""

    __tablename__ = "record_event"
    __table_args__ = (
        Index("ix_record_event_entity", "entity", "entity_id"),
        sparse_index("record_event", "person_id"),
        sparse_index("record_event", "case_id"),
        sparse_index("record_event", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user: Mapped[str] = mapped_column(String(100))
    # "person", "case", "charge", "flag", "event", "notification", "court_list"
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    # No foreign keys: the history outlives what it describes (a charge removed).
    person_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer)
    # "edit", "add", "remove", "retire", "undo"
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    # field -> [before, after], as JSON-safe values; what an undo puts back. An "add" holds
    # the whole new row (before None), a "remove" the whole old row (after None).
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The version of the person, case or event after this change (the stale-edit message
    # names the changes made since the version an editor read).
    version: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[str] = mapped_column(String(36))
    undoes_group: Mapped[str | None] = mapped_column(String(36))


class NotificationAttempt(Base):
    """One try at telling a person their motion was granted: a letter, a call, an email."""

    __tablename__ = "notification_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motion.id"), index=True)
    method: Mapped[NotificationMethod | None]
    attempted_on: Mapped[date]
    outcome: Mapped[NotificationOutcome]
    org: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Setting(Base):
    """Office-wide settings, in the database so a shared office sees one value."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MotionSearch(Base):
    """What a motion is found and sorted by, one row per motion: the folded search text (names,
    NYSID, docket, summons) and the person and case columns the desk sorts on, copied here so
    that a sort is one index scan instead of a join over every motion.

    Kept up to date through `SearchDirty`: database triggers queue every motion whose copied
    values may have changed, whoever wrote them, and the search service folds the queue before
    it reads (casetracker/services/search.py). SQLite adds an FTS5 trigram index over `doc`,
    PostgreSQL a pg_trgm GIN index, both made by the migration.
    """

    __tablename__ = "motion_search"

    motion_id: Mapped[int] = mapped_column(
        ForeignKey("motion.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    doc: Mapped[str] = mapped_column(Text, default="")
    person_key: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None]
    nysid: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(60))
    charge: Mapped[str | None] = mapped_column(String(40))
    county: Mapped[County | None]

    __table_args__ = tuple(
        Index(f"ix_motion_search_{name}", name, "motion_id")
        for name in ("person_key", "date_of_birth", "nysid", "reference", "charge", "county")
    )


class SearchDirty(Base):
    """Motions whose search row must be made again; filled by triggers, emptied by search."""

    __tablename__ = "search_dirty"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a queued motion may be deleted (an undone import) before it is re-folded.
    motion_id: Mapped[int] = mapped_column(Integer)


class RuleSetVersion(Base):
    """One saved version of the office's eligibility rules; the newest is in force.
    Older versions stay, so a stored screening can always be traced to its rules."""

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(60), unique=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class ReasonCode(Base):
    """A reason code a prosecutor gives with a decision; the office edits the list."""

    __tablename__ = "reason_code"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    # The decision the code goes with; None for a code that fits any decision.
    decision: Mapped[Decision | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Account(Base):
    """A person who may sign in (casetracker.accounts). While none exists the database is
    single-user; from the first one on, every command and the window need a signed-in user."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # As shown: NFC, trimmed. `name_key` (case-folded) is what names are compared by.
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_set_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """Who did or saw what: sign-ins, failures, lockouts, records opened, searches, reports
    and exports, user, settings and rules changes. Append-only, like the motion history."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True, default=utcnow)
    user: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(40))
    # What it was about, in words a reviewer reads ("person 12", "weekly report").
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditChainLink(Base):
    """One link of the tamper-evident chain over the history and the audit log: an HMAC of
    the rows it covers and of the link before it, keyed with a secret kept outside the
    database (storage.chain). Append-only. A link covers one row (links made before 0017:
    row_id) or a block of rows (row_id the first, last_row_id the last, digests each row's
    keyed digest)."""

    __tablename__ = "audit_chain"
    __table_args__ = (Index("ix_audit_chain_row", "source", "row_id", unique=True),)

    seq: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    row_id: Mapped[int] = mapped_column(Integer)
    chained_at: Mapped[datetime]
    # The row was in the database before the chain began (its time is older on purpose).
    backfill: Mapped[bool] = mapped_column(Boolean, default=False)
    mac: Mapped[str] = mapped_column(String(64))
    last_row_id: Mapped[int | None] = mapped_column(Integer)
    # "id:digest" for each row of a block, in chain order, separated by spaces.
    digests: Mapped[str | None] = mapped_column(Text)


class AuditChainPending(Base):
    """History and audit rows not yet in the chain; filled by triggers, emptied by the unit of
    work that wrote them (or the next one, for rows written outside one)."""

    __tablename__ = "audit_chain_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    row_id: Mapped[int] = mapped_column(Integer)
    backfill: Mapped[bool] = mapped_column(Boolean, default=False)


class PaperTemplate(Base):
    """One version of the office's own template for one kind of paper (casetracker.documents).
    Rows are only ever added: the newest row for a name is in force, and a row without content
    puts the shipped default back. A generation's SHA-256 can so always be traced to a file."""

    __tablename__ = "paper_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(400))
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaperGeneration(Base):
    """Papers made for a motion or a court list: which documents, from which template (and its
    SHA-256), by whom and when. Append-only, like the motions' history."""

    __tablename__ = "paper_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(100))
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motion.id"), index=True)
    court_list_id: Mapped[int | None] = mapped_column(ForeignKey("court_list.id"), index=True)
    motion_count: Mapped[int] = mapped_column(Integer)
    # [{"name", "title", "source" ("default" or "office"), "sha256"}], in the file's order.
    documents: Mapped[list[Any]] = mapped_column(default=list)
    file_name: Mapped[str] = mapped_column(String(400))
    file_format: Mapped[str] = mapped_column(String(10))
