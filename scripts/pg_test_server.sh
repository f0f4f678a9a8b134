#!/usr/bin/env bash
# Throwaway PostgreSQL server for the tests.
#
#   scripts/pg_test_server.sh start
#       Creates a fresh cluster in a new temp dir (owned by the `postgres` system user
#       when run as root — PostgreSQL refuses to run as root — else by the current user),
#       listening on 127.0.0.1 on a free port, trust auth, superuser `casetracker`,
#       with a database `casetracker_test`. Prints exactly one line on stdout:
#           postgresql+psycopg://casetracker@127.0.0.1:PORT/casetracker_test
#       Progress and errors go to stderr. The data dir is recorded in a state file
#       ($CASETRACKER_PG_STATE_FILE if set, else /tmp/casetracker-pg-PORT.state).
#
#   scripts/pg_test_server.sh stop [URL|PORT|STATE_FILE]
#       Stops that server (pg_ctl stop -m fast) and deletes its directory. Without an
#       argument uses $CASETRACKER_PG_STATE_FILE, else the port of $CASETRACKER_TEST_PG_URL.
#
# Binaries: $CASETRACKER_PG_BINDIR if set, else `pg_config --bindir` if it has initdb, else the
# highest /usr/lib/postgresql/*/bin.
# Debian/Ubuntu: apt-get update && apt-get install -y postgresql
set -euo pipefail

say() { printf 'pg_test_server: %s\n' "$*" >&2; }
die() {
    printf 'pg_test_server: ERROR: %s\n' "$*" >&2
    exit 1
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_USER_NAME=casetracker
DB_NAME=casetracker_test
STATE_DIR="/tmp"

is_root=0
[[ "$(id -u)" == 0 ]] && is_root=1

find_bindir() {
    local d
    if [[ -n "${CASETRACKER_PG_BINDIR:-}" ]]; then
        [[ -x "$CASETRACKER_PG_BINDIR/initdb" && -x "$CASETRACKER_PG_BINDIR/pg_ctl" ]] || return 1
        printf '%s\n' "$CASETRACKER_PG_BINDIR"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    fi
    # Highest major version first (sort -V handles 9.6 < 10 < 15).
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

python_bin() {
    if [[ -x "$ROOT/.venv/bin/python" ]]; then
        printf '%s\n' "$ROOT/.venv/bin/python"
    else
        command -v python3 || command -v python || die "python3 not found (needed to pick a free port)"
    fi
}

free_port() {
    "$(python_bin)" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# run_pg CMD... : runs CMD as the cluster owner, from inside the cluster dir
# (the postgres user may not be able to enter the caller's working directory).
run_pg() {
    if ((is_root)); then
        (cd "$PGDIR" && runuser -u postgres -- "$@")
    else
        (cd "$PGDIR" && "$@")
    fi
}

ensure_postgres_user() {
    ((is_root)) || return 0
    id -u postgres >/dev/null 2>&1 && return 0
    say "creating system user 'postgres'…"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin postgres ||
        die "cannot create the 'postgres' system user needed to run PostgreSQL as root"
}

state_file_for_port() {
    printf '%s\n' "${CASETRACKER_PG_STATE_FILE:-$STATE_DIR/casetracker-pg-$1.state}"
}

cmd_start() {
    local bindir
    bindir="$(find_bindir)" ||
        die "PostgreSQL server binaries (initdb, pg_ctl) not found; install with: apt-get update && apt-get install -y postgresql"
    ((is_root)) && ! command -v runuser >/dev/null 2>&1 && die "runuser not found (util-linux); needed to run PostgreSQL as root"
    ensure_postgres_user

    if ((is_root)); then
        PGDIR="$(mktemp -d /tmp/casetracker-pg.XXXXXX)"
        chown postgres: "$PGDIR"
    else
        PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/casetracker-pg.XXXXXX")"
    fi
    chmod 700 "$PGDIR"
    local data="$PGDIR/data" log="$PGDIR/server.log" initlog="$PGDIR/initdb.log"

    if ! run_pg "$bindir/initdb" -D "$data" -A trust -U "$PG_USER_NAME" -E UTF8 --no-locale \
        --no-sync >"$initlog" 2>&1; then
        cat "$initlog" >&2 || true
        rm -rf "$PGDIR"
        die "initdb failed ($bindir/initdb)"
    fi

    # The port is picked before the server binds it; retry on the (rare) race.
    local port="" attempt started=0
    for attempt in 1 2 3; do
        port="$(free_port)"
        if run_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
            -o "-k $PGDIR -h 127.0.0.1 -p $port -F -c max_connections=200" start >/dev/null 2>&1; then
            started=1
            break
        fi
        say "start attempt $attempt on port $port failed"
        run_pg "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    if ((!started)); then
        say "server log ($log):"
        tail -n 40 "$log" >&2 || true
        rm -rf "$PGDIR"
        die "PostgreSQL failed to start (binaries: $bindir)"
    fi

    local state
    state="$(state_file_for_port "$port")"
    printf 'PGDIR=%q\nBINDIR=%q\nPORT=%q\n' "$PGDIR" "$bindir" "$port" >"$state"

    if ! run_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$PG_USER_NAME" "$DB_NAME" >&2; then
        cmd_stop "$state"
        die "createdb $DB_NAME failed"
    fi
    say "PostgreSQL ($("$bindir/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port, data in $PGDIR"
    printf 'postgresql+psycopg://%s@127.0.0.1:%s/%s\n' "$PG_USER_NAME" "$port" "$DB_NAME"
}

cmd_stop() {
    local arg="${1:-}" state="" port=""
    if [[ -z "$arg" ]]; then
        if [[ -n "${CASETRACKER_PG_STATE_FILE:-}" ]]; then
            state="$CASETRACKER_PG_STATE_FILE"
        elif [[ -n "${CASETRACKER_TEST_PG_URL:-}" ]]; then
            arg="$CASETRACKER_TEST_PG_URL"
        else
            die "stop: which server? pass its URL, port or state file"
        fi
    fi
    if [[ -z "$state" ]]; then
        if [[ -f "$arg" ]]; then
            state="$arg"
        elif [[ "$arg" =~ ^[0-9]+$ ]]; then
            port="$arg"
        elif [[ "$arg" =~ :([0-9]+)/ ]]; then
            port="${BASH_REMATCH[1]}"
        else
            die "stop: cannot understand '$arg' (expected URL, port or state file)"
        fi
        [[ -n "$port" ]] && state="$(state_file_for_port "$port")"
    fi
    if [[ ! -f "$state" ]]; then
        say "stop: no state file $state (already stopped?)"
        return 0
    fi
    local PGDIR="" BINDIR="" PORT=""
    # shellcheck disable=SC1090
    source "$state"
    [[ -n "$PGDIR" && "$PGDIR" == */casetracker-pg.* ]] || die "stop: bad state file $state"
    if [[ -d "$PGDIR/data" ]]; then
        run_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            run_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            say "stop: pg_ctl stop failed for $PGDIR (port $PORT)"
    fi
    rm -rf "$PGDIR"
    rm -f "$state"
    say "stopped the server on port $PORT"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop "${2:-}" ;;
*)
    echo "usage: $0 start | stop [URL|PORT|STATE_FILE]" >&2
    exit 2
    ;;
esac
