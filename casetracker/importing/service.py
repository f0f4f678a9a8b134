"""An import from start to finish, as the command line and the window both run it."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.accounts.sealed import hides_sealed, sealed_people
from casetracker.importing.collector import collector_paused
from casetracker.importing.commit import (
    commit_plan,
    lock_for_import,
    release_import_cache,
    start_batch,
)
from casetracker.importing.plan import (
    ImportOptions,
    ImportPlan,
    Progress,
    build_plan,
    start_plan,
)
from casetracker.importing.reader import SourceFile
from casetracker.importing.report import write_error_report
from casetracker.importing.stream import can_stream, check_and_store
from casetracker.paths import data_dir

log = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    plan: ImportPlan
    batch_id: int | None
    dry_run: bool
    error_report: Path | None = None
    # Why the error report could not be written; the import itself stands.
    report_warning: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def run_import(
    session: Session,
    source: SourceFile,
    options: ImportOptions,
    user: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Plan and (unless dry_run) commit in the caller's one unit of work."""
    require(session, user, "import.run")
    # Paused from the reading to the writing: let back in between, the collector would walk
    # every row and record of the plan once (0.3 s at 100,000 rows) to free nothing.
    with collector_paused():
        return _run_import(session, source, options, user, dry_run, progress)


def _run_import(
    session: Session,
    source: SourceFile,
    options: ImportOptions,
    user: str,
    dry_run: bool,
    progress: Progress | None,
) -> ImportOutcome:
    batch = None
    if not dry_run:
        lock_for_import(session)
        batch = start_batch(session, source.file_name, source.sha256, user)
    if batch is not None and can_stream(session):
        plan = check_and_store(
            session, start_plan(session, source, options, progress), batch, progress
        )
    else:
        plan = build_plan(session, source, options, progress, people_later=batch is not None)
        if batch is not None and plan.records:
            commit_plan(session, plan, batch, progress)
    if batch is not None and not plan.records:
        # Nothing new: no empty batch either, so a repeated import changes nothing at all.
        session.delete(batch)
        session.flush()
        batch = None
    plan.find_possible_matches()  # nothing new to store: linking has nothing to do either
    hide_sealed_matches(session, user, plan)
    if not dry_run:
        release_import_cache(session)
    return ImportOutcome(plan, batch.id if batch is not None else None, dry_run)


def hide_sealed_matches(session: Session, user: str, plan: ImportPlan) -> None:
    """A possible match with someone known only through sealed records keeps its row (the
    importer's own data, to review) but not who on file it may be, for a role that may not
    see sealed records: the error report then says to ask a supervisor."""
    if not plan.possible_matches or not hides_sealed(user, session):
        return
    on_file = [m.person_id for m in plan.possible_matches if m.person_id is not None]
    hidden = sealed_people(session, on_file)
    if not hidden:
        return
    for index, match in enumerate(plan.possible_matches):
        if match.person_id in hidden:
            plan.possible_matches[index] = replace(
                match,
                other="a sealed record",
                other_name="",
                other_date_of_birth=None,
                why="possible match in a sealed record: ask a supervisor",
                person_id=None,
            )
            plan.counts.sealed_matches += 1


def default_report_path(file_name: str) -> Path:
    stem = Path(file_name).stem[:80] or "import"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return data_dir() / "import-reports" / f"{stem}-problems-{stamp}.xlsx"


def finish(outcome: ImportOutcome, report_path: Path | None = None) -> ImportOutcome:
    """Write the error report when there is anything in it, and the summary."""
    plan = outcome.plan
    if plan.problems or plan.possible_matches:
        path = report_path or default_report_path(plan.file_name)
        try:
            outcome.error_report = write_error_report(plan, path)
        except Exception as error:  # whatever stops the report, the batch is saved
            log.warning("error report not written: %s", type(error).__name__)
            outcome.report_warning = (
                f"the error report could not be written to {path} "
                f"({type(error).__name__}: {' '.join(str(error).split())[:200]}); "
                "the import itself is complete"
            )
    counts = asdict(plan.counts)
    valid = counts.pop("valid")
    outcome.summary = {
        "file": plan.file_name,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "kind": plan.kind.value,
        "dry_run": outcome.dry_run,
        "rows_read": counts.pop("rows_read"),
        "imported": 0 if outcome.dry_run else valid,
        "valid": valid,
        **counts,
        "batch_id": outcome.batch_id,
        "error_report": str(outcome.error_report) if outcome.error_report else None,
        "report_warning": outcome.report_warning,
        "mapping": plan.mapping.describe(),
        "recognised_by_values": plan.mapping.guesses(),
    }
    return outcome
