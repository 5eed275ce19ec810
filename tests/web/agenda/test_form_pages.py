"""The member's form at /input/{token} over real HTTP: save, edit, withdraw, and every refusal."""

import html
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, Submission, SubmissionStatus
from models.meetings import Meeting
from models.notifications import Notification
from models.people import Person
from service.mail import links as mail_links
from service.web.deps import get_now
from service.web.triggers import get_triggers
from tests.conftest import table_counts
from tests.web.conftest import SignIn, client_for, csrf
from tests.web.meetings.test_pages import SECRETARIAT, _next_meeting
from tests.web.offline_triggers import OfflineTriggers

MEMBER = "sander.mertens@antwerpen.example"


async def _open_call(sign_in: SignIn, db: Engine) -> Meeting:
    """The secretariat opens the call of NIS2's next meeting; every member gets a link."""
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/call/open", data={"csrf_token": await csrf(client)}
    )
    assert response.status_code == 303, response.text
    return meeting


def _links(db: Engine) -> dict[str, str]:
    """Each member's form path, by email address, from the mails queued."""
    with Session(db) as session:
        mails = session.exec(
            select(Notification).where(Notification.kind == "agenda_call_open")
        ).all()
    return {
        str(m.recipient_email): urlsplit(
            mail_links.url(m.context["link"], key="test-secret-key", base_url="http://test")
        ).path
        for m in mails
    }


def _call(db: Engine, meeting: Meeting) -> AgendaCall:
    with Session(db) as session:
        return session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()


def _mine(db: Engine, email: str) -> list[tuple[int, str, SubmissionStatus]]:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        rows = session.exec(
            select(Submission).where(Submission.person_id == person.id).order_by(col(Submission.id))
        ).all()
        return [(r.rank, r.question, r.status) for r in rows]


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


