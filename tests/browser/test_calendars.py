"""Subscribing to a calendar in a real browser: make a link, use it, stop it."""

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link


def test_subscribe_and_stop_a_feed_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("sander.mertens@antwerpen.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "sander.mertens@antwerpen.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.get_by_role("link", name="Mijn gegevens").click()
    page.get_by_role("link", name="Agenda-abonnementen").click()
    expect(page.get_by_text("Abonneer je, importeer niet")).to_be_visible()
    page.get_by_label("Wat moet de agenda tonen?").select_option(
        label="Mijn vergaderingen, deadlines en opleverdata"
    )
    page.get_by_role("button", name="Maak de link").click()
    webcal = page.get_by_role("link", name="Abonneren in Apple Agenda of Outlook (webcal)")
    assert (webcal.get_attribute("href") or "").startswith("webcal://")
    google = page.get_by_role("link", name="Toevoegen aan Google Agenda")
    assert (google.get_attribute("href") or "").startswith("https://calendar.google.com/")
    address = page.get_by_label("Of kopieer het adres", exact=False).input_value()
    assert violations(page) == [], "the subscriptions page"
    page.screenshot(path=str(data_dir / "calendars-phone.png"), full_page=True)
    feed = httpx.get(address, timeout=30)
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    page.get_by_role("button", name="Mijn vergaderingen, deadlines en opleverdata stoppen").click()
    expect(page.get_by_text("Nog geen feeds.")).to_be_visible()
    assert httpx.get(address, timeout=30).status_code == 404
