"""The call for agenda input of each meeting: its window, opening, reminders and closing.

The lifecycle flow finds from the database what is due; every change of state is a guarded
update and every email has an idempotency key, so running a step twice, late or after a crash
does nothing twice. The secretariat can also open, extend and close a call by hand.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import (
    GUIDANCE_MAX_LENGTH,
    MAX_QUESTIONS_LIMIT,
    AgendaCall,
    AgendaCallCreate,
    CallStatus,
    Submission,
    SubmissionStatus,
)
from models.dates import DatePrecision
from models.dates import check_window as check_date
from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting
from models.memberships import MembershipRole
from models.people import Person
from service import audit, db
from service.agenda import drafts
from service.audit import Actor
from service.clock import BRUSSELS, brussels
from service.directory import memberships, people
from service.mail import links as mail_links
from service.mail import outbox
from service.meetings import meetings
from service.settings import Settings

OPENS_AT = time(9, 0)
DEADLINE_AT = time(17, 0)
# The agenda is drafted between the deadline and the meeting; never closer than this.
MIN_GAP_BEFORE_MEETING = timedelta(hours=1)
# Who is asked for questions: the people who take part in the discussion.
ASKED_ROLES = frozenset({MembershipRole.member, MembershipRole.chair})
# The longest call window a group can set, plus a day: calls further ahead are not opened.
CALL_HORIZON = timedelta(days=121)


@dataclass(frozen=True)
class CallPolicy:
    """What the call steps need from the settings: link signing and the reminder days."""

    secret_key: str
    base_url: str
    reminder_days: tuple[int, ...]

    @classmethod
    def of(cls, settings: Settings) -> "CallPolicy":
        """The policy for a process's settings."""
        return cls(
            secret_key=settings.resolved_secret_key(),
            base_url=settings.public_url,
            reminder_days=tuple(settings.call_reminder_days),
        )


def create_call(
    session: Session, *, meeting_id: int, call_in: AgendaCallCreate, actor: Actor, now: datetime
) -> AgendaCall:
    """Attach a call for input to a meeting; it must close before the meeting starts."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    check_window(meeting=meeting, opens_at=call_in.opens_at, deadline=call_in.deadline)
    if session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first():
        raise DomainError(N_("This meeting already has a call for input."), field="meeting")
    call = AgendaCall.model_validate(call_in, update={"meeting_id": meeting_id})
    return audit.created(session, call, actor=actor, now=now)


def check_window(*, meeting: Meeting, opens_at: datetime, deadline: datetime) -> None:
    """Refuse a call window that is reversed or ends after the meeting has started."""
    if opens_at.tzinfo is None or deadline.tzinfo is None:
        raise DomainError(N_("Times must carry their time zone."), field="deadline")
    if deadline <= opens_at:
        raise DomainError(N_("The deadline must come after the call opens."), field="deadline")
    if meeting.date_precision is not DatePrecision.day or meeting.starts_at is None:
        raise DomainError(
            N_("A call for input needs a meeting with a known date and time."), field="meeting"
        )
    if deadline > meeting.starts_at:
        raise DomainError(N_("The deadline must come before the meeting starts."), field="deadline")


def get_call(session: Session, *, call_id: int) -> AgendaCall:
    """Return the call with this id, or refuse with a clear message."""
    return db.get_or_refuse(session, AgendaCall, call_id, drafts.UNKNOWN_CALL, field="call")


def window(meeting: Meeting, group: WorkingGroup) -> tuple[datetime, datetime]:
    """When a meeting's call opens (09:00) and closes (17:00), Brussels time, by group settings."""
    if meeting.starts_at is None:
        raise DomainError(
            N_("A call for input needs a meeting with a known date and time."), field="meeting"
        )
    local_day = meeting.starts_at.astimezone(BRUSSELS).date()
    closes_on = local_day - timedelta(days=group.call_closes_days_before)
    deadline = min(
        brussels(datetime.combine(closes_on, DEADLINE_AT)),
        meeting.starts_at - MIN_GAP_BEFORE_MEETING,
    )
    opens_on = local_day - timedelta(days=group.call_opens_days_before)
    opens_at = min(brussels(datetime.combine(opens_on, OPENS_AT)), deadline - timedelta(hours=1))
    return opens_at, deadline


