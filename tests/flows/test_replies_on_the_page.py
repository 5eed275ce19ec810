"""Every way of answering at once: four calendar clients through Dovecot, the answer links over
HTTP, the read-replies flow run twice, and the expected attendance read off the meeting page."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from flows import resources
from flows.replies import read_replies
from models.memberships import MembershipRole
from models.notifications import Notification
from models.people import Person
from models.replies import MeetingReply, MessageOutcome, ReplyMessage, ReplySource
from service.feeds.calendar_events import meeting_uid
from service.mail import links
from service.replies import mailbox
from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now
from tests.conftest import table_counts
from tests.factories import join, make_group, make_meeting, make_organisation, make_person
from tests.imap import ImapServer, imap_client
from tests.service.replies import shapes
from tests.web.conftest import client_for, csrf, latest_link

KEY = "test-secret-key"
STAND_IN = "lotte.smet@mechelen.example"
# (organisation, person): the group, one member per line; the chair is Bart Claes.
MEMBERS = [
    ("Stad Antwerpen", "Anna Peeters"),
    ("Stad Antwerpen", "Bart Claes"),
    ("Stad Brugge", "Carla Willems"),
    ("Stad Gent", "Dirk Maes"),
    ("Stad Gent", "Els Jacobs"),
    ("Stad Hasselt", "Filip Wouters"),
    ("Stad Kortrijk", "Greet Mertens"),
    ("Stad Leuven", "Hans Dubois"),
    ("Stad Mechelen", "Ilse Goossens"),
    ("Stad Oostende", "Jan Lambert"),
]


class _Attendance(HTMLParser):
    """The rows of the expected-attendance table: each cell's text, a line per <div>."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "expected-by-organisation") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None and tag == "div":
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            lines = "".join(self.cell).split("\n")
            self.rows[-1].append([line.strip() for line in lines if line.strip()])
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def attendance_table(html: str) -> list[list[list[str]]]:
    """The expected-attendance table of a meeting page, header and total rows included."""
    parser = _Attendance()
    parser.feed(html)
    return parser.rows


@dataclass
class Group:
    """A group of ten members in eight organisations, and its meeting in a month."""

    slug: str
    meeting_id: int
    revision: int
    people: dict[str, Person]

    def email(self, name: str) -> str:
        """The address of a member, by name."""
        return self.people[name].email


def _group(now: datetime) -> Group:
    earlier = now - timedelta(days=60)
    with resources.session() as session:
        group = make_group(session, now=earlier)
        organisations = {
            name: make_organisation(session, now=earlier, name=name)
            for name in dict.fromkeys(o for o, _ in MEMBERS)
        }
        people = {}
        for organisation, name in MEMBERS:
            person = make_person(
                session, now=earlier, organisation=organisations[organisation], name=name
            )
            role = MembershipRole.chair if name == "Bart Claes" else MembershipRole.member
            join(session, person=person, group=group, now=earlier, role=role)
            people[name] = person
        meeting = make_meeting(session, now=earlier, group=group, starts_in=timedelta(days=90))
        assert meeting.id is not None
        return Group(group.slug, meeting.id, meeting.revision, people)


