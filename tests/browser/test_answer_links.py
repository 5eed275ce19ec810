"""A member answers "I send a stand-in" from the link in their email, on a phone."""

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models.agenda import AgendaCall
from models.notifications import Notification
from models.people import Person
from models.replies import MeetingReply, ReplyAnswer
from service.db import create_engine
from service.mail import links
from tests.browser.accessibility import violations
from tests.browser.layout import styled
from tests.live import SECRET_KEY, app_log, deliver, open_call, sign_in_link

TITLE = "Werkgroep Browsers – vergadering 2/2027"


def _no_horizontal_overflow(page: Page) -> None:
    widths = styled(page).evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is wider than the phone: {widths}"


def _replies(session: Session, meeting_id: int) -> list[MeetingReply]:
    return list(session.exec(select(MeetingReply).where(MeetingReply.meeting_id == meeting_id)))


def test_a_member_sends_a_stand_in_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    opened = open_call(empty_database_url, base_url=url, members=2, title=TITLE)
    member = opened.members[0]
    engine = create_engine(empty_database_url)
    try:
        with Session(engine) as session:
            call = session.get(AgendaCall, opened.call_id)
            assert call is not None
            meeting_id = call.meeting_id
        link = links.answer_url(
            meeting_id=meeting_id, person_id=member, key=SECRET_KEY, base_url=url
        )

        page.goto(f"{link}?choice=stand_in")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Kom je naar {TITLE}?")
        expect(page.get_by_role("radio", name="Ik stuur een vervanger")).to_be_checked()
        expect(page.locator("#current-answer")).to_have_text("nog niet geantwoord")
        _no_horizontal_overflow(page)
        assert violations(page) == []
        with Session(engine) as session:  # opening the link answered nothing
            assert _replies(session, meeting_id) == []

        stand_in = page.get_by_role(
            "group", name="Je vervanger (alleen bij „Ik stuur een vervanger”)"
        )
        stand_in.get_by_label("Naam").fill("Lotte Smet")
        stand_in.get_by_label("E-mailadres").fill("lotte.smet@stand-in.example")
        page.get_by_role("button", name="Mijn antwoord versturen").click()

        expect(page.get_by_role("status")).to_have_text(
            "Je antwoord is genoteerd. Je kunt het wijzigen tot de vergadering begint."
        )
        expect(page.locator("#current-answer")).to_have_text("Ik stuur een vervanger: Lotte Smet")
        expect(page.get_by_role("radio", name="Ik stuur een vervanger")).to_be_checked()
        _no_horizontal_overflow(page)
        assert violations(page) == []
        page.screenshot(path=str(data_dir / "answer-stand-in-phone.png"), full_page=True)

        with Session(engine) as session:
            replies = _replies(session, meeting_id)
            lotte = session.exec(
                select(Person).where(Person.email == "lotte.smet@stand-in.example")
            ).one()
            mine = session.get(Person, member)
            assert mine is not None
            assert [(r.person_id, r.answer, r.stand_in_id) for r in replies] == [
                (member, ReplyAnswer.declined, lotte.id)
            ]
            assert lotte.organisation_id == mine.organisation_id
            sent = session.exec(
                select(Notification)
                .where(Notification.recipient_person_id == lotte.id)
                .order_by(col(Notification.id))
            ).all()
        # The invitation for this meeting, and the form while its call is open.
        assert [n.kind for n in sent] == ["meeting_invitation", "agenda_call_open"]
        form = links.url(sent[1].context["link"], key=SECRET_KEY, base_url=url)
        page.goto(form)  # the form opens for the stand-in, who is not a member
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Je vragen voor {TITLE}")
    finally:
        engine.dispose()
    assert "Traceback" not in app_log(data_dir)


def test_the_meeting_page_carries_the_members_answers_on_a_phone(
    page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("sander.mertens@antwerpen.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "sander.mertens@antwerpen.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(f"{url}/groups/nis2")
    page.get_by_role("link", name="Werkgroep NIS2 – vergadering 1/2027").click()
    answers = page.locator("ul.answer-links")
    expect(answers.get_by_role("link")).to_have_text(
        ["Ik kom (ter plaatse)", "Ik kom (online)", "Ik kan niet komen", "Ik stuur een vervanger"]
    )
    _no_horizontal_overflow(page)  # the attendance table scrolls in its own region
    assert violations(page) == []
    page.locator("#your-answer").scroll_into_view_if_needed()
    page.screenshot(path=str(data_dir / "meeting-answers-phone.png"), full_page=True)
    answers.get_by_role("link", name="Ik kom (online)").click()
    expect(page.get_by_role("radio", name="Ik kom (online)")).to_be_checked()