def for_meeting(session: Session, *, meeting_id: int) -> AgendaCall | None:
    """The meeting's call, if it has one."""
    return session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()


def ensure(session: Session, *, meeting: Meeting, actor: Actor, now: datetime) -> AgendaCall:
    """The meeting's call, created as a draft from the group's settings when it has none."""
    assert meeting.id is not None
    existing = for_meeting(session, meeting_id=meeting.id)
    if existing is not None:
        return existing
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    opens_at, deadline = window(meeting, group)
    try:
        with session.begin_nested():
            return create_call(
                session,
                meeting_id=meeting.id,
                call_in=AgendaCallCreate(
                    opens_at=opens_at, deadline=deadline, max_questions=group.call_max_questions
                ),
                actor=actor,
                now=now,
            )
    except sa.exc.IntegrityError:  # a concurrent run created it first: use theirs
        created = for_meeting(session, meeting_id=meeting.id)
        assert created is not None
        return created


def asked_people(session: Session, *, meeting: Meeting, on: date) -> list[Person]:
    """The group's members and chairs on a day, who are asked for their questions."""
    asked = memberships.current(session, group_id=meeting.group_id, on=on)
    return people.not_erased(session, ids=(m.person_id for m in asked if m.role in ASKED_ROLES))


def pending_people(session: Session, *, call: AgendaCall, on: date) -> list[Person]:
    """The people asked who have no active question in the call yet."""
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    answered = set(
        session.exec(
            select(Submission.person_id).where(
                Submission.call_id == call.id, Submission.status == SubmissionStatus.active
            )
        )
    )
    return [p for p in asked_people(session, meeting=meeting, on=on) if p.id not in answered]


def _transition(
    session: Session,
    *,
    call: AgendaCall,
    expected: CallStatus,
    values: dict[str, Any],
    actor: Actor,
    now: datetime,
) -> bool:
    """Change a call only if it is still in the expected state; of two runs, one wins."""
    return audit.save_if(
        session, call, col(AgendaCall.status) == expected, actor=actor, now=now, **values
    )


def _meeting_and_group(session: Session, call: AgendaCall) -> tuple[Meeting, WorkingGroup]:
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    return meeting, group


def _about(session: Session, call: AgendaCall) -> dict[str, Any]:
    """What every email about a call says: the group, the meeting and its time, the deadline."""
    meeting, group = _meeting_and_group(session, call)
    return {
        "group_name": group.name,
        "meeting_title": meeting.title,
        "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "deadline_at": call.deadline.isoformat(),
    }


def mail_context(session: Session, *, call: AgendaCall, person: Person) -> dict[str, Any]:
    """What the call's emails to a person need: the meeting, the deadline, which link to make."""
    assert call.id is not None and person.id is not None
    return {
        **_about(session, call),
        "max_questions": call.max_questions,
        "guidance": call.guidance,
        # The link itself is made when the message is built; the outbox never holds it.
        mail_links.LINK: mail_links.form_link(call_id=call.id, person_id=person.id),
    }


def open_call(
    session: Session,
    *,
    call_id: int,
    # Unused since the links are made at send time; every step still hands its call policy.
    policy: CallPolicy,  # noqa: ARG001
    actor: Actor,
    now: datetime,
) -> int:
    """Open a draft call and email each member their own link; return the emails queued.

    Safe to repeat while the call is open: members who joined since get their email too.
    """
    call = get_call(session, call_id=call_id)
    if call.status is CallStatus.closed:
        raise DomainError(N_("This call for input has already closed."), field="call")
    if now >= call.deadline:
        raise DomainError(N_("The deadline of this call has passed."), field="deadline")
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    if meeting.starts_at is None or meeting.status not in OPEN_STATUSES:
        raise DomainError(
            N_("A call for input needs a meeting with a known date and time."), field="meeting"
        )
    if call.status is CallStatus.draft:
        _transition(
            session,
            call=call,
            expected=CallStatus.draft,
            values={"status": CallStatus.open, "opened_at": now},
            actor=actor,
            now=now,
        )
    asked = asked_people(session, meeting=meeting, on=now.date())
    return sum(queue_opening(session, call=call, person=person, now=now) for person in asked)


