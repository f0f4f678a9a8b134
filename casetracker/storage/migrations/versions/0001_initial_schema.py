"""Initial schema, with the history table made append-only by the database itself.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 09:05:07.203515
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column(
            "county",
            sa.Enum(
                "kings",
                "new_york",
                "bronx",
                "queens",
                "richmond",
                name="county",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "court_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("court_date", sa.Date(), nullable=False),
        sa.Column("part", sa.String(length=40), nullable=False),
        sa.Column("judge", sa.String(length=100), nullable=True),
        sa.Column(
            "county",
            sa.Enum(
                "kings",
                "new_york",
                "bronx",
                "queens",
                "richmond",
                name="county",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("filed_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("court_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_court_list_court_date"), ["court_date"], unique=False)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("sheet", sa.String(length=200), nullable=True),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_content_hash"), ["content_hash"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nysid", sa.String(length=20), nullable=True),
        sa.Column("nysid_as_typed", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=60), nullable=True),
        sa.Column("consent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_name_dob", ["name_key", "date_of_birth"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_nysid"), ["nysid"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "court_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("docket_as_typed", sa.String(length=60), nullable=True),
        sa.Column("docket", sa.String(length=40), nullable=True),
        sa.Column("summons_number", sa.String(length=40), nullable=True),
        sa.Column(
            "county",
            sa.Enum(
                "kings",
                "new_york",
                "bronx",
                "queens",
                "richmond",
                name="county",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("court_part", sa.String(length=40), nullable=True),
        sa.Column("arrest_date", sa.Date(), nullable=True),
        sa.Column("disposition", sa.String(length=200), nullable=True),
        sa.Column("disposition_date", sa.Date(), nullable=True),
        sa.Column("sentence", sa.String(length=200), nullable=True),
        sa.Column("warrant_issued_date", sa.Date(), nullable=True),
        sa.Column(
            "warrant_status",
            sa.Enum("none", "open", "vacated", name="warrantstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("record_source", sa.String(length=200), nullable=True),
        sa.Column("smoking_while_driving", sa.Boolean(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("import_row", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("court_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_court_case_docket"), ["docket"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_court_case_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_court_case_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_court_case_summons_number"), ["summons_number"], unique=False
        )

    op.create_table(
        "person_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sex_offense",
                "violent_felony",
                "open_felony",
                name="flagkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_flag_person_id"), ["person_id"], unique=False)

    op.create_table(
        "charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=True),
        sa.Column("as_typed", sa.String(length=200), nullable=False),
        sa.Column("charge_class", sa.String(length=40), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["court_case.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charge_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_charge_section"), ["section"], unique=False)

    op.create_table(
        "motion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "conviction_vacatur",
                "warrant_dismissal",
                name="motionkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "intake",
                "verified",
                "screened",
                "info_needed",
                "consented",
                "opposed",
                "filed",
                "calendared",
                "granted",
                "denied",
                "sealed",
                "notified",
                "closed",
                "withdrawn",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False),
        sa.Column(
            "intake_channel",
            sa.Enum(
                "event",
                "walk_in",
                "referral",
                "import",
                name="intakechannel",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("import_row", sa.Integer(), nullable=True),
        sa.Column("referral_source", sa.String(length=200), nullable=True),
        sa.Column("defense_org", sa.String(length=120), nullable=True),
        sa.Column("defense_attorney", sa.String(length=120), nullable=True),
        sa.Column("verified_by", sa.String(length=100), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "screening_result",
            sa.Enum(
                "eligible",
                "ineligible",
                "needs_review",
                "expunged_by_law",
                name="screeningresult",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("screening_ruleset", sa.String(length=60), nullable=True),
        sa.Column("screening_reasons", sa.JSON(), nullable=False),
        sa.Column("screened_by", sa.String(length=100), nullable=True),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assigned_prosecutor", sa.String(length=100), nullable=True),
        sa.Column(
            "decision",
            sa.Enum("consent", "oppose", "info", name="decision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("decision_reason_code", sa.String(length=60), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supervisor_signoff_by", sa.String(length=100), nullable=True),
        sa.Column("supervisor_signoff_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filed_date", sa.Date(), nullable=True),
        sa.Column("filed_court", sa.String(length=120), nullable=True),
        sa.Column("filed_part", sa.String(length=40), nullable=True),
        sa.Column("court_date", sa.Date(), nullable=True),
        sa.Column("court_part", sa.String(length=40), nullable=True),
        sa.Column("judge", sa.String(length=100), nullable=True),
        sa.Column("court_list_id", sa.Integer(), nullable=True),
        sa.Column("appearance_required", sa.Boolean(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("granted", "denied", name="courtoutcome", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("outcome_reasons", sa.Text(), nullable=True),
        sa.Column("sealing_deadline", sa.Date(), nullable=True),
        sa.Column("sealing_confirmed_date", sa.Date(), nullable=True),
        sa.Column(
            "notification_method",
            sa.Enum(
                "mail",
                "phone",
                "email",
                "in_person",
                "text",
                name="notificationmethod",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("notification_date", sa.Date(), nullable=True),
        sa.Column(
            "notification_outcome",
            sa.Enum(
                "delivered",
                "undeliverable",
                "no_contact",
                name="notificationoutcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("notifying_org", sa.String(length=120), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["court_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["court_list_id"],
            ["court_list.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["community_event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("motion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_motion_assigned_prosecutor"), ["assigned_prosecutor"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_motion_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_court_date"), ["court_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_motion_court_list_id"), ["court_list_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_motion_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_motion_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_motion_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_motion_screening_result"), ["screening_result"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_motion_sealing_deadline"), ["sealing_deadline"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_motion_stage"), ["stage"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_motion_stage_entered_at"), ["stage_entered_at"], unique=False
        )

    op.create_table(
        "motion_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "intake",
                "verified",
                "screened",
                "info_needed",
                "consented",
                "opposed",
                "filed",
                "calendared",
                "granted",
                "denied",
                "sealed",
                "notified",
                "closed",
                "withdrawn",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "intake",
                "verified",
                "screened",
                "info_needed",
                "consented",
                "opposed",
                "filed",
                "calendared",
                "granted",
                "denied",
                "sealed",
                "notified",
                "closed",
                "withdrawn",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=True),
        sa.Column("undoes_group", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["motion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("motion_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_motion_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_event_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_event_motion_id"), ["motion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_motion_event_to_stage"), ["to_stage"], unique=False)

    _make_history_append_only()


def _make_history_append_only() -> None:
    # A trigger, not only application code, so no tool or script can rewrite the history.
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER motion_event_no_{verb.lower()} BEFORE {verb} ON motion_event "
                "BEGIN SELECT RAISE(ABORT, 'motion history is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION casetracker_history_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'motion history is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER motion_event_append_only BEFORE UPDATE OR DELETE ON motion_event "
            "FOR EACH ROW EXECUTE FUNCTION casetracker_history_append_only()"
        )
        op.execute(
            "CREATE TRIGGER motion_event_no_truncate BEFORE TRUNCATE ON motion_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_history_append_only()"
        )


def downgrade() -> None:
    # Dropping these tables would destroy the append-only history; restore a backup instead.
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
