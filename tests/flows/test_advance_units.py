"""Each meeting is its own unit of work: a broken meeting is reported and skipped, not fatal."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from flows import resources
from flows.advance import advance_meetings
from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipRole
from service.lifecycle import step_failures
from tests.factories import join, make_group, make_meeting, make_person

START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
END_OF_TIME = datetime(9999, 12, 31, 22, 30, tzinfo=UTC)  # 23:30 in Brussels


def _setup(backend: str) -> tuple[list[int], list[int]]:
    """Meetings that ended (due to be marked held) and broken ones among them; their ids."""
    earlier = START - timedelta(days=30)
    with Session(resources.engine()) as session:
        group = make_group(session, now=earlier)
        secretary = make_person(session, now=earlier)
        join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
        good = [
            make_meeting(session, now=earlier, group=group, starts_in=START - earlier + shift)
            for shift in (timedelta(0), timedelta(days=1), timedelta(days=2))
        ]
        # Broken between the good ones in id order, so a run that stopped at it would miss some.
        broken = [make_meeting(session, now=earlier, group=group) for _ in range(2)]
        good.append(make_meeting(session, now=earlier, group=group, starts_in=timedelta(days=31)))
        session.commit()
        good_ids = [m.id for m in good if m.id is not None]
        broken_ids = [m.id for m in broken if m.id is not None]
    with resources.engine().begin() as connection:
        # Cancelled, on the last day there is: its cancellation cannot be written (OverflowError).
        connection.execute(
            sa.update(Meeting)
            .where(sa.column("id") == broken_ids[0])
            .values(
                starts_at=END_OF_TIME,
                ends_at=END_OF_TIME + timedelta(hours=1),
                status=MeetingStatus.cancelled,
                status_reason="Nooit",
            )
        )
        if backend == "sqlite":  # PostgreSQL refuses an impossible date outright
            connection.execute(
                sa.text(
                    "UPDATE meeting SET starts_at = '2026-02-30 09:00:00.000000',"
                    " ends_at = '2026-02-30 10:00:00.000000' WHERE id = :id"
                ),
                {"id": broken_ids[1]},
            )
        else:  # there, the second one is an ordinary meeting that ended
            good_ids.append(broken_ids.pop())
    return good_ids, broken_ids


def test_one_broken_meeting_is_reported_and_every_other_advances(
    flow_database: str, backend: str
) -> None:
    good_ids, broken_ids = _setup(backend)
    late = START + timedelta(days=9)
    first = advance_meetings(now=late)
    assert (first["held"], first["minutes_reminders"]) == (len(good_ids),) * 2, first
    assert first["meetings_failed"] == len(broken_ids)
    with Session(resources.engine()) as session:
        statuses = [session.get(Meeting, i).status for i in good_ids]  # type: ignore[union-attr]
        assert statuses == [MeetingStatus.held] * len(good_ids)
        reported = {f.meeting_id: f for f in step_failures.listed(session)}
    assert set(reported) == set(broken_ids)
    assert reported[broken_ids[0]].error.startswith("OverflowError")
    assert all(f.failed_at == late for f in reported.values())
    # Again: nothing is done twice; the broken ones are tried again, alone, and still reported.
    again = advance_meetings(now=late + timedelta(minutes=15))
    assert again["meetings_failed"] == len(broken_ids)
    assert not any(v for k, v in again.items() if k != "meetings_failed"), again


def test_a_repaired_meeting_is_no_longer_reported(flow_database: str, backend: str) -> None:
    _good, broken_ids = _setup(backend)
    late = START + timedelta(days=9)
    advance_meetings(now=late)
    with resources.engine().begin() as connection:
        connection.execute(
            sa.update(Meeting)
            .where(sa.column("id").in_(broken_ids))
            .values(
                starts_at=late + timedelta(days=60),
                ends_at=late + timedelta(days=60, hours=1),
                status=MeetingStatus.cancelled,
                status_reason="Nooit",
            )
        )
    repaired = advance_meetings(now=late + timedelta(minutes=15))
    assert repaired["meetings_failed"] == 0
    with Session(resources.engine()) as session:
        assert step_failures.listed(session) == []
