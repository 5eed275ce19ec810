"""The secretariat parks late input for the next meeting or declines it, on a page and by API."""

import re
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.agenda import Submission, SubmissionStatus
from models.meetings import Meeting
from service.web.deps import get_now
from tests.web.agenda.test_form_pages import MEMBER, _call, _counts, _links, _open_call, _post
from tests.web.conftest import SignIn, client_for
from tests.web.meetings.test_pages import SECRETARIAT

OTHER_MEMBER = "evelien.janssens@leuven.example"


async def _late_question(app: FastAPI, sign_in: SignIn, db: Engine) -> tuple[Meeting, int]:
    meeting = await _open_call(sign_in, db)
    call = _call(db, meeting)
    app.dependency_overrides[get_now] = lambda: call.deadline + timedelta(hours=1)
    async with client_for(app) as member:
        response = await _post(member, _links(db)[MEMBER], ["Mag het nog?"])
        assert response.status_code == 409
    with Session(db) as session:
        row = session.exec(
            select(Submission).where(Submission.status == SubmissionStatus.late)
        ).one()
        assert row.id is not None
        return meeting, row.id


def _csrf(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


async def test_the_secretariat_parks_a_late_question_for_the_next_meeting(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    meeting, submission_id = await _late_question(app, sign_in, db)
    secretariat = await sign_in(SECRETARIAT)
    base = f"/groups/nis2/meetings/{meeting.id}"

    meeting_page = await secretariat.get(base)
    assert "1 vraag wacht" in meeting_page.text
    page = await secretariat.get(f"{base}/late-input")
    assert page.status_code == 200 and "Mag het nog?" in page.text
    parked = await secretariat.post(
        f"{base}/late-input/{submission_id}/park", data={"csrf_token": _csrf(page)}
    )
    assert parked.status_code == 303
    with Session(db) as session:
        row = session.get(Submission, submission_id)
        assert row is not None and row.status is SubmissionStatus.parked
        following = session.get(Meeting, row.parked_for_meeting_id)
        assert following is not None and following.group_id == meeting.group_id
        assert following.starts_at is not None and meeting.starts_at is not None
        assert following.starts_at > meeting.starts_at
    after = await secretariat.get(f"{base}/late-input?done=parked")
    assert "Mag het nog?" not in after.text and 'id="no-late-input"' in after.text

    before = _counts(db)
    again = await secretariat.post(
        f"{base}/late-input/{submission_id}/decline", data={"csrf_token": _csrf(after)}
    )
    assert again.status_code == 422 and "al behandeld" in again.text
    assert _counts(db) == before


async def test_the_api_lists_and_declines_late_questions(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    meeting, submission_id = await _late_question(app, sign_in, db)
    secretariat = await sign_in(SECRETARIAT)
    base = f"/api/groups/nis2/meetings/{meeting.id}/late-input"
    listed = await secretariat.get(base)
    assert [(q["submission_id"], q["question"]) for q in listed.json()] == [
        (submission_id, "Mag het nog?")
    ]
    assert "email" not in listed.text and "@" not in listed.text
    declined = await secretariat.post(f"{base}/{submission_id}/decline")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert (await secretariat.get(base)).json() == []


async def test_members_cannot_decide_on_late_input(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    meeting, submission_id = await _late_question(app, sign_in, db)
    member = await sign_in(MEMBER)
    before = _counts(db)
    assert (await member.get(f"/groups/nis2/meetings/{meeting.id}/late-input")).status_code == 403
    refused = await member.post(
        f"/api/groups/nis2/meetings/{meeting.id}/late-input/{submission_id}/park"
    )
    assert refused.status_code == 403
    assert _counts(db) == before


async def test_the_late_input_notice_is_said_once(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    meeting = await _open_call(sign_in, db)
    call = _call(db, meeting)
    app.dependency_overrides[get_now] = lambda: call.deadline + timedelta(hours=1)
    async with client_for(app) as member:
        before = await member.get(_links(db)[MEMBER])
        assert before.text.count("De deadline is voorbij") == 1
        response = await _post(member, _links(db)[MEMBER], ["Mag het nog?"])
        assert response.status_code == 409
    assert response.text.count("De deadline is voorbij") == 1
    assert "Ze zijn bewaard als late inbreng" in response.text
