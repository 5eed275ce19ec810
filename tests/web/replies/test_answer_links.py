"""Answering through the personal link: confirm on a page, every answer kept, the last counts."""

import re
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.notifications import Notification
from models.people import Person
from models.replies import AttendMode, MeetingReply, ReplyAnswer, ReplySource
from service.mail import links
from service.replies import expected, stand_ins
from tests.web.conftest import SignIn, client_for, csrf

Visitor = tuple[httpx.AsyncClient, str]

KEY = "test-secret-key"
TITLE = "Werkgroep NIS2 – vergadering 4/2026"
MEMBER = "sander.mertens@antwerpen.example"  # NIS2 member of Stad Antwerpen


def _ids(db: Engine, email: str, title: str = TITLE) -> tuple[int, int]:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == title)
        ).one()
        person = session.exec(select(Person).where(Person.email == email)).one()
        assert meeting.id is not None and person.id is not None
        return meeting.id, person.id


def _path(meeting_id: int, person_id: int) -> str:
    return "/answer/" + links.answer_token(meeting_id=meeting_id, person_id=person_id, key=KEY)


def _replies(db: Engine, meeting_id: int, person_id: int) -> list[MeetingReply]:
    with Session(db) as session:
        return list(
            session.exec(
                select(MeetingReply)
                .where(MeetingReply.meeting_id == meeting_id, MeetingReply.person_id == person_id)
                .order_by(col(MeetingReply.id))
            )
        )


