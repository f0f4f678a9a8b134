"""`casetracker bench papers`: a court list's papers, and one motion's, as whole commands in
fresh processes (start-up, database, history and file included), against bare docxtpl renders
of the same templates with the same data, measured in the same run.

Baselines:
- bare list render: a fresh process that only fills the two list templates with docxtpl (the
  context already made) and saves them;
- bare per-motion renders: the notice of motion filled N times, one document per motion, which
  is what writing the list motion by motion would cost at the very least;
- bare conversion: LibreOffice turning the finished list .docx into PDF, nothing else.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from casetracker.devtools.bench.import_bench import MAIN, timed

TARGET_LIST_DOCX_SECONDS = 10.0
TARGET_LIST_PDF_SECONDS = 30.0

# Fills the templates named on the command line with the JSON context, N times each; no
# casetracker code runs in this process.
BARE_RENDER = (
    "import json, sys\n"
    "from docxtpl import DocxTemplate\n"
    "context = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "times = int(sys.argv[2])\n"
    "for n, template in enumerate(sys.argv[4:]):\n"
    "    for i in range(times):\n"
    "        document = DocxTemplate(template)\n"
    "        document.render(context, autoescape=True)\n"
    "        document.save(f'{sys.argv[3]}-{n}-{i}.docx')\n"
)


def add_papers_bench(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "papers",
        parents=[common],
        help="time a court list's papers (docx and PDF) against bare docxtpl renders",
    )
    parser.add_argument("--motions", type=int, default=150, help="motions on the list (150)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N (3)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice figures")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from casetracker.documents.pdf import find_soffice
    from casetracker.paths import resource_path

    repeat = max(1, args.repeat)
    soffice = None if args.no_pdf else find_soffice()
    with tempfile.TemporaryDirectory(prefix="casetracker-bench-papers-") as scratch:
        folder = Path(scratch)
        db = folder / "bench.sqlite"
        list_id, motion_id, list_context, motion_context = _make_list(db, args.motions)
        (folder / "list.json").write_text(json.dumps(list_context), encoding="utf-8")
        (folder / "motion.json").write_text(json.dumps(motion_context), encoding="utf-8")
        templates = {n: str(resource_path("templates", f"{n}.docx")) for n in _NAMES}

        def command(*words: str) -> list[str]:
            return [sys.executable, str(MAIN), "--db", f"sqlite:///{db}", *words]

        def bare(context: str, times: int, *names: str) -> list[str]:
            out = str(folder / "bare")
            paths = [templates[n] for n in names]
            return [
                sys.executable,
                "-c",
                BARE_RENDER,
                str(folder / context),
                str(times),
                out,
                *paths,
            ]

        rows = []
        docx = folder / "list.docx"
        list_docx = _best(
            repeat, command("papers", "court-list", "--list", str(list_id), "--out", str(docx))
        )
        bare_list = _best(repeat, bare("list.json", 1, "omnibus_motion", "list_order"))
        per_motion = _best(1, bare("motion.json", args.motions, "notice_of_motion"))
        rows.append((f"list of {args.motions}: papers court-list .docx", list_docx, bare_list))
        motion_docx = _best(
            repeat,
            command("papers", "motion", str(motion_id), "--out", str(folder / "motion.docx")),
        )
        bare_motion = _best(
            repeat, bare("motion.json", 1, "notice_of_motion", "affirmation", "proposed_order")
        )
        rows.append(("one motion: papers motion .docx", motion_docx, bare_motion))
        list_pdf = None
        if soffice is not None:
            list_pdf = _best(
                repeat,
                command(
                    "papers",
                    "court-list",
                    "--list",
                    str(list_id),
                    "--out",
                    str(folder / "list.pdf"),
                ),
            )
            bare_pdf = _best(repeat, _bare_conversion(soffice, docx, folder))
            rows.append((f"list of {args.motions}: papers court-list .pdf", list_pdf, bare_pdf))

        print(
            f"{'measured (fresh processes, best of ' + str(repeat) + ')':<48} "
            f"{'seconds':>8} {'baseline s':>11} {'ratio':>6}"
        )
        for label, seconds, baseline in rows:
            print(f"{label:<48} {seconds:8.2f} {baseline:11.2f} {seconds / baseline:6.2f}x")
        print(
            f"bare docxtpl render of the notice of motion x {args.motions} (one document per "
            f"motion): {per_motion:.2f} s; the list's papers take "
            f"{list_docx / per_motion:.2f}x that"
        )
        if soffice is None:
            print("LibreOffice is not installed (or --no-pdf): no PDF figures.")
        met = list_docx <= TARGET_LIST_DOCX_SECONDS and (
            list_pdf is None or list_pdf <= TARGET_LIST_PDF_SECONDS
        )
        print(
            f"targets: list .docx <= {TARGET_LIST_DOCX_SECONDS:.0f} s"
            + (f", list .pdf <= {TARGET_LIST_PDF_SECONDS:.0f} s" if list_pdf is not None else "")
            + (": met" if met else ": NOT MET")
        )
        return 0 if met else 1


_NAMES = ("notice_of_motion", "affirmation", "proposed_order", "omnibus_motion", "list_order")


def _best(repeat: int, command: list[str]) -> float:
    return min(timed(command).seconds for _ in range(repeat))


def _bare_conversion(soffice: str, docx: Path, folder: Path) -> list[str]:
    profile = (folder / "bare-profile").resolve().as_uri()
    return [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "bare-pdf"),
        str(docx),
    ]


def _make_list(path: Path, motions: int) -> tuple[int, int, dict[str, Any], dict[str, Any]]:
    """A database with one court list of `motions` consented motions of fake people, half
    convictions and half summons warrants; the contexts the papers are filled with."""
    from casetracker.courtlists.service import create_court_list
    from casetracker.decisions.service import decide
    from casetracker.devtools.demo_people import FIRST_NAMES, LAST_NAMES
    from casetracker.documents.context import list_papers, motion_papers
    from casetracker.domain.enums import County, Decision, MotionKind, Stage, WarrantStatus
    from casetracker.domain.models import CourtList
    from casetracker.screening.service import screen_motions
    from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
    from casetracker.services.motions import advance
    from casetracker.storage.db import open_database

    started = time.perf_counter()
    db = open_database(f"sqlite:///{path}")
    try:
        with db.unit_of_work() as session:
            ids = []
            for n in range(motions):
                warrant = n % 2 == 1
                result = intake(
                    session,
                    IntakeRequest(
                        cases=[
                            CaseInput(
                                docket=f"2015KN{n:06d}",
                                summons=f"43{n:08d}" if warrant else None,
                                charges=["PL 221.05"],
                                county=County.KINGS,
                                disposition=None if warrant else "Pled guilty",
                                disposition_date=None if warrant else date(2012, 1, 1 + n % 28),
                                warrant_issued_date=date(2013, 2, 1 + n % 28) if warrant else None,
                                warrant_status=WarrantStatus.OPEN
                                if warrant
                                else WarrantStatus.NONE,
                            )
                        ],
                        kind=MotionKind.WARRANT_DISMISSAL
                        if warrant
                        else MotionKind.CONVICTION_VACATUR,
                        person=PersonInput(
                            last=LAST_NAMES[n % len(LAST_NAMES)],
                            first=FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
                            date_of_birth=date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
                        ),
                    ),
                    user="bench",
                )
                motion_id = result.motion_ids[0]
                if not warrant:
                    advance(session, motion_id, Stage.VERIFIED, reason="bench", user="bench")
                ids.append(motion_id)
            screen_motions(session, ids, user="bench")
            decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ADA Bench")
            list_id = create_court_list(
                session,
                date(2027, 1, 12),
                "AP1",
                user="bench",
                max_motions=motions,
                motion_ids=ids,
            ).list_id
        with db.reading() as session:
            court_list = session.get(CourtList, list_id)
            assert court_list is not None
            list_context = list_papers(session, [court_list]).context
            motion_context = motion_papers(session, ids[0]).context
    finally:
        db.dispose()
    print(
        f"bench database: {motions:,} motions on court list {list_id}, made in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return list_id, ids[0], list_context, motion_context
