"""Done means: homework for 14 cities on a simulated clock, run by the real Prefect flow.

The secretariat sets a per-organisation assignment with one question of each kind; 11 cities
answer (two colleagues of Gent edit the same answer, Oostende changes its answer after the
deadline); reminders reach exactly the three silent cities once per stage; at the deadline the
summary holds the exact grid, counts and groups; the .pptx reads back with python-pptx and
converts with LibreOffice, one slide per question; the next meeting's draft opens with the
feedback item.
"""

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pypdf
import sqlalchemy as sa
from openpyxl import load_workbook
from pptx import Presentation
from sqlmodel import Session, col, select

from flows import resources
from flows.advance import advance_meetings
from flows.homework import advance_homework
from models.homework import HomeworkAnswer, HomeworkRevision, RevisionStatus
from models.notifications import Notification
from service.agenda import drafts
from service.homework import late, summary
from service.homework.exports import grid, to_pptx, to_xlsx
from service.i18n import translations
from tests import homework_scenario as hw
from tests.factories import ACTOR


def _reminded(session: Session) -> dict[str, list[int]]:
    """Person ids reminded, per stage (T-3d, T-1d)."""
    found: dict[str, list[int]] = {}
    for row in session.exec(
        select(Notification).where(Notification.kind == "homework_reminder")
    ).all():
        stage = row.idempotency_key.split(":")[3]
        assert row.recipient_person_id is not None
        found.setdefault(stage, []).append(row.recipient_person_id)
    return {stage: sorted(ids) for stage, ids in found.items()}


