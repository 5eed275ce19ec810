"""Signing in, in a real browser: ask for a link, open it from the mailbox, press the button."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.live import deliver, sign_in_link


def test_sign_in_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/")
    expect(page).to_have_url(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("sander.mertens@antwerpen.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "sander.mertens@antwerpen.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    expect(page.get_by_role("heading", name="Werkgroepen")).to_be_visible()
    expect(page.get_by_role("link", name="NIS2")).to_be_visible()
    page.screenshot(path=str(data_dir / "home-phone.png"))
    # The same link does not work twice.
    page.goto(sign_in_link(data_dir, "sander.mertens@antwerpen.example"))
    expect(page.get_by_role("alert")).to_contain_text("al gebruikt")
