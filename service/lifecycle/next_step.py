"""When a meeting's next lifecycle step can fall due: the time advance-meetings looks at it again.

`advance.advance_meeting` does every step that is due at `now`, then stores here, in the same
transaction, the earliest instant after `now` at which any of its steps could do something,
read from each step's own rule and constants (the call's window, reminders and deadline, the
materials deadline, the invitations' latest day, the reminders before the meeting, the late
change's grace, the start, the end, the minutes reminders). What else makes a step due is a
write (an answer, a member who joins, a new date...): `stale.py` sets the time back to NULL
on every such write.

Two rules keep a mistake here from losing a step:
- Err early, never late: where the next time is not known cheaply (who is a member on which
  day), the earliest day it could change is taken, and a step that may be active in a window
  is looked at on each of those days.
- A bounded re-check: a meeting still in play (to come, under way, held within the minutes
  reminders' window, called off with its slot to come, or with an open call) is looked at
  again at the latest `RECHECK` after `now`, whatever its steps say. A step this module got
  wrong is done at most `RECHECK` late, never lost.

A meeting out of play (held before that window, called off with its slot past, without an
exact day) gets `NEVER`: no step of it falls due by the passing of time, and the former
look-up never returned it either; any write about it sets it back to NULL.

Not a write, so not seen: a change of the process's settings (the reminder or invitation days,
the grace). A step brought forward by one is done at the meetings' next look, a week at most.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, CallStatus
from models.groups import WorkingGroup
from models.meetings import NEXT_STEP_NEVER, OPEN_STATUSES, Meeting, MeetingStatus
from models.memberships import Membership
from service.agenda import calls
from service.clock import BRUSSELS, brussels
from service.feeds import calendar_events
from service.lifecycle import advance, announcements, stale_feeds
from service.materials import deadline
from service.settings import Settings

RECHECK = timedelta(days=7)
# Out of play: never looked at again until something about the meeting is written.
NEVER = NEXT_STEP_NEVER
MEETING = Meeting.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
_CHANGED = (MeetingStatus.cancelled, MeetingStatus.postponed)


def next_step_at(
    session: Session, *, meeting_id: int, now: datetime, settings: Settings
) -> datetime:
    """The earliest instant after `now` at which a step of the meeting could fall due."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return NEVER
    times: list[datetime] = []
    in_play = members_matter = False
    call = calls.for_meeting(session, meeting_id=meeting_id)
    if call is not None and call.status is CallStatus.open:
        # Reminders at each stage, closing at the deadline; asked and pending people change
        # with the members.
        in_play = members_matter = True
        times.append(call.deadline)
        times += [call.deadline - timedelta(days=d) for d in settings.call_reminder_days]
    if meeting.status in OPEN_STATUSES and meeting.starts_at is not None:
        in_play = members_matter = True
        times += _before_and_after(session, meeting, call=call, settings=settings)
    elif meeting.status is MeetingStatus.held and meeting.ends_at is not None:
        if meeting.ends_at >= now - advance.REMINDER_WINDOW:
            in_play = members_matter = True  # the minutes reminders go to today's secretariat
            times += _minutes_reminders(meeting.ends_at, settings)
    elif meeting.status in _CHANGED:
        slot = calendar_events.slots(session, [meeting]).get(meeting_id)
        if slot is not None and slot.starts_at > now:
            # Cancellations go to the group's members of the day until the slot has passed.
            in_play = members_matter = True
            times.append(slot.starts_at)
    if not in_play:
        return NEVER
    if members_matter:
        times += _members_change(session, group_id=meeting.group_id, now=now)
    return min([t for t in times if t > now and t < now + RECHECK], default=now + RECHECK)


def _before_and_after(
    session: Session, meeting: Meeting, *, call: AgendaCall | None, settings: Settings
) -> list[datetime]:
    """The instants of a meeting with an exact slot that has not been held yet."""
    assert meeting.starts_at is not None
    starts, ends = meeting.starts_at, meeting.ends_at or meeting.starts_at
    times = [
        # The call opens at its window's start, once the meeting is within the horizon.
        *_call_opening(session, meeting, call=call),
        # The materials reminders, 09:00 on the deadline's day.
        brussels(
            datetime.combine(
                deadline.deadline(meeting, working_days=settings.materials_deadline_working_days)
                .astimezone(BRUSSELS)
                .date(),
                deadline.REMIND_AT,
            )
        ),
        announcements.invitations_due_at(meeting, days_before=settings.invitation_days_before),
        starts - timedelta(days=settings.absent_organisation_reminder_days),
        starts - timedelta(days=settings.meeting_reminder_days),
        starts,  # the attendance sheet starts from the answers
        ends,  # marked held
        *_minutes_reminders(ends, settings),
    ]
    change = stale_feeds.latest_change(session, meeting_id=meeting.id or 0)
    if change is not None and stale_feeds.is_late(meeting, change):
        grace = timedelta(minutes=settings.stale_feed_grace_minutes)
        times.append(stale_feeds.due_at(meeting, change, grace=grace))
    return times


def _call_opening(session: Session, meeting: Meeting, *, call: AgendaCall | None) -> list[datetime]:
    """When the meeting's call (or the one its group's settings would make) opens."""
    assert meeting.starts_at is not None
    if call is None:
        group = session.get(WorkingGroup, meeting.group_id)
        assert group is not None
        opens_at, _ = calls.window(meeting, group)
    elif call.status is CallStatus.draft:
        opens_at = call.opens_at
    else:
        return []
    return [opens_at, meeting.starts_at - calls.CALL_HORIZON]


def _minutes_reminders(ends_at: datetime, settings: Settings) -> list[datetime]:
    """The secretariat's and then the chair's reminder, some working days after the end."""
    days = settings.minutes_reminder_working_days
    return [
        advance.reminder_day(ends_at, working_days=days),
        advance.reminder_day(ends_at, working_days=2 * days),
    ]


def _members_change(session: Session, *, group_id: int, now: datetime) -> list[datetime]:
    """The next midnight at which someone joins or leaves the group (days as `now` counts them).

    The steps ask who is a member on `now.date()`; a membership that starts, or ends, on a
    later day changes that answer at the day's start.
    """
    today = now.date()
    joins = session.exec(
        select(sa.func.min(col(Membership.joined_on))).where(
            Membership.group_id == group_id, col(Membership.joined_on) > today
        )
    ).one()
    leaves = session.exec(
        select(sa.func.min(col(Membership.left_on))).where(
            Membership.group_id == group_id, col(Membership.left_on) >= today
        )
    ).one()
    days = [d for d in (joins, leaves + timedelta(days=1) if leaves else None) if d is not None]
    return [datetime.combine(d, time.min, tzinfo=now.tzinfo) for d in days]


def record(session: Session, *, meeting_id: int, now: datetime, settings: Settings) -> datetime:
    """Store the meeting's next step time; last in its unit of work, after every other write."""
    session.flush()  # the writes of the steps (and their NULLs) go first
    at = next_step_at(session, meeting_id=meeting_id, now=now, settings=settings)
    # On the connection, not as an ORM statement: the hook of stale.py must not see it.
    session.connection().execute(
        sa.update(MEETING).where(MEETING.c.id == meeting_id).values(next_step_at=at)
    )
    meeting = session.identity_map.get(identity_key(Meeting, meeting_id))
    if meeting is not None:  # a meeting loaded in the session shows it without a refresh
        set_committed_value(meeting, "next_step_at", at)
    return at
