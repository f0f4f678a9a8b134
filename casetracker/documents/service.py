"""Making a motion's or a court list's papers: read, fill, convert, write the file, and record
the generation in the history. The window and the command line both call `generate`.

The slow part (filling and converting) runs with no transaction open, so nobody waits on it;
the finished file is then moved into place by the operation that records it (papers.generate),
inside its unit of work, so a refused or failed record leaves no file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from casetracker.accounts.sealed import refuse_sealed_motions
from casetracker.documents.context import Papers, find_lists, list_papers, motion_papers
from casetracker.documents.ops import record_papers
from casetracker.documents.pdf import docx_to_pdf
from casetracker.documents.render import combine, render, to_bytes
from casetracker.documents.templates import (
    LIST_PAPERS,
    MOTION_PAPERS,
    PaperKind,
    Template,
    current_template,
)
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import CourtList
from casetracker.operations import Actor, Changes
from casetracker.storage.db import Database

FORMATS = (".docx", ".pdf")
# (done, total, what is happening); may raise to stop the work (the window's Cancel).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Request:
    """Papers for one motion, or for the court list(s) of one date and part (or one list)."""

    motion_id: int | None = None
    court_date: date | None = None
    part: str | None = None
    list_id: int | None = None

    def describe(self) -> str:
        if self.motion_id is not None:
            return f"motion {self.motion_id}"
        if self.list_id is not None:
            return f"court list {self.list_id}"
        return f"the court list for {self.court_date} part {self.part}"


@dataclass(frozen=True)
class Generated:
    generation_id: int
    path: Path
    documents: list[str]
    motion_ids: list[int]
    court_list_ids: list[int]
    templates: list[Template]
    changes: Changes


def output_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidValueError(f"Papers are written as .docx or .pdf; '{path.name}' is neither.")
    return suffix[1:]


def _read(session: Session, request: Request) -> tuple[Papers, tuple[PaperKind, ...]]:
    if request.motion_id is not None:
        return motion_papers(session, request.motion_id), MOTION_PAPERS
    if request.list_id is not None:
        court_list = session.get(CourtList, request.list_id)
        if court_list is None:
            raise NotFoundError(f"There is no court list {request.list_id}.")
        return list_papers(session, [court_list]), LIST_PAPERS
    if request.court_date is None or not (request.part or "").strip():
        raise InvalidValueError("Papers for a court list need its date and part.")
    return list_papers(session, find_lists(session, request.court_date, request.part or "")), (
        LIST_PAPERS
    )


def _silent(_done: int, _total: int, _text: str) -> None:
    return None


def generate(
    db: Database,
    request: Request,
    out: Path,
    actor: Actor | str,
    *,
    progress: Progress = _silent,
    should_stop: Callable[[], bool] | None = None,
) -> Generated:
    fmt = output_format(out)
    out = Path(out)
    if not out.parent.is_dir():
        raise InvalidValueError(f"The folder {out.parent} does not exist; nothing was written.")
    steps = 4 if fmt == "pdf" else 3
    progress(0, steps, f"Reading {request.describe()}")
    with db.reading() as session:
        papers, kinds = _read(session, request)
        refuse_sealed_motions(
            session, actor, papers.motion_ids, f"The papers for {request.describe()}"
        )
        templates = [current_template(session, kind) for kind in kinds]
    progress(1, steps, f"Filling in {len(papers.motion_ids):,} motions")
    documents = [
        render(t.content, papers.context, f"The {t.kind.title.lower()} template") for t in templates
    ]
    content = to_bytes(combine(documents))
    if fmt == "pdf":
        progress(2, steps, "Making the PDF with LibreOffice")
        content = docx_to_pdf(content, should_stop=should_stop)
    progress(steps - 1, steps, "Saving")
    temporary = _write_private(out, content)
    receipt: list[int] = []
    try:
        changes = record_papers(db, actor, papers, templates, temporary, out, receipt)
    finally:
        if temporary.exists():
            temporary.unlink()
    progress(steps, steps, "Done")
    return Generated(
        receipt[0],
        out,
        [t.kind.title for t in templates],
        papers.motion_ids,
        papers.court_list_ids,
        templates,
        changes,
    )


def _write_private(out: Path, content: bytes) -> Path:
    """A file beside `out` that only the user can read (papers carry names and dates of
    birth), renamed over `out` once the generation is recorded."""
    handle, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
    except OSError as error:
        Path(name).unlink(missing_ok=True)
        raise InvalidValueError(f"Cannot write {out}: {error.strerror}.") from None
    return Path(name)
