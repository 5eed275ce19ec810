"""The chair adds a presentation to a meeting on a phone; a member downloads it."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.accessibility import violations
from tests.browser.layout import page_width
from tests.live import deliver, sign_in_link
from tests.web.materials import files


def test_the_chair_adds_a_presentation_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    slides = data_dir / "ORBA demo.pptx"
    slides.write_bytes(files.pptx("ORBA demo"))
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("pieter.claeys@gent.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "pieter.claeys@gent.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/groups/nis2")
    page.get_by_role("link", name="Werkgroep NIS2 – vergadering 3/2026").click()
    page.get_by_role("link", name="Materiaal").click()
    expect(page.get_by_text("Nog geen materiaal.")).to_be_visible()
    assert violations(page) == [], "the empty materials page"
    page.get_by_label("Titel").first.fill("Presentatie ORBA")
    page.get_by_label("Bestand", exact=True).set_input_files(slides)
    page.get_by_role("button", name="Voeg het bestand toe").click()
    expect(page.get_by_role("status")).to_have_text(
        "Het materiaal is aan de vergadering toegevoegd."
    )
    row = page.locator("#materials tbody tr:not(.section)")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Presentatie ORBA")
    assert violations(page) == [], "the materials page with a file"
    page.screenshot(path=str(data_dir / "materials-phone.png"), full_page=True)
    assert page_width(page) <= 390 + 1
    with page.expect_download() as download:
        page.get_by_role("link", name="ORBA-demo.pptx").click()
    assert Path(download.value.path()).read_bytes() == slides.read_bytes()
