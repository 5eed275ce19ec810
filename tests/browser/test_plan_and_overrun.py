"""The year's plan beside the meetings that exist, and an overrunning agenda, in a real browser."""

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect

from service.db import create_engine
from tests.live import deliver, sign_in_link
from tests.web.agenda.test_review import closed_call_for_next_meeting


def test_the_plan_and_an_overrunning_agenda_on_a_laptop(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    engine = create_engine(empty_database_url)
    meeting_id = closed_call_for_next_meeting(engine, datetime.now(UTC))
    engine.dispose()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()

    page.goto(f"{url}/groups/gdpr/plan?year=2027")
    existing = page.locator("tbody tr").filter(has_text="al gepland")
    expect(existing.first.get_by_role("link")).to_be_visible()
    page.screenshot(path=str(data_dir / "plan.png"), full_page=True)

    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/agenda/review")
    page.get_by_role("button", name="Stel de agenda nu op").click()
    first = page.locator("table.review tbody tr").first
    first.locator("input[name=duration_minutes]").fill("300")
    first.locator("select[name=status]").select_option("accepted")
    page.get_by_role("button", name="Agenda bewaren").click()
    expect(page.get_by_role("status").first).to_contain_text("De agenda is bewaard.")
    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/agenda/review")
    expect(page.locator("#overrun")).to_contain_text("minuten over")
    page.screenshot(path=str(data_dir / "overrun.png"), full_page=False)
    page.get_by_role("button", name="Goedkeuren en versie 1 publiceren").click()
    expect(page.get_by_role("alert").first).to_contain_text("bevestig")
    page.get_by_label("Publiceren hoewel de agenda").check()
    page.get_by_role("button", name="Goedkeuren en versie 1 publiceren").click()
    expect(page.get_by_role("status").first).to_contain_text("gepubliceerd")
