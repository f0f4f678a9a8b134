"""Motion papers: every template filled for each kind of motion and for a list, read back from
the .docx XML; the history records each generation; office templates are checked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from casetracker.cli.main import run
from casetracker.documents.context import list_papers, motion_papers
from casetracker.documents.fields import LIST, MOTION, field_names, sample_context
from casetracker.documents.render import TemplateProblem
from casetracker.documents.service import Request, generate
from casetracker.documents.templates import (
    KINDS_BY_NAME,
    PAPER_KINDS,
    check_template,
    current_template,
    default_content,
    replace_template,
    restore_default,
    sha256,
)
from casetracker.domain.enums import MotionKind
from casetracker.domain.errors import StaleEditError
from casetracker.domain.models import CourtList, MotionEvent, PaperGeneration, PaperTemplate
from casetracker.storage.db import Database, open_database
from tests.documents.papers_data import (
    ADA,
    COURT_DAY,
    Made,
    docx_text,
    make_consented,
    make_list,
)

LEGAL = {
    MotionKind.CONVICTION_VACATUR: ("CPL 440.10", "CPL 170.40", "CPL 160.50"),
    MotionKind.WARRANT_DISMISSAL: ("CPL 530.70", "CPL 170.40", "CPL 160.50"),
}


def test_each_kind_of_motion_gets_all_three_papers_with_its_facts(
    db: Database, tmp_path: Path
) -> None:
    made = make_consented(db)
    make_list(db, [m.motion_id for m in made], part="AP 2")
    for motion in made[:2]:
        out = tmp_path / f"motion-{motion.motion_id}.docx"
        generate(db, Request(motion_id=motion.motion_id), out, "clerk.one")
        text = docx_text(out)
        for title in ("NOTICE OF MOTION", "AFFIRMATION IN SUPPORT", "[PROPOSED] ORDER"):
            assert title in text
        assert text.count("CRIMINAL COURT OF THE CITY OF NEW YORK") == 3
        assert text.count("COUNTY OF KINGS, PART AP 2") == 3
        assert motion.name in text and motion.name.upper() in text
        assert motion.reference in text
        assert "March 5, 2026" in text and ADA in text
        assert "Smith & Jones <Defenders>" in text
        for cite in LEGAL[motion.kind]:
            assert cite in text, cite
        other = next(k for k in LEGAL if k != motion.kind)
        assert LEGAL[other][0] not in text


def test_a_list_gets_the_omnibus_motion_and_order_as_soon_as_it_is_made(
    db: Database, tmp_path: Path
) -> None:
    made = make_consented(db)
    make_list(db, [m.motion_id for m in made])
    out = tmp_path / "list.docx"
    result = generate(db, Request(court_date=COURT_DAY, part="ap1"), out, "clerk.one")
    assert sorted(result.motion_ids) == sorted(m.motion_id for m in made)
    text = docx_text(out)
    assert "NOTICE OF MOTION AND AFFIRMATION" in text and "EXHIBIT A TO THE ORDER" in text
    assert "CRIMINAL COURT OF THE CITY OF NEW YORK" in text and "PART AP1" in text
    assert "3 cases (Exhibit A)" in text and "1 conviction vacatur, 2 warrant dismissals" in text
    for motion in made:
        # Once in the motion's exhibit and once in the order's.
        assert text.count(motion.listed_name) == 2, motion.listed_name
        assert text.count(motion.reference) == 2
    for cite in {*LEGAL[MotionKind.CONVICTION_VACATUR], *LEGAL[MotionKind.WARRANT_DISMISSAL]}:
        assert cite in text
    assert "the judgment of conviction or the bench warrant, as the case may be" in text
    document = Document(str(out))
    exhibit = document.tables[1]
    assert [c.text for c in exhibit.rows[0].cells][:4] == [
        "#",
        "Defendant",
        "Date of birth",
        "Docket / summons",
    ]
    rows = [[c.text for c in row.cells] for row in exhibit.rows[1:]]
    assert [r[1] for r in rows] == sorted(m.listed_name for m in made)
    by_name = {r[1]: r for r in rows}
    zoe = by_name["O'Brien-Núñez, Zoë"]
    assert zoe[2:] == ["05/01/1980", "2016KN000001", "PL 221.10", "04/01/2011"]
    jose = by_name["D'Angelo, José"]
    assert jose[3:] == ["4000000002", "PL 221.05", "06/01/2012"]


def test_supreme_court_caption_where_the_case_was_there(db: Database, tmp_path: Path) -> None:
    [motion] = make_consented(db, (("Kim", "Lee", MotionKind.CONVICTION_VACATUR, None),))  # type: ignore[arg-type]
    with db.unit_of_work() as session:
        from casetracker.domain.models import Motion

        row = session.get(Motion, motion.motion_id)
        assert row is not None
        row.filed_court = "Supreme Court, New York County"
    out = tmp_path / "supreme.docx"
    generate(db, Request(motion_id=motion.motion_id), out, "clerk")
    text = docx_text(out)
    assert "SUPREME COURT OF THE STATE OF NEW YORK" in text
    assert "CPL 210.40" in text and "CPL 170.40" not in text
    assert "J.S.C." in text and "COUNTY OF ____________" in text


def test_each_generation_is_in_the_history_with_its_templates_and_their_sha256(
    db: Database, tmp_path: Path
) -> None:
    made = make_consented(db)
    list_id = make_list(db, [m.motion_id for m in made])
    generate(db, Request(list_id=list_id), tmp_path / "list.docx", "clerk.two")
    with db.reading() as session:
        [generation] = session.scalars(select(PaperGeneration)).all()
        assert generation.user == "clerk.two" and generation.court_list_id == list_id
        assert generation.motion_count == 3 and generation.file_format == "docx"
        assert [d["name"] for d in generation.documents] == ["omnibus_motion", "list_order"]
        assert generation.documents[0]["sha256"] == sha256(default_content("omnibus_motion"))
        assert {d["source"] for d in generation.documents} == {"default"}
        events = session.scalars(select(MotionEvent).where(MotionEvent.action == "papers")).all()
        assert sorted(e.motion_id for e in events) == sorted(m.motion_id for m in made)
        assert all(e.from_stage == e.to_stage and e.user == "clerk.two" for e in events)
        assert sha256(default_content("list_order"))[:12] in events[0].reason


def test_an_office_template_is_used_recorded_and_can_be_restored(
    db: Database, tmp_path: Path
) -> None:
    [motion, *_] = make_consented(db)
    content = _template_with("OFFICE NOTICE for {{ person.name }} in {{ court.name }}")
    with db.unit_of_work() as session:
        checked = replace_template(
            session, KINDS_BY_NAME["notice_of_motion"], content, "ours.docx", "admin"
        )
    assert "OFFICE NOTICE for Zoë O'Brien-Núñez" in docx_text(checked.sample)
    out = tmp_path / "office.docx"
    generate(db, Request(motion_id=motion.motion_id), out, "clerk")
    text = docx_text(out)
    assert "OFFICE NOTICE for Zoë O'Brien-Núñez in Criminal Court of the City of New York" in text
    assert "AFFIRMATION IN SUPPORT" in text  # the other two are still the shipped ones
    with db.unit_of_work() as session:
        restore_default(session, KINDS_BY_NAME["notice_of_motion"], "admin")
    generate(db, Request(motion_id=motion.motion_id), out, "clerk")
    assert "OFFICE NOTICE" not in docx_text(out)
    with db.reading() as session:
        first, second = session.scalars(select(PaperGeneration).order_by(PaperGeneration.id)).all()
        assert first.documents[0] == {
            "name": "notice_of_motion",
            "title": "Notice of motion",
            "source": "office",
            "sha256": sha256(content),
        }
        assert second.documents[0]["source"] == "default"
        # Nothing is deleted: both versions stay on file.
        assert len(session.scalars(select(PaperTemplate)).all()) == 2


def test_a_template_with_an_unknown_field_is_refused_with_its_name(db: Database) -> None:
    content = _template_with(
        "{{ person.nmae }} {{ docket_no }} {% for m in motions %}{{ m.persn }}{% endfor %}"
    )
    kind = KINDS_BY_NAME["omnibus_motion"]
    with pytest.raises(TemplateProblem) as refused, db.unit_of_work() as session:
        replace_template(session, kind, content, "theirs.docx", "admin")
    message = str(refused.value)
    assert refused.value.unknown == ["person", "docket_no", "motions[].persn"]
    assert "'theirs.docx' uses 3 fields this program does not know" in message
    assert "motions[].person" in message and "court.part" in message  # the list offered
    with db.reading() as session:
        assert session.scalars(select(PaperTemplate)).all() == []
        assert current_template(session, kind).source == "default"


def test_a_nested_unknown_field_is_named_in_full() -> None:
    with pytest.raises(TemplateProblem) as refused:
        check_template(KINDS_BY_NAME["affirmation"], _template_with("{{ person.nmae }}"))
    assert refused.value.unknown == ["person.nmae"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not a word file", "is not a Word .docx file"),
        (None, "has a mistake in its fields"),
    ],
)
def test_a_broken_template_is_refused_plainly(content: bytes | None, says: str) -> None:
    data = content if content is not None else _template_with("{{ person.name ")
    with pytest.raises(TemplateProblem, match=says):
        check_template(KINDS_BY_NAME["affirmation"], data)


def test_every_shipped_template_passes_the_check_it_asks_of_an_office() -> None:
    for kind in PAPER_KINDS:
        result = check_template(kind, default_content(kind.name))
        assert "{{" not in docx_text(result.sample)


def test_the_field_list_is_what_the_papers_are_really_filled_with(db: Database) -> None:
    made = make_consented(db)
    list_id = make_list(db, [m.motion_id for m in made])
    with db.reading() as session:
        real_motion = motion_papers(session, made[0].motion_id).context
        court_list = session.get(CourtList, list_id)
        assert court_list is not None
        real_list = list_papers(session, [court_list]).context
    assert _shape(real_motion) == _shape(sample_context(MOTION))
    assert _shape(real_list) == _shape(sample_context(LIST))
    assert "person.caption_name" in field_names(MOTION) and "motions[].date" in field_names(LIST)


def test_command_line_writes_papers_and_lists_the_court_lists(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made, list_id = _listed_on_file(sqlite_url)
    out = tmp_path / "papers.docx"
    assert (
        run(["--db", sqlite_url, "papers", "motion", str(made[0].motion_id), "--out", str(out)])
        == 0
    )
    assert "O'Brien-Núñez" in docx_text(out)
    out_list = tmp_path / "list.docx"
    args = ["papers", "court-list", "--date", "2026-03-05", "--part", "AP1", "--out", str(out_list)]
    assert run(["--db", sqlite_url, *args]) == 0
    assert "D'Angelo, José" in docx_text(out_list)
    capsys.readouterr()
    assert run(["--db", sqlite_url, "court-list", "show", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == list_id and listed["court_date"] == "2026-03-05"
    assert listed["part"] == "AP1" and listed["county"] == "kings"
    assert sorted(listed["motion_ids"]) == sorted(m.motion_id for m in made)
    wrong = tmp_path / "papers.txt"
    assert run(["--db", sqlite_url, "papers", "motion", "1", "--out", str(wrong)]) == 2
    assert "neither" in capsys.readouterr().err and not wrong.exists()
    missing = ["--db", sqlite_url, "papers", "court-list", "--date", "2026-03-06", "--part", "AP1"]
    assert run([*missing, "--out", str(tmp_path / "x.docx")]) == 2
    assert "no court list for 2026-03-06 part AP1" in capsys.readouterr().err


def test_no_libreoffice_is_said_plainly_and_nothing_is_written(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CASETRACKER_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "papers.pdf"
    assert run(["--db", sqlite_url, "papers", "motion", "1", "--out", str(out)]) == 2
    assert "LibreOffice is not installed" in capsys.readouterr().err
    assert not out.exists()


def _listed_on_file(url: str) -> tuple[list[Made], int]:
    """The three fake motions on one court list, in the database at `url` (closed again, so
    that the command line under test opens it as a user's would)."""
    db = open_database(url)
    try:
        made = make_consented(db)
        return made, make_list(db, [m.motion_id for m in made])
    finally:
        db.dispose()


def _template_with(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _shape(value: object) -> object:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], dict) else "list"
    return "value"