@pytest.fixture
async def app(flow_database: str, now: datetime, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app on the flows' database, with the test clock and a known key."""
    settings = Settings(
        database_url=flow_database, data_dir=tmp_path, load_demo_data=False, secret_key=KEY
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: now
    async with app.router.lifespan_context(app):
        yield app


async def _answer(client: httpx.AsyncClient, group: Group, name: str, form: dict[str, str]) -> None:
    """Answer through the member's own link: open the page it leads to, then confirm."""
    person_id = group.people[name].id
    assert person_id is not None
    path = "/answer/" + links.answer_token(
        meeting_id=group.meeting_id, person_id=person_id, key=KEY
    )
    assert (await client.get(f"{path}?choice={form['choice']}")).status_code == 200
    sent = await client.post(path, data={**form, "csrf_token": await csrf(client)})
    assert (sent.status_code, sent.headers["location"]) == (303, f"{path}?answered=true")


async def _sign_in(client: httpx.AsyncClient, engine: Engine, email: str) -> None:
    token = await csrf(client)
    sent = await client.post("/sign-in", data={"email": email, "csrf_token": token})
    assert sent.status_code == 200
    used = await client.post(latest_link(engine, email), data={"csrf_token": token})
    assert used.status_code == 303, used.text


def _rows(engine: Engine) -> dict[str, Any]:
    """Every answer and every message record, as the database holds them, and all counts."""
    with Session(engine) as session:
        return {
            "replies": [
                r.model_dump()
                for r in session.exec(select(MeetingReply).order_by(col(MeetingReply.id)))
            ],
            "messages": [
                m.model_dump()
                for m in session.exec(select(ReplyMessage).order_by(col(ReplyMessage.id)))
            ],
            "tables": table_counts(session),
        }


async def test_every_way_of_answering_shows_once_on_the_meeting_page(
    imap: ImapServer, app: FastAPI, now: datetime
) -> None:
    group = _group(now)
    engine: Engine = app.state.engine
    async with client_for(app) as browser:
        await _every_way(imap, browser, engine, group, now)


async def _every_way(
    imap: ImapServer, app_client: httpx.AsyncClient, engine: Engine, group: Group, now: datetime
) -> None:
    uid = meeting_uid(group.meeting_id, resources.settings())
    seq = group.revision
    calendar = [
        shapes.outlook(uid, seq, group.email("Dirk Maes"), tag="outlook"),  # maybe, with a note
        shapes.gmail(uid, seq, group.email("Anna Peeters"), tag="gmail"),  # yes, with a note
        shapes.apple(uid, seq, group.email("Carla Willems"), tag="apple"),  # no
        shapes.thunderbird(uid, seq, group.email("Hans Dubois"), tag="thunderbird"),  # yes
    ]
    with imap_client(imap) as client:
        for number, raw in enumerate(calendar):
            client.append("INBOX", raw, msg_time=now - timedelta(hours=4 - number))

    await _answer(app_client, group, "Els Jacobs", {"choice": "online"})
    await _answer(app_client, group, "Greet Mertens", {"choice": "in_person"})
    await _answer(app_client, group, "Filip Wouters", {"choice": "declined"})
    await _answer(
        app_client,
        group,
        "Ilse Goossens",
        {"choice": "stand_in", "stand_in_name": "Lotte Smet", "stand_in_email": STAND_IN},
    )
    with Session(engine) as session:
        lotte = session.exec(select(Person).where(Person.email == STAND_IN)).one()
        sent = session.exec(
            select(Notification).where(Notification.recipient_person_id == lotte.id)
        ).all()
    assert [n.idempotency_key for n in sent] == [
        f"invitation:meeting-{group.meeting_id}:rev-{seq}:person-{lotte.id}"
    ]
    # The stand-in answers the invitation they were sent, from their own calendar.
    with imap_client(imap) as client:
        stand_in_reply = shapes.bare(shapes.minimal(uid, seq, STAND_IN), sender=STAND_IN, tag="si")
        client.append("INBOX", stand_in_reply, msg_time=now)

    # The flow runs as the scheduler would: not on the app's event loop (here, a thread).
    first = await asyncio.to_thread(read_replies, now + timedelta(minutes=5))
    assert first == {"read": 5, "recorded": 5, "unmatched": 0, "failed": 0, "reasons": {}}
    await _sign_in(app_client, engine, group.email("Bart Claes"))
    page = f"/groups/{group.slug}/meetings/{group.meeting_id}"
    shown = await app_client.get(page)
    assert shown.status_code == 200
    stored = _rows(engine)

    assert attendance_table(shown.text) == [
        [
            ["Organisatie"],
            ["komt"],
            ["misschien"],
            ["kan niet komen"],
            ["stuurt een vervanger"],
            ["niet geantwoord"],
            ["Wie"],
        ],
        [
            ["Stad Antwerpen"],
            *[["1"], ["0"], ["0"], ["0"], ["1"]],
            [
                "Anna Peeters: komt — “Graag, ik breng de cijfers mee”",
                "Bart Claes: niet geantwoord",
            ],
        ],
        [["Stad Brugge"], *[["0"], ["0"], ["1"], ["0"], ["0"]], ["Carla Willems: kan niet komen"]],
        [
            ["Stad Gent"],
            *[["1"], ["1"], ["0"], ["0"], ["0"]],
            [
                "Dirk Maes: misschien — “Ik stel een later uur voor, ik kom uit een andere"
                " vergadering.”",
                "Els Jacobs: komt (online)",
            ],
        ],
        [["Stad Hasselt"], *[["0"], ["0"], ["1"], ["0"], ["0"]], ["Filip Wouters: kan niet komen"]],
        [
            ["Stad Kortrijk"],
            *[["1"], ["0"], ["0"], ["0"], ["0"]],
            ["Greet Mertens: komt (ter plaatse)"],
        ],
        [["Stad Leuven"], *[["1"], ["0"], ["0"], ["0"], ["0"]], ["Hans Dubois: komt"]],
        [
            ["Stad Mechelen"],
            *[["0"], ["0"], ["0"], ["1"], ["0"]],
            ["Ilse Goossens: stuurt een vervanger: Lotte Smet (komt)"],
        ],
        [["Stad Oostende"], *[["0"], ["0"], ["0"], ["0"], ["1"]], ["Jan Lambert: niet geantwoord"]],
        [["Totaal"], *[["4"], ["1"], ["2"], ["1"], ["2"]], []],
    ]
    # Each message recorded once, each calendar answer from its own message.
    messages = stored["messages"]
    assert [m["outcome"] for m in messages] == [MessageOutcome.recorded] * 5
    from_calendar = [r for r in stored["replies"] if r["source"] is ReplySource.calendar]
    assert sorted(r["message_id"] for r in from_calendar) == sorted(m["id"] for m in messages)
    assert len(stored["replies"]) == 9  # four calendars, four links, the stand-in's calendar
    with imap_client(imap) as client:
        flags = client.get_flags(client.search("ALL"))
    assert len(flags) == 5 and all(mailbox.READ in f for f in flags.values())

    second = await asyncio.to_thread(read_replies, now + timedelta(minutes=10))
    assert second == {"read": 0, "recorded": 0, "unmatched": 0, "failed": 0, "reasons": {}}
    assert _rows(engine) == stored
    assert (await app_client.get(page)).text == shown.text
