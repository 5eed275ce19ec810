"""The secretariat's meeting pages: plan a year, reschedule, postpone, cancel."""

import re
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.dates import DatePrecision
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"


def _next_meeting(db: Engine, slug: str) -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        return session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.confirmed)
            .order_by(Meeting.starts_at)  # type: ignore[arg-type]
        ).first()  # type: ignore[return-value]


async def test_postpone_to_a_month_from_the_group_page(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "nis2")
    token = await csrf(client)
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/postpone",
        data={"csrf_token": token, "month": "2027-05", "reason": "Spreker van het VCDV verhinderd"},
    )
    assert response.status_code == 303
    page = await client.get("/groups/nis2")
    assert "mei 2027" in page.text and "Spreker van het VCDV verhinderd" in page.text
    with Session(db) as session:
        stored = session.get(Meeting, meeting.id)
    assert stored is not None and stored.date_precision is DatePrecision.month
    assert stored.period_start == date(2027, 5, 1) and stored.revision == meeting.revision + 1


async def test_rescheduling_into_the_past_shows_why_and_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _next_meeting(db, "gdpr")
    token = await csrf(client)
    response = await client.post(
        f"/groups/gdpr/meetings/{meeting.id}/reschedule",
        data={"csrf_token": token, "starts_at": "2020-01-07T14:00", "duration_minutes": "120"},
    )
    assert response.status_code == 422
    assert "kan niet naar het verleden verplaatst worden" in response.text
    with Session(db) as session:
        stored = session.get(Meeting, meeting.id)
    assert stored is not None and stored.starts_at == meeting.starts_at
    assert stored.revision == meeting.revision


async def test_members_cannot_cancel(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(NIS2_MEMBER)
    meeting = _next_meeting(db, "nis2")
    token = await csrf(client)
    response = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/cancel",
        data={"csrf_token": token, "reason": "Ik kan niet"},
    )
    assert response.status_code == 403
    page = await client.get("/groups/nis2")
    assert page.status_code == 200 and "Ik kan niet" not in page.text


async def test_plan_a_year_with_a_preview_first(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    preview = await client.get("/groups/gdpr/plan?year=2028")
    assert preview.status_code == 200
    new_dates = re.findall(r"<td>(\w+dag \d+ \w+ 2028, 14:00)</td><td>nieuw</td>", preview.text)
    assert len(new_dates) == 4
    token = await csrf(client)
    saved = await client.post("/groups/gdpr/plan", data={"csrf_token": token, "year": "2028"})
    assert saved.status_code == 303
    again = await client.get("/groups/gdpr/plan?year=2028")
    assert "nieuw</td>" not in again.text and again.text.count("al gepland") == 4