@pytest.fixture
async def visitor(app: FastAPI) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A browser that is signed in as nobody, and its CSRF token."""
    async with client_for(app) as client:
        yield client, await csrf(client)


async def test_the_link_shows_the_choice_and_records_nothing_until_confirmed(
    visitor: Visitor, db: Engine
) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    before = _replies(db, meeting_id, person_id)
    client, _token = visitor
    page = await client.get(_path(meeting_id, person_id) + "?choice=stand_in")
    assert page.status_code == 200
    assert 'value="stand_in" checked' in page.text
    assert re.findall(r'value="(\w+)" checked', page.text) == ["stand_in"]
    assert "Kom je naar Werkgroep NIS2 – vergadering 4/2026?" in page.text
    assert (
        _replies(db, meeting_id, person_id) == before
    )  # a scanner following links answers nothing


async def test_every_answer_is_kept_and_the_last_counts(visitor: Visitor, db: Engine) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    path = _path(meeting_id, person_id)
    client, token = visitor
    first = await client.post(path, data={"choice": "online", "csrf_token": token})
    assert first.status_code == 303 and first.headers["location"] == f"{path}?answered=true"
    shown = await client.get(first.headers["location"])
    assert "Je antwoord is genoteerd." in shown.text
    assert 'id="current-answer">Ik kom (online)</dd>' in shown.text
    again = await client.post(path, data={"choice": "declined", "csrf_token": token})
    assert again.status_code == 303
    rows = _replies(db, meeting_id, person_id)
    assert [(r.answer, r.mode, r.source) for r in rows[-2:]] == [
        (ReplyAnswer.accepted, AttendMode.online, ReplySource.link),
        (ReplyAnswer.declined, None, ReplySource.link),
    ]
    assert len(rows) == 3  # the calendar's "maybe" from the demo data stays on record
    with Session(db) as session:
        view = expected.expected(session, meeting_id=meeting_id)
    antwerpen = next(o for o in view.organisations if o.organisation == "Stad Antwerpen")
    assert antwerpen.counts == {
        "accepted": 0,
        "tentative": 0,
        "declined": 1,
        "stand_in": 0,
        "none": 0,
    }


async def test_the_api_answers_with_the_same_link(visitor: Visitor, db: Engine) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    path = "/api" + _path(meeting_id, person_id)
    client, _token = visitor
    read = (await client.get(path)).json()
    assert read["choice"] is None and read["meeting_id"] == meeting_id
    put = await client.put(path, json={"choice": "in_person"})
    assert put.status_code == 200, put.text
    assert put.json()["choice"] == "in_person"
    refused = await client.put(path, json={"choice": "maybe"})
    assert refused.status_code == 422
    assert _replies(db, meeting_id, person_id)[-1].mode is AttendMode.in_person


async def test_bad_links_say_why(visitor: Visitor, db: Engine, now: datetime) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    good = _path(meeting_id, person_id)
    with Session(db) as session:
        past = session.exec(
            select(Meeting).where(
                col(Meeting.starts_at) < now, Meeting.status == MeetingStatus.held
            )
        ).first()
        assert past is not None and past.id is not None
        outsider = session.exec(
            select(Person).where(Person.email == "griet.vanhoutte@kcvs.example")
        ).one()
        assert outsider.id is not None
        past_path, outsider_path = _path(past.id, person_id), _path(meeting_id, outsider.id)
    client, token = visitor
    tampered = await client.get(good[:-3] + "xyz")
    assert tampered.status_code == 404
    assert "Deze link is niet geldig." in tampered.text
    assert (await client.get(past_path)).status_code == 410
    gone = await client.post(past_path, data={"choice": "declined", "csrf_token": token})
    assert gone.status_code == 410
    assert (await client.get(outsider_path)).status_code == 403
    assert (await client.get("/api" + outsider_path)).status_code == 403
    assert (await client.get("/api" + good[:-3] + "xyz")).status_code == 404
    assert _replies(db, past.id, person_id) == []


async def test_a_stand_in_is_invited_for_that_meeting_only(visitor: Visitor, db: Engine) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    path = _path(meeting_id, person_id)
    client, token = visitor
    form = {"choice": "stand_in", "csrf_token": token, "stand_in_name": "Lotte Smet"}
    bad = await client.post(path, data={**form, "stand_in_email": "lotte.smet@"})
    assert bad.status_code == 422
    assert "Dit is geen geldig e-mailadres." in bad.text
    assert 'value="Lotte Smet"' in bad.text and 'value="stand_in" checked' in bad.text
    done = await client.post(path, data={**form, "stand_in_email": "Lotte.Smet@antwerpen.example"})
    assert done.status_code == 303
    shown = await client.get(done.headers["location"])
    assert 'id="current-answer">Ik stuur een vervanger: Lotte Smet</dd>' in shown.text
    with Session(db) as session:
        lotte = session.exec(
            select(Person).where(Person.email == "lotte.smet@antwerpen.example")
        ).one()
        member = session.get(Person, person_id)
        meeting = session.get(Meeting, meeting_id)
        assert member is not None and meeting is not None and lotte.id is not None
        assert lotte.organisation_id == member.organisation_id
        assert stand_ins.is_stand_in(session, meeting=meeting, person=lotte)
        assert not stand_ins.is_stand_in(session, meeting=meeting, person=member)
        sent = session.exec(
            select(Notification).where(Notification.recipient_person_id == lotte.id)
        ).all()
        assert [n.idempotency_key for n in sent] == [
            f"invitation:meeting-{meeting_id}:rev-{meeting.revision}:person-{lotte.id}"
        ]
        assert "answer" not in sent[0].context  # a stand-in answers nothing for the member
    last = _replies(db, meeting_id, person_id)[-1]
    assert (last.answer, last.stand_in_id) == (ReplyAnswer.declined, lotte.id)
    with Session(db) as session:
        view = expected.expected(session, meeting_id=meeting_id)
    antwerpen = next(o for o in view.organisations if o.organisation == "Stad Antwerpen")
    assert antwerpen.coming and antwerpen.counts["stand_in"] == 1
    assert [(line.key, line.stand_in) for line in antwerpen.people] == [("stand_in", "Lotte Smet")]


async def test_a_stand_in_from_another_organisation_is_refused(
    visitor: Visitor, db: Engine
) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    before = _replies(db, meeting_id, person_id)
    client, token = visitor
    refused = await client.post(
        _path(meeting_id, person_id),
        data={
            "choice": "stand_in",
            "csrf_token": token,
            "stand_in_name": "Someone",
            "stand_in_email": "evelien.janssens@leuven.example",
        },
    )
    assert refused.status_code == 422
    assert "Een vervanger is een collega van je eigen organisatie." in refused.text
    assert _replies(db, meeting_id, person_id) == before


async def test_the_meeting_page_carries_the_readers_own_answer_links(
    sign_in: SignIn, db: Engine
) -> None:
    meeting_id, person_id = _ids(db, MEMBER)
    member = await sign_in(MEMBER)
    html = (await member.get(f"/groups/nis2/meetings/{meeting_id}")).text
    path = _path(meeting_id, person_id)
    assert re.findall(r'href="(/answer/[^"]+)"', html) == [
        f"{path}?choice={choice}" for choice in ("in_person", "online", "declined", "stand_in")
    ]
    secretariat = await sign_in("griet.vanhoutte@kcvs.example")  # not a member: no answer
    assert "/answer/" not in (await secretariat.get(f"/groups/nis2/meetings/{meeting_id}")).text