def _form_token(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


@pytest.fixture
async def member(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no account, only the link from the mail."""
    async with client_for(app) as client:
        yield client


async def _post(
    client: httpx.AsyncClient, path: str, questions: list[str], **extra: str
) -> httpx.Response:
    page = await client.get(path)
    data = {"csrf_token": _form_token(page), **extra}
    data |= {f"question_{n}": q for n, q in enumerate(questions, start=1)}
    return await client.post(path, data=data)


async def test_a_member_saves_edits_and_withdraws_with_their_link(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    meeting = await _open_call(sign_in, db)
    path = _links(db)[MEMBER]

    page = await member.get(path)
    assert page.status_code == 200
    assert meeting.title in page.text and "(Brussel)" in page.text  # the deadline names its zone
    assert 'lang="nl"' in page.text
    for n in (1, 2, 3):
        assert f'<label for="question_{n}">' in page.text
    assert 'name="question_4"' not in page.text

    saved = await _post(
        member, path, ["Wat valt onder essentiële entiteit?", "Meldplicht?", "Logs?"]
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith(path)
    assert [q for _, q, _ in _mine(db, MEMBER)] == [
        "Wat valt onder essentiële entiteit?",
        "Meldplicht?",
        "Logs?",
    ]
    shown = await member.get(saved.headers["location"])
    assert "Je vragen zijn bewaard" in shown.text and "Meldplicht?" in shown.text

    await _post(member, path, ["Meldplicht binnen 24 uur?"])
    assert [(r, q, s.value) for r, q, s in _mine(db, MEMBER)] == [
        (1, "Meldplicht binnen 24 uur?", "active"),
        (2, "Meldplicht?", "withdrawn"),
        (3, "Logs?", "withdrawn"),
    ]

    page = await member.get(path)
    withdrawn = await member.post(path + "/withdraw", data={"csrf_token": _form_token(page)})
    assert withdrawn.status_code == 303
    assert {s for _, _, s in _mine(db, MEMBER)} == {SubmissionStatus.withdrawn}


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({}, "Schrijf minstens één vraag", "question_1"),
        (
            {"question_2": "Twee?", "question_3": "Drie?", "question_4": "Een vierde?"},
            "hoogstens 3 vragen",
            None,
        ),
        ({"question_2": "  DEZELFDE vraag? "}, "twee keer dezelfde vraag", "question_2"),
        ({"question_2": "x" * 501}, "hoogstens 500 tekens", "question_2"),
        ({"question_1": "", "context_1": "Alleen context"}, "Schrijf de vraag", "question_1"),
    ],
)
async def test_bad_input_keeps_the_typed_text_and_changes_nothing(
    sign_in: SignIn,
    db: Engine,
    member: httpx.AsyncClient,
    fields: dict[str, str],
    message: str,
    field: str | None,
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    await _post(member, path, ["Eerste vraag?"])
    before = _counts(db)

    page = await member.get(path)
    typed = {"question_1": "Dezelfde vraag?", "context_1": "<b>uitleg</b> & meer"} | fields
    if not fields:
        typed = {}
    response = await member.post(path, data={"csrf_token": _form_token(page), **typed})

    assert response.status_code == 422
    assert message in response.text
    assert _counts(db) == before
    assert [q for _, q, _ in _mine(db, MEMBER)] == ["Eerste vraag?"]
    for value in typed.values():  # every typed text comes back, escaped
        assert html.escape(value.strip(), quote=True).replace("&#x27;", "&#39;") in response.text
    if field is not None:
        assert f'id="{field}" name="{field}"' in response.text
        assert f'aria-describedby="{field}-error"' in response.text


async def test_markup_is_shown_as_text(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    await _post(member, path, ['<script>alert("x")</script>'])
    page = await member.get(path)
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert _mine(db, MEMBER)[0][1] == '<script>alert("x")</script>'


async def test_a_tampered_link_and_a_missing_csrf_token_are_refused(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    tampered = path[:-3] + ("xyz" if not path.endswith("xyz") else "abc")
    page = await member.get(tampered)
    assert page.status_code == 404 and "Deze link is niet geldig" in page.text

    before = _counts(db)
    forged = await member.post(path, data={"question_1": "Zonder token?"})
    assert forged.status_code == 403
    assert _counts(db) == before


async def test_after_the_deadline_the_typed_text_comes_back_with_the_message(
    app: FastAPI, sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    meeting = await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    await _post(member, path, ["Op tijd?"])
    call = _call(db, meeting)
    page = await member.get(path)
    app.dependency_overrides[get_now] = lambda: call.deadline + timedelta(minutes=1)

    response = await member.post(
        path, data={"csrf_token": _form_token(page), "question_1": "Net te laat?"}
    )
    assert response.status_code == 409
    assert "De deadline is voorbij" in response.text
    assert "Net te laat?" in response.text
    assert [(q, s.value) for _, q, s in _mine(db, MEMBER)] == [
        ("Op tijd?", "active"),
        ("Net te laat?", "late"),
    ]


async def test_the_link_expires_after_the_meeting(
    app: FastAPI, sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    meeting = await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    assert meeting.ends_at is not None
    ended: datetime = meeting.ends_at
    app.dependency_overrides[get_now] = lambda: ended + timedelta(minutes=1)
    page = await member.get(path)
    assert page.status_code == 410 and "Deze link is verlopen" in page.text


async def test_the_form_speaks_english_and_french(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    english = await member.get(path + "?lang=en")
    assert 'lang="en"' in english.text and "Deadline for your questions" in english.text
    french = await member.get(path + "?lang=fr")
    assert 'lang="fr"' in french.text and "(Bruxelles)" in french.text
    refused = await member.post(
        path + "?lang=en", data={"csrf_token": _form_token(english), "question_1": " "}
    )
    assert "Write at least one question" in refused.text


async def test_the_last_answer_asks_prefect_to_close_the_call(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    meeting = await _open_call(sign_in, db)
    links = _links(db)
    closing: list[int] = []

    class RecordingTriggers(OfflineTriggers):
        def all_answered(self, *, call_id: int) -> None:
            closing.append(call_id)

    app.dependency_overrides[get_triggers] = lambda: RecordingTriggers()
    for number, path in enumerate(sorted(links.values()), start=1):
        async with client_for(app) as client:
            response = await _post(client, path, [f"Vraag {number}?"])
            assert response.status_code == 303
        assert closing == ([] if number < len(links) else [_call(db, meeting).id])


async def test_the_token_never_reaches_the_access_log(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    await _open_call(sign_in, db)
    path = _links(db)[MEMBER]
    caplog.set_level(logging.INFO, logger="overleg.access")
    await _post(member, path, ["Vraag?"])
    token = path.removeprefix("/input/")
    assert "/input/{token}" in caplog.text
    assert token not in caplog.text
