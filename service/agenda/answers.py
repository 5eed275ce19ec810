"""Who has answered a meeting's call, per organisation, and reminding those who have not.

The chair or secretariat may remind the people who sent nothing yet by hand, at most once a
day: the outbox key names the day (in Brussels), so a second press that day, or a repeated
request, queues nothing new.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from models.agenda import AgendaCall, CallStatus, Submission, SubmissionStatus
from models.errors import N_, DomainError
from models.meetings import Meeting
from models.notifications import Notification
from models.organisations import Organisation
from service.agenda import calls
from service.agenda.calls import CallPolicy
from service.clock import BRUSSELS
from service.mail import outbox


@dataclass(frozen=True)
class Answer:
    """One person asked, and what they sent in time (0 questions: not answered yet)."""

    person_id: int
    name: str
    questions: int
    last_sent_at: datetime | None

    @property
    def answered(self) -> bool:
        """Whether the person has at least one question in the call."""
        return self.questions > 0


@dataclass(frozen=True)
class OrganisationAnswers:
    """The people asked from one organisation."""

    organisation_id: int
    name: str
    people: list[Answer]

    @property
    def answered(self) -> int:
        """How many of them have answered."""
        return sum(1 for p in self.people if p.answered)


@dataclass(frozen=True)
class CallAnswers:
    """Who was asked for a meeting's call and who has answered, organisation by organisation."""

    call: AgendaCall
    organisations: list[OrganisationAnswers]
    reminded_on: date | None  # the last day someone was reminded by hand

    @property
    def asked(self) -> int:
        """How many people are asked."""
        return sum(len(o.people) for o in self.organisations)

    @property
    def answered(self) -> int:
        """How many people have answered."""
        return sum(o.answered for o in self.organisations)


def _call(session: Session, meeting: Meeting) -> AgendaCall:
    assert meeting.id is not None
    call = calls.for_meeting(session, meeting_id=meeting.id)
    if call is None or call.status is CallStatus.draft:
        raise DomainError(N_("This meeting's call for input has not opened yet."), field="call")
    return call


def _asked_on(call: AgendaCall, now: datetime) -> date:
    """Who counts as asked: the group as it is today, or as it was when the call closed."""
    return min(now, call.deadline).astimezone(BRUSSELS).date()


def who_answered(session: Session, *, meeting: Meeting, now: datetime) -> CallAnswers:
    """The people asked for a meeting's questions, per organisation, with what they sent."""
    call = _call(session, meeting)
    asked = calls.asked_people(session, meeting=meeting, on=_asked_on(call, now))
    sent = {
        person_id: (count, last)
        for person_id, count, last in session.exec(
            select(
                Submission.person_id,
                func.count(col(Submission.id)),
                func.max(Submission.submitted_at),
            )
            .where(Submission.call_id == call.id, Submission.status == SubmissionStatus.active)
            .group_by(col(Submission.person_id))
        )
    }
    names = dict(
        session.exec(
            select(Organisation.id, Organisation.name).where(
                col(Organisation.id).in_({p.organisation_id for p in asked})
            )
        ).all()
    )
    by_organisation: dict[int, list[Answer]] = {}
    for person in sorted(asked, key=lambda p: p.name):
        assert person.id is not None
        count, last = sent.get(person.id, (0, None))
        by_organisation.setdefault(person.organisation_id, []).append(
            Answer(person_id=person.id, name=person.name, questions=count, last_sent_at=last)
        )
    organisations = [
        OrganisationAnswers(organisation_id=org_id, name=names.get(org_id, ""), people=people)
        for org_id, people in by_organisation.items()
    ]
    organisations.sort(key=lambda o: o.name)
    return CallAnswers(
        call=call, organisations=organisations, reminded_on=_last_reminded(session, call)
    )


def _key_prefix(call: AgendaCall) -> str:
    return f"agenda-call-reminder:call-{call.id}:by-hand-"


def _last_reminded(session: Session, call: AgendaCall) -> date | None:
    keys = session.exec(
        select(func.max(Notification.idempotency_key)).where(
            col(Notification.idempotency_key).startswith(_key_prefix(call))
        )
    ).first()
    if not keys:
        return None
    return date.fromisoformat(keys.removeprefix(_key_prefix(call))[:10])


def remind_pending(
    session: Session,
    *,
    meeting: Meeting,
    # Unused since the form links are made at send time, as in calls.open_call.
    policy: CallPolicy,  # noqa: ARG001
    now: datetime,
) -> int:
    """Remind the people asked who have sent nothing; once a day at most. Return how many."""
    call = _call(session, meeting)
    if call.status is not CallStatus.open or now >= call.deadline:
        raise DomainError(N_("Only the people of an open call can be reminded."), field="call")
    today = now.astimezone(BRUSSELS).date().isoformat()
    queued = 0
    for person in calls.pending_people(session, call=call, on=now.astimezone(BRUSSELS).date()):
        queued += outbox.queue(
            session,
            # The day is in the key: a second press the same day finds every message queued.
            key=f"{_key_prefix(call)}{today}:person-{person.id}",
            kind="agenda_call_reminder",
            recipient=person,
            context=calls.mail_context(session, call=call, person=person),
            now=now,
        )
    return queued
