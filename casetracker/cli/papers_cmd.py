"""`casetracker papers`: a motion's or a court list's papers as .docx or .pdf, and the office's
own templates (show, check, replace, restore)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from casetracker.cli.args import acting_user, iso_date, opened
from casetracker.documents.fields import field_names
from casetracker.documents.history import generations
from casetracker.documents.ops import set_template
from casetracker.documents.pdf import find_soffice
from casetracker.documents.service import Request, generate, output_format
from casetracker.documents.templates import (
    PAPER_KINDS,
    check_template,
    current_templates,
    paper_kind,
)
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import PaperGeneration
from casetracker.domain.words import counted


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "papers",
        parents=[common],
        help="motion papers: notice, affirmation and order, per motion or per court list",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="FILE.docx or FILE.pdf"
    )

    motion = actions.add_parser(
        "motion",
        parents=[common, out],
        help="notice of motion, affirmation and proposed order for one motion",
    )
    motion.add_argument("motion_id", metavar="MOTION_ID", type=int)

    court_list = actions.add_parser(
        "court-list",
        parents=[common, out],
        help="omnibus motion with Exhibit A and the order, for a court date and part",
    )
    court_list.add_argument("--date", type=iso_date, help="court date YYYY-MM-DD")
    court_list.add_argument("--part", help="court part, e.g. AP1")
    court_list.add_argument("--list", dest="list_id", type=int, help="or: this list's id")

    templates = actions.add_parser(
        "templates", parents=[common], help="which template is in force for each paper"
    )
    templates.add_argument("--json", action="store_true")

    history = actions.add_parser(
        "history", parents=[common], help="papers made: which, from which templates, who, when"
    )
    history.add_argument("--json", action="store_true")
    history.add_argument("--limit", type=int, default=50, help="newest first (50)")

    fields = actions.add_parser("fields", help="the fields a template may use")
    fields.add_argument("paper", metavar="PAPER", help="e.g. notice_of_motion")

    check = actions.add_parser(
        "check-template", help="check a template without saving it, and render a sample"
    )
    check.add_argument("paper", metavar="PAPER")
    check.add_argument("file", metavar="FILE.docx", type=Path)
    check.add_argument("--sample", type=Path, metavar="OUT.docx", help="write the sample here")

    replace = actions.add_parser(
        "replace-template",
        parents=[common],
        help="check a template and put it in force for the office",
    )
    replace.add_argument("paper", metavar="PAPER")
    replace.add_argument("file", metavar="FILE.docx", type=Path)
    replace.add_argument("--sample", type=Path, metavar="OUT.docx", help="write the sample here")

    restore = actions.add_parser(
        "restore-template", parents=[common], help="put the shipped template back"
    )
    restore.add_argument("paper", metavar="PAPER")
    parser.set_defaults(handler=run_papers)


def _read_template(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidValueError(f"Cannot read {path}: {error.strerror}.") from None


def _write_sample(path: Path | None, sample: bytes) -> str:
    if path is None:
        return ""
    try:
        path.write_bytes(sample)
    except OSError as error:
        raise InvalidValueError(f"Cannot write {path}: {error.strerror}.") from None
    return f" Sample written to {path}."


def run_papers(args: argparse.Namespace) -> int:
    if args.action == "fields":
        kind = paper_kind(args.paper)
        print("\n".join(field_names(kind.subject)))
        return 0
    if args.action == "check-template":
        kind = paper_kind(args.paper)
        result = check_template(kind, _read_template(args.file), f"'{args.file.name}'")
        print(
            f"'{args.file.name}' can be used as the {kind.title.lower()} "
            f"(SHA-256 {result.sha256[:12]}).{_write_sample(args.sample, result.sample)}"
        )
        return 0
    if args.action in ("motion", "court-list"):
        return _generate(args)
    user = acting_user(args)
    with opened(args) as db:
        if args.action == "history":
            with db.reading() as session:
                rows = [_generation_json(g) for g in generations(session, limit=args.limit)]
            if args.json:
                print(json.dumps(rows, indent=1))
            for row in [] if args.json else rows:
                subject = (
                    f"motion {row['motion_id']}"
                    if row["motion_id"]
                    else f"court list {row['court_list_id']}"
                )
                papers = "; ".join(
                    f"{d['name']} ({d['source']} {d['sha256'][:12]})" for d in row["documents"]
                )
                print(
                    f"{row['id']:>6}  {row['at'][:16]}  {row['user']:<16} {subject:<16} "
                    f"{row['motion_count']:>5} motions  {row['file_format']:<4} {papers}"
                )
            return 0
        if args.action == "templates":
            with db.reading() as session:
                current = current_templates(session)
            if args.json:
                rows = [
                    {
                        "paper": t.kind.name,
                        "title": t.kind.title,
                        "source": t.source,
                        "sha256": t.sha256,
                        "file_name": t.file_name,
                        "saved_by": t.saved_by,
                        "saved_at": t.saved_at.isoformat() if t.saved_at else None,
                    }
                    for t in current.values()
                ]
                print(json.dumps(rows, indent=2))
            else:
                for kind in PAPER_KINDS:
                    t = current[kind.name]
                    who = f" '{t.file_name}', by {t.saved_by}" if t.source == "office" else ""
                    print(f"{kind.name:<18} {t.source:<8} {t.sha256[:12]}{who}")
            return 0
        kind = paper_kind(args.paper)
        if args.action == "replace-template":
            content = _read_template(args.file)
            # Checked here too, for the sample; the operation checks again before it saves.
            result = check_template(kind, content, f"'{args.file.name}'")
            set_template(db, user, kind, content, args.file.name)
            message = (
                f"The {kind.title.lower()} is now '{args.file.name}' "
                f"(SHA-256 {result.sha256[:12]}).{_write_sample(args.sample, result.sample)}"
            )
        else:
            set_template(db, user, kind, None)
            message = f"The {kind.title.lower()} is the shipped default again."
        print(message)
    return 0


def _generation_json(generation: PaperGeneration) -> dict[str, Any]:
    return {
        "id": generation.id,
        "at": generation.at.isoformat(),
        "user": generation.user,
        "motion_id": generation.motion_id,
        "court_list_id": generation.court_list_id,
        "motion_count": generation.motion_count,
        "documents": generation.documents,
        "file_name": generation.file_name,
        "file_format": generation.file_format,
    }


def _generate(args: argparse.Namespace) -> int:
    fmt = output_format(args.out)
    if fmt == "pdf" and find_soffice() is None:
        # Said before any work, so nothing is read or recorded for a file that cannot be made.
        from casetracker.documents.pdf import NOT_INSTALLED

        raise InvalidValueError(NOT_INSTALLED)
    if args.action == "motion":
        request = Request(motion_id=args.motion_id)
    elif args.list_id is not None:
        request = Request(list_id=args.list_id)
    elif args.date is None or not args.part:
        raise InvalidValueError("'papers court-list' needs --date and --part (or --list ID).")
    else:
        request = Request(court_date=args.date, part=args.part)
    with opened(args) as db:
        made = generate(db, request, args.out, acting_user(args))
    lists = ", ".join(str(i) for i in made.court_list_ids)
    where = f" on court list {lists}" if lists and args.action == "court-list" else ""
    print(
        f"Wrote {made.path}: {'; '.join(made.documents)} for "
        f"{counted(len(made.motion_ids), 'motion')}{where}."
    )
    print(
        f"Papers history record {made.generation_id}; counsel should review the shipped wording.",
        file=sys.stderr,
    )
    return 0
