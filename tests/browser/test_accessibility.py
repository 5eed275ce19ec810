"""The pages members fill in meet WCAG 2.1 A and AA as axe-core checks them, on a phone."""

from pathlib import Path

from playwright.sync_api import Page

from tests.browser.accessibility import violations
from tests.live import open_call

TITLE = "Werkgroep Toegankelijkheid – vergadering 1/2027"


def test_the_agenda_form_in_every_state(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, _ = live_app
    call = open_call(empty_database_url, base_url=url, members=1, title=TITLE)
    page.goto(next(iter(call.links.values())))
    assert violations(page) == [], "the empty form"

    page.get_by_label("Je vraag").first.fill("Wat valt onder 'essentiële entiteit'?")
    page.get_by_role("button", name="Mijn vragen bewaren").click()
    assert page.get_by_role("status").is_visible()
    assert violations(page) == [], "the form after saving"

    page.locator("#question_2").fill("wat valt onder 'ESSENTIËLE entiteit'?")
    page.get_by_role("button", name="Mijn vragen bewaren").click()
    assert page.get_by_role("alert").is_visible()
    assert violations(page) == [], "the form with a refusal tied to its field"


def test_the_sign_in_page(page: Page, live_app: tuple[str, Path]) -> None:
    url, _ = live_app
    page.goto(f"{url}/sign-in")
    assert violations(page) == []
