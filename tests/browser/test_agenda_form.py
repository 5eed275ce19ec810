"""A member answers the call for input from the link in their email, on a phone."""

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, Submission
from service.clock import BRUSSELS, utcnow
from service.db import create_engine, session_scope
from tests.browser.layout import styled
from tests.conftest import table_counts
from tests.live import OpenCall, app_log, open_call

TITLE = "Werkgroep Browsers – vergadering 1/2027"
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def _watch_csp(page: Page) -> list[str]:
    """Collect what Chromium reports the Content Security Policy blocked."""
    blocked: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", watch)
    return blocked


def _in_dutch(instant: datetime) -> str:
    """A deadline as the form should show it, written out here independently of the app."""
    local = instant.astimezone(BRUSSELS)
    return (
        f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year},"
        f" {local:%H:%M} (Brussel)"
    )


def _no_horizontal_overflow(page: Page) -> None:
    overflow = styled(page).evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]",
    )
    assert overflow[0] <= overflow[1], f"the page is wider than the phone: {overflow}"


def _question(row: int) -> str:
    return "Vraag 1 (belangrijkste)" if row == 1 else f"Vraag {row}"


def _rows(database_url: str, person_id: int) -> list[tuple[int, str, str | None, str, bool]]:
    """Everything stored for one person: rank, question, context, status, late."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Submission)
                .where(Submission.person_id == person_id)
                .order_by(col(Submission.id))
            ).all()
            return [(r.rank, r.question, r.context, r.status.value, r.received_late) for r in rows]
    finally:
        engine.dispose()


def _counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return table_counts(session)
    finally:
        engine.dispose()


def _open(live_app: tuple[str, Path], database_url: str) -> tuple[OpenCall, int, str]:
    """An open call for a group of three; the first member and their link."""
    url, _ = live_app
    opened = open_call(database_url, base_url=url, members=3, title=TITLE)
    member = opened.members[0]
    link = opened.links[member]
    assert link.startswith(f"{url}/input/")
    return opened, member, link


def test_a_member_sends_and_edits_three_questions_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    _, data_dir = live_app
    opened, member, link = _open(live_app, empty_database_url)
    blocked = _watch_csp(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("#deadline")).to_have_text(_in_dutch(opened.deadline))
    _no_horizontal_overflow(page)

    # The keyboard reaches the first question, and shows where it is.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question_1":
            break
    else:
        raise AssertionError("Tab never reached the first question")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline

    questions = [
        "Wat valt onder een essentiële entiteit?",
        "Binnen welke termijn melden we een incident?",
        "Hoe lang bewaren we logs?",
    ]
    for row, question in enumerate(questions, start=1):
        page.get_by_role("group", name=_question(row)).get_by_label("Je vraag").fill(question)
    page.get_by_role("group", name="Vraag 2").get_by_label("Toelichting (niet verplicht)").fill(
        "Bij ons gaat het om de dienst ICT."
    )
    page.get_by_role("button", name="Mijn vragen bewaren").click()

    expect(page.get_by_role("status")).to_contain_text("Je vragen zijn bewaard")
    expect(page).to_have_url(f"{link}?saved=true")
    for row, question in enumerate(questions, start=1):
        expect(page.locator(f"#question_{row}")).to_have_value(question)
    expect(page.locator("#context_2")).to_have_value("Bij ons gaat het om de dienst ICT.")
    expect(page.get_by_role("button", name="Mijn vragen intrekken")).to_be_visible()
    _no_horizontal_overflow(page)
    page.screenshot(path=str(data_dir / "agenda-form-phone.png"), full_page=True)

    edited = "Binnen 24 uur of binnen 72 uur melden?"
    page.get_by_role("group", name="Vraag 2").get_by_label("Je vraag").fill(edited)
    page.get_by_role("button", name="Mijn vragen bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Je vragen zijn bewaard")
    expect(page.locator("#question_2")).to_have_value(edited)

    assert _rows(empty_database_url, member) == [
        (1, questions[0], None, "active", False),
        (2, edited, "Bij ons gaat het om de dienst ICT.", "active", False),
        (3, questions[2], None, "active", False),
    ]
    assert blocked == [], blocked
    assert "Traceback" not in app_log(data_dir)


def test_the_deadline_passes_while_the_member_types(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    _, data_dir = live_app
    opened, member, link = _open(live_app, empty_database_url)
    blocked = _watch_csp(page)
    page.goto(link)
    expect(page.get_by_role("button", name="Mijn vragen bewaren")).to_be_visible()

    # Meanwhile the deadline passes (the CHECK constraint wants the opening before it).
    passed = utcnow() - timedelta(minutes=1)
    engine = create_engine(empty_database_url)
    try:
        with session_scope(engine) as session:
            session.execute(
                sa.update(AgendaCall)
                .where(col(AgendaCall.id) == opened.call_id)
                .values(opens_at=passed - timedelta(days=7), deadline=passed)
            )
    finally:
        engine.dispose()
    before = _counts(empty_database_url)

    typed = "Mag ik nog iets vragen over de meldplicht?"
    page.get_by_role("group", name="Vraag 1 (belangrijkste)").get_by_label("Je vraag").fill(typed)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Mijn vragen bewaren").click()
    assert answer.value.status == 409

    expect(page.get_by_role("alert")).to_contain_text(
        "De deadline is voorbij, dus je vragen zijn niet aan de agenda van deze vergadering"
        " toegevoegd"
    )
    expect(page.locator("#question_1")).to_have_value(typed)
    _no_horizontal_overflow(page)

    assert _rows(empty_database_url, member) == [(1, typed, None, "late", True)]
    after = _counts(empty_database_url)
    changed = {
        table: after[table] - before[table] for table in after if after[table] != before[table]
    }
    assert changed == {"submission": 1, "audit_entry": 1}, changed
    assert blocked == [], blocked
    assert "Traceback" not in app_log(data_dir)
