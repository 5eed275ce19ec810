"""The secretariat reads the expected attendance and the answers left for a person, on a phone."""

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from models.meetings import Meeting
from service.db import create_engine
from service.replies import matching
from service.settings import Settings
from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link
from tests.service.replies import shapes

TITLE = "Werkgroep NIS2 – vergadering 4/2026"


def _leave_one(database_url: str) -> None:
    """A Gmail answer from an address nobody in Overleg has, as the flow would have read it."""
    engine = create_engine(database_url)
    with Session(engine) as session:
        meeting = session.exec(select(Meeting).where(Meeting.title == TITLE)).one()
        raw = shapes.gmail(f"meeting-{meeting.id}@127.0.0.1", 0, "iemand@elders.example", tag="b")
        arrived = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        fetched = matching.Fetched("INBOX", 7, matching.digest(raw, raw), arrived, raw)
        matching.process(session, fetched, settings=Settings(), now=arrived)
        session.commit()
    engine.dispose()


def test_expected_attendance_and_the_answers_left(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/groups/nis2")
    page.get_by_role("link", name=TITLE).click()
    table = page.locator("#expected-by-organisation")
    expect(table.get_by_role("row", name="Stad Leuven")).to_contain_text("kan niet komen")
    expect(table.locator("tfoot")).to_contain_text("Totaal")
    assert violations(page) == [], "the meeting page"
    page.locator("#expected-attendance").scroll_into_view_if_needed()
    page.screenshot(path=str(data_dir / "expected-attendance.png"), full_page=True)

    _leave_one(empty_database_url)
    page.get_by_role("link", name="Open antwoorden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antwoorden die op iemand wachten")
    row = page.locator("#unmatched-replies tbody tr")
    expect(row).to_contain_text("INBOX #7")
    expect(row).to_contain_text("verstuurd vanaf een adres dat Overleg niet kent")
    assert violations(page) == [], "the answers left"
    page.screenshot(path=str(data_dir / "answers-left.png"), full_page=True)
