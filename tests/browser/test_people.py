"""The secretariat runs the register in Chromium: add a person, a membership, a new role,
deactivate someone, and see what erasing would remove before anything is erased."""

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from models.dates import DatePrecision
from service import formatting
from service.clock import local_today, utcnow
from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _sign_in_as_secretariat(page: Page, url: str, data_dir: Path, database_url: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()


def test_the_secretariat_manages_people_in_the_browser(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in_as_secretariat(page, url, data_dir, empty_database_url)
    page.get_by_role("link", name="Personen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personen")

    # A duplicate address is refused on the page, with the typed name kept.
    page.get_by_label("Naam", exact=True).fill("Fien Declercq")
    page.get_by_label("E-mailadres").fill("sander.mertens@antwerpen.example")
    page.get_by_label("Organisatie").select_option(label="Stad Gent")
    page.get_by_label("Functie").fill("DPO")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(page.get_by_role("alert")).to_have_text("Er bestaat al een persoon met dat e-mailadres.")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Fien Declercq")
    page.screenshot(path=str(SHOTS / "people-refused.png"), full_page=False)

    page.get_by_label("E-mailadres").fill("fien.declercq@gent.example")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(page.get_by_role("status")).to_have_text("De persoon is toegevoegd.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fien Declercq")

    page.get_by_label("Groep", exact=True).select_option(value="nis2")
    page.get_by_label("Van", exact=True).fill("2026-01-05")
    page.get_by_role("button", name="Aan de groep toevoegen").click()
    expect(page.get_by_role("status")).to_have_text("De persoon is aan de groep toegevoegd.")
    page.get_by_label("Nieuwe rol in NIS2").select_option(label="voorzitter")
    page.get_by_role("button", name="Rol wijzigen").click()
    expect(page.get_by_role("status")).to_have_text(
        "De rol is gewijzigd; de vorige rol blijft bewaard."
    )
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("voorzitter")
    expect(rows.nth(1)).to_contain_text("lid")
    yesterday = local_today(utcnow()) - timedelta(days=1)  # the live app runs on the real clock
    expect(rows.nth(1)).to_contain_text(formatting.period(yesterday, DatePrecision.day, "nl"))
    assert violations(page) == [], "the person page"
    page.screenshot(path=str(SHOTS / "person.png"), full_page=True)

    page.get_by_role("button", name="Deactiveren").click()
    expect(page.get_by_role("status")).to_contain_text("De persoon is gedeactiveerd")
    expect(page.get_by_role("button", name="Opnieuw activeren")).to_be_visible()

    page.get_by_role("link", name="De persoonsgegevens van deze persoon wissen…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fien Declercq wissen?")
    expect(page.locator("table")).to_contain_text("lidmaatschappen van werkgroepen")
    assert violations(page) == [], "the erase confirmation"
    page.screenshot(path=str(SHOTS / "erase-confirm.png"), full_page=True)
    page.get_by_role("button", name="Fien Declercq definitief wissen").click()
    expect(page.get_by_role("status")).to_have_text("De persoonsgegevens zijn gewist.")
    expect(page.locator("table")).not_to_contain_text("Fien Declercq")
    assert violations(page) == [], "the register"
    page.screenshot(path=str(SHOTS / "people.png"), full_page=False)
