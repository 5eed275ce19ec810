"""The first year of a real installation in Chromium, from an empty database.

Only the secretariat's own account exists (made by `overleg create-secretariat`). The
secretariat adds an organisation, starts a working group with a cadence, imports twelve
members from a city's CSV (two rows refused, each with its reason), makes one of them chair,
plans the year and opens the first call; the chair then signs in and finds the group on their
home page with what they have to do. The same story through the API is
tests/web/directory/test_first_year_api.py.
"""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.accessibility import violations
from tests.databases import empty
from tests.first_year import (
    CHAIR,
    CHAIR_NAME,
    MEMBER_LIST,
    REFUSED,
    SECRETARIAT,
    create_secretariat,
)
from tests.live import SharedApp, deliver, fresh_folder, sign_in_link


@pytest.fixture
def empty_database_url(backend: str, shared_app: SharedApp) -> str:
    """The shared live app's database, emptied: no tables, no rows."""
    empty(backend, shared_app.database_url)
    fresh_folder(shared_app)
    return shared_app.database_url


@pytest.fixture
def fresh_app(empty_database_url: str, shared_app: SharedApp) -> tuple[str, Path]:
    """The live app on an empty database holding only the secretariat's account.

    The app is the shared one (tests/browser/conftest.py), its database emptied under it: what
    it keeps in memory does not depend on the data, and what it did at start (migrations, the
    demo rows) is gone with the database; `overleg create-secretariat` migrates the empty one.
    """
    create_secretariat(empty_database_url)
    return shared_app.url, shared_app.data_dir


def _sign_in(page: Page, url: str, data_dir: Path, database_url: str, email: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(database_url, data_dir)
    page.goto(sign_in_link(data_dir, email))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()


def test_the_first_year_from_an_empty_database(
    page: Page, fresh_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = fresh_app
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, url, data_dir, empty_database_url, SECRETARIAT)
    expect(page.get_by_text("Er wacht niets op je.")).to_be_visible()

    page.goto(f"{url}/organisations")
    adding = page.get_by_role("form", name="Een organisatie toevoegen")
    adding.get_by_label("Naam", exact=True).fill("Stad Gent")
    adding.get_by_label("Code", exact=True).fill("gent")
    adding.get_by_label("Soort").select_option(value="centre_city")
    adding.get_by_role("button", name="Organisatie toevoegen").click()
    expect(page.locator('tbody input[value="Stad Gent"]')).to_have_count(1)

    page.get_by_role("navigation").get_by_role("link", name="Werkgroepen").click()
    page.get_by_label("Code (in webadressen, later niet te wijzigen)").fill("nis2")
    page.get_by_label("Korte naam").fill("NIS2")
    page.get_by_label("Volledige naam").fill("Werkgroep NIS2")
    page.get_by_label("Vergaderingen per jaar").fill("4")
    page.get_by_label("Op een").select_option(label="dinsdag")
    page.get_by_label("Om (Brusselse tijd)").fill("14:00")
    page.get_by_role("button", name="De groep opstarten").click()
    expect(page.get_by_role("status")).to_contain_text("De werkgroep is opgestart")

    page.get_by_role("link", name="Leden", exact=True).click()
    expect(page.get_by_text("De groep heeft nog geen leden.")).to_be_visible()
    page.get_by_role("link", name="Leden importeren uit een bestand").click()
    # A list saved as "CSV (Windows)" is refused with what to do, and nothing is stored.
    page.get_by_label("Ledenlijst (.csv of .xlsx)").set_input_files(
        files=FilePayload(
            name="leden-gent.csv",
            mimeType="text/csv",
            buffer="Naam;E-mail;Organisatie\r\nChloé Dubois;chloe@gent.example;gent\r\n".encode(
                "cp1252"
            ),
        )
    )
    page.get_by_role("button", name="Toon wat importeren doet").click()
    expect(page.get_by_role("alert")).to_contain_text("Bewaar het in Excel als “CSV UTF-8”")
    assert violations(page) == [], "the import page with a refusal"
    page.get_by_label("Ledenlijst (.csv of .xlsx)").set_input_files(
        files=FilePayload(name="leden-gent.csv", mimeType="text/csv", buffer=MEMBER_LIST)
    )
    page.get_by_role("button", name="Toon wat importeren doet").click()
    expect(page.get_by_role("heading", name="Voorbeeld van de import: NIS2")).to_be_visible()
    rows = page.locator("table.import-preview tbody tr")
    expect(rows).to_have_count(14)
    expect(page.locator("tr.outcome-new_person")).to_have_count(12)
    for line, reason in REFUSED.items():
        expect(rows.nth(line - 2)).to_contain_text(f"geweigerd: {reason}")
    assert violations(page) == [], "the import preview"
    page.screenshot(path=str(data_dir / "import-preview.png"), full_page=True)
    page.get_by_role("button", name="12 rijen importeren").click()
    expect(page.get_by_role("status")).to_contain_text("De leden zijn geïmporteerd.")
    expect(page.locator("tbody tr")).to_have_count(12)
    assert violations(page) == [], "the group's members"
    page.screenshot(path=str(data_dir / "members.png"), full_page=True)

    row = page.locator("tr", has_text=CHAIR_NAME)
    row.get_by_label(f"Nieuwe rol van {CHAIR_NAME}").select_option(label="voorzitter")
    row.get_by_role("button", name="Rol wijzigen").click()
    expect(page.get_by_role("status")).to_contain_text("De rol is gewijzigd")
    expect(page.locator("tbody tr").first).to_contain_text("voorzitter")

    page.get_by_role("link", name="De vergaderingen van de groep").click()
    page.get_by_role("link", name="Een jaar plannen volgens het ritme").click()
    expect(page.locator("tbody tr")).to_have_count(4)
    page.get_by_role("button", name="Maak de nieuwe vergaderingen aan").click()
    expect(page.get_by_role("status")).to_contain_text("gepland")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Oproep nu openen").click()
    soon = datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=2)
    page.get_by_label("Nieuwe deadline (Brusselse tijd)").fill(soon.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Deadline verplaatsen").click()
    expect(page.locator("p.notice")).to_contain_text("De deadline van de oproep is verplaatst")
    page.get_by_role("button", name="Afmelden").click()

    _sign_in(page, url, data_dir, empty_database_url, CHAIR)
    expect(page.get_by_role("heading", name="Wat op je wacht")).to_be_visible()
    work = page.locator("section.work tbody tr")
    expect(work).to_have_count(1)
    expect(work.first).to_contain_text("Oproep voor input sluit")
    expect(work.first).to_contain_text("NIS2")
    expect(work.first).to_contain_text("0 personen hebben geantwoord")
    group = page.locator("tr", has=page.get_by_role("link", name="NIS2", exact=True))
    expect(group).to_contain_text("Werkgroep NIS2")
    expect(group).to_contain_text("2027")
    assert violations(page) == [], "the chair's home page"
    page.screenshot(path=str(data_dir / "chair-home.png"), full_page=True)
    page.get_by_role("link", name="NIS2", exact=True).click()
    page.get_by_role("link", name="Leden", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(12)  # the chair manages their group's members
    page.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_label("Korte naam")).to_have_count(0)  # the names are the secretariat's
    page.get_by_label("Beschrijving").fill("Cyberweerbaarheid van de steden")
    page.get_by_role("button", name="Instellingen bewaren").click()
    expect(page.locator("p.notice")).to_contain_text("zijn bewaard")
    assert violations(page) == [], "the chair's group settings"
    page.screenshot(path=str(data_dir / "chair-settings.png"), full_page=True)
