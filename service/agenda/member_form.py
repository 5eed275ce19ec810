"""The member's agenda-input form behind a personal link: who it is for, and what it stores.

The link is the credential (service.form_links). It opens the form while the person is in the
group and the meeting has not ended; before the deadline the member saves, edits and withdraws
their ranked questions; after it, what they send is kept as late input for the secretariat,
who park it for the next meeting or decline it (service.late_input).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from models.agenda import AgendaCall, CallStatus, Submission, SubmissionCreate, SubmissionStatus
from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.people import Person
from service import audit
from service.agenda import calls, submissions
from service.audit import Actor
from service.directory import memberships
from service.followups import AllAnswered, FollowUps
from service.mail import links as mail_links
from service.mail.links import LinkRefused
from service.meetings import meetings
from service.replies import stand_ins


class Phase(StrEnum):
    """Where the call stands for the member at this moment."""

    not_open = "not_open"  # the link works, but the call has not opened yet
    open = "open"  # questions can be saved, edited and withdrawn
    late = "late"  # the deadline passed: what is sent now waits for the secretariat


def check_meeting_ahead(meeting: Meeting, *, now: datetime) -> None:
    """Refuse a personal link whose meeting was called off or has taken place."""
    if meeting.status is MeetingStatus.cancelled:
        raise LinkRefused(N_("This meeting has been cancelled."), reason="expired")
    if meeting.status is MeetingStatus.held or (
        meeting.ends_at is not None and meeting.ends_at <= now
    ):
        raise LinkRefused(
            N_("This link has expired: the meeting it was for has taken place."), reason="expired"
        )


@dataclass(frozen=True)
class Form:
    """Everything the form shows to one member for one call."""

    call: AgendaCall
    meeting: Meeting
    group: WorkingGroup
    person: Person
    phase: Phase
    questions: list[Submission]  # what the member sent in time and has not withdrawn, by rank
    late: list[Submission]  # what they sent after the deadline, still waiting for a decision


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: stored in time, or kept as late input."""

    questions: list[Submission]
    late: bool
    # True when this save was the last answer the call waited for, so it may close now.
    all_answered: bool


# Said to a member whose questions came after the deadline, on the page and in the API.
LATE_NOTICE = N_(
    "The deadline has passed, so your questions were not added to this meeting's agenda."
    " They are kept as late input: the secretariat decides whether they go to the next meeting."
)


def open_form(session: Session, *, token: str, key: str, now: datetime) -> Form:
    """The form a link opens now, or LinkRefused with the reason."""
    call, person = mail_links.open_link(
        session, token, key=key, purpose=mail_links.FORM_PURPOSE, kind=AgendaCall
    )
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None and group.id is not None and person.id is not None
    check_meeting_ahead(meeting, now=now)
    roles = {
        m.role
        for m in memberships.current(session, group_id=group.id, on=now.date())
        if m.person_id == person.id
    }
    if not roles and stand_ins.is_stand_in(session, meeting=meeting, person=person):
        roles = set(calls.ASKED_ROLES)  # a stand-in sends questions for the one meeting
    if not roles:
        raise LinkRefused(
            N_("This link is for a working group you are not a member of."), reason="not_member"
        )
    if not roles & calls.ASKED_ROLES:
        # A member who became an observer keeps the email, but no longer sends questions.
        raise LinkRefused(
            N_("Only the group's members and chairs send questions for the agenda."),
            reason="not_member",
        )
    mine = _mine(session, call=call, person=person)
    return Form(
        call=call,
        meeting=meeting,
        group=group,
        person=person,
        phase=phase_of(call, now=now),
        questions=sorted(
            (s for s in mine if not s.received_late and s.status is SubmissionStatus.active),
            key=lambda s: s.rank,
        ),
        late=sorted(
            (s for s in mine if s.received_late and s.status is SubmissionStatus.late),
            key=lambda s: s.rank,
        ),
    )


def phase_of(call: AgendaCall, *, now: datetime) -> Phase:
    """Open only between opening and deadline; a closed call takes late input."""
    if call.status is CallStatus.closed or now >= call.deadline:
        return Phase.late
    if call.status is CallStatus.open:
        return Phase.open
    return Phase.not_open


def _mine(session: Session, *, call: AgendaCall, person: Person) -> list[Submission]:
    return list(
        session.exec(
            select(Submission).where(
                Submission.call_id == call.id, Submission.person_id == person.id
            )
        )
    )


def save(
    session: Session,
    *,
    form: Form,
    entries: list[SubmissionCreate],
    now: datetime,
    after: FollowUps | None = None,
) -> Saved:
    """Store a member's ranked questions: in time they replace what was sent, late they wait.

    The last member to answer asks for the call to close at once.
    """
    if form.phase is Phase.not_open:
        raise DomainError(N_("This call for input has not opened yet."), field="call")
    if not entries:
        raise DomainError(
            N_("Write at least one question, or withdraw what you sent."), field="question_1"
        )
    if form.phase is Phase.late:
        submissions.check_entries(entries, max_questions=form.call.max_questions)
        return Saved(
            questions=_keep_late(session, form=form, entries=entries, now=now),
            late=True,
            all_answered=False,
        )
    assert form.call.id is not None
    stored = submissions.replace_submissions(
        session,
        call_id=form.call.id,
        person=form.person,
        entries=entries,
        actor=Actor.of(form.person),
        now=now,
    )
    waiting = calls.pending_people(session, call=form.call, on=now.date())
    if not waiting and after is not None:
        after.add(AllAnswered(form.call.id))
    return Saved(questions=stored, late=False, all_answered=not waiting)


def withdraw(session: Session, *, form: Form, now: datetime) -> None:
    """Withdraw everything the member sent: in time before the deadline, else the late input."""
    if form.phase is Phase.open:
        assert form.call.id is not None
        submissions.replace_submissions(
            session,
            call_id=form.call.id,
            person=form.person,
            entries=[],
            actor=Actor.of(form.person),
            now=now,
        )
        return
    if form.phase is Phase.late and form.late:
        _withdraw_late(session, form=form, now=now)
        return
    raise DomainError(N_("There is nothing you can withdraw now."), field="call")


def _withdraw_late(session: Session, *, form: Form, now: datetime) -> None:
    actor = Actor.of(form.person)
    for row in session.exec(
        select(Submission).where(
            Submission.call_id == form.call.id,
            Submission.person_id == form.person.id,
            col(Submission.received_late).is_(True),
            Submission.status == SubmissionStatus.late,
        )
    ):
        with audit.changing(session, row, actor=actor, now=now):
            row.status, row.updated_at = SubmissionStatus.withdrawn, now


def _keep_late(
    session: Session, *, form: Form, entries: list[SubmissionCreate], now: datetime
) -> list[Submission]:
    """Keep late questions beside the ones sent in time; a newer late post replaces older."""
    assert form.call.id is not None and form.person.id is not None
    actor = Actor.of(form.person)
    with session.begin_nested():
        _withdraw_late(session, form=form, now=now)
        kept = []
        for entry in entries:
            row = Submission(
                call_id=form.call.id,
                person_id=form.person.id,
                organisation_id=form.person.organisation_id,
                rank=entry.rank,
                question=entry.question.strip(),
                context=(entry.context or "").strip() or None,
                status=SubmissionStatus.late,
                received_late=True,
                submitted_at=now,
                updated_at=now,
            )
            audit.save(session, row=row, before=None, actor=actor, now=now)
            kept.append(row)
    return kept
