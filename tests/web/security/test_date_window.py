"""Every date a person can name lies between 2000 and the end of the tenth year ahead.

A date outside that window is refused with a message in the reader's language (422) and
changes nothing, on pages and API alike; a far-future row already in the database (from before
the window) does not break the pages and answers that show it.
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
REFUSAL = "Een datum moet tussen 1 januari 2000 en 31 december 2036 liggen."


def _meeting(db: Engine, slug: str = "nis2") -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.confirmed)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert meeting is not None
        return meeting


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


FAR = "9999-12-31T10:00:00+00:00"
FAR_END = "9999-12-31T12:00:00+00:00"
JUST_PAST = "2037-01-01T10:00:00+01:00"
JUST_PAST_END = "2037-01-01T12:00:00+01:00"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/meetings", {"title": "Ver weg", "starts_at": FAR, "ends_at": FAR_END}),
        ("/meetings", {"title": "Net te ver", "starts_at": JUST_PAST, "ends_at": JUST_PAST_END}),
        ("/meetings/{id}/reschedule", {"starts_at": FAR, "ends_at": FAR_END}),
        ("/meetings/{id}/reschedule", {"starts_at": JUST_PAST, "ends_at": JUST_PAST_END}),
        ("/meetings/{id}/postpone", {"period_start": "9999-12-01", "reason": "Ver weg"}),
        ("/meetings/{id}/postpone", {"period_start": "1999-12-01", "reason": "Te vroeg"}),
        ("/meetings/{id}/call/extend", {"deadline": FAR}),
        ("/deliverables", {"title": "Ver weg", "due_on": "9999-12-31"}),
        ("/deliverables", {"title": "Net te ver", "due_on": "2037-01-01"}),
        ("/plan", {"year": 2037}),
    ],
)
async def test_the_api_refuses_dates_outside_the_window(
    sign_in: SignIn, db: Engine, path: str, body: dict[str, object]
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _meeting(db)
    before = _counts(db)
    answer = await client.post(f"/api/groups/nis2{path.format(id=meeting.id)}", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == REFUSAL
    assert _counts(db) == before
    assert _meeting(db).revision == meeting.revision


async def test_the_window_includes_its_last_day(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    answer = await client.post(
        "/api/groups/nis2/deliverables",
        json={
            "title": "Laatste dag",
            "due_on": "2036-12-31",
            "accountable_organisation": "antwerpen",
        },
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("postpone", {"month": "9999-12", "reason": "Ver weg"}),
        ("reschedule", {"starts_at": "9999-12-31T10:00", "duration_minutes": "60"}),
        ("call/extend", {"deadline": "9999-12-31T10:00"}),
    ],
)
async def test_pages_refuse_dates_outside_the_window_in_the_readers_language(
    sign_in: SignIn, db: Engine, path: str, form: dict[str, str]
) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _meeting(db)
    token = await csrf(client)
    answer = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/{path}", data={"csrf_token": token, **form}
    )
    assert answer.status_code == 422, answer.text[:500]
    assert REFUSAL in answer.text
    assert _meeting(db).revision == meeting.revision


async def test_a_far_future_row_does_not_break_the_pages(sign_in: SignIn, db: Engine) -> None:
    """Rows written before the window existed: postponed to 9999-12, held on 9999-12-31."""
    postponed, moved = _meeting(db, "nis2"), _meeting(db, "gdpr")
    with Session(db) as session:
        row = session.get(Meeting, postponed.id)
        assert row is not None
        row.status, row.status_reason = MeetingStatus.postponed, "Ver weg"
        row.starts_at = row.ends_at = None
        row.date_precision, row.period_start = DatePrecision.month, date(9999, 12, 1)
        other = session.get(Meeting, moved.id)
        assert other is not None
        other.starts_at = datetime(9999, 12, 31, 10, tzinfo=UTC)
        other.ends_at = datetime(9999, 12, 31, 12, tzinfo=UTC)
        session.add_all([row, other])
        session.commit()
    client = await sign_in(SECRETARIAT)
    for path in (
        "/",
        "/directors",
        "/api/overview",
        "/groups/nis2",
        "/groups/gdpr",
        f"/groups/nis2/meetings/{postponed.id}",
        f"/groups/gdpr/meetings/{moved.id}",
        f"/api/groups/gdpr/meetings/{moved.id}",
    ):
        answer = await client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
