"""The meeting lifecycle through the JSON API: where a meeting stands, changes, and refusals."""

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, CallStatus
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from tests.conftest import table_counts
from tests.web.conftest import SignIn

SECRETARIAT = "griet.vanhoutte@kcvs.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
NIS2_FRENCH_EXPERT = "julien.lambert@vcdv.example"  # language "fr" in the demo data


def _meeting(db: Engine, slug: str, status: MeetingStatus) -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == status)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert meeting is not None
        return meeting


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


async def test_where_a_meeting_stands(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(NIS2_MEMBER)
    meeting = _meeting(db, "nis2", MeetingStatus.confirmed)
    answer = await client.get(f"/api/groups/nis2/meetings/{meeting.id}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["revision"] == meeting.revision
    keys = [step["key"] for step in body["steps"]]
    assert keys[0] == "call_open" and "invitations" in keys and keys[-1] == "minutes"
    # On Sunday 22 November the call (due to open on the 19th) is the first step not done.
    assert body["next_step"] == "call_open"
    assert [s["done_at"] for s in body["steps"] if s["key"] == "call_open"] == [None]


async def test_step_labels_are_in_the_reader_s_language(sign_in: SignIn, db: Engine) -> None:
    meeting = _meeting(db, "nis2", MeetingStatus.confirmed)
    path = f"/api/groups/nis2/meetings/{meeting.id}"
    # A Dutch member and a French-speaking expert of the same group read the same meeting.
    dutch = (await (await sign_in(NIS2_MEMBER)).get(path)).json()
    french = (await (await sign_in(NIS2_FRENCH_EXPERT)).get(path)).json()
    assert dutch["steps"][0]["label"] == "Oproep voor agendapunten gaat open"
    assert french["steps"][0]["label"] == "Ouverture de l'appel à contributions"
    assert [s["key"] for s in dutch["steps"]] == [s["key"] for s in french["steps"]]


async def test_postpone_then_reschedule_through_the_api(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _meeting(db, "nis2", MeetingStatus.confirmed)
    postponed = await client.post(
        f"/api/groups/nis2/meetings/{meeting.id}/postpone",
        json={"period_start": "2027-03-01", "precision": "month", "reason": "Spreker ziek"},
    )
    assert postponed.status_code == 200, postponed.text
    assert (postponed.json()["status"], postponed.json()["revision"]) == (
        "postponed",
        meeting.revision + 1,
    )
    moved = await client.post(
        f"/api/groups/nis2/meetings/{meeting.id}/reschedule",
        json={
            "starts_at": "2027-03-11T10:00:00+01:00",
            "ends_at": "2027-03-11T12:00:00+01:00",
            "reason": "Nieuwe datum",
        },
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "confirmed"
    assert moved.json()["starts_at"] == "2027-03-11T09:00:00Z"


async def test_open_and_close_the_call_through_the_api(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    meeting = _meeting(db, "nis2", MeetingStatus.confirmed)
    opened = await client.post(f"/api/groups/nis2/meetings/{meeting.id}/call/open")
    assert opened.status_code == 200, opened.text
    assert opened.json()["call"]["status"] == "open"
    closed = await client.post(f"/api/groups/nis2/meetings/{meeting.id}/call/close")
    assert closed.status_code == 200
    with Session(db) as session:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
    assert call.status is CallStatus.closed
    again = await client.post(f"/api/groups/nis2/meetings/{meeting.id}/call/close")
    assert again.status_code == 422
    assert again.json()["detail"] == "Enkel een open oproep kan afgesloten worden."


async def test_bad_input_gets_a_clear_message_and_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    upcoming = _meeting(db, "gdpr", MeetingStatus.confirmed)
    held = _meeting(db, "gdpr", MeetingStatus.held)
    before = _counts(db)
    cases = [
        (
            f"/api/groups/gdpr/meetings/{upcoming.id}/reschedule",
            {"starts_at": "2020-01-07T14:00:00+01:00", "ends_at": "2020-01-07T16:00:00+01:00"},
            422,
            "Een vergadering kan niet naar het verleden verplaatst worden.",
        ),
        (
            f"/api/groups/gdpr/meetings/{held.id}/cancel",
            {"reason": "Vergeten"},
            422,
            "Deze vergadering heeft al plaatsgevonden.",
        ),
        (
            f"/api/groups/bestaat-niet/meetings/{upcoming.id}/cancel",
            {"reason": "Vergeten"},
            404,
            "Onbekende werkgroep: bestaat-niet.",
        ),
        (
            f"/api/groups/nis2/meetings/{upcoming.id}/cancel",
            {"reason": "Andere groep"},
            404,
            f"Onbekende vergadering: {upcoming.id}.",
        ),
    ]
    for path, body, status, message in cases:
        answer = await client.post(path, json=body)
        assert (answer.status_code, answer.json()["detail"]) == (status, message), path
    assert _counts(db) == before


async def test_a_cadence_that_yields_no_date_is_refused(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "gdpr")).one()
        group.cadence_rrule, group.meetings_per_year = "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=10", None
        session.add(group)
        session.commit()
    before = _counts(db)
    answer = await client.post("/api/groups/gdpr/plan", json={"year": 2027})
    assert answer.status_code == 422
    assert (
        answer.json()["detail"]
        == "Het ritme geeft geen enkele datum waarop de groep kan vergaderen."
    )
    assert _counts(db) == before
