#!/usr/bin/env bash
# Make this checkout runnable: Python >= 3.11, .venv with the project installed,
# and the Debian system libraries Qt 6 (and, for `test`, the test tools) need.
#
#   scripts/bootstrap.sh          same as `app`
#   scripts/bootstrap.sh app      Python env + Qt runtime libraries
#   scripts/bootstrap.sh test     the above + PostgreSQL server, LibreOffice (calc, writer),
#                                 poppler-utils, Xvfb
#
# Idempotent and fast when everything is present (it runs at every launch):
# pip only runs when pyproject.toml changed since the last successful install
# (sha256 stamp kept in .venv), apt only runs when a package is missing.
set -euo pipefail

# The whole script is one function, parsed before it runs: editing this file
# (e.g. a git pull) while it runs cannot make bash execute half-old, half-new code.
main() {
    group="${1:-app}"
    case "$group" in
    app | test) ;;
    -h | --help)
        sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: $0 [app|test]" >&2
        exit 2
        ;;
    esac

    ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cd "$ROOT"

    say() { printf 'casetracker: %s\n' "$*" >&2; }
    die() {
        printf 'casetracker: ERROR: %s\n' "$*" >&2
        exit 1
    }

    # Serialise concurrent bootstraps of the same checkout (e.g. start.sh and test.sh at once).
    if command -v flock >/dev/null 2>&1; then
        lock="${TMPDIR:-/tmp}/casetracker-bootstrap-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
        exec 9>"$lock"
        flock 9
    fi

    # ---------------------------------------------------------------- system packages
    QT_PKGS=(
        libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
        libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
        libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
        libxrender1 libxi6 fonts-dejavu-core
    )
    # xauth: xvfb-run needs it and it is only a Recommends of xvfb.
    # fonts-liberation2: metric twins of Times New Roman and Arial, so that papers made with
    # LibreOffice break their lines and pages as Word does (a Recommends of LibreOffice).
    TEST_PKGS=(
        postgresql libreoffice-calc libreoffice-writer fonts-liberation2 poppler-utils xvfb xauth
    )

    pkgs=("${QT_PKGS[@]}")
    [[ "$group" == test ]] && pkgs+=("${TEST_PKGS[@]}")

    is_root=0
    [[ "$(id -u)" == 0 ]] && is_root=1

    # Runs an apt-get command as root (directly, or through passwordless sudo).
    # Returns 3 when it cannot get root, so the caller can print the command instead.
    as_root() {
        if ((is_root)); then
            "$@"
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo -n "$@"
        else
            return 3
        fi
    }

    apt_updated=0
    APT_LOG="${TMPDIR:-/tmp}/casetracker-apt.log"
    apt_install() { # apt_install PKG...
        local cmd="apt-get update && apt-get install -y --no-install-recommends $*"
        local rc=0
        export DEBIAN_FRONTEND=noninteractive
        if ! as_root true 2>/dev/null; then
            say "missing system packages: $*"
            say "not root and no passwordless sudo; please run:  sudo sh -c '$cmd'"
            return 3
        fi
        if ((!apt_updated)); then
            say "updating the apt package lists…"
            as_root apt-get -qq -o DPkg::Lock::Timeout=300 update >"$APT_LOG" 2>&1 || rc=$?
            if ((rc != 0)); then
                tail -n 30 "$APT_LOG" >&2
                return "$rc"
            fi
            apt_updated=1
        fi
        say "installing system packages: $*… (log: $APT_LOG)"
        rc=0
        as_root apt-get install -y -q --no-install-recommends \
            -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 "$@" >"$APT_LOG" 2>&1 || rc=$?
        if ((rc != 0)); then
            tail -n 30 "$APT_LOG" >&2
            return "$rc"
        fi
    }

    missing_pkgs() { # prints the packages of "$@" that are not installed
        local p status
        for p in "$@"; do
            status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
            [[ "$status" == ii* ]] || printf '%s\n' "$p"
        done
    }

    install_system_packages() {
        if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
            say "not a Debian/Ubuntu system: make sure the Qt 6 runtime libraries are installed" \
                "(equivalents of: ${pkgs[*]})"
            return 0
        fi
        local missing=()
        mapfile -t missing < <(missing_pkgs "${pkgs[@]}")
        ((${#missing[@]} == 0)) && return 0
        local rc=0
        apt_install "${missing[@]}" || rc=$?
        if ((rc == 3)); then
            return 0 # command printed; carry on
        elif ((rc != 0)); then
            if [[ "$group" == test ]]; then
                die "apt-get failed (exit $rc) installing: ${missing[*]}"
            fi
            say "WARNING: apt-get failed (exit $rc) installing: ${missing[*]} — the GUI may not start"
        fi
    }

    install_system_packages

    # ---------------------------------------------------------------- python + venv
    py_ok() { # py_ok PYTHON -> true when it runs and is >= 3.11
        "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
    }

    VENV="$ROOT/.venv"
    VPY="$VENV/bin/python"
    STAMP="$VENV/.casetracker-pyproject.sha256"

    if [[ -d "$VENV" ]] && ! py_ok "$VPY"; then
        say ".venv is broken or uses Python < 3.11; recreating it…"
        rm -rf "$VENV"
    fi

    if [[ ! -d "$VENV" ]]; then
        PY=""
        for cand in python3 python3.13 python3.12 python3.11; do
            if command -v "$cand" >/dev/null 2>&1 && py_ok "$cand"; then
                PY="$(command -v "$cand")"
                break
            fi
        done
        [[ -n "$PY" ]] || die "Python >= 3.11 not found; install it with:  apt-get update && apt-get install -y python3 python3-venv"
        if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
            pyver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            venv_cmd="apt-get update && apt-get install -y python${pyver}-venv"
            if command -v apt-get >/dev/null 2>&1 && as_root true 2>/dev/null; then
                apt_install "python${pyver}-venv" || die "could not install python${pyver}-venv; run:  $venv_cmd"
            else
                die "$PY cannot create virtualenvs (venv/ensurepip missing); install with:  $venv_cmd"
            fi
        fi
        say "creating .venv with $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))…"
        "$PY" -m venv "$VENV" || die "'$PY -m venv .venv' failed"
    fi

    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    have="$(cat "$STAMP" 2>/dev/null || true)"
    if [[ "$want" != "$have" ]]; then
        say "installing Python packages… (pyproject.toml changed or first run; log: .venv/pip-install.log)"
        rm -f "$STAMP"
        if ! "$VPY" -m pip install --disable-pip-version-check -e '.[dev]' \
            >"$VENV/pip-install.log" 2>&1; then
            tail -n 40 "$VENV/pip-install.log" >&2
            die "pip install -e '.[dev]' failed (full log: .venv/pip-install.log)"
        fi
        printf '%s\n' "$want" >"$STAMP"
        say "Python packages installed"
    fi
}

main "$@"
