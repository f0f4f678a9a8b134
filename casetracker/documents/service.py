"""Making a motion's or a court list's papers: read, fill, convert, write the file, and record
the generation in the history. The window and the command line both call `generate`.

The slow part (filling and converting) runs with no transaction open, so nobody waits on it;
the record and the file are then written together: the file is moved into place inside the
unit of work that records it, so a refused record leaves no file and a failed write no record.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casetracker.documents.context import Papers, find_lists, list_papers, motion_papers
from casetracker.documents.pdf import docx_to_pdf
from casetracker.documents.render import combine, render, to_bytes
from casetracker.documents.templates import (
    LIST_PAPERS,
    MOTION_PAPERS,
    PaperKind,
    Template,
    current_template,
)
from casetracker.domain.clock import utcnow
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import CourtList, Motion, MotionEvent, PaperGeneration
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
    user: str,
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
    try:
        with db.unit_of_work() as session:
            generation_id = record_generation(session, papers, templates, out, fmt, user)
            os.replace(temporary, out)
    finally:
        if temporary.exists():
            temporary.unlink()
    progress(steps, steps, "Done")
    return Generated(
        generation_id,
        out,
        [t.kind.title for t in templates],
        papers.motion_ids,
        papers.court_list_ids,
        templates,
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


def record_generation(
    session: Session,
    papers: Papers,
    templates: list[Template],
    out: Path,
    fmt: str,
    user: str,
) -> int:
    """The generation in the papers history, and one line in each motion's own history."""
    at = utcnow()
    documents = [
        {"name": t.kind.name, "title": t.kind.title, "source": t.source, "sha256": t.sha256}
        for t in templates
    ]
    single = len(papers.motion_ids) == 1 and templates[0].kind.subject == "motion"
    generation = PaperGeneration(
        at=at,
        user=user,
        motion_id=papers.motion_ids[0] if single else None,
        court_list_id=papers.court_list_ids[0] if papers.court_list_ids and not single else None,
        motion_count=len(papers.motion_ids),
        documents=documents,
        file_name=out.name,
        file_format=fmt,
    )
    session.add(generation)
    session.flush()
    which = "; ".join(
        f"{d['title']} ({'office template' if d['source'] == 'office' else 'default template'}, "
        f"SHA-256 {d['sha256'][:12]})"
        for d in documents
    )
    reason = f"Papers made ({fmt.upper()}, record {generation.id}): {which}"
    stages = {
        motion_id: stage
        for motion_id, stage in session.execute(
            select(Motion.id, Motion.stage).where(Motion.id.in_(papers.motion_ids))
        )
    }
    rows = [
        {
            "motion_id": motion_id,
            "at": at,
            "user": user,
            "action": "papers",
            "from_stage": stages[motion_id],
            "to_stage": stages[motion_id],
            "reason": reason,
            "changes": {},
        }
        for motion_id in papers.motion_ids
        if motion_id in stages
    ]
    session.execute(insert(MotionEvent), rows)
    return generation.id


def generations(session: Session, *, limit: int = 200) -> list[PaperGeneration]:
    return list(
        session.scalars(select(PaperGeneration).order_by(PaperGeneration.id.desc()).limit(limit))
    )