def test_homework_for_fourteen_cities_from_setting_to_the_next_agenda(
    flow_database: str, tmp_path: Path
) -> None:
    store = hw.shelf(tmp_path / "materials")
    with Session(resources.engine(), expire_on_commit=False) as session:
        world = hw.build(session)
        assignment = hw.set_homework(session, world)
        session.commit()
        assignment_id, meeting_id = assignment.id, world.meeting.id
    assert assignment_id is not None and meeting_id is not None
    assert assignment.deadline == hw.DEADLINE

    # The meeting's call for input opens as usual (its draft agenda comes at its deadline).
    assert (
        advance_meetings(now=hw.SET_AT + timedelta(hours=1), meeting_id=meeting_id)["calls_opened"]
        == 1
    )
    # Invitations: every member of the 14 cities (Gent has two), once however often it runs.
    assert advance_homework(now=hw.SET_AT)["invitations"] == 15
    assert advance_homework(now=hw.SET_AT + timedelta(minutes=15))["invitations"] == 0

    with Session(resources.engine(), expire_on_commit=False) as session:
        hw.answer_all(session, world, assignment, store)
        session.commit()

    # Reminders: T-3d and T-1d, each to the three silent cities, once however often it runs.
    for at in (timedelta(days=3), timedelta(days=1)):
        moment = hw.DEADLINE - at + timedelta(minutes=5)
        assert advance_homework(now=moment)["reminders"] == 3
        assert advance_homework(now=moment + timedelta(minutes=15))["reminders"] == 0
    silent_ids = sorted(p.id for city in hw.SILENT for p in world.people[city] if p.id)
    with Session(resources.engine(), expire_on_commit=False) as session:
        assert _reminded(session) == {"T-3d": silent_ids, "T-1d": silent_ids}

    # Gent: one answer, two edits, each with its author; the last one counts.
    with Session(resources.engine(), expire_on_commit=False) as session:
        gent_answer = session.exec(
            select(HomeworkAnswer).where(
                HomeworkAnswer.assignment_id == assignment_id,
                HomeworkAnswer.organisation_id == world.people["Gent"][0].organisation_id,
            )
        ).one()
        edits = session.exec(
            select(HomeworkRevision)
            .where(HomeworkRevision.answer_id == gent_answer.id)
            .order_by(col(HomeworkRevision.id))
        ).all()
        assert [e.author_id for e in edits] == [p.id for p in world.people["Gent"]]
        assert (
            session.exec(
                select(sa.func.count())
                .select_from(HomeworkAnswer)
                .where(HomeworkAnswer.assignment_id == assignment_id)
            ).one()
            == 11
        )

    # After the deadline Oostende changes its answer: kept as late input, not counted.
    after = hw.DEADLINE + timedelta(minutes=5)
    with Session(resources.engine(), expire_on_commit=False) as session:
        saved = hw.answer(
            session, assignment, world.people["Oostende"][0], hw.OOSTENDE_LATE, now=after,
            store=store,
        )  # fmt: skip
        assert saved.late and saved.revision.status is RevisionStatus.late
        session.commit()

    # At the deadline: the call closes and drafts the agenda; the homework is summarised and
    # its feedback goes first on that draft.
    advance_meetings(now=after, meeting_id=meeting_id)
    done = advance_homework(now=after)
    assert (done["summarised"], done["feedback_items"], done["reminders"]) == (1, 1, 0)
    again = advance_homework(now=after + timedelta(minutes=15))
    assert again == {"invitations": 0, "reminders": 0, "summarised": 0, "feedback_items": 0}

    with Session(resources.engine(), expire_on_commit=False) as session:
        draft = drafts.draft(session, meeting_id=meeting_id)
        assert draft is not None and draft.id is not None
        items = drafts.items(session, version_id=draft.id)
        assert items[0].title == "Terugkoppeling thuisopdracht: Stand van zaken NIS2"
        assert items[0].description == (
            f"{resources.settings().public_url}/groups/{world.group.slug}/homework/{assignment_id}"
        )
        assert [i.position for i in items] == list(range(1, len(items) + 1))
        assert sum(i.title.startswith("Terugkoppeling") for i in items) == 1

        built = summary.build(session, assignment_id=assignment_id, now=after)
    nl = translations("nl").gettext
    answered = [f"Stad {c}" for c in hw.CITIES if c not in hw.SILENT]
    assert list(built.answered) == answered
    assert list(built.silent) == [f"Stad {c}" for c in hw.SILENT]
    expected_grid = [
        ["Organisatie", *(f"{n}. {q.prompt}" for n, q in enumerate(hw.QUESTIONS, start=1))],
        ["Stad Aalst", "Te weinig personeel voor informatieveiligheid.", "ja", "DPO", "MFA", "1",
         ""],
        ["Stad Antwerpen", "Te weinig personeel en budget voor informatieveiligheid.", "ja",
         "CISO", "MFA; Back-ups offline; Incidentplan", "12,5", "actieplan.txt"],
        ["Stad Brugge", "Onduidelijk welke diensten onder NIS2 vallen.", "ja", "CISO",
         "MFA; Awareness-training", "3", ""],
        ["Stad Gent", "Onduidelijk welke diensten van de stad onder NIS2 vallen.", "ja", "CISO",
         "MFA; Back-ups offline; Awareness-training; Incidentplan", "8", "actieplan.txt"],
        ["Stad Hasselt", "Leveranciers en hun contracten opvolgen.", "nee", "DPO", "", "2", ""],
        ["Stad Kortrijk", "We hebben te weinig personeel voor informatieveiligheid.", "ja",
         "IT-diensthoofd", "Back-ups offline", "1,5", ""],
        ["Stad Leuven", "Onduidelijk welke diensten onder de NIS2-wet vallen.", "ja", "CISO",
         "MFA; Back-ups offline", "4", ""],
        ["Stad Mechelen", "", "nee", "IT-diensthoofd", "Awareness-training", "1", ""],
        ["Stad Oostende", "Geen idee.", "nee", "IT-diensthoofd", "MFA", "0,5", ""],
        ["Stad Roeselare", "Leveranciers opvolgen en contracten aanpassen.", "nee",
         "IT-diensthoofd", "Incidentplan", "1", ""],
        ["Stad Sint-Niklaas", "Bewustzijn bij de medewerkers.", "", "IT-diensthoofd",
         "MFA; Awareness-training", "2", ""],
    ]  # fmt: skip
    assert grid(built, nl, "nl") == expected_grid
    text, yes_no, one, several, number, file = built.questions
    assert [(b.label, b.value) for b in yes_no.bars] == [("yes", 6.0), ("no", 4.0)]
    assert [(b.label, b.value) for b in one.bars] == [
        ("CISO", 4.0), ("DPO", 2.0), ("IT-diensthoofd", 5.0)
    ]  # fmt: skip
    assert [(b.label, b.value) for b in several.bars] == [
        ("MFA", 7.0), ("Back-ups offline", 4.0), ("Awareness-training", 4.0), ("Incidentplan", 3.0)
    ]  # fmt: skip
    assert number.numbers == {"count": 11.0, "min": 0.5, "max": 12.5, "mean": 3.32, "median": 2.0}
    assert [[city for city, _ in g.answers] for g in text.groups] == [
        ["Stad Aalst", "Stad Antwerpen", "Stad Kortrijk"],
        ["Stad Brugge", "Stad Gent", "Stad Leuven"],
        ["Stad Hasselt", "Stad Roeselare"],
        ["Stad Oostende"],
        ["Stad Sint-Niklaas"],
    ]
    assert [c for c, v in file.cells if v] == ["Stad Antwerpen", "Stad Gent"]

    # The secretariat accepts Oostende's late answer: from then on it counts.
    with Session(resources.engine(), expire_on_commit=False) as session:
        (waiting,) = late.waiting(session, assignment_id=assignment_id)
        assert waiting.organisation == "Stad Oostende"
        assert waiting.revision.id is not None and world.group.id is not None
        late.decide(
            session, group_id=world.group.id, assignment_id=assignment_id,
            revision_id=waiting.revision.id,
            decision=late.Decision.accept, actor=ACTOR, now=after + timedelta(hours=1),
        )  # fmt: skip
        session.commit()
        rebuilt = summary.build(session, assignment_id=assignment_id, now=after)
    oostende = grid(rebuilt, nl, "nl")[9]
    assert oostende[:2] == ["Stad Oostende", "De registratie op Safeonweb@work zelf."]
    assert oostende[5] == "1"

    # The presentation: a title slide and one slide per question, every city named.
    deck_bytes = to_pptx(built, gettext=nl, language="nl")
    deck_path = tmp_path / "thuisopdracht.pptx"
    deck_path.write_bytes(deck_bytes)
    deck = Presentation(str(deck_path))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(hw.QUESTIONS)
    texts = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides
    ]
    assert texts[0].startswith(hw.TITLE)
    assert "Niet geantwoord: Stad Genk, Stad Turnhout, Stad VGC" in texts[0]
    for n, question in enumerate(hw.QUESTIONS, start=1):
        assert texts[n].startswith(f"{n}. {question.prompt}")
    for city in ("Aalst", "Antwerpen", "Kortrijk", "Brugge", "Gent", "Leuven"):
        assert f"Stad {city}" in texts[1]
    assert "Stad Mechelen: nee" in texts[2]
    charts = [s for slide in slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 4  # yes/no, one choice, several, number
    assert list(charts[0].chart.plots[0].categories) == ["ja", "nee"]
    assert list(charts[0].chart.series[0].values) == [6.0, 4.0]

    # LibreOffice opens and converts it, one page per slide.
    profile = tmp_path / "lo-profile"
    converted = subprocess.run(
        [
            "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck_path),
        ],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    pdf = tmp_path / "thuisopdracht.pdf"
    assert len(pypdf.PdfReader(pdf).pages) == 1 + len(hw.QUESTIONS)

    # The workbook: the same grid, the counts, who did not answer.
    book = load_workbook(
        io.BytesIO(to_xlsx(built, gettext=nl, language="nl", base_url="https://overleg.example/"))
    )
    rows = [
        [c if c is not None else "" for c in r]
        for r in book["Antwoorden"].iter_rows(values_only=True)
    ]
    assert rows == expected_grid
    # Each file cell links to its download; the other cells link nowhere.
    linked = {
        (c.row, c.column): c.hyperlink.target
        for r in book["Antwoorden"].iter_rows()
        for c in r
        if c.hyperlink is not None
    }
    files_at = f"https://overleg.example/groups/{world.group.slug}/homework/{assignment_id}/files"
    antwerpen, gent = (
        built.answer_ids[built.answered.index(c)] for c in ("Stad Antwerpen", "Stad Gent")
    )
    assert linked == {
        (3, 7): f"{files_at}/{antwerpen}/{file.question.id}",
        (5, 7): f"{files_at}/{gent}/{file.question.id}",
    }
    assert [r[0] for r in book["Niet geantwoord"].iter_rows(values_only=True)] == [
        "Organisatie", "Stad Genk", "Stad Turnhout", "Stad VGC"
    ]  # fmt: skip
