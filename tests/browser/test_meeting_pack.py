"""On a phone: the chair adds a presentation to an agenda item; a member downloads the pack."""

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import escape
from playwright.sync_api import Page, expect

from service.db import create_engine
from tests.browser.accessibility import violations
from tests.browser.layout import page_width
from tests.browser.test_secretariat_work import _sign_in
from tests.web.agenda.test_review import closed_call_for_next_meeting
from tests.web.materials import files

CHAIR = "pieter.claeys@gent.example"
MEMBER = "sander.mertens@antwerpen.example"


def _fresh_mailbox(data_dir: Path) -> None:
    """Sign-in links are read from the mailbox: leave only the next one there."""
    for mail in (data_dir / "mailbox").glob("*.eml"):
        mail.unlink()


def test_a_presentation_on_an_item_and_the_meeting_pack(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    engine = create_engine(empty_database_url)
    meeting_id = closed_call_for_next_meeting(engine, datetime.now(UTC))
    engine.dispose()
    slides = data_dir / "ORBA demo.pptx"
    slides.write_bytes(files.pptx("ORBA demo"))
    background = data_dir / "achtergrond.pdf"
    background.write_bytes(files.pdf())

    _sign_in(page, url, data_dir, empty_database_url, CHAIR)
    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/agenda/review")
    page.get_by_role("button", name="Stel de agenda nu op").click()
    overrun = page.locator("#accept-overrun")
    if overrun.count():
        overrun.check()
    page.get_by_role("button", name="Goedkeuren en versie 1 publiceren").click()
    expect(page.get_by_text("Gepubliceerd: versie 1.")).to_be_visible()
    published = page.request.get(f"{url}/api/groups/nis2/meetings/{meeting_id}/agenda").json()
    items = sorted(
        (i for i in published["items"] if i["status"] == "accepted"), key=lambda i: i["position"]
    )
    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}")
    page.get_by_role("link", name="Materiaal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Materiaal")
    assert violations(page) == [], "the empty materials page, for the chair"

    for item, title, path in (
        (items[1], "Presentatie ORBA", slides),
        (items[0], "Achtergrond", background),
    ):
        page.get_by_label("Voor", exact=True).first.select_option(str(item["item_key"]))
        page.get_by_label("Titel").first.fill(title)
        page.get_by_label("Bestand", exact=True).set_input_files(path)
        page.get_by_role("button", name="Voeg het bestand toe").click()
        expect(page.get_by_role("status")).to_have_text(
            "Het materiaal is aan de vergadering toegevoegd."
        )
    section = page.locator("#materials tbody").filter(has_text=f"2. {items[1]['title']}")
    expect(section).to_contain_text("Presentatie ORBA")
    expect(section.get_by_role("link", name="ORBA-demo.pptx")).to_be_visible()
    assert violations(page) == [], "the materials page with files, for the chair"
    page.screenshot(path=str(data_dir / "materials-items-phone.png"), full_page=True)
    assert page_width(page) <= 390 + 1
    page.get_by_role("link", name="Bibliotheek van de groep").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bibliotheek")
    assert violations(page) == [], "the library, for the chair"
    page.screenshot(path=str(data_dir / "library-phone.png"), full_page=True)

    page.context.clear_cookies()
    _fresh_mailbox(data_dir)
    _sign_in(page, url, data_dir, empty_database_url, MEMBER)
    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/materials")
    expect(page.get_by_role("button", name="Voeg het bestand toe")).to_have_count(0)
    assert violations(page) == [], "the materials page, for a member"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het vergaderpakket (zip)").click()
    saved = Path(download.value.path())
    with zipfile.ZipFile(saved) as pack:
        # The agenda first, then item by item in the agenda's order.
        assert pack.namelist() == [
            "00-agenda.html",
            "01-01-achtergrond.pdf",
            "02-01-ORBA-demo.pptx",
        ]
        assert pack.read("02-01-ORBA-demo.pptx") == slides.read_bytes()
        listed = pack.read("00-agenda.html").decode()
    positions = [listed.index(str(escape(i["title"]))) for i in items]
    assert positions == sorted(positions)
