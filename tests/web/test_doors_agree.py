"""The page and the API do the same thing for the same action (they used to differ).

Each test here failed on the code before the one-door reshaping: the API answered 500 for a
naive time, refused what the page allowed, took a status a client must not set, or left an
item it put back on the agenda without time.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaItem, CallStatus
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from service.agenda import synthesis
from tests.conftest import table_counts
from tests.web.agenda.test_review import CHAIR, closed_call_for_next_meeting, rows_form
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _callless_meetings(db: Engine, now: datetime, slug: str, count: int) -> list[Meeting]:
    """Meetings of a group still to come that have no call for input yet."""
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        rows = session.exec(
            select(Meeting)
            .where(
                Meeting.group_id == group.id,
                col(Meeting.starts_at) > now + timedelta(days=20),
                Meeting.status == MeetingStatus.planned,
            )
            .order_by(col(Meeting.starts_at))
        ).all()
        called = set(session.exec(select(AgendaCall.meeting_id)))
        found = [m for m in rows if m.id not in called][:count]
        assert len(found) == count
        return found


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


async def test_the_api_refuses_a_deadline_without_its_zone_and_changes_nothing(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    client = await sign_in(SECRETARIAT)
    (meeting,) = _callless_meetings(db, now, "nis2", 1)
    before = _counts(db)
    response = await client.post(
        f"/api/groups/nis2/meetings/{meeting.id}/call/extend",
        json={"deadline": (now + timedelta(days=10)).replace(tzinfo=None).isoformat()},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Tijdstippen moeten hun tijdzone vermelden."
    assert response.json()["field"] == "deadline"
    assert _counts(db) == before


async def test_moving_the_deadline_of_a_meeting_without_a_call_works_alike_on_both_doors(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    client = await sign_in(SECRETARIAT)
    made = []
    for day in (4, 11):  # two one-off meetings in May 2027, without a call yet
        answer = await client.post(
            "/api/groups/nis2/meetings",
            json={
                "title": f"NIS2 – extra {day} mei",
                "starts_at": f"2027-05-{day:02d}T12:00:00Z",
                "ends_at": f"2027-05-{day:02d}T14:00:00Z",
            },
        )
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
    by_page, by_api = made
    token = await csrf(client)
    page = await client.post(
        f"/groups/nis2/meetings/{by_page}/call/extend",
        data={"csrf_token": token, "deadline": "2027-04-30T17:00"},  # Brussels summer time
    )
    assert page.status_code == 303, page.text
    api = await client.post(
        f"/api/groups/nis2/meetings/{by_api}/call/extend",
        json={"deadline": "2027-05-07T15:00:00Z"},
    )
    assert api.status_code == 200, api.text
    assert api.json()["call"]["deadline"] == "2027-05-07T15:00:00Z"
    with Session(db) as session:
        found: dict[int | None, AgendaCall] = {
            c.meeting_id: c
            for c in session.exec(select(AgendaCall).where(col(AgendaCall.meeting_id).in_(made)))
        }
    assert found[by_page].status is found[by_api].status is CallStatus.draft
    assert found[by_page].deadline == datetime(2027, 4, 30, 15, 0, tzinfo=UTC)
    assert found[by_api].deadline == datetime(2027, 5, 7, 15, 0, tzinfo=UTC)


async def test_a_new_meeting_by_api_needs_times_with_their_zone(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    before = _counts(db)
    response = await client.post(
        "/api/groups/gdpr/meetings",
        json={"title": "Extra", "starts_at": "2027-03-02T14:00", "ends_at": "2027-03-02T16:00"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Tijdstippen moeten hun tijdzone vermelden."
    assert _counts(db) == before


async def test_a_client_cannot_create_a_meeting_already_held(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    before = _counts(db)
    refused = await client.post(
        "/api/groups/gdpr/meetings",
        json={
            "title": "Extra",
            "starts_at": "2027-03-02T13:00:00Z",
            "ends_at": "2027-03-02T15:00:00Z",
            "status": "held",
        },
    )
    assert refused.status_code == 422
    assert refused.json() | {"fields": None} == {
        "detail": "Dit veld wordt hier niet aanvaard.",
        "field": "status",
        "fields": None,
    }
    assert _counts(db) == before
    made = await client.post(
        "/api/groups/gdpr/meetings",
        json={
            "title": "Extra",
            "starts_at": "2027-03-02T13:00:00Z",
            "ends_at": "2027-03-02T15:00:00Z",
        },
    )
    assert made.status_code == 201 and made.json()["status"] == "planned"


async def test_an_item_set_aside_and_put_back_gets_time_through_either_door(
    sign_in: SignIn, db: Engine, now: datetime
) -> None:
    meeting_id = closed_call_for_next_meeting(db, now)
    client = await sign_in(CHAIR)
    base = f"/groups/nis2/meetings/{meeting_id}/agenda"
    token = await csrf(client)
    assert (await client.post(f"{base}/draft", data={"csrf_token": token})).status_code == 303
    draft = (await client.get(f"/api{base}/draft")).json()
    by_page, by_api = [i for i in draft["items"] if i["kind"] == "submitted"][:2]
    for item in (by_page, by_api):  # set aside: no time on the agenda
        set_aside = await client.patch(
            f"/api{base}/draft/items/{item['id']}",
            json={"status": "proposed", "duration_minutes": 0},
        )
        assert set_aside.status_code == 200
    # The page saves the whole table at once: the first item goes back on with 0 minutes.
    items = (await client.get(f"/api{base}/draft")).json()["items"]
    page = await client.post(
        f"{base}/review",
        data={
            "csrf_token": token,
            **rows_form(items, {by_page["id"]: {"status": "accepted", "duration_minutes": 0}}),
        },
    )
    assert page.status_code == 303
    api = await client.patch(
        f"/api{base}/draft/items/{by_api['id']}", json={"status": "accepted", "duration_minutes": 0}
    )
    assert api.status_code == 200
    with Session(db) as session:
        minutes = {
            row.id: row.duration_minutes
            for row in session.exec(
                select(AgendaItem).where(col(AgendaItem.id).in_([by_page["id"], by_api["id"]]))
            )
        }
    default = synthesis.topic_minutes(1)
    assert default > 0
    assert minutes == {by_page["id"]: default, by_api["id"]: default}