def queue_opening(session: Session, *, call: AgendaCall, person: Person, now: datetime) -> bool:
    """Email one person the call's opening message with their own link, once; True when new."""
    return outbox.queue(
        session,
        key=f"agenda-call-open:call-{call.id}:person-{person.id}",
        kind="agenda_call_open",
        recipient=person,
        context=mail_context(session, call=call, person=person),
        now=now,
    )


def reminder_stage(call: AgendaCall, *, days: tuple[int, ...], now: datetime) -> int | None:
    """The reminder due now: the latest stage that has passed, never one from before opening.

    A run that comes late sends the most recent reminder only, not every one it missed.
    """
    if call.status is not CallStatus.open or now >= call.deadline:
        return None
    opened = call.opened_at or call.opens_at
    passed = [d for d in days if opened <= call.deadline - timedelta(days=d) <= now]
    return min(passed) if passed else None


def remind(session: Session, *, call_id: int, policy: CallPolicy, now: datetime) -> int:
    """Remind the members who have sent nothing yet, once per stage and deadline."""
    call = get_call(session, call_id=call_id)
    stage = reminder_stage(call, days=policy.reminder_days, now=now)
    if stage is None:
        return 0
    deadline_key = call.deadline.strftime("%Y%m%dT%H%MZ")
    queued = 0
    for person in pending_people(session, call=call, on=now.date()):
        queued += outbox.queue(
            session,
            # The deadline is in the key: when it moves, the reminders move with it.
            key=f"agenda-call-reminder:call-{call.id}:deadline-{deadline_key}:"
            f"T-{stage}d:person-{person.id}",
            kind="agenda_call_reminder",
            recipient=person,
            context=mail_context(session, call=call, person=person),
            now=now,
        )
    return queued


def close(
    session: Session,
    *,
    call_id: int,
    base_url: str,
    actor: Actor,
    now: datetime,
    force: bool = False,
) -> bool:
    """Close an open call once its deadline has passed or every member has answered.

    `force` closes it now whatever the time (the secretariat's button). Closing drafts the
    agenda from the questions and tells the secretariat and the chair it is ready for review,
    in the same transaction; for a postponed meeting (no day yet) the draft waits for its day
    (`draft_once_dated`). Returns whether this call closed it; a call closed before is left
    alone.
    """
    call = get_call(session, call_id=call_id)
    if call.status is not CallStatus.open:
        return False
    due = force or now >= call.deadline or not pending_people(session, call=call, on=now.date())
    if not due:
        return False
    with session.begin_nested():
        closed = _transition(
            session,
            call=call,
            expected=CallStatus.open,
            values={"status": CallStatus.closed, "closed_at": now},
            actor=actor,
            now=now,
        )
        if closed and meetings.get(session, meeting_id=call.meeting_id).starts_at is not None:
            _draft_for_review(session, call=call, base_url=base_url, actor=actor, now=now)
    return closed


def _draft_for_review(
    session: Session, *, call: AgendaCall, base_url: str, actor: Actor, now: datetime
) -> None:
    """Draft the agenda from the closed call and ask the secretariat and the chair to review it."""
    assert call.id is not None
    drafts.build_draft(session, call_id=call.id, actor=actor, now=now)
    _tell_reviewers(session, call=call, base_url=base_url, now=now)


