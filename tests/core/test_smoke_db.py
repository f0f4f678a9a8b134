from sqlalchemy import text

from casetracker.storage.db import Database


def test_both_databases_open_migrated(db: Database) -> None:
    with db.unit_of_work() as session:
        assert session.execute(text("select count(*) from motion")).scalar() == 0
