"""The kinds of paper, their shipped templates (resources/templates/) and the office's own
replacements, which live in the database so a shared office prints the same papers everywhere."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.documents.fields import LIST, MOTION, field_names, sample_context
from casetracker.documents.render import TemplateProblem, render, to_bytes
from casetracker.domain.clock import utcnow
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import PaperTemplate
from casetracker.paths import resource_path

# A template bigger than this is not a court paper (a pasted photograph, a wrong file).
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PaperKind:
    name: str
    title: str
    subject: str  # MOTION or LIST: which fields it is filled with


PAPER_KINDS: tuple[PaperKind, ...] = (
    PaperKind("notice_of_motion", "Notice of motion", MOTION),
    PaperKind("affirmation", "Affirmation of the assigned ADA", MOTION),
    PaperKind("proposed_order", "Proposed order", MOTION),
    PaperKind("omnibus_motion", "Omnibus motion with Exhibit A", LIST),
    PaperKind("list_order", "Order for the list, with Exhibit A", LIST),
)
KINDS_BY_NAME = {kind.name: kind for kind in PAPER_KINDS}
MOTION_PAPERS = tuple(k for k in PAPER_KINDS if k.subject == MOTION)
LIST_PAPERS = tuple(k for k in PAPER_KINDS if k.subject == LIST)


@dataclass(frozen=True)
class Template:
    kind: PaperKind
    content: bytes
    sha256: str
    source: str  # "default" or "office"
    file_name: str | None = None
    saved_by: str | None = None
    saved_at: datetime | None = None


def paper_kind(name: str) -> PaperKind:
    kind = KINDS_BY_NAME.get(name.strip().lower().replace("-", "_"))
    if kind is None:
        names = ", ".join(KINDS_BY_NAME)
        raise InvalidValueError(f"'{name}' is not a kind of paper (choose from: {names}).")
    return kind


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@cache
def default_content(name: str) -> bytes:
    return resource_path("templates", f"{name}.docx").read_bytes()


def default_template(kind: PaperKind) -> Template:
    content = default_content(kind.name)
    return Template(kind, content, sha256(content), "default")


def current_template(session: Session, kind: PaperKind) -> Template:
    row = session.scalars(
        select(PaperTemplate)
        .where(PaperTemplate.name == kind.name)
        .order_by(PaperTemplate.id.desc())
        .limit(1)
    ).first()
    if row is None or row.content is None:
        return default_template(kind)
    return Template(
        kind,
        row.content,
        row.sha256 or sha256(row.content),
        "office",
        row.file_name,
        row.saved_by,
        row.saved_at,
    )


def current_templates(session: Session) -> dict[str, Template]:
    return {kind.name: current_template(session, kind) for kind in PAPER_KINDS}


@dataclass(frozen=True)
class CheckResult:
    kind: PaperKind
    sha256: str
    sample: bytes  # the template filled with the sample motion or list, as a .docx


def check_template(kind: PaperKind, content: bytes, label: str = "The template") -> CheckResult:
    """Refuse a template that is not a .docx, has a mistake in its fields, or uses a field this
    program does not know (named, with the fields there are); else the sample it renders."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(
            f"{label} is {len(content) / 1e6:.0f} MB; a template may be at most "
            f"{MAX_TEMPLATE_BYTES // 2**20} MB."
        )
    try:
        document = render(content, sample_context(kind.subject), label)
    except TemplateProblem as problem:
        if problem.unknown:
            fields = ", ".join(field_names(kind.subject))
            raise TemplateProblem(
                f"{problem}. It was not accepted. The fields a {kind.title.lower()} may use "
                f"are: {fields}.",
                problem.unknown,
            ) from None
        raise
    return CheckResult(kind, sha256(content), to_bytes(document))


def replace_template(
    session: Session, kind: PaperKind, content: bytes, file_name: str, user: str
) -> CheckResult:
    """Check the template, then put it in force for everyone using this database."""
    result = check_template(kind, content, f"'{file_name}'")
    session.add(
        PaperTemplate(
            name=kind.name,
            content=content,
            sha256=result.sha256,
            file_name=file_name,
            saved_by=user,
            saved_at=utcnow(),
        )
    )
    session.flush()
    return result


def restore_default(session: Session, kind: PaperKind, user: str) -> None:
    if current_template(session, kind).source == "default":
        raise InvalidValueError(f"The {kind.title.lower()} is already the shipped default.")
    session.add(PaperTemplate(name=kind.name, content=None, saved_by=user, saved_at=utcnow()))
    session.flush()
