"""The agenda review as one table: twelve items on one laptop screen, saved with one press."""

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session

from service.agenda import drafts, review
from service.audit import Actor
from service.db import create_engine
from tests.browser.accessibility import violations
from tests.browser.layout import page_width
from tests.live import deliver, sign_in_link
from tests.web.agenda.test_review import closed_call_for_next_meeting

ITEMS = 12


def _twelve_item_draft(database_url: str) -> tuple[int, int]:
    """The NIS2 meeting's draft, filled up by hand to twelve items; its meeting and version."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    meeting_id = closed_call_for_next_meeting(engine, now)
    actor = Actor.system("tests")
    with Session(engine) as session:
        version = review.build(session, meeting_id=meeting_id, actor=actor, now=now)
        assert version.id is not None
        count = len(drafts.items(session, version_id=version.id))
        for n in range(count + 1, ITEMS + 1):
            title = f"Toelichting door de stad, deel {n}"
            review.add(session, meeting_id=meeting_id, title=title, minutes=5, actor=actor, now=now)
        session.commit()
        version_id = version.id
    engine.dispose()
    return meeting_id, version_id


def _stored(database_url: str, version_id: int) -> list[tuple[int, int, int]]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = [
            (item.id or 0, item.position, item.duration_minutes)
            for item in drafts.items(session, version_id=version_id)
        ]
    engine.dispose()
    return rows


def test_twelve_items_fit_a_laptop_and_one_press_saves_them(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    meeting_id, version_id = _twelve_item_draft(empty_database_url)
    before = _stored(empty_database_url, version_id)
    assert len(before) == ITEMS
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()

    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/agenda/review")
    rows = page.locator("table.review tbody tr")
    expect(rows).to_have_count(ITEMS)
    save = page.get_by_role("button", name="Agenda bewaren")
    for element in (rows.last, save, page.locator("#score-meaning")):
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, element
    assert page_width(page) <= 1280
    expect(page.locator("#planned-total")).to_be_visible()
    assert violations(page) == []
    page.screenshot(path=str(data_dir / "agenda_review.png"), full_page=False)

    # Items 4 and 5 change places, and item 6 gets 25 minutes: one press saves all three.
    fourth, fifth, sixth = before[3], before[4], before[5]
    page.locator(f"#position-{fourth[0]}").fill("5")
    page.locator(f"#position-{fifth[0]}").fill("4")
    page.locator(f"#minutes-{sixth[0]}").fill("25")
    save.click()
    expect(page.get_by_role("status").first).to_contain_text("De agenda is bewaard.")

    expected = list(before)
    expected[3], expected[4] = (fifth[0], 4, fifth[2]), (fourth[0], 5, fourth[2])
    expected[5] = (sixth[0], 6, 25)
    assert _stored(empty_database_url, version_id) == expected
    expect(rows.nth(3).locator("input[name=title]")).to_have_value(
        page.locator(f"#title-{fifth[0]}").input_value()
    )