def draft_once_dated(
    session: Session, *, meeting_id: int, base_url: str, actor: Actor, now: datetime
) -> bool:
    """Draft the agenda of a call that closed while its meeting had no day, once it has one.

    A postponed meeting's call keeps collecting until its deadline and then closes without a
    draft (an agenda needs the meeting's length). Returns whether a draft was made now.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    call = for_meeting(session, meeting_id=meeting_id)
    if (
        call is None
        or call.status is not CallStatus.closed
        or call.opened_at is None  # a call called off before it opened asked nobody
        or meeting.starts_at is None
        or meeting.starts_at <= now
        or meeting.status not in OPEN_STATUSES
        or drafts.existing(session, meeting_id=meeting_id) is not None
    ):
        return False
    _draft_for_review(session, call=call, base_url=base_url, actor=actor, now=now)
    return True


def call_off(session: Session, *, call_id: int, actor: Actor, now: datetime) -> None:
    """Close a call whose meeting was cancelled: no agenda is drafted from it."""
    call = get_call(session, call_id=call_id)
    for state in (CallStatus.draft, CallStatus.open):
        if call.status is state:
            _transition(
                session,
                call=call,
                expected=state,
                values={"status": CallStatus.closed, "closed_at": now},
                actor=actor,
                now=now,
            )


def _tell_reviewers(session: Session, *, call: AgendaCall, base_url: str, now: datetime) -> None:
    """Email the group's secretariat and chair that the draft agenda waits for their review."""
    meeting, group = _meeting_and_group(session, call)
    reviewers = {
        m.person_id
        for m in memberships.current(session, group_id=meeting.group_id, on=now.date())
        if m.role in (MembershipRole.chair, MembershipRole.secretariat)
    }
    about = _about(session, call)
    for person in people.not_erased(session, ids=reviewers):
        outbox.queue(
            session,
            key=f"agenda-draft-ready:meeting-{meeting.id}:person-{person.id}",
            kind="agenda_draft_ready",
            recipient=person,
            context={
                **about,
                "url": f"{base_url}/groups/{group.slug}/meetings/{meeting.id}/agenda/review",
            },
            now=now,
        )


def extend(
    session: Session, *, call_id: int, deadline: datetime, actor: Actor, now: datetime
) -> AgendaCall:
    """Move a call's deadline later; the reminders and the booked closing move with it."""
    call = get_call(session, call_id=call_id)
    if call.status is CallStatus.closed:
        raise DomainError(N_("This call for input has already closed."), field="call")
    check_date(deadline, now=now.date(), field="deadline")
    if deadline <= now:
        raise DomainError(N_("The new deadline must be in the future."), field="deadline")
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    opens_at = call.opens_at
    if deadline <= opens_at:
        if call.status is CallStatus.draft:
            raise DomainError(
                N_(
                    "The deadline must come after the call opens; open the call now to give "
                    "it an earlier deadline."
                ),
                field="deadline",
            )
        # Opened by hand before its scheduled opening: the window starts when it really opened.
        opens_at = min(call.opened_at or now, now)
    check_window(meeting=meeting, opens_at=min(opens_at, now), deadline=deadline)
    previous = call.deadline
    with audit.changing(session, call, actor=actor, now=now):
        call.opens_at = opens_at.astimezone(UTC)
        call.deadline = deadline.astimezone(UTC)
        call.close_flow_run_id = None  # to be booked again at the new deadline
    tell_deadline_moved(session, call=call, previous=previous, now=now)
    return call


def configure(
    session: Session,
    *,
    call_id: int,
    guidance: str | None,
    max_questions: int,
    actor: Actor,
    now: datetime,
) -> AgendaCall:
    """Set the guidance members read and how many questions each may send, until it closes."""
    call = get_call(session, call_id=call_id)
    if call.status is CallStatus.closed:
        raise DomainError(N_("This call for input has already closed."), field="call")
    if not 1 <= max_questions <= MAX_QUESTIONS_LIMIT:
        raise DomainError(
            N_("A member can send between 1 and %(max)s questions."),
            field="max_questions",
            max=MAX_QUESTIONS_LIMIT,
        )
    text = (guidance or "").strip() or None
    if text is not None and len(text) > GUIDANCE_MAX_LENGTH:
        raise DomainError(
            N_("The guidance can be at most %(max)s characters long."),
            field="guidance",
            max=GUIDANCE_MAX_LENGTH,
        )
    most = _most_sent(session, call_id=call_id)
    if max_questions < most:
        # Lowering the limit below what someone sent would silently drop their questions.
        raise DomainError(
            N_("A member has already sent %(count)s questions; the limit cannot go below that."),
            field="max_questions",
            count=most,
        )
    with audit.changing(session, call, actor=actor, now=now):
        call.guidance, call.max_questions = text, max_questions
    return call


def _most_sent(session: Session, *, call_id: int) -> int:
    counts = session.exec(
        select(sa.func.count())
        .select_from(Submission)
        .where(
            Submission.call_id == call_id,
            Submission.status == SubmissionStatus.active,
            col(Submission.received_late).is_(False),
        )
        .group_by(col(Submission.person_id))
    ).all()
    return max(counts, default=0)


