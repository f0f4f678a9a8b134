"""Self-test of the PostgreSQL test harness (tests/support/postgres.py)."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.postgres


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "master")


def test_server_is_postgresql_on_loopback(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("select version()")).scalar_one()
            server_addr = conn.execute(text("select host(inet_server_addr())")).scalar_one()
            database = conn.execute(text("select current_database()")).scalar_one()
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    # The server listens on 127.0.0.1 (TCP, not a Unix socket) …
    assert server_addr == "127.0.0.1"
    assert url.host == "127.0.0.1"
    with socket.create_connection(("127.0.0.1", url.port or 5432), timeout=5):
        pass
    # … and this test process has a database of its own.
    assert database == f"casetracker_test_{worker_id()}"


def test_database_is_writable_and_private(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("create table harness_probe (id int primary key, worker text)"))
            conn.execute(text("insert into harness_probe values (1, :w)"), {"w": worker_id()})
        with engine.connect() as conn:
            rows = conn.execute(text("select worker from harness_probe")).all()
        assert rows == [(worker_id(),)]
    finally:
        with engine.begin() as conn:
            conn.execute(text("drop table if exists harness_probe"))
        engine.dispose()
