"""The papers' user actions as operations (casetracker.operations): recording a generation
("papers.generate") and putting a template in force or back to the default ("papers.templates").
The permission and audit hooks run around each; the window and the command line call these."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import Session

from casetracker.documents.context import Papers, current_versions
from casetracker.documents.history import record_generation
from casetracker.documents.templates import PaperKind, Template, replace_template, restore_default
from casetracker.domain.errors import InvalidValueError, StaleEditError
from casetracker.domain.models import Motion
from casetracker.domain.workflow import named
from casetracker.operations import Actor, Changes, operation


@operation("papers.generate")
def record_papers(
    session: Session,
    actor: Actor,
    papers: Papers,
    templates: list[Template],
    made: Path,
    out: Path,
    receipt: list[int],
) -> Changes:
    """Record the generation and move the finished file `made` to `out` in the same unit of
    work: a refused or failed record leaves no file, a failed move no record. `receipt` gets
    the generation's id."""
    if current_versions(session, papers) != papers.versions:
        raise StaleEditError(
            "The motions changed while the papers were being made (someone else's change); "
            "nothing was saved. Make the papers again."
        )
    fmt = out.suffix.lower().lstrip(".")
    generation_id = record_generation(session, papers, templates, out, fmt, actor.name)
    try:
        os.replace(made, out)
    except OSError as error:
        # Windows refuses to replace a file Word has open; nothing is recorded then.
        raise InvalidValueError(
            f"Cannot write {out}: {error.strerror}. If it is open in Word or a PDF viewer, "
            "close it and try again."
        ) from None
    receipt.append(generation_id)
    count = len(papers.motion_ids)
    what = (
        f"court list {', '.join(map(str, papers.court_list_ids))}"
        if templates and templates[0].kind.subject == "list"
        else _named(session, papers.motion_ids[0])
    )
    return Changes(
        motions=frozenset(papers.motion_ids),
        court_lists=frozenset(papers.court_list_ids),
        summary=f"Papers for {what} ({count:,} motion{'' if count == 1 else 's'}) saved",
    )


@operation("papers.templates")
def set_template(
    session: Session,
    actor: Actor,
    kind: PaperKind,
    content: bytes | None,
    file_name: str | None = None,
) -> Changes:
    """Put an office template in force for everyone (checked first), or, with no content,
    the shipped default back."""
    if content is None:
        restore_default(session, kind, actor.name)
        summary = f"The {kind.title.lower()} is the shipped default again"
    else:
        replace_template(session, kind, content, file_name or "template.docx", actor.name)
        summary = f"The {kind.title.lower()} is now '{file_name}'"
    return Changes(settings=frozenset({f"paper_template.{kind.name}"}), summary=summary)


def _named(session: Session, motion_id: int) -> str:
    motion = session.get(Motion, motion_id)
    return named(motion) if motion is not None else f"motion {motion_id}"
