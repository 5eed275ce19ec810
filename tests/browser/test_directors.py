"""The directors' overview in a real browser: sign in as a director, look, filter, screenshot."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.accessibility import violations
from tests.browser.layout import page_width, styled
from tests.live import deliver, sign_in_link


def test_director_overview_on_a_laptop(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("koenraad.despriet@kortrijk.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "koenraad.despriet@kortrijk.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.get_by_role("link", name="Overzicht voor de directies").click()
    expect(page.get_by_role("heading", name="Overzicht voor de directies")).to_be_visible()
    expect(
        page.get_by_role("img", name="Deliverables per programma, volgens status")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Opgeleverde deliverables per kwartaal")).to_be_visible()
    # The status chart names its colours.
    legend = page.get_by_role("list", name="Legende")
    for status in ("gepland", "lopend", "in gevaar", "geblokkeerd", "opgeleverd", "vervallen"):
        expect(legend.get_by_text(status, exact=True)).to_be_visible()
    expect(page.locator("#groups").get_by_role("link", name="KBO")).to_be_visible()
    assert violations(page) == [], "the directors' overview"
    # Every column of the deliverables fits a laptop's screen without scrolling sideways.
    table, region = styled(page).evaluate(
        "(t => [t.scrollWidth, t.parentElement.clientWidth])"
        "(document.querySelector('#deliverables'))"
    )
    assert table <= region, (table, region)
    assert page_width(page) <= 1280
    page.screenshot(path=str(data_dir / "directors.png"), full_page=True)
    assert (data_dir / "directors.png").stat().st_size > 20_000
    page.get_by_label("Programma", exact=True).select_option("klimaat")
    page.get_by_role("button", name="Tonen").click()
    rows = page.locator("#deliverables tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#deliverables")).to_contain_text("Beleidsrapport InnoFiNS")
    # No forms that change anything are offered to a director.
    expect(page.locator("form[method=post]").filter(has_not_text="Afmelden")).to_have_count(0)
