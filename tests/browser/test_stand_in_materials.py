"""On a phone: a stand-in opens the materials of the meeting they stand in at and takes the pack."""

import zipfile
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from models.people import Person
from models.replies import AnswerChoice
from service.db import create_engine
from service.mail import links
from service.materials import materials, places
from service.materials.materials import Upload
from service.meetings import meetings
from service.replies import answering
from service.replies.answering import StandInTyped
from service.settings import Settings
from service.web.materials.files import shelf
from tests.browser.accessibility import violations
from tests.browser.test_meeting_pack import _fresh_mailbox
from tests.browser.test_secretariat_work import _sign_in
from tests.factories import ACTOR
from tests.live import SECRET_KEY, deliver
from tests.web.agenda.test_review import closed_call_for_next_meeting
from tests.web.materials import files

MEMBER = "sander.mertens@antwerpen.example"
STAND_IN = "lotte.smet@antwerpen.example"


def _stand_in_with_a_file(database_url: str, url: str, data_dir: Path, content: bytes) -> int:
    """The next meeting with a file on it, and a stand-in named by the member's answer."""
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    meeting_id = closed_call_for_next_meeting(engine, now)
    settings = Settings(
        database_url=database_url, base_url=url, data_dir=data_dir, secret_key=SECRET_KEY
    )
    with Session(engine) as session:
        meeting = meetings.get(session, meeting_id=meeting_id)
        source = data_dir / "toelichting.pdf"
        source.write_bytes(content)
        with source.open("rb") as stream:
            materials.add_file(
                session,
                place=places.of_meeting(meeting),
                title="Toelichting",
                upload=Upload("toelichting.pdf", stream),
                shelf=shelf(settings),
                actor=ACTOR,
                now=now,
            )
        member = session.exec(select(Person).where(Person.email == MEMBER)).one()
        assert member.id is not None
        token = links.answer_token(meeting_id=meeting_id, person_id=member.id, key=SECRET_KEY)
        ballot = answering.open_ballot(session, token=token, key=SECRET_KEY, now=now)
        answering.record_answer(
            session,
            ballot=ballot,
            choice=AnswerChoice.stand_in,
            stand_in=StandInTyped(name="Lotte Smet", email=STAND_IN),
            settings=settings,
            now=now,
        )
        session.commit()
    engine.dispose()
    return meeting_id


def test_a_stand_in_takes_the_meeting_pack(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    content = files.pdf()
    meeting_id = _stand_in_with_a_file(empty_database_url, url, data_dir, content)
    # The stand-in's invitation leaves first, with the link to the meeting's materials.
    deliver(empty_database_url, data_dir)
    invitation = next(
        mail
        for mail in (
            message_from_bytes(p.read_bytes()) for p in (data_dir / "mailbox").glob("*.eml")
        )
        if mail["To"] and STAND_IN in mail["To"]
    )
    text = next(p for p in invitation.walk() if p.get_content_type() == "text/plain")
    payload = text.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert f"{url}/groups/nis2/meetings/{meeting_id}/materials" in payload.decode("utf-8")
    _fresh_mailbox(data_dir)
    _sign_in(page, url, data_dir, empty_database_url, STAND_IN)
    page.goto(f"{url}/groups/nis2/meetings/{meeting_id}/materials")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Materiaal")
    expect(page.get_by_role("link", name="toelichting.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="Bibliotheek van de groep")).to_have_count(0)
    expect(page.get_by_role("button", name="Voeg het bestand toe")).to_have_count(0)
    assert violations(page) == [], "the materials page, for a stand-in"
    page.screenshot(path=str(data_dir / "materials-stand-in-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het vergaderpakket (zip)").click()
    with zipfile.ZipFile(Path(download.value.path())) as pack:
        assert pack.namelist() == ["00-agenda.html", "00-01-toelichting.pdf"]
        assert pack.read("00-01-toelichting.pdf") == content