def follow_meeting(session: Session, *, meeting: Meeting, actor: Actor, now: datetime) -> None:
    """After a meeting moved to a new day, move its call's window (if the call has not closed)."""
    assert meeting.id is not None
    call = for_meeting(session, meeting_id=meeting.id)
    if call is None or call.status is CallStatus.closed or meeting.starts_at is None:
        return
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    opens_at, deadline = window(meeting, group)
    if deadline <= now:
        # The meeting moved so close that the usual deadline has passed: leave members a day.
        deadline = min(now + timedelta(days=1), meeting.starts_at - MIN_GAP_BEFORE_MEETING)
    previous = call.deadline
    with audit.changing(session, call, actor=actor, now=now):
        call.opens_at, call.deadline = min(opens_at, deadline - timedelta(hours=1)), deadline
        call.close_flow_run_id = None
    tell_deadline_moved(session, call=call, previous=previous, now=now)


def tell_deadline_moved(
    session: Session, *, call: AgendaCall, previous: datetime, now: datetime
) -> int:
    """Email the members asked by an open call its new deadline; return the emails queued.

    Nobody was asked while the call is a draft: its opening email carries the deadline.
    """
    if call.status is not CallStatus.open or call.deadline == previous:
        return 0
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    deadline_key = call.deadline.strftime("%Y%m%dT%H%MZ")
    queued = 0
    about = _about(session, call)
    for person in asked_people(session, meeting=meeting, on=now.date()):
        queued += outbox.queue(
            session,
            key=f"agenda-call-deadline:call-{call.id}:deadline-{deadline_key}:person-{person.id}",
            kind="agenda_call_deadline_moved",
            recipient=person,
            context={
                **about,
                "previous_deadline_at": previous.isoformat(),
            },
            now=now,
        )
    return queued


def due_to_open(session: Session, *, now: datetime, meeting_id: int | None = None) -> list[Meeting]:
    """Upcoming meetings with a known slot whose call should be open by now."""
    horizon = now + CALL_HORIZON
    query = select(Meeting).where(
        col(Meeting.status).in_(OPEN_STATUSES),
        col(Meeting.starts_at) > now,
        col(Meeting.starts_at) <= horizon,
    )
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    due = []
    for meeting in session.exec(query):
        group = session.get(WorkingGroup, meeting.group_id)
        assert group is not None and meeting.id is not None
        call = for_meeting(session, meeting_id=meeting.id)
        opens_at, deadline = (call.opens_at, call.deadline) if call else window(meeting, group)
        if opens_at <= now < deadline and (call is None or call.status is not CallStatus.closed):
            due.append(meeting)
    return sorted(due, key=meetings.sort_key)


def get_open(session: Session, *, call_id: int) -> AgendaCall | None:
    """The call with this id if it is open, else None."""
    call = session.get(AgendaCall, call_id)
    return call if call is not None and call.status is CallStatus.open else None


def open_calls(
    session: Session, *, meeting_id: int | None = None, meeting_ids: Sequence[int] | None = None
) -> list[AgendaCall]:
    """Every open call (of one meeting, or of some, when given), oldest deadline first."""
    query = select(AgendaCall).where(AgendaCall.status == CallStatus.open)
    if meeting_id is not None:
        query = query.where(AgendaCall.meeting_id == meeting_id)
    if meeting_ids is not None:
        query = query.where(col(AgendaCall.meeting_id).in_(list(meeting_ids)))
    return list(session.exec(query.order_by(col(AgendaCall.deadline), col(AgendaCall.id))))


def closing_key(call: AgendaCall) -> str:
    """The idempotency key of the run that closes a call at its deadline."""
    return f"close-call:call-{call.id}:deadline-{call.deadline.strftime('%Y%m%dT%H%MZ')}"


def record_booking(session: Session, *, call_id: int, flow_run_id: str) -> bool:
    """Remember the Prefect run booked to close a call; return whether it is a new run.

    Not an audited change: it records what the orchestrator did, not what anyone decided.
    """
    changed = session.execute(
        sa.update(AgendaCall)
        .where(
            col(AgendaCall.id) == call_id,
            sa.or_(
                col(AgendaCall.close_flow_run_id).is_(None),
                col(AgendaCall.close_flow_run_id) != flow_run_id,
            ),
        )
        .values(close_flow_run_id=flow_run_id)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]
