"""A meeting whose automatic steps failed is shown to the secretariat, not to members."""

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.meetings import Meeting
from service.lifecycle import step_failures
from tests.web.conftest import SignIn

SECRETARIAT = "griet.vanhoutte@kcvs.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
FAILED_AT = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def _fail_a_nis2_meeting(db: Engine) -> int:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting_id = session.exec(select(Meeting.id).where(Meeting.group_id == group.id)).first()
        assert meeting_id is not None
        step_failures.record(
            session,
            meeting_id=meeting_id,
            error=OverflowError("date value out of range"),
            now=FAILED_AT,
        )
        session.commit()
        return meeting_id


async def test_the_secretariat_sees_failing_meetings_on_home_and_meeting_page(
    sign_in: SignIn, db: Engine
) -> None:
    meeting_id = _fail_a_nis2_meeting(db)
    client = await sign_in(SECRETARIAT)
    home = await client.get("/")
    assert home.status_code == 200 and 'id="step-failures"' in home.text
    assert f"/groups/nis2/meetings/{meeting_id}" in home.text
    assert "OverflowError: date value out of range" in home.text
    page = await client.get(f"/groups/nis2/meetings/{meeting_id}")
    assert page.status_code == 200 and 'id="step-failure"' in page.text


async def test_members_do_not_see_the_failures(sign_in: SignIn, db: Engine) -> None:
    meeting_id = _fail_a_nis2_meeting(db)
    client = await sign_in(NIS2_MEMBER)
    assert 'id="step-failures"' not in (await client.get("/")).text
    page = await client.get(f"/groups/nis2/meetings/{meeting_id}")
    assert page.status_code == 200 and 'id="step-failure"' not in page.text
