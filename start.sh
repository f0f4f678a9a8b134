#!/usr/bin/env bash
# Launch casetracker from this checkout (installs what is missing first).
#   ./start.sh                 the window
#   ./start.sh --demo [ARGS]   first fill the default database with 2000 demo people
#                              (only when it has no motions yet), then the window
#   ./start.sh COMMAND ...     any main.py command, e.g. ./start.sh --version
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$ROOT/scripts/bootstrap.sh" app
PY="$ROOT/.venv/bin/python"

if [[ "${1:-}" == "--demo" ]]; then
    shift
    "$PY" "$ROOT/main.py" demo --people 2000 --if-empty
fi
exec "$PY" "$ROOT/main.py" "$@"
