"""Late homework answers: kept apart after the deadline, accepted (they count) or declined."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from models.errors import N_, DomainError, NotFound
from models.homework import HomeworkAnswer, HomeworkRevision, RevisionStatus
from service import audit
from service.audit import Actor
from service.directory import organisations
from service.homework import assignments


class Decision(StrEnum):
    """What the chair or secretariat does with a late answer."""

    accept = "accept"
    decline = "decline"


@dataclass(frozen=True)
class Waiting:
    """A late answer still waiting, with the organisation it is for."""

    revision: HomeworkRevision
    organisation: str


def waiting(session: Session, *, assignment_id: int) -> list[Waiting]:
    """The late answers of an assignment that wait for a decision, oldest first."""
    rows = session.exec(
        select(HomeworkRevision, HomeworkAnswer)
        .join(HomeworkAnswer, col(HomeworkAnswer.id) == HomeworkRevision.answer_id)
        .where(
            HomeworkAnswer.assignment_id == assignment_id,
            HomeworkRevision.status == RevisionStatus.late,
        )
        .order_by(col(HomeworkRevision.id))
    ).all()
    names = organisations.names(session, ids=(a.organisation_id for _, a in rows))
    return [Waiting(r, names[a.organisation_id]) for r, a in rows]


def decide(
    session: Session,
    *,
    group_id: int,
    assignment_id: int,
    revision_id: int,
    decision: Decision,
    actor: Actor,
    now: datetime,
) -> HomeworkRevision:
    """Accept a late answer (it counts from now on) or decline it (kept, not counted)."""
    assignments.in_group(session, group_id=group_id, assignment_id=assignment_id)
    row = session.get(HomeworkRevision, revision_id)
    answer = session.get(HomeworkAnswer, row.answer_id) if row is not None else None
    if row is None or answer is None or answer.assignment_id != assignment_id:
        raise NotFound(N_("Unknown late answer."), field="revision")
    if row.status is not RevisionStatus.late:
        raise DomainError(N_("This late answer has already been handled."), field="revision")
    with audit.changing(session, row, actor=actor, now=now):
        row.status = (
            RevisionStatus.accepted if decision is Decision.accept else RevisionStatus.declined
        )
        row.decided_at = now
    return row


def organisation_of(session: Session, revision: HomeworkRevision) -> str:
    """The name of the organisation a revision's answer is for."""
    answer = session.get(HomeworkAnswer, revision.answer_id)
    assert answer is not None
    return organisations.names(session, ids=[answer.organisation_id])[answer.organisation_id]
