"""The secret that keys the audit chain: a random 256-bit key in a file only its owner can
read, kept beside this computer's configuration, never in the database. Someone who can edit
the database but not read this file cannot make a changed row verify again.

An office on one shared PostgreSQL database copies the same key file to each workstation (or
points $CASETRACKER_AUDIT_KEY_FILE at it); the database stores only the key's fingerprint, so
a workstation with another key is noticed instead of starting a chain of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from casetracker.paths import config_dir

log = logging.getLogger(__name__)

ENV_VAR = "CASETRACKER_AUDIT_KEY_FILE"
FILE_NAME = "audit.key"


def key_path() -> Path:
    override = os.environ.get(ENV_VAR)
    return Path(override).expanduser() if override else config_dir() / FILE_NAME


def read_key() -> bytes | None:
    path = key_path()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        log.warning("cannot read the audit key %s: %s", path, error)
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        log.warning("the audit key %s is not a key", path)
        return None
    return key if len(key) >= 32 else None


def create_key() -> bytes:
    """A new key, written with owner-only permissions from the start (no moment when another
    user could read it). An existing file is never overwritten."""
    path = key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")
    # On Windows the mode only sets read-only; the file inherits the folder's ACL, which
    # for the per-user configuration folder is the user alone.
    return key


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"casetracker audit chain key", hashlib.sha256).hexdigest()[:32]
