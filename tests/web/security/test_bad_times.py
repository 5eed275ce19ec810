"""Times that cannot be read (a day alone, no zone, years 1 and 9999) are a 422, never a 500;
and an answer that is a 500 all the same carries every security header."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
PAGE_TIMES = ["2027-03-02", "0001-01-01", "0001-01-01T00:30", "9999-12-31T23:59", "2027-3-2 9:00"]
REASONS = (
    "Dit is geen geldige datum en tijd.",
    "Een datum moet tussen 1 januari 2000 en 31 december 2036 liggen.",
    "Een vergadering kan niet in het verleden gepland worden.",
)
API_TIMES = [
    "2027-03-02T10:00:00",
    "2027-03-02",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:00-01:00",
]


def _meeting_id(db: Engine) -> int:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.confirmed)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert meeting is not None and meeting.id is not None
        return meeting.id


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


@pytest.mark.parametrize("value", PAGE_TIMES)
async def test_pages_refuse_times_they_cannot_read(sign_in: SignIn, db: Engine, value: str) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = f"/groups/nis2/meetings/{_meeting_id(db)}"
    token = await csrf(client)
    before = _counts(db)
    for path, form in (
        ("/groups/nis2/meetings", {"title": "Tijd", "starts_at": value, "duration_minutes": "60"}),
        (f"{meeting}/reschedule", {"starts_at": value, "duration_minutes": "60"}),
        (f"{meeting}/call/extend", {"deadline": value}),
    ):
        answer = await client.post(path, data={"csrf_token": token, **form})
        assert answer.status_code == 422, (path, answer.status_code)
        assert any(reason in answer.text for reason in REASONS), path
    assert _counts(db) == before


@pytest.mark.parametrize("value", API_TIMES)
async def test_the_api_refuses_times_it_cannot_read(
    sign_in: SignIn, db: Engine, value: str
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = f"/api/groups/nis2/meetings/{_meeting_id(db)}"
    before = _counts(db)
    for path, body in (
        ("/api/groups/nis2/meetings", {"title": "Tijd", "starts_at": value, "ends_at": value}),
        (f"{meeting}/reschedule", {"starts_at": value, "ends_at": value}),
        (f"{meeting}/call/extend", {"deadline": value}),
    ):
        answer = await client.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["detail"]
    assert _counts(db) == before


def _boom() -> None:
    raise RuntimeError("a bug")


@pytest.mark.parametrize("path", ["/api/test-boom", "/test-boom"])
async def test_a_500_carries_the_security_headers(app: FastAPI, path: str) -> None:
    app.add_api_route(path, _boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get(path, headers={"accept": "text/html"})
        ordinary = await client.get("/sign-in")
    assert answer.status_code == 500
    assert "a bug" not in answer.text
    for header in (
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "cache-control",
    ):
        assert answer.headers.get(header) == ordinary.headers.get(header), header
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"
