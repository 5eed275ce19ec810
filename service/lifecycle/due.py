"""Which meetings may have a lifecycle step due: a range on meeting.next_step_at, and the unknown.

Each meeting's unit of work (advance.advance_meeting) stores when its next step can fall due
(next_step.py), and any write that could bring a step forward sets that back to NULL
(stale.py). So the meetings to look at are those whose time has come (`next_step_at <= now`,
a range on its index: the cost grows with the steps due, not with the meetings) and those
whose time is not known (NULL: new, changed, or not looked at since migration 0121).

Both are kept to the former look-up's clauses below, each a range on an index
(meeting.starts_at, meeting (status, ends_at), agenda_call.status): to come within the calls'
horizon, invited further ahead, called off with their slot to come, under way, ended, just
held, or with an open call. Those clauses are what made the former look-up correct (no step
falls due outside them), so they cost nothing in correctness; they keep a write about a
meeting long done (an attendance row corrected a year later) from running its steps, as
before, leave the history NULL at no cost, and skip the re-check of a meeting that has left
play since. The answer is a superset: each meeting's unit of work checks exactly what is due
and does it once.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaVersion, AgendaVersionStatus, CallStatus
from models.meetings import OPEN_STATUSES, Meeting, MeetingChange, MeetingStatus
from service.agenda import calls
from service.settings import Settings

# The longest call window a group can set, plus a day (as in agenda/calls.due_to_open).
CALL_HORIZON = calls.CALL_HORIZON
# Minutes reminders look back this far (advance.REMINDER_WINDOW).
HELD_WINDOW = timedelta(days=45)
_CHANGED = (MeetingStatus.cancelled, MeetingStatus.postponed)


def due_meeting_ids(session: Session, *, now: datetime, settings: Settings) -> list[int]:
    """The meetings whose steps may be due by `now` (or not known), by id; no rows loaded.

    Only ids are read, so a meeting whose row cannot be loaded (a corrupt date) is still
    found, and fails in its own unit of work instead of in this query.
    """
    clauses = _clauses(now=now, settings=settings)
    with_call = col(Meeting.id).in_(
        select(AgendaCall.meeting_id).where(AgendaCall.status == CallStatus.open)
    )
    # Those whose time has come: a range on the next step's index, each checked against the
    # clauses (few rows).
    come = select(Meeting.id).where(col(Meeting.next_step_at) <= now, sa.or_(*clauses, with_call))
    found = {i for i in session.exec(come) if i is not None}
    # Those not known yet, clause by clause, so each can use its own index.
    return sorted(found | _matching(session, clauses, col(Meeting.next_step_at).is_(None)))


def candidate_ids(session: Session, *, now: datetime, settings: Settings) -> list[int]:
    """The former look-up: every meeting the clauses return, whatever its next step time.

    For the tests and the bench, which compare the steps done and the time taken with it.
    """
    return sorted(_matching(session, _clauses(now=now, settings=settings), sa.true()))


def _matching(
    session: Session, clauses: list[sa.ColumnElement[bool]], also: sa.ColumnElement[bool]
) -> set[int]:
    """The meetings that match any clause (one query each, each on its own index) and `also`."""
    found: set[int] = set()
    for clause in clauses:
        found |= {i for i in session.exec(select(Meeting.id).where(clause, also)) if i is not None}
    found |= set(
        session.exec(
            select(AgendaCall.meeting_id)
            .join(Meeting, col(Meeting.id) == col(AgendaCall.meeting_id))
            .where(AgendaCall.status == CallStatus.open, also)
        )
    )
    return found


def _clauses(*, now: datetime, settings: Settings) -> list[sa.ColumnElement[bool]]:
    """The former look-up's clauses: what may have a step due, by the time alone."""
    horizon = now + max(CALL_HORIZON, timedelta(days=settings.invitation_days_before))
    upcoming = sa.and_(col(Meeting.status).in_(OPEN_STATUSES), col(Meeting.starts_at) > now)
    # EXISTS by the meeting's index, not IN over every published version: at 1000x (630,000
    # versions) PostgreSQL cannot hash that list in work_mem and rescans it per meeting.
    published = (
        select(AgendaVersion.id)
        .where(
            col(AgendaVersion.meeting_id) == col(Meeting.id),
            col(AgendaVersion.status).in_(
                [AgendaVersionStatus.published, AgendaVersionStatus.superseded]
            ),
        )
        .exists()
    )
    later_slot = select(MeetingChange.meeting_id).where(col(MeetingChange.old_starts_at) > now)
    return [
        # Calls to open and invitations due by date.
        sa.and_(upcoming, col(Meeting.starts_at) <= horizon),
        # Invited further ahead: a published agenda, or moved after the invitations went out.
        sa.and_(
            upcoming,
            sa.or_(col(Meeting.revision) > 0, published),
        ),
        # Cancelled or postponed whose slot is still to come: their cancellations.
        sa.and_(
            col(Meeting.status).in_(_CHANGED),
            sa.or_(
                col(Meeting.starts_at) > now,
                sa.and_(col(Meeting.starts_at).is_(None), col(Meeting.id).in_(later_slot)),
            ),
        ),
        # Under way: the attendance sheet starts from the answers.
        sa.and_(
            col(Meeting.status).in_(OPEN_STATUSES),
            col(Meeting.starts_at) <= now,
            col(Meeting.ends_at) > now,
        ),
        # Ended but not yet marked held.
        sa.and_(col(Meeting.status).in_(OPEN_STATUSES), col(Meeting.ends_at) <= now),
        # Held lately: the minutes reminders.
        sa.and_(
            col(Meeting.status) == MeetingStatus.held,
            col(Meeting.ends_at) >= now - HELD_WINDOW,
            col(Meeting.ends_at) <= now,
        ),
    ]
