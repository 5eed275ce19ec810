"""Creating a meeting or changing its place takes only https links (one rule for both doors)."""

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
REFUSAL = "Een onlinelink moet met https:// beginnen."
BAD = ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "http://evil.example/"]


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


@pytest.mark.parametrize("link", BAD)
async def test_creating_a_meeting_refuses_unsafe_links(
    sign_in: SignIn, db: Engine, link: str
) -> None:
    client = await sign_in(SECRETARIAT)
    before = _counts(db)
    answer = await client.post(
        "/api/groups/nis2/meetings",
        json={
            "title": "Met link",
            "starts_at": "2027-03-02T10:00:00+01:00",
            "ends_at": "2027-03-02T12:00:00+01:00",
            "join_url": link,
        },
    )
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"detail": REFUSAL, "field": "join_url"}
    token = await csrf(client)
    page = await client.post(
        "/groups/nis2/meetings",
        data={
            "csrf_token": token,
            "title": "Met link",
            "starts_at": "2027-03-02T10:00",
            "duration_minutes": "60",
            "join_url": link,
        },
    )
    assert page.status_code == 422 and REFUSAL in page.text
    assert _counts(db) == before


@pytest.mark.parametrize("link", BAD)
async def test_changing_the_place_refuses_unsafe_links(
    sign_in: SignIn, db: Engine, link: str
) -> None:
    client = await sign_in(SECRETARIAT)
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.confirmed)
            .order_by(col(Meeting.starts_at))
        ).first()
    assert meeting is not None
    answer = await client.post(
        f"/api/groups/nis2/meetings/{meeting.id}/place",
        json={"format": "online", "join_url": link},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "join_url"


async def test_https_links_are_taken(sign_in: SignIn) -> None:
    client = await sign_in(SECRETARIAT)
    answer = await client.post(
        "/api/groups/nis2/meetings",
        json={
            "title": "Met link",
            "starts_at": "2027-03-02T10:00:00+01:00",
            "ends_at": "2027-03-02T12:00:00+01:00",
            "join_url": "https://meet.example/nis2",
        },
    )
    assert answer.status_code == 201 and answer.json()["join_url"] == "https://meet.example/nis2"