def test_index_and_calendar_numbers_print_in_the_captions_once_known(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made, list_id = _listed_on_file(sqlite_url)
    out = tmp_path / "before.docx"
    papers = ["--db", sqlite_url, "papers", "court-list", "--list", str(list_id), "--out"]
    assert run([*papers, str(out)]) == 0
    assert "Index No." not in docx_text(out)
    numbers = ["--db", sqlite_url, "court-list", "numbers", str(list_id)]
    assert run([*numbers, "--index-number", "70123/2026", "--calendar-number", "12"]) == 0
    assert run([*numbers, "--calendar-number", " 14 "]) == 0  # the index number stays
    out = tmp_path / "after.docx"
    assert run([*papers, str(out)]) == 0
    text = docx_text(out)
    assert text.count("Index No. 70123/2026") == 2 and text.count("Calendar No. 14") == 2
    motion = tmp_path / "motion.docx"
    assert (
        run(["--db", sqlite_url, "papers", "motion", str(made[0].motion_id), "--out", str(motion)])
        == 0
    )
    # A motion's own papers go by its docket: the list's numbers are the omnibus motion's.
    assert "Index No." not in docx_text(motion)
    capsys.readouterr()
    assert run(["--db", sqlite_url, "court-list", "show", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["index_number"], listed["calendar_number"]) == ("70123/2026", "14")
    assert run([*numbers]) == 2
    assert "needs --index-number or --calendar-number" in capsys.readouterr().err


def test_a_withdrawn_motion_leaves_the_list_papers_and_history_lists_each_generation(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from casetracker.domain.enums import Stage
    from casetracker.services.motions import advance

    made, list_id = _listed_on_file(sqlite_url)
    db = open_database(sqlite_url)
    with db.unit_of_work() as session:
        advance(session, made[1].motion_id, Stage.WITHDRAWN, reason="person asked", user="t")
    db.dispose()
    out = tmp_path / "list.docx"
    assert (
        run(["--db", sqlite_url, "papers", "court-list", "--list", str(list_id), "--out", str(out)])
        == 0
    )
    text = docx_text(out)
    assert "2 cases (Exhibit A)" in text and made[1].listed_name not in text
    capsys.readouterr()
    assert run(["--db", sqlite_url, "papers", "history", "--json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["court_list_id"] == list_id and record["motion_count"] == 2
    assert record["user"] == "tester" and record["file_name"] == "list.docx"
    assert [d["name"] for d in record["documents"]] == ["omnibus_motion", "list_order"]


def test_a_change_made_by_another_process_while_papers_are_filled_refuses_them(
    sqlite_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    made, list_id = _listed_on_file(sqlite_url)
    db = open_database(sqlite_url)
    main = Path(__file__).resolve().parents[2] / "main.py"

    def withdraw_meanwhile(done: int, _total: int, _text: str) -> None:
        if done == 1:  # the motions have been read; the templates are being filled
            subprocess.run(
                [
                    sys.executable,
                    str(main),
                    "--db",
                    sqlite_url,
                    "advance",
                    str(made[2].motion_id),
                    "withdrawn",
                    "--reason",
                    "asked to",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )

    out = tmp_path / "list.docx"
    with pytest.raises(StaleEditError, match="changed while the papers were being made"):
        generate(db, Request(list_id=list_id), out, "clerk", progress=withdraw_meanwhile)
    assert list(tmp_path.glob("*list*")) == []
    with db.reading() as session:
        assert session.scalars(select(PaperGeneration)).all() == []
    generate(db, Request(list_id=list_id), out, "clerk")  # made again, without the withdrawn
    assert made[2].listed_name not in docx_text(out)
    db.dispose()
