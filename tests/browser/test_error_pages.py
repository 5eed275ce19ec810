"""A person who ends up where they may not go, or on a failure, sees a page, not raw JSON."""

from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting
from service.db import create_engine
from tests.live import deliver, sign_in_link

OUTSIDER = "liesbeth.vanimpe@aalst.example"  # a GDPR member, not in NIS2


def _sign_in(page: Page, url: str, database_url: str, data_dir: Path) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill(OUTSIDER)
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(database_url, data_dir)
    page.goto(sign_in_link(data_dir, OUTSIDER))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    expect(page.get_by_role("heading", name="Werkgroepen")).to_be_visible()


def _gdpr_meeting(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "gdpr")).one()
            meeting_id = session.exec(
                select(Meeting.id).where(Meeting.group_id == group.id).order_by(col(Meeting.id))
            ).first()
            assert meeting_id is not None
            return meeting_id
    finally:
        engine.dispose()


def _break_the_agenda_table(database_url: str) -> None:
    """What a bug looks like to a person: a query the page needs fails."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE agenda_version RENAME TO agenda_version_gone"))
    finally:
        engine.dispose()


def test_a_page_not_allowed_and_a_failure_are_pages_with_a_way_back(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    _sign_in(page, url, empty_database_url, data_dir)

    refused = page.goto(f"{url}/groups/nis2")
    assert refused is not None and refused.status == 403
    expect(page.get_by_role("heading", name="Je hebt hier geen toegang toe")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("Je hebt geen toegang tot deze actie.")
    page.screenshot(path=str(data_dir / "error-403.png"))
    page.get_by_role("link", name="Terug naar de startpagina").click()
    expect(page.get_by_role("heading", name="Werkgroepen")).to_be_visible()

    meeting_id = _gdpr_meeting(empty_database_url)
    _break_the_agenda_table(empty_database_url)
    failed = page.goto(f"{url}/groups/gdpr/meetings/{meeting_id}")
    assert failed is not None and failed.status == 500
    assert "frame-ancestors 'none'" in failed.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Er ging iets mis")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Er ging bij ons iets mis. Probeer het later opnieuw."
    )
    assert "Traceback" not in page.content() and "agenda_version" not in page.content()
    page.screenshot(path=str(data_dir / "error-500.png"))
    expect(page.get_by_role("link", name="Terug naar de startpagina")).to_be_visible()
