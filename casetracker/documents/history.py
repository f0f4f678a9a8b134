"""The papers history: each generation (which papers, which template and its SHA-256, who,
when) in paper_generation, and a line in each motion's own history."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casetracker.documents.context import Papers
from casetracker.documents.templates import Template
from casetracker.domain.clock import utcnow
from casetracker.domain.models import Motion, MotionEvent, PaperGeneration


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
