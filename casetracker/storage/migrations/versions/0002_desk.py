"""The desk's search index: folded search text per motion, kept in step by triggers.

Triggers only queue the motions whose names, NYSID, docket or summons may have changed
(folding accents needs Python); casetracker.services.search re-folds the queue before every
search, so motions written by any path (intake, Core bulk inserts of an import, raw SQL) are
found. SQLite gets an FTS5 trigram index, PostgreSQL a pg_trgm GIN index where the extension
can be created.

Revision ID: 0002_desk
Revises: 0001
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0002_desk"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

SORT_COLUMNS = ("person_key", "date_of_birth", "nysid", "reference", "charge", "county")
_PERSON_FIELDS = "last_name, first_name, middle_name, nysid, aliases, date_of_birth"
_CASE_FIELDS = "docket, summons_number, docket_as_typed, county"


def upgrade() -> None:
    op.create_table(
        "motion_search",
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("person_key", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nysid", sa.String(length=20), nullable=True),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("charge", sa.String(length=40), nullable=True),
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
        sa.ForeignKeyConstraint(["motion_id"], ["motion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("motion_id"),
    )
    with op.batch_alter_table("motion_search", schema=None) as batch_op:
        for name in SORT_COLUMNS:
            batch_op.create_index(f"ix_motion_search_{name}", [name, "motion_id"], unique=False)
    op.create_table(
        "search_dirty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgres_triggers()
    # Motions already in the database are folded on the first search.
    op.execute("INSERT INTO search_dirty (motion_id) SELECT id FROM motion")


def _sqlite_triggers() -> None:
    queue = "INSERT INTO search_dirty (motion_id)"
    statements = [
        f"CREATE TRIGGER search_motion_insert AFTER INSERT ON motion "
        f"BEGIN {queue} VALUES (NEW.id); END",
        f"CREATE TRIGGER search_motion_update AFTER UPDATE OF person_id, case_id ON motion "
        f"BEGIN {queue} VALUES (NEW.id); END",
        f"CREATE TRIGGER search_person_update AFTER UPDATE OF {_PERSON_FIELDS} ON person "
        f"BEGIN {queue} SELECT id FROM motion WHERE person_id = NEW.id; END",
        f"CREATE TRIGGER search_case_update AFTER UPDATE OF {_CASE_FIELDS} ON court_case "
        f"BEGIN {queue} SELECT id FROM motion WHERE case_id = NEW.id; END",
        f"CREATE TRIGGER search_charge_insert AFTER INSERT ON charge "
        f"BEGIN {queue} SELECT id FROM motion WHERE case_id = NEW.case_id; END",
        f"CREATE TRIGGER search_charge_update AFTER UPDATE ON charge "
        f"BEGIN {queue} SELECT id FROM motion WHERE case_id = NEW.case_id; END",
        f"CREATE TRIGGER search_charge_delete AFTER DELETE ON charge "
        f"BEGIN {queue} SELECT id FROM motion WHERE case_id = OLD.case_id; END",
        # FTS5 over motion_search as external content. The search service adds new rows to
        # it itself (or rebuilds it after a large batch, much faster than row by row); these
        # triggers keep it right when rows go, including by a cascade from a deleted motion.
        "CREATE VIRTUAL TABLE motion_fts USING fts5("
        "doc, content='motion_search', content_rowid='motion_id', tokenize='trigram')",
        "CREATE TRIGGER motion_fts_delete AFTER DELETE ON motion_search "
        "BEGIN INSERT INTO motion_fts (motion_fts, rowid, doc) "
        "VALUES ('delete', OLD.motion_id, OLD.doc); END",
        "CREATE TRIGGER motion_fts_update AFTER UPDATE ON motion_search "
        "BEGIN INSERT INTO motion_fts (motion_fts, rowid, doc) "
        "VALUES ('delete', OLD.motion_id, OLD.doc); "
        "INSERT INTO motion_fts (rowid, doc) VALUES (NEW.motion_id, NEW.doc); END",
    ]
    for statement in statements:
        op.execute(statement)


def _postgres_triggers() -> None:
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_motion() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) VALUES (NEW.id); RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_person() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) "
        "SELECT id FROM motion WHERE person_id = NEW.id; RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_case() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) "
        "SELECT id FROM motion WHERE case_id = NEW.id; RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_charge() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) SELECT id FROM motion "
        "WHERE case_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END); "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER search_charge_change AFTER INSERT OR UPDATE OR DELETE ON charge "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_charge()"
    )
    op.execute(
        "CREATE TRIGGER search_motion_insert AFTER INSERT ON motion "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_motion()"
    )
    op.execute(
        "CREATE TRIGGER search_motion_update AFTER UPDATE OF person_id, case_id ON motion "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_motion()"
    )
    op.execute(
        f"CREATE TRIGGER search_person_update AFTER UPDATE OF {_PERSON_FIELDS} ON person "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_person()"
    )
    op.execute(
        f"CREATE TRIGGER search_case_update AFTER UPDATE OF {_CASE_FIELDS} ON court_case "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_case()"
    )
    # pg_trgm makes '%text%' searches use an index; creating it needs a privileged role, and
    # without it the search still works (a scan of one short text column), only slower.
    op.execute("SAVEPOINT casetracker_trgm")
    try:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_motion_search_doc_trgm ON motion_search USING gin (doc gin_trgm_ops)"
        )
    except sa.exc.DBAPIError:
        op.execute("ROLLBACK TO SAVEPOINT casetracker_trgm")
        log.warning("pg_trgm is not available; motion search will scan instead of using an index")
    else:
        op.execute("RELEASE SAVEPOINT casetracker_trgm")


def downgrade() -> None:
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
