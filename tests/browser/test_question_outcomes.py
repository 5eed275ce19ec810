"""The secretariat writes the outcome of the questions behind each item, in Chromium."""

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models.questions import QuestionFate
from service.clock import utcnow
from service.db import create_engine
from service.questions import outcomes
from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link
from tests.service.questions import journey


def _held_meeting_with_minutes(
    database_url: str,
) -> tuple[journey.Journey, list[tuple[int, str, int]]]:
    """The journey's meeting, held six days ago, minutes started; its items and questions."""
    engine = create_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            trip = journey.begin(session, now=utcnow() - timedelta(days=20))
            journey.publish(session, trip)
            journey.start_minutes(session, trip)
            rows = outcomes.editor(session, meeting_id=trip.meeting.id or 0).items
            session.commit()
            return trip, [(r.item.id or 0, r.item.title, len(r.questions)) for r in rows]
    finally:
        engine.dispose()


def _recorded(database_url: str, meeting_id: int) -> list[tuple[int | None, str, str | None]]:
    """The outcomes recorded for one meeting (the demo has outcomes of its own)."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(QuestionFate)
                .where(QuestionFate.meeting_id == meeting_id)
                .order_by(col(QuestionFate.id))
            )
            return [(r.agenda_item_id, r.status.value, r.note) for r in rows]
    finally:
        engine.dispose()


def test_the_outcome_editor_saves_per_item_and_refuses_a_missing_answer(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    trip, items = _held_meeting_with_minutes(empty_database_url)
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill(trip.secretary.email)
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, trip.secretary.email))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/groups/{trip.group_slug}/meetings/{trip.meeting.id}/minutes")
    page.get_by_role("link", name="Uitkomsten van de vragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Uitkomsten van de vragen: {trip.meeting.title}"
    )
    assert violations(page) == [], "the outcome editor"
    (first, title, count), (second, other, _) = items[0], items[1]

    page.get_by_label(f"Uitkomst voor {title}").select_option("answered")
    page.get_by_label(f"Kort antwoord of reden voor {other}").fill("Volgende keer.")
    page.get_by_role("button", name="Alle uitkomsten bewaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf het korte antwoord")
    expect(page.get_by_label(f"Kort antwoord of reden voor {other}")).to_have_value(
        "Volgende keer."
    )
    expect(page.get_by_label(f"Uitkomst voor {title}")).to_have_value("answered")
    assert violations(page) == [], "the outcome editor with a refusal"
    assert _recorded(empty_database_url, trip.meeting.id or 0) == []

    page.get_by_label(f"Kort antwoord of reden voor {title}").fill("Ja, tegen april.")
    page.locator(f"#item-{first}").get_by_role("button", name="Dit punt bewaren").click()
    expect(page.get_by_role("status")).to_have_text("De uitkomsten zijn bewaard.")
    expect(page.get_by_label(f"Uitkomst voor {title}")).to_have_value("answered")
    assert (
        _recorded(empty_database_url, trip.meeting.id or 0)
        == [(first, "answered", "Ja, tegen april.")] * count
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(data_dir / "outcomes.png"), full_page=True)

    page.goto(f"{url}/groups/{trip.group_slug}/questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vragen en wat ermee gebeurde")
    expect(page.locator("#questions tbody tr")).to_have_count(20)
    assert violations(page) == [], "the group's questions"
    page.screenshot(path=str(data_dir / "questions.png"), full_page=True)
    assert second != first
