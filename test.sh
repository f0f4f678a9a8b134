#!/usr/bin/env bash
# The whole check, as CI runs it (.ci/run):
#   1. scripts/bootstrap.sh test   (.venv, Qt libraries, PostgreSQL, LibreOffice, poppler, Xvfb)
#   2. == lint          ruff check, ruff format --check, mypy
#   3. == tests         pytest -n 2 against a throwaway PostgreSQL server (extra args: "$@")
#   4. == frozen build  PyInstaller one-folder build + smoke run of the frozen executable
#                       (skipped when the tests failed or CASETRACKER_SKIP_BUILD is set)
# Exit status: pytest's when it failed (5 = no tests ran counts as failure), else 1 when lint
# or the frozen build failed, else 0.
#
#   ./test.sh                          everything
#   ./test.sh tests/normalize -x       only those tests (lint still runs)
#   CASETRACKER_SKIP_BUILD=1 ./test.sh no PyInstaller build
set -euo pipefail

# One function, parsed before it runs: editing this file during a run is safe.
main() {
    ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    cd "$ROOT"

    local t0=$SECONDS t
    section() {
        printf '\n== %s\n' "$*"
        t=$SECONDS
    }
    took() { printf -- '-- %s: %s (%ss)\n' "$1" "$2" "$((SECONDS - t))"; }

    bash scripts/bootstrap.sh test
    local VBIN="$ROOT/.venv/bin"

    # ------------------------------------------------------------------ lint
    section lint
    local lint_rc=0
    printf '$ ruff check .\n'
    "$VBIN/ruff" check . || lint_rc=1
    printf '$ ruff format --check .\n'
    "$VBIN/ruff" format --check . || lint_rc=1
    printf '$ mypy\n'
    "$VBIN/mypy" || lint_rc=1
    took lint "$( ((lint_rc)) && echo FAILED || echo ok)"

    # ------------------------------------------------------------------ tests
    section tests
    TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/casetracker-test.XXXXXX")"
    PG_URL=""
    stop_pg() {
        if [[ -n "$PG_URL" ]]; then
            bash "$ROOT/scripts/pg_test_server.sh" stop "$PG_URL" || true
            PG_URL=""
        fi
    }
    # shellcheck disable=SC2317  # invoked by the EXIT trap
    cleanup() {
        stop_pg
        rm -rf "$TMP_DIR"
    }
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    if ! PG_URL="$(bash scripts/pg_test_server.sh start)"; then
        PG_URL=""
        echo "test.sh: could not start the PostgreSQL test server (see above)" >&2
        exit 1
    fi
    export CASETRACKER_TEST_PG_URL="$PG_URL"
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    echo "PostgreSQL: $PG_URL"

    local junit="$TMP_DIR/junit.xml" test_rc=0
    "$VBIN/pytest" -n 2 -q --junitxml="$junit" "$@" || test_rc=$?
    stop_pg
    local counts=""
    if [[ -s "$junit" ]]; then
        counts="$("$VBIN/python" - "$junit" <<'EOF' || true
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
n = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
failed = n["failures"] + n["errors"]
passed = max(n["tests"] - failed - n["skipped"], 0)
print(f"{passed} passed, {failed} failed, {n['skipped']} skipped")
EOF
        )"
    fi
    case "$test_rc" in
    0) took tests ok ;;
    5)
        echo "test.sh: pytest collected/ran no tests (exit 5) — treated as a failure" >&2
        took tests "FAILED (no tests ran)"
        ;;
    *) took tests "FAILED (pytest exit $test_rc)" ;;
    esac

    # ------------------------------------------------------------------ frozen build
    local build_state="skipped" build_rc=0
    if ((test_rc != 0)); then
        build_state="skipped (tests failed)"
    elif [[ -n "${CASETRACKER_SKIP_BUILD:-}" ]]; then
        build_state="skipped (CASETRACKER_SKIP_BUILD is set)"
    else
        section "frozen build"
        mkdir -p build
        local log="build/pyinstaller.log" exe="dist/casetracker/casetracker"
        local version
        version="$("$VBIN/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
        echo "\$ pyinstaller --noconfirm --clean build.spec   (log: $log)"
        if ! "$VBIN/pyinstaller" --noconfirm --clean --log-level WARN build.spec >"$log" 2>&1; then
            echo "test.sh: PyInstaller failed; last lines of $log:" >&2
            tail -n 60 "$log" >&2
            build_rc=1
        else
            # The frozen app gets a private data dir, so the smoke run leaves the user's alone.
            local out
            echo "\$ $exe --version"
            if out="$(CASETRACKER_DATA_DIR="$TMP_DIR/data" QT_QPA_PLATFORM=offscreen \
                timeout 120 "$exe" --version 2>&1)"; then
                echo "$out"
                if [[ "$out" != *"$version"* ]]; then
                    echo "test.sh: frozen --version does not show pyproject's version $version" >&2
                    build_rc=1
                fi
            else
                echo "$out"
                echo "test.sh: frozen '$exe --version' failed" >&2
                build_rc=1
            fi
            echo "\$ $exe demo --people 50 --db sqlite:///$TMP_DIR/frozen.sqlite"
            if ! CASETRACKER_DATA_DIR="$TMP_DIR/data" QT_QPA_PLATFORM=offscreen \
                timeout 600 "$exe" demo --people 50 --db "sqlite:///$TMP_DIR/frozen.sqlite"; then
                echo "test.sh: frozen 'demo' run failed" >&2
                build_rc=1
            fi
        fi
        build_state="$( ((build_rc)) && echo FAILED || echo ok)"
        took "frozen build" "$build_state"
    fi

    # ------------------------------------------------------------------ summary
    section summary
    echo "lint: $( ((lint_rc)) && echo FAILED || echo ok)"
    echo "frozen build: $build_state"
    echo "total time: $((SECONDS - t0))s"
    local rc=0
    if ((test_rc != 0)); then
        rc=$test_rc
    elif ((lint_rc != 0 || build_rc != 0)); then
        rc=1
    fi
    # Last line: the test count, in the plain 'N passed, N failed' form.
    [[ -n "$counts" ]] && echo "tests: $counts"
    exit "$rc"
}

main "$@"
