"""The chair notes who was there on a phone, then starts the minutes that list them."""

from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.accessibility import violations
from tests.live import deliver, sign_in_link


def test_the_chair_notes_attendance_and_starts_the_minutes(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    # Chromium reports what the CSP blocks (an inline style, say) on the console.
    blocked: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", watch)
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("pieter.claeys@gent.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "pieter.claeys@gent.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/groups/nis2")
    page.get_by_role("link", name="Werkgroep NIS2 – vergadering 3/2026").click()
    page.get_by_role("link", name="Aanwezigheden noteren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aanwezigheden: Werkgroep NIS2 – vergadering 3/2026"
    )
    for person, status in (
        ("Pieter Claeys (Stad Gent)", "aanwezig"),
        ("Ruben Callewaert (Kenniscentrum Vlaamse Steden)", "aanwezig"),
        ("Sander Mertens (Stad Antwerpen)", "verontschuldigd"),
        ("Evelien Janssens (Stad Leuven)", "afwezig"),
    ):
        page.get_by_role("group", name=person).get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Aanwezigheden bewaren").click()
    expect(page.get_by_role("status")).to_have_text("De aanwezigheden zijn bewaard.")
    expect(page.locator("#attendance-counts")).to_have_text(
        "Aanwezig: 2, verontschuldigd: 1, afwezig: 1."
    )
    assert violations(page) == [], "the attendance page"
    sander = page.get_by_role("group", name="Sander Mertens (Stad Antwerpen)")
    expect(sander.get_by_label("verontschuldigd", exact=True)).to_be_checked()
    page.screenshot(path=str(data_dir / "attendance-phone.png"), full_page=True)
    page.get_by_role("link", name="Naar het verslag van deze vergadering").click()
    page.get_by_role("button", name="Verslag starten vanuit de agenda en de aanwezigheden").click()
    draft = page.get_by_label("Tekst van het verslag")
    expect(draft).to_be_visible()
    text = draft.input_value()
    assert (
        "## Aanwezig\n\n- Ruben Callewaert (Kenniscentrum Vlaamse Steden)\n"
        "- Pieter Claeys (Stad Gent)\n" in text
    )
    assert "## Verontschuldigd\n\n- Sander Mertens (Stad Antwerpen)\n" in text
    assert "## Afwezig\n\n- Evelien Janssens (Stad Leuven)\n" in text
    assert blocked == []
