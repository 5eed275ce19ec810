"""The secretariat's start page (the work queue) and the group form, in a real browser."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link


def _sign_in(page: Page, url: str, data_dir: Path, database_url: str, email: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(database_url, data_dir)
    page.goto(sign_in_link(data_dir, email))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()


def test_the_work_queue_and_starting_a_group(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, url, data_dir, empty_database_url, "griet.vanhoutte@kcvs.example")
    expect(page.get_by_role("heading", name="Wat op je wacht")).to_be_visible()
    rows = page.locator("section.work tbody tr")
    # The page lists as many items as the API's work queue holds for the same person.
    queued = page.request.get(f"{url}/api/me/work").json()
    assert queued and rows.count() == len(queued)
    assert violations(page) == [], "the work queue"
    page.screenshot(path=str(data_dir / "work-queue.png"), full_page=True)
    first = rows.first.get_by_role("link")
    first.click()
    expect(page.get_by_role("heading").first).to_be_visible()
    assert "Er ging iets mis" not in page.content()

    page.get_by_role("navigation").get_by_role("link", name="Werkgroepen").click()
    expect(page.get_by_role("heading", name="Een werkgroep opstarten")).to_be_visible()
    page.get_by_label("Code (in webadressen, later niet te wijzigen)").fill("nis2")
    page.get_by_label("Korte naam").fill("Energie")
    page.get_by_label("Volledige naam").fill("Werkgroep Energie")
    page.get_by_label("Vergaderingen per jaar").fill("4")
    page.get_by_label("Op een").select_option(label="dinsdag")
    page.get_by_label("Om (Brusselse tijd)").fill("14:00")
    page.get_by_role("button", name="De groep opstarten").click()
    expect(page.get_by_role("alert")).to_contain_text("bestaat al")
    expect(page.get_by_label("Korte naam")).to_have_value("Energie")  # what was typed stays
    assert violations(page) == [], "the group form with a refusal"
    page.screenshot(path=str(data_dir / "group-form-refused.png"), full_page=True)

    page.get_by_label("Code (in webadressen, later niet te wijzigen)").fill("energie")
    page.get_by_role("button", name="De groep opstarten").click()
    expect(page.get_by_role("status")).to_contain_text("De werkgroep is opgestart")
    expect(page.get_by_role("heading", name="Instellingen: Energie")).to_be_visible()
    expect(page.get_by_label("Op een")).to_have_value("1")
    page.get_by_label("Volledige naam").fill("Werkgroep Energie en Klimaat")
    page.get_by_role("button", name="Instellingen bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("zijn bewaard")
    assert violations(page) == [], "the group settings"
    page.screenshot(path=str(data_dir / "group-settings.png"), full_page=True)
    page.get_by_role("button", name="De groep archiveren").click()
    expect(page.get_by_role("status")).to_contain_text("gearchiveerd")
    page.get_by_role("link", name="Alle werkgroepen").click()
    row = page.locator("tr", has_text="Werkgroep Energie en Klimaat")
    expect(row).to_contain_text("gearchiveerd")


def test_who_has_answered_and_the_reminder(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, url, data_dir, empty_database_url, "pieter.claeys@gent.example")  # NIS2 chair
    page.goto(f"{url}/groups/nis2")
    page.locator("tbody tr", has_text="gepland").first.locator("td:nth-child(2) a").first.click()
    opening = page.get_by_role("button", name="Oproep nu openen")
    if opening.count():  # the demo may have opened this call already
        opening.first.click()
    page.get_by_role("link", name="Wie heeft geantwoord").click()
    expect(page.get_by_role("heading", name="Wie heeft geantwoord")).to_be_visible()
    expect(page.locator("table")).to_contain_text("nog niet")
    assert violations(page) == [], "who has answered"
    page.screenshot(path=str(data_dir / "call-answers.png"), full_page=True)
    page.get_by_role("button", name="Wie nog niet antwoordde herinneren").click()
    expect(page.get_by_role("status")).to_contain_text("is herinnerd")
    expect(page.get_by_text("vandaag al herinnerd")).to_be_visible()
