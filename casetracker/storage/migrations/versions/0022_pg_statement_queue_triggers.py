"""PostgreSQL: new rows are queued for the search index and the audit chain once per
statement, not once per row.

The row triggers of 0002 (new motions and charges into search_dirty) and 0015 (new history
and audit rows into audit_chain_pending) each ran a PL/pgSQL function and an INSERT for every
row: at 100,000 imported rows about a fifth of the server's time in the import's COPYs
(EXPLAIN ANALYZE: 1.2 s for the motions, 1.3 s for the charges, 0.8 s for the history).
A statement trigger reads the statement's new rows from its transition table and queues them
in one INSERT ... SELECT, whatever wrote them (COPY, INSERT, the ORM), in id order as before.
Changed and deleted charges keep their row trigger. SQLite keeps its triggers.

Revision ID: 0022_pg_statement_queue_triggers
Revises: 0021_kind_sort_index
"""

from __future__ import annotations

from alembic import op

revision = "0022_pg_statement_queue_triggers"
down_revision = "0021_kind_sort_index"
branch_labels = None
depends_on = None

# (table, chain source) as in 0015.
_CHAINED = (("audit_entry", "audit"), ("motion_event", "history"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_new_motions() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) SELECT id FROM added ORDER BY id; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute("DROP TRIGGER search_motion_insert ON motion")
    op.execute(
        "CREATE TRIGGER search_motion_insert AFTER INSERT ON motion "
        "REFERENCING NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_search_queue_new_motions()"
    )
    # The motions of the new charges' cases (an import stores charges before their motions,
    # so for it there are none yet).
    op.execute(
        "CREATE FUNCTION casetracker_search_queue_new_charges() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO search_dirty (motion_id) SELECT motion.id FROM motion "
        "WHERE motion.case_id IN (SELECT case_id FROM added) ORDER BY motion.id; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute("DROP TRIGGER search_charge_change ON charge")
    op.execute(
        "CREATE TRIGGER search_charge_change AFTER UPDATE OR DELETE ON charge "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_charge()"
    )
    op.execute(
        "CREATE TRIGGER search_charge_insert AFTER INSERT ON charge "
        "REFERENCING NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_search_queue_new_charges()"
    )
    for table, source in _CHAINED:
        # The source is a constant of the function, as in 0015's.
        op.execute(
            f"CREATE FUNCTION casetracker_chain_queue_new_{source}() RETURNS trigger AS $$ "
            "BEGIN INSERT INTO audit_chain_pending (source, row_id, backfill) "
            f"SELECT '{source}', id, FALSE FROM added ORDER BY id; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(f"DROP TRIGGER {table}_chain_queue ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_chain_queue AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS added "
            f"FOR EACH STATEMENT EXECUTE FUNCTION casetracker_chain_queue_new_{source}()"
        )
        op.execute(f"DROP FUNCTION casetracker_chain_queue_{source}()")
    # casetracker_search_queue_motion() stays: changed motions still queue row by row.


def downgrade() -> None:
    """Back to 0002's and 0015's row triggers (a database opened by an older app version is
    told to migrate; the tests step back one revision to make one)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, source in _CHAINED:
        op.execute(
            f"CREATE FUNCTION casetracker_chain_queue_{source}() RETURNS trigger AS $$ "
            "BEGIN INSERT INTO audit_chain_pending (source, row_id, backfill) "
            f"VALUES ('{source}', NEW.id, FALSE); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(f"DROP TRIGGER {table}_chain_queue ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_chain_queue AFTER INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION casetracker_chain_queue_{source}()"
        )
        op.execute(f"DROP FUNCTION casetracker_chain_queue_new_{source}()")
    op.execute("DROP TRIGGER search_charge_insert ON charge")
    op.execute("DROP TRIGGER search_charge_change ON charge")
    op.execute(
        "CREATE TRIGGER search_charge_change AFTER INSERT OR UPDATE OR DELETE ON charge "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_charge()"
    )
    op.execute("DROP FUNCTION casetracker_search_queue_new_charges()")
    op.execute("DROP TRIGGER search_motion_insert ON motion")
    op.execute(
        "CREATE TRIGGER search_motion_insert AFTER INSERT ON motion "
        "FOR EACH ROW EXECUTE FUNCTION casetracker_search_queue_motion()"
    )
    op.execute("DROP FUNCTION casetracker_search_queue_new_motions()")
