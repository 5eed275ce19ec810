"""Where a meeting stands in its lifecycle, and what is due next, read from the database.

The same facts the lifecycle flow acts on, laid out for people: every step with when it is
due and when it was done, so the secretariat sees at a glance what happened and what comes.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from models.agenda import (
    AgendaCall,
    AgendaItem,
    AgendaVersion,
    AgendaVersionStatus,
    CallStatus,
    Submission,
    SubmissionStatus,
)
from models.errors import N_
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting, MeetingChange, MeetingStatus
from models.minutes import MinutesVersion
from models.notifications import Notification
from service.agenda import calls, drafts, late_input, review
from service.lifecycle import advance, announcements, invitations
from service.settings import Settings


@dataclass(frozen=True)
class Step:
    """One step of a meeting's life: when it is due, when it was done, and a detail."""

    key: str
    label: str  # an English message id, translated by the page
    due_at: datetime | None
    done_at: datetime | None = None
    detail: str | None = None
    skipped: bool = False

    @property
    def done(self) -> bool:
        """Whether the step has happened."""
        return self.done_at is not None


@dataclass
class Timeline:
    """A meeting's steps in order, and the first one still to come."""

    steps: list[Step] = field(default_factory=list)

    @property
    def next_step(self) -> Step | None:
        """The first step that has neither happened nor been skipped."""
        return next((s for s in self.steps if not s.done and not s.skipped), None)


def _sent_at(session: Session, *, key_prefix: str) -> tuple[int, datetime | None]:
    """How many outbox rows start with a key prefix, and when the first was queued."""
    count, first = session.exec(
        select(func.count(), func.min(Notification.created_at)).where(
            col(Notification.idempotency_key).startswith(key_prefix)
        )
    ).one()
    return int(count), first


def _call_steps(
    session: Session, *, call: AgendaCall, settings: Settings, now: datetime
) -> list[Step]:
    meeting = session.get(Meeting, call.meeting_id)
    assert meeting is not None and call.id is not None
    asked = len(calls.asked_people(session, meeting=meeting, on=now.date()))
    answered = session.exec(
        select(func.count(func.distinct(Submission.person_id))).where(
            Submission.call_id == call.id, Submission.status == SubmissionStatus.active
        )
    ).one()
    steps = [Step("call_open", N_("Call for input opens"), call.opens_at, call.opened_at)]
    for days in sorted(settings.call_reminder_days, reverse=True):
        due = call.deadline - timedelta(days=days)
        count, first = _sent_at(
            session,
            key_prefix=f"agenda-call-reminder:call-{call.id}:"
            f"deadline-{call.deadline.strftime('%Y%m%dT%H%MZ')}:T-{days}d:",
        )
        skipped = (call.status is CallStatus.closed and count == 0) or (
            call.opened_at is not None and due < call.opened_at
        )
        steps.append(
            Step(
                f"reminder_{days}",
                N_("Reminder to those who sent nothing"),
                due,
                first,
                detail=str(count) if count else None,
                skipped=skipped,
            )
        )
    steps.append(
        Step(
            "call_close",
            N_("Deadline for questions"),
            call.deadline,
            call.closed_at,
            detail=f"{answered}/{asked}",
        )
    )
    return steps


def _agenda_steps(session: Session, *, meeting_id: int) -> list[Step]:
    versions = list(
        session.exec(select(AgendaVersion).where(AgendaVersion.meeting_id == meeting_id))
    )
    draft = next((v for v in versions if v.number == 0), None)
    published = [v for v in versions if v.status is not AgendaVersionStatus.draft]
    newest = max(published, key=lambda v: v.number, default=None)
    return [
        Step(
            "agenda_draft",
            N_("Draft agenda from the questions"),
            None,
            draft.created_at if draft else None,
        ),
        Step(
            "agenda_published",
            N_("Agenda approved and published"),
            None,
            newest.published_at if newest else None,
            detail=str(newest.number) if newest else None,
        ),
    ]


