"""A .docx to PDF through LibreOffice headless, when it is installed.

LibreOffice runs with a profile of its own in a private temporary folder: it neither touches the
user's LibreOffice settings nor waits for a LibreOffice window the user has open. The folder
holds personal data while it lives and is removed, with the profile, when the conversion ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from casetracker.domain.errors import CasetrackerError, InvalidValueError

ENV_VAR = "CASETRACKER_SOFFICE"
TIMEOUT_SECONDS = 300
NOT_INSTALLED = (
    "LibreOffice is not installed, so no PDF can be made; write a .docx instead, or install "
    "LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; Windows and "
    "macOS: libreoffice.org) and try again."
)


class PdfUnavailable(InvalidValueError):
    pass


def find_soffice() -> str | None:
    """$CASETRACKER_SOFFICE, else soffice or libreoffice on the PATH, else the usual places."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[Path] = []
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(c) for c in candidates if c.exists()), None)


def docx_to_pdf(
    docx: bytes, *, should_stop: Callable[[], bool] | None = None, soffice: str | None = None
) -> bytes:
    """The PDF LibreOffice makes of the document. `should_stop` is asked twice a second; when
    it says yes, LibreOffice is stopped and Cancelled-like CasetrackerError is raised by it."""
    program = soffice or find_soffice()
    if program is None:
        raise PdfUnavailable(NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="casetracker-pdf-") as folder:
        work = Path(folder)
        os.chmod(work, 0o700)
        source = work / "papers.docx"
        source.write_bytes(docx)
        profile = (work / "profile").resolve().as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=work,
            # soffice is a wrapper that starts soffice.bin: stopping must reach both, or
            # soffice.bin keeps writing into the folder being removed.
            start_new_session=os.name != "nt",
        )
        started = time.monotonic()
        while process.poll() is None:
            if should_stop is not None and should_stop():
                _stop(process)
                raise ConversionStopped("The PDF was not made: stopped.")
            if time.monotonic() - started > TIMEOUT_SECONDS:
                _stop(process)
                raise InvalidValueError(
                    f"LibreOffice did not finish the PDF within {TIMEOUT_SECONDS} s; "
                    "write a .docx instead, or try again."
                )
            time.sleep(0.1)
        output = process.stdout.read().decode(errors="replace") if process.stdout else ""
        if process.stdout:
            process.stdout.close()
        pdf = work / "papers.pdf"
        if process.returncode != 0 or not pdf.exists():
            last = output.strip().splitlines()[-1:] or [f"exit code {process.returncode}"]
            raise InvalidValueError(f"LibreOffice could not make the PDF: {last[0]}")
        return pdf.read_bytes()


class ConversionStopped(CasetrackerError):
    pass


def _stop(process: subprocess.Popen[bytes]) -> None:
    if os.name != "nt":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        # Windows: soffice.exe ends its child with it when killed.
        process.kill()
    process.wait(timeout=30)
