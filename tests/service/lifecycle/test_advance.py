"""Advancing meetings: held once ended, minutes reminders once per stage, late runs catch up."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.minutes import MinutesVersion
from models.notifications import Notification
from service.lifecycle import advance
from service.settings import Settings
from tests.factories import join, make_group, make_meeting, make_person

# Tuesday 3 March 2026, 10:00 UTC: the meeting below ends the same day.
START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _setup(session: Session) -> tuple[int, int, int]:
    earlier = START - timedelta(days=40)
    group = make_group(session, now=earlier)
    secretary = make_person(session, now=earlier)
    chair = make_person(session, now=earlier)
    member = make_person(session, now=earlier)
    join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
    join(session, person=chair, group=group, now=earlier, role=MembershipRole.chair)
    join(session, person=member, group=group, now=earlier)
    meeting = make_meeting(session, now=earlier, group=group, starts_in=START - earlier)
    assert meeting.id and secretary.id and chair.id
    return meeting.id, secretary.id, chair.id


def _keys(session: Session) -> list[str]:
    return sorted(n.idempotency_key for n in session.exec(select(Notification)))


SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")


def _advance(session: Session, now: datetime) -> advance.AdvanceReport:
    return advance.advance(session, now=now, settings=SETTINGS)


def test_steps_happen_once_each_and_in_order(session: Session) -> None:
    meeting_id, secretary_id, chair_id = _setup(session)
    assert _advance(session, START + timedelta(hours=1)).held == 0  # still going on
    after = _advance(session, START + timedelta(hours=3))
    assert (after.held, after.minutes_reminders) == (1, 0)
    # Three working days later (Friday 6 March, 09:00 Brussels): the secretariat.
    friday = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert _advance(session, friday).minutes_reminders == 1
    assert _advance(session, friday + timedelta(minutes=15)).minutes_reminders == 0
    assert _keys(session) == [
        f"minutes-reminder:meeting-{meeting_id}:secretariat:person-{secretary_id}"
    ]
    reminder = session.exec(select(Notification)).one()
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None and meeting.group_id is not None
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    assert reminder.context["url"] == (
        f"https://overleg.example/groups/{group.slug}/meetings/{meeting_id}/minutes"
    )
    # Six working days later (Wednesday 11 March): the chair.
    assert _advance(session, datetime(2026, 3, 11, 8, 0, tzinfo=UTC)).minutes_reminders == 1
    assert f"minutes-reminder:meeting-{meeting_id}:chair:person-{chair_id}" in _keys(session)


def test_a_run_three_days_late_catches_up_once(session: Session) -> None:
    _setup(session)
    late = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
    report = _advance(session, late)
    assert (report.held, report.minutes_reminders) == (1, 2)
    again = _advance(session, late)
    assert (again.held, again.minutes_reminders) == (0, 0)
    assert len(_keys(session)) == 2


def test_no_reminder_once_minutes_exist(session: Session) -> None:
    meeting_id, _, _ = _setup(session)
    _advance(session, START + timedelta(hours=3))
    session.add(MinutesVersion(meeting_id=meeting_id, number=1, created_at=START))
    session.flush()
    assert _advance(session, datetime(2026, 3, 20, 8, 0, tzinfo=UTC)).minutes_reminders == 0


def test_cancelled_and_postponed_meetings_are_not_marked_held(session: Session) -> None:
    meeting_id, _, _ = _setup(session)
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    meeting.status, meeting.status_reason = MeetingStatus.cancelled, "Geen agenda"
    session.add(meeting)
    assert _advance(session, START + timedelta(days=5)).held == 0