def timeline(session: Session, *, meeting: Meeting, settings: Settings, now: datetime) -> Timeline:
    """Every step of the meeting's life, from the call for input to the minutes."""
    assert meeting.id is not None
    result = Timeline()
    call = calls.for_meeting(session, meeting_id=meeting.id)
    if call is not None:
        result.steps += _call_steps(session, call=call, settings=settings, now=now)
    elif meeting.starts_at is not None and meeting.status in OPEN_STATUSES:
        group_window = calls.window(meeting, _group(session, meeting))
        result.steps.append(Step("call_open", N_("Call for input opens"), group_window[0]))
    result.steps += _agenda_steps(session, meeting_id=meeting.id)
    if meeting.status in (MeetingStatus.cancelled, MeetingStatus.postponed):
        count, first = _sent_at(
            session, key_prefix=f"invitation-cancel:meeting-{meeting.id}:rev-{meeting.revision}:"
        )
        result.steps.append(
            Step(
                "cancellations",
                N_("Cancellation sent to everyone"),
                None,
                first,
                detail=str(count) if count else None,
            )
        )
        return result
    count, first = _sent_at(
        session, key_prefix=f"invitation:meeting-{meeting.id}:rev-{meeting.revision}:"
    )
    invited_before = invitations.invited_person_ids(session, meeting_id=meeting.id)
    due = (
        announcements.invitations_due_at(meeting, days_before=settings.invitation_days_before)
        if meeting.starts_at is not None
        else None
    )
    result.steps.append(
        Step(
            "invitations",
            N_("Invitations sent")
            if meeting.revision == 0 or not invited_before
            else N_("Updated invitations sent"),
            due,
            first,
            detail=str(count) if count else None,
        )
    )
    held_at = meeting.ends_at if meeting.status is MeetingStatus.held else None
    result.steps.append(Step("meeting", N_("The meeting"), meeting.starts_at, held_at))
    minutes = session.exec(
        select(func.min(MinutesVersion.created_at)).where(MinutesVersion.meeting_id == meeting.id)
    ).one()
    reminder = (
        advance.reminder_due(meeting, working_days=settings.minutes_reminder_working_days)
        if meeting.ends_at is not None
        else None
    )
    result.steps.append(Step("minutes", N_("Draft minutes"), reminder, minutes))
    return result


def history(session: Session, *, meeting_id: int) -> list[MeetingChange]:
    """The meeting's changes, newest first."""
    return list(
        session.exec(
            select(MeetingChange)
            .where(MeetingChange.meeting_id == meeting_id)
            .order_by(col(MeetingChange.revision).desc())
        )
    )


def _group(session: Session, meeting: Meeting) -> WorkingGroup:
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    return group


@dataclass(frozen=True)
class PublishedAgenda:
    """The newest published agenda, with the items on it."""

    version: AgendaVersion
    rows: list[AgendaItem]


@dataclass(frozen=True)
class MeetingView:
    """Everything the meeting page shows, read in one place."""

    group: WorkingGroup
    meeting: Meeting
    call: AgendaCall | None
    timeline: Timeline
    history: list[MeetingChange]
    agenda: PublishedAgenda | None
    late_waiting: int


def published_agenda(session: Session, *, meeting_id: int) -> PublishedAgenda | None:
    """The newest published agenda with the items on it, as everyone in the group sees it."""
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None or version.id is None:
        return None
    return PublishedAgenda(version, review.on_agenda(drafts.items(session, version_id=version.id)))


def view(session: Session, *, meeting: Meeting, settings: Settings, now: datetime) -> MeetingView:
    """A meeting with its call, steps, changes, published agenda and late input waiting."""
    assert meeting.id is not None
    call = calls.for_meeting(session, meeting_id=meeting.id)
    return MeetingView(
        group=_group(session, meeting),
        meeting=meeting,
        call=call,
        timeline=timeline(session, meeting=meeting, settings=settings, now=now),
        history=history(session, meeting_id=meeting.id),
        agenda=published_agenda(session, meeting_id=meeting.id),
        late_waiting=len(late_input.waiting(session, meeting_id=meeting.id)) if call else 0,
    )
