"""The directors' overview in a real browser: sign in as a director, look, filter, screenshot."""

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session

from models.programmes import Programme
from service.db import create_engine
from service.web.reports.pages import PROGRAMME_LINES
from tests.browser.accessibility import violations
from tests.browser.layout import page_width, styled
from tests.factories import make_group
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


def _many_programmes(database_url: str, count: int) -> None:
    """`count` more programmes, each with an open group, so the programmes span two pages."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            now = datetime.now(UTC)
            for n in range(1, count + 1):
                programme = Programme(
                    slug=f"netwerk-{n:02}",
                    name=f"Netwerk {n:02} – stedelijk beleid",
                    first_year=2024,
                )
                session.add(programme)
                session.flush()
                group = make_group(session, now=now, slug=f"netwerk-{n:02}-groep")
                group.programme_id = programme.id
                session.add(group)
            session.commit()
    finally:
        engine.dispose()


def test_a_hundred_programmes_come_a_page_at_a_time(
    page: Page, live_app: tuple[str, Path], demo_database_url: str
) -> None:
    """A network of many programmes: the table and its chart show one page, with links."""
    url, data_dir = live_app
    _many_programmes(demo_database_url, 30)
    page.set_viewport_size({"width": 1280, "height": 900})
    email = "koenraad.despriet@kortrijk.example"
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("aanmeldlink onderweg")
    deliver(demo_database_url, data_dir)
    page.goto(sign_in_link(data_dir, email))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/directors")
    rows = page.locator("#programmes tbody tr")
    expect(rows).to_have_count(PROGRAMME_LINES)
    chart = page.get_by_role("img", name="Deliverables per programma, volgens status")
    expect(chart).to_be_visible()
    pages = page.get_by_role("navigation", name="Pagina's van de programma’s")
    expect(pages).to_contain_text(f"Programma’s 1–{PROGRAMME_LINES} van")
    assert violations(page) == [], "the first page of the programmes"
    assert page_width(page) <= 1280
    page.screenshot(path=str(data_dir / "directors-programmes.png"), full_page=True)
    pages.get_by_role("link", name="Volgende pagina").click()
    expect(page).to_have_url(re.compile(r"programmes_page=2#programmes-heading$"))
    expect(rows.first).to_be_visible()
    shown = rows.count()
    assert 0 < shown <= PROGRAMME_LINES
    expect(page.locator("#programmes")).to_contain_text("Netwerk 30")
    expect(page.get_by_role("navigation", name="Pagina's van de programma’s")).to_contain_text(
        "Vorige pagina"
    )
    assert violations(page) == [], "the second page of the programmes"
