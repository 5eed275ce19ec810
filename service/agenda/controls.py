"""The chair's and secretariat's controls of a meeting's call: open it now, move its deadline,
set what members read and how many questions they may send, close it now.

Each works from the meeting, creating its call as a draft from the group's settings when it
has none yet (so the opening email carries what was set before), and asks for what must
follow: the closing booked at the (new) deadline, the opening mails sent at once.
"""

from datetime import datetime

from sqlmodel import Session

from models.agenda import AgendaCall
from models.errors import N_, DomainError
from models.meetings import Meeting
from service.agenda import calls
from service.audit import Actor
from service.followups import BookClosing, DeliverNow, FollowUps


def _call_id(call: AgendaCall) -> int:
    assert call.id is not None
    return call.id


def open_now(
    session: Session,
    *,
    meeting: Meeting,
    policy: calls.CallPolicy,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> AgendaCall:
    """Open the meeting's call now; every member and chair gets their personal link."""
    call = calls.ensure(session, meeting=meeting, actor=actor, now=now)
    calls.open_call(session, call_id=_call_id(call), policy=policy, actor=actor, now=now)
    if after is not None:
        after.add(BookClosing(_call_id(call)))
        after.add(DeliverNow())
    return call


def move_deadline(
    session: Session,
    *,
    meeting: Meeting,
    deadline: datetime,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
) -> AgendaCall:
    """Move the call's deadline; its reminders and its booked closing follow."""
    call = calls.ensure(session, meeting=meeting, actor=actor, now=now)
    calls.extend(session, call_id=_call_id(call), deadline=deadline, actor=actor, now=now)
    if after is not None:
        after.add(BookClosing(_call_id(call)))
    return call


def configure(
    session: Session,
    *,
    meeting: Meeting,
    guidance: str | None,
    max_questions: int,
    actor: Actor,
    now: datetime,
) -> AgendaCall:
    """Set the guidance members read and how many questions each may send."""
    call = calls.ensure(session, meeting=meeting, actor=actor, now=now)
    return calls.configure(
        session,
        call_id=_call_id(call),
        guidance=guidance,
        max_questions=max_questions,
        actor=actor,
        now=now,
    )


def close_now(
    session: Session, *, meeting: Meeting, base_url: str, actor: Actor, now: datetime
) -> AgendaCall:
    """Close the open call now, before its deadline, and draft the agenda from the questions."""
    assert meeting.id is not None
    call = calls.for_meeting(session, meeting_id=meeting.id)
    if call is None or not calls.close(
        session, call_id=_call_id(call), base_url=base_url, actor=actor, now=now, force=True
    ):
        raise DomainError(N_("Only an open call can be closed."), field="call")
    return call
