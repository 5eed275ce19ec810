"""Late input: questions sent after a call's deadline, parked for the next meeting or declined."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from models.agenda import AgendaCall, Submission, SubmissionStatus
from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting
from service import audit
from service.audit import Actor
from service.directory import organisations, people
from service.meetings import meetings


class Decision(StrEnum):
    """What the chair or secretariat does with a late question."""

    park = "park"
    decline = "decline"


@dataclass(frozen=True)
class Parked:
    """Where a late question went."""

    submission: Submission
    meeting: Meeting


def waiting(session: Session, *, meeting_id: int) -> list[Submission]:
    """The late questions of a meeting's call that still wait for a decision, oldest first."""
    return list(
        session.exec(
            select(Submission)
            .join(AgendaCall, col(AgendaCall.id) == Submission.call_id)
            .where(
                AgendaCall.meeting_id == meeting_id,
                col(Submission.received_late).is_(True),
                Submission.status == SubmissionStatus.late,
            )
            .order_by(col(Submission.submitted_at), col(Submission.person_id), col(Submission.rank))
        )
    )


@dataclass(frozen=True)
class Waiting:
    """A late question with who sent it: a name (none once erased) and an organisation."""

    submission: Submission
    person: str | None
    organisation: str


def waiting_named(session: Session, *, meeting_id: int) -> list[Waiting]:
    """The late questions still waiting, with their senders' names and organisations."""
    return _named(session, waiting(session, meeting_id=meeting_id))


def named(session: Session, *, submission: Submission) -> Waiting:
    """One late question with its sender's name and organisation."""
    return _named(session, [submission])[0]


def _named(session: Session, rows: list[Submission]) -> list[Waiting]:
    names = people.names(session, ids=(r.person_id for r in rows))
    cities = organisations.names(session, ids=(r.organisation_id for r in rows))
    return [
        Waiting(r, names.get(r.person_id) if r.person_id else None, cities[r.organisation_id])
        for r in rows
    ]


def _waiting_one(session: Session, *, meeting_id: int, submission_id: int) -> Submission:
    row = session.get(Submission, submission_id)
    call = session.get(AgendaCall, row.call_id) if row is not None else None
    if row is None or call is None or call.meeting_id != meeting_id or not row.received_late:
        raise NotFound(N_("Unknown late question: %(id)s."), field="submission", id=submission_id)
    if row.status is not SubmissionStatus.late:
        raise DomainError(N_("This late question has already been handled."), field="submission")
    return row


def park(
    session: Session, *, meeting_id: int, submission_id: int, actor: Actor, now: datetime
) -> Parked:
    """Accept a late question into the parking lot of the group's next meeting."""
    row = _waiting_one(session, meeting_id=meeting_id, submission_id=submission_id)
    meeting = meetings.get(session, meeting_id=meeting_id)
    following = meetings.next_meeting(session, meeting=meeting, now=now)
    if following is None:
        raise DomainError(
            N_("This group has no next meeting planned yet; plan one first."), field="meeting"
        )
    with audit.changing(session, row, actor=actor, now=now):
        row.status, row.parked_for_meeting_id, row.updated_at = (
            SubmissionStatus.parked,
            following.id,
            now,
        )
    return Parked(submission=row, meeting=following)


def decline(
    session: Session, *, meeting_id: int, submission_id: int, actor: Actor, now: datetime
) -> Submission:
    """Decline a late question; it stays on record, declined."""
    row = _waiting_one(session, meeting_id=meeting_id, submission_id=submission_id)
    with audit.changing(session, row, actor=actor, now=now):
        row.status, row.updated_at = SubmissionStatus.declined, now
    return row


def decide(
    session: Session,
    *,
    meeting_id: int,
    submission_id: int,
    decision: Decision,
    actor: Actor,
    now: datetime,
) -> Submission:
    """Park or decline a late question, as decided."""
    if decision is Decision.park:
        return park(
            session, meeting_id=meeting_id, submission_id=submission_id, actor=actor, now=now
        ).submission
    return decline(
        session, meeting_id=meeting_id, submission_id=submission_id, actor=actor, now=now
    )
