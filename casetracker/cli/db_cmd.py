"""`casetracker db setup-postgres` and `db migrate`: a shared PostgreSQL database with an
owner role (migrations) and an app role that owns nothing (every workstation)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from casetracker.cli.args import opened
from casetracker.storage.db import describe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "db", parents=[common], help="set up a shared PostgreSQL database; migrate it"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup-postgres",
        parents=[common],
        help="create the owner and app roles and their grants (run once, as a DB admin)",
        description="--db is the database as an administrator reaches it, e.g. "
        "postgresql://postgres@dbhost/casetracker. Passwords come from "
        "$CASETRACKER_OWNER_PASSWORD and $CASETRACKER_APP_PASSWORD, or are made up and "
        "printed once.",
    )
    setup.add_argument("--owner", default="casetracker_owner", help="owner role name")
    setup.add_argument("--app", default="casetracker_app", help="app role name")
    actions.add_parser(
        "migrate",
        parents=[common],
        help="bring the schema up to date (as the owner role) and renew the app role's grants",
    ).add_argument("--app", default="casetracker_app", help="app role name")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from casetracker.storage.pg_setup import grant_app_role, setup_postgres

    if args.action == "setup-postgres":
        done = setup_postgres(
            args.db or os.environ.get("CASETRACKER_DB") or "",
            owner=args.owner,
            app=args.app,
            owner_password=os.environ.get("CASETRACKER_OWNER_PASSWORD"),
            app_password=os.environ.get("CASETRACKER_APP_PASSWORD"),
        )
        print("Set up. Keep these two addresses; the passwords are not shown again.")
        print(f"  migrations (db migrate):  {done.owner_url.render_as_string(hide_password=False)}")
        print(f"  every workstation (--db): {done.app_url.render_as_string(hide_password=False)}")
        return 0
    with opened(args) as db:
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                grant_app_role(connection, args.app)
    print(f"Schema up to date: {describe(db.url)}")
    return 0
