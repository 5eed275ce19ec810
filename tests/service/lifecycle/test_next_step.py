"""The next step time: worked out from each step's rule, and set back to NULL by any change."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import AgendaCallCreate, Submission, SubmissionCreate, SubmissionStatus
from models.groups import WorkingGroup
from models.meetings import NEXT_STEP_NEVER, AttendanceEntry, AttendanceStatus, Meeting
from models.memberships import Membership
from models.minutes import MinutesVersion
from models.people import Person
from models.replies import ReplyAnswer, ReplySource
from service.agenda import calls, submissions
from service.audit import Actor
from service.clock import brussels
from service.lifecycle import advance, changes, due, next_step
from service.minutes import attendance
from service.replies import answers
from service.settings import Settings
from tests.factories import StaffedMeeting, join, make_person, make_staffed_meeting

# Monday 1 March 2027, 08:00 UTC (09:00 in Brussels).
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")
ACTOR = Actor.system("tests")


def _group(session: Session, meeting: Meeting) -> WorkingGroup:
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    return group


def _stored(session: Session, meeting_id: int) -> datetime | None:
    session.flush()
    return session.exec(select(Meeting.next_step_at).where(Meeting.id == meeting_id)).one()


def _caught_up(session: Session, at: datetime, *, starts_in: timedelta) -> StaffedMeeting:
    staffed = make_staffed_meeting(session, meeting_at=at + starts_in)
    advance.advance(session, now=at, settings=SETTINGS)
    return staffed


def _due(session: Session, at: datetime) -> list[int]:
    session.flush()
    return due.due_meeting_ids(session, now=at, settings=SETTINGS)


def test_a_call_to_open_in_ten_days_is_looked_at_then_and_not_before(session: Session) -> None:
    staffed = _caught_up(session, NOW, starts_in=timedelta(days=31, hours=2))
    meeting = staffed.meeting
    assert meeting.id is not None
    group_opens, _ = calls.window(meeting, _group(session, meeting))
    assert group_opens.date() == (NOW + timedelta(days=10)).date()
    # Ten days is beyond the bounded re-check: looked at again in a week, then at the opening.
    week = NOW + next_step.RECHECK
    assert _stored(session, meeting.id) == week
    assert meeting.id not in _due(session, week - timedelta(minutes=1))
    assert meeting.id in _due(session, week)
    assert not any(advance.advance(session, now=week, settings=SETTINGS).counts().values())
    assert _stored(session, meeting.id) == group_opens
    assert meeting.id not in _due(session, group_opens - timedelta(minutes=1))
    assert meeting.id in _due(session, group_opens)
    report = advance.advance(session, now=group_opens, settings=SETTINGS)
    assert report.calls_opened and report.call_emails == 4
    # Then the first reminder, three days before the deadline (fourteen days on: the week's
    # re-check first).
    call = calls.for_meeting(session, meeting_id=meeting.id)
    assert call is not None
    reminder = call.deadline - timedelta(days=3)
    assert _stored(session, meeting.id) == group_opens + next_step.RECHECK < reminder
    advance.advance(session, now=group_opens + next_step.RECHECK, settings=SETTINGS)
    assert _stored(session, meeting.id) == reminder
    assert advance.advance(session, now=reminder, settings=SETTINGS).call_reminders == 4


def test_a_held_meeting_is_looked_at_for_its_minutes_reminder(session: Session) -> None:
    staffed = make_staffed_meeting(session, meeting_at=NOW - timedelta(hours=3))
    meeting = staffed.meeting
    assert meeting.id is not None and meeting.ends_at is not None
    assert advance.advance(session, now=NOW, settings=SETTINGS).held == 1
    # Thursday 4 March at 09:00 in Brussels: three working days after the end.
    reminder = advance.reminder_day(
        meeting.ends_at, working_days=SETTINGS.minutes_reminder_working_days
    )
    assert reminder == brussels(datetime.combine(date(2027, 3, 4), time(9, 0)))
    assert _stored(session, meeting.id) == reminder
    assert advance.advance(session, now=reminder, settings=SETTINGS).minutes_reminders == 1


def test_the_re_check_is_at_most_a_week_away_and_history_is_left_alone(session: Session) -> None:
    # Its call opens 79 days ahead: nothing falls due within the week.
    far = _caught_up(session, NOW, starts_in=timedelta(days=100)).meeting
    done = make_staffed_meeting(session, meeting_at=NOW - timedelta(days=90)).meeting
    assert far.id is not None and done.id is not None
    advance.advance(session, now=NOW, settings=SETTINGS, meeting_id=done.id)
    assert _stored(session, far.id) == NOW + next_step.RECHECK
    assert _stored(session, done.id) == NEXT_STEP_NEVER


def test_a_member_joining_on_a_later_day_while_the_call_is_open(session: Session) -> None:
    staffed = make_staffed_meeting(session, meeting_at=NOW + timedelta(days=14))
    meeting = staffed.meeting
    assert meeting.id is not None
    report = advance.advance(session, now=NOW, settings=SETTINGS)
    assert report.calls_opened
    newcomer = make_person(session, now=NOW)
    joins = NOW.date() + timedelta(days=2)
    join(session, person=newcomer, group=_group(session, meeting), now=NOW, joined_on=joins)
    advance.advance(session, now=NOW + timedelta(minutes=15), settings=SETTINGS)
    midnight = datetime.combine(joins, time.min, tzinfo=UTC)
    assert _stored(session, meeting.id) == midnight
    assert advance.advance(session, now=midnight, settings=SETTINGS).call_emails == 1


def _reschedule(session: Session, s: StaffedMeeting, now: datetime) -> None:
    assert s.meeting.id is not None and s.meeting.starts_at is not None
    starts = s.meeting.starts_at + timedelta(days=1)
    changes.reschedule(
        session,
        meeting_id=s.meeting.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=now,
    )


def _cancel(session: Session, s: StaffedMeeting, now: datetime) -> None:
    assert s.meeting.id is not None
    changes.cancel(session, meeting_id=s.meeting.id, reason="Geen agenda", actor=ACTOR, now=now)


def _call(session: Session, s: StaffedMeeting, now: datetime) -> None:
    assert s.meeting.id is not None
    calls.create_call(
        session,
        meeting_id=s.meeting.id,
        call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=5)),
        actor=ACTOR,
        now=now,
    )


def _open_call_and_answer(session: Session, s: StaffedMeeting, now: datetime) -> None:
    """Opened by hand (a guarded UPDATE statement), then an answer (a flush)."""
    _call(session, s, now)
    assert s.meeting.id is not None
    call = calls.for_meeting(session, meeting_id=s.meeting.id)
    assert call is not None and call.id is not None
    policy = calls.CallPolicy.of(SETTINGS)
    calls.open_call(session, call_id=call.id, policy=policy, actor=ACTOR, now=now)
    advance.advance(session, now=now, settings=SETTINGS)
    assert s.meeting.id not in _due(session, now + timedelta(minutes=1))
    person = s.members[1]
    submissions.replace_submissions(
        session,
        call_id=call.id,
        person=person,
        actor=Actor.of(person),
        now=now,
        entries=[SubmissionCreate(rank=1, question="Een vraag")],
    )


def _questions_withdrawn(session: Session, s: StaffedMeeting, now: datetime) -> None:
    """Answered, looked at, then the answers withdrawn by an ORM UPDATE statement."""
    _open_call_and_answer(session, s, now)
    advance.advance(session, now=now, settings=SETTINGS)
    assert s.meeting.id not in _due(session, now + timedelta(minutes=1))
    call = calls.for_meeting(session, meeting_id=s.meeting.id or 0)
    assert call is not None
    session.execute(
        sa.update(Submission)
        .where(col(Submission.call_id) == call.id)
        .values(status=SubmissionStatus.withdrawn)
    )


def _member_joins(session: Session, s: StaffedMeeting, now: datetime) -> None:
    join(
        session,
        person=make_person(session, now=now),
        group=_group(session, s.meeting),
        now=now,
    )


def _member_leaves(session: Session, s: StaffedMeeting, now: datetime) -> None:
    row = session.exec(select(Membership).where(Membership.person_id == s.members[2].id)).one()
    row.left_on = now.date()
    session.add(row)


def _erased(session: Session, s: StaffedMeeting, now: datetime) -> None:
    person = session.get(Person, s.members[3].id)
    assert person is not None
    person.erased_at = now
    session.add(person)


def _group_settings(session: Session, s: StaffedMeeting, now: datetime) -> None:
    group = _group(session, s.meeting)
    group.call_opens_days_before = 40
    session.add(group)


def _reply(session: Session, s: StaffedMeeting, now: datetime) -> None:
    answers.record(
        session,
        meeting=s.meeting,
        person=s.members[1],
        answer=ReplyAnswer.accepted,
        comment=None,
        sequence=s.meeting.revision,
        source=ReplySource.link,
        received_at=now,
        message_id=None,
        now=now,
    )


CHANGES_BEFORE: dict[str, Callable[[Session, StaffedMeeting, datetime], None]] = {
    "rescheduled": _reschedule,
    "cancelled": _cancel,
    "call created": _call,
    "call opened, then answered": _open_call_and_answer,
    "answers withdrawn (an ORM statement)": _questions_withdrawn,
    "member joins": _member_joins,
    "member leaves": _member_leaves,
    "person erased": _erased,
    "group settings": _group_settings,
    "answer to the invitation": _reply,
}


@pytest.mark.parametrize("change", CHANGES_BEFORE)
def test_each_change_before_the_meeting_makes_it_looked_at_again(
    session: Session, change: str
) -> None:
    staffed = _caught_up(session, NOW, starts_in=timedelta(days=60))
    meeting_id = staffed.meeting.id
    assert meeting_id is not None
    later = NOW + timedelta(minutes=1)
    assert meeting_id not in _due(session, later)  # nothing due: not looked at
    CHANGES_BEFORE[change](session, staffed, NOW)
    assert _stored(session, meeting_id) is None
    assert meeting_id in _due(session, later)
    # Once looked at, it has its time again.
    advance.advance(session, now=later, settings=SETTINGS)
    assert meeting_id not in _due(session, later + timedelta(minutes=1))


def _attendance(session: Session, s: StaffedMeeting, now: datetime) -> None:
    assert s.meeting.id is not None and s.members[1].id is not None
    entry = AttendanceEntry(person_id=s.members[1].id, status=AttendanceStatus.absent)
    attendance.record(session, meeting_id=s.meeting.id, entries=[entry], actor=ACTOR, now=now)


def _minutes(session: Session, s: StaffedMeeting, now: datetime) -> None:
    assert s.meeting.id is not None
    session.add(MinutesVersion(meeting_id=s.meeting.id, number=1, created_at=now))


def _minutes_removed(session: Session, s: StaffedMeeting, now: datetime) -> None:
    _minutes(session, s, now)
    advance.advance(session, now=now, settings=SETTINGS)
    assert s.meeting.id not in _due(session, now + timedelta(minutes=1))
    session.execute(sa.delete(MinutesVersion).where(col(MinutesVersion.meeting_id) == s.meeting.id))


CHANGES_AFTER = {
    "attendance": _attendance,
    "minutes": _minutes,
    "minutes removed (a statement)": _minutes_removed,
}


@pytest.mark.parametrize("change", CHANGES_AFTER)
def test_each_change_after_the_meeting_makes_it_looked_at_again(
    session: Session, change: str
) -> None:
    staffed = make_staffed_meeting(session, meeting_at=NOW - timedelta(hours=3))
    advance.advance(session, now=NOW, settings=SETTINGS)
    meeting_id = staffed.meeting.id
    assert meeting_id is not None
    later = NOW + timedelta(minutes=1)
    assert meeting_id not in _due(session, later)
    CHANGES_AFTER[change](session, staffed, NOW)
    assert _stored(session, meeting_id) is None
    assert meeting_id in _due(session, later)


def test_a_change_to_a_meeting_long_done_runs_none_of_its_steps(session: Session) -> None:
    staffed = make_staffed_meeting(session, meeting_at=NOW - timedelta(days=90))
    assert staffed.meeting.id is not None
    advance.advance(session, now=NOW, settings=SETTINGS, meeting_id=staffed.meeting.id)
    _attendance(session, staffed, NOW)
    assert _stored(session, staffed.meeting.id) is None
    # As before the index: the former look-up's clauses keep it out.
    assert staffed.meeting.id not in _due(session, NOW + timedelta(minutes=1))
