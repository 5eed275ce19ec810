"""The members' submissions to a call for agenda input: checked, then saved in place."""

from datetime import datetime

from sqlmodel import Session, col, select

from models.agenda import (
    CONTEXT_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    AgendaCall,
    Submission,
    SubmissionCreate,
    SubmissionStatus,
)
from models.errors import N_, DomainError, at_most
from models.meetings import Meeting
from models.people import Person
from service import audit
from service.agenda import calls
from service.audit import Actor
from service.directory import memberships
from service.meetings import meetings

_LONG_QUESTION = N_("A question can be at most %(max_length)s characters long.")
_LONG_CONTEXT = N_("The context can be at most %(max_length)s characters long.")


def check_entries(entries: list[SubmissionCreate], *, max_questions: int) -> None:
    """Refuse empty, too long, too many, badly ranked or repeated questions."""
    if len(entries) > max_questions:
        raise DomainError(
            N_("You can send at most %(max)s questions."), field="questions", max=max_questions
        )
    seen_ranks: set[int] = set()
    seen_questions: set[str] = set()
    for entry in entries:
        field = f"question_{entry.rank}"
        if not 1 <= entry.rank <= max_questions:
            raise DomainError(
                N_("A rank must be between 1 and %(max)s."), field="rank", max=max_questions
            )
        if entry.rank in seen_ranks:
            raise DomainError(N_("Each rank can be used only once."), field=field)
        seen_ranks.add(entry.rank)
        question = entry.question.strip()
        if not question:
            raise DomainError(N_("A question cannot be empty."), field=field)
        at_most(question, QUESTION_MAX_LENGTH, field=field, message=_LONG_QUESTION)
        context = (entry.context or "").strip()
        at_most(context, CONTEXT_MAX_LENGTH, field=f"context_{entry.rank}", message=_LONG_CONTEXT)
        folded = " ".join(question.casefold().split())
        if folded in seen_questions:
            raise DomainError(N_("You asked the same question twice."), field=field)
        seen_questions.add(folded)


def replace_submissions(
    session: Session,
    *,
    call_id: int,
    person: Person,
    entries: list[SubmissionCreate],
    actor: Actor,
    now: datetime,
) -> list[Submission]:
    """Store a member's ranked questions, replacing what they sent before to this call."""
    call = calls.get_call(session, call_id=call_id)
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    assert person.id is not None
    if not memberships.is_member(
        session, person_id=person.id, group_id=meeting.group_id, on=now.date()
    ):
        raise DomainError(N_("Only members of this group can send questions."), field="person")
    check_entries(entries, max_questions=call.max_questions)
    with session.begin_nested():  # all or nothing, even if the caller carries on
        existing = {
            s.rank: s
            for s in session.exec(
                select(Submission).where(
                    Submission.call_id == call_id,
                    Submission.person_id == person.id,
                    col(Submission.received_late).is_(False),
                )
            )
        }
        kept: list[Submission] = []
        for entry in entries:
            row = existing.pop(entry.rank, None)
            before = audit.snapshot(row) if row else None
            if row is None:
                row = Submission(
                    call_id=call_id,
                    person_id=person.id,
                    organisation_id=person.organisation_id,
                    rank=entry.rank,
                    question="",
                    submitted_at=now,
                    updated_at=now,
                )
            row.question = entry.question.strip()
            row.context = (entry.context or "").strip() or None
            row.status = SubmissionStatus.active
            row.updated_at = now
            audit.save(session, row=row, before=before, actor=actor, now=now)
            kept.append(row)
        for row in existing.values():  # ranks left out are withdrawn, never deleted
            if row.status is SubmissionStatus.active:
                with audit.changing(session, row, actor=actor, now=now):
                    row.status, row.updated_at = SubmissionStatus.withdrawn, now
    return kept


def for_group(session: Session, *, group_id: int) -> list[Submission]:
    """Every question sent for a group's meetings, oldest first."""
    rows = session.exec(
        select(Submission)
        .join(AgendaCall, col(AgendaCall.id) == Submission.call_id)
        .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
        .where(Meeting.group_id == group_id)
        .order_by(col(Submission.id))
    )
    return list(rows)
