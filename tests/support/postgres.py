"""pytest plugin: a real PostgreSQL database for the tests.

Register it once, in the top-level ``tests/conftest.py``::

    pytest_plugins = ["tests.support.postgres"]

(``tests.support`` must be importable: keep ``tests/__init__.py``, or run pytest from the
repository root with ``python -m pytest``; see the notes in ``scripts/``.)

Fixture ``postgres_url`` (session scope, ``str``): an SQLAlchemy URL
``postgresql+psycopg://casetracker@127.0.0.1:PORT/casetracker_test_<worker>`` of a database
that is created empty for this pytest process and dropped at the end of the session. Under
pytest-xdist every worker (``gw0``, ``gw1``, …) gets its own database, so parallel workers
never see each other's rows; without xdist the worker id is ``master``.

Where the server comes from:

* ``CASETRACKER_TEST_PG_URL`` set (``test.sh`` does this): that server is used; the database
  named in the URL is only used to find the server, the tests get their own databases.
* otherwise the plugin starts a throwaway server with ``scripts/pg_test_server.sh start``
  and stops it when the session ends (with xdist: one server shared by all workers of the
  run, stopped by the last worker that used it, or by the controller as a safety net).

If PostgreSQL cannot be started or reached, the fixture FAILS (never skips): a CI machine
without PostgreSQL must not look green. To skip deliberately, set
``CASETRACKER_NO_POSTGRES=1``.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ENV_URL = "CASETRACKER_TEST_PG_URL"
ENV_NO_POSTGRES = "CASETRACKER_NO_POSTGRES"
SKIP_REASON = "CASETRACKER_NO_POSTGRES=1: PostgreSQL tests deliberately skipped"

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = REPO_ROOT / "scripts" / "pg_test_server.sh"
START_TIMEOUT_S = 180

_SHARED_STATE = "casetracker-pg-server.json"
_SHARED_LOCK = "casetracker-pg-server.lock"


def worker_id() -> str:
    """``gw0``, ``gw1``… under pytest-xdist, ``master`` otherwise."""
    return os.environ.get("PYTEST_XDIST_WORKER", "master")


def database_name_for(worker: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in worker.lower())
    return f"casetracker_test_{safe}"


# --------------------------------------------------------------------------- server


def _start_server() -> str:
    """Run ``pg_test_server.sh start``; return its URL or fail the test with the reason."""
    if not SERVER_SCRIPT.exists():
        pytest.fail(f"PostgreSQL test server script missing: {SERVER_SCRIPT}", pytrace=False)
    try:
        proc = subprocess.run(
            ["bash", str(SERVER_SCRIPT), "start"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"could not start PostgreSQL for the tests: {exc}", pytrace=False)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines or not lines[-1].startswith("postgresql"):
        pytest.fail(
            "could not start PostgreSQL for the tests "
            f"({SERVER_SCRIPT.name} start exited {proc.returncode}).\n"
            f"stderr:\n{proc.stderr.strip()}\nstdout:\n{proc.stdout.strip()}\n"
            "Install the server (Debian: apt-get install -y postgresql, or run "
            f"scripts/bootstrap.sh test), or set {ENV_NO_POSTGRES}=1 to skip these tests.",
            pytrace=False,
        )
    return lines[-1].strip()


def _stop_server(url: str) -> None:
    subprocess.run(
        ["bash", str(SERVER_SCRIPT), "stop", url],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _acquire_server(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Callable[[], None]]:
    """Return (server URL, release callback)."""
    env_url = os.environ.get(ENV_URL, "").strip()
    if env_url:
        return env_url, lambda: None

    worker = worker_id()
    if worker == "master":
        url = _start_server()
        stopper = atexit.register(_stop_server, url)  # if the session is torn down abruptly

        def release_own() -> None:
            atexit.unregister(stopper)
            _stop_server(url)

        return url, release_own

    # pytest-xdist: one server for all workers of this run. The workers' base temp dirs
    # share a parent (the controller's base temp), which is where the shared state lives.
    shared = tmp_path_factory.getbasetemp().parent
    state_path, lock_path = shared / _SHARED_STATE, shared / _SHARED_LOCK
    with _locked(lock_path):
        state = _read_state(state_path)
        if not state.get("url"):
            state = {"url": _start_server(), "users": []}
        state["users"] = sorted(set(state.get("users", [])) | {worker})
        state_path.write_text(json.dumps(state))
        url = str(state["url"])

    def release_shared() -> None:
        with _locked(lock_path):
            current = _read_state(state_path)
            users = set(current.get("users", [])) - {worker}
            if current.get("url") != url:
                return
            if users:
                current["users"] = sorted(users)
                state_path.write_text(json.dumps(current))
            else:
                _stop_server(url)
                state_path.unlink(missing_ok=True)

    return url, release_shared


def pytest_sessionfinish(session: pytest.Session) -> None:
    """xdist controller: stop a shared server that a crashed worker left running."""
    if hasattr(session.config, "workerinput"):
        return  # a worker, not the controller
    factory = getattr(session.config, "_tmp_path_factory", None)
    basetemp = getattr(factory, "_basetemp", None)
    if basetemp is None:
        return
    state_path = Path(basetemp) / _SHARED_STATE
    if not state_path.exists():
        return
    with _locked(Path(basetemp) / _SHARED_LOCK):
        url = _read_state(state_path).get("url")
        if url:
            _stop_server(str(url))
        state_path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- databases


def _connect_admin(server_url: str) -> Any:
    """psycopg connection (autocommit) to the server's ``postgres`` database."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    params: dict[str, Any] = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username,
        "password": url.password,
        "dbname": "postgres",
        "connect_timeout": 15,
    }
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    params = {k: v for k, v in params.items() if v is not None}
    try:
        return psycopg.connect(autocommit=True, **params)
    except psycopg.Error as exc:
        error = str(exc).strip()
    shown = url.render_as_string(hide_password=True)
    pytest.fail(
        f"PostgreSQL server at {shown} is not reachable: {error}\n"
        f"(unset {ENV_URL} to let the tests start their own server, or set "
        f"{ENV_NO_POSTGRES}=1 to skip the PostgreSQL tests)",
        pytrace=False,
    )


def _create_database(server_url: str, name: str) -> str:
    from psycopg import sql
    from sqlalchemy.engine import make_url

    with _connect_admin(server_url) as conn:
        ident = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(ident))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(server_url: str, name: str) -> None:
    from psycopg import sql

    with _connect_admin(server_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLAlchemy URL of an empty PostgreSQL database owned by this test process."""
    if os.environ.get(ENV_NO_POSTGRES, "").strip() == "1":
        pytest.skip(SKIP_REASON)
    server_url, release = _acquire_server(tmp_path_factory)
    name = database_name_for(worker_id())
    try:
        db_url = _create_database(server_url, name)
    except BaseException:
        release()
        raise
    try:
        yield db_url
    finally:
        try:
            _drop_database(server_url, name)
        finally:
            release()
