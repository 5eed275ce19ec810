"""Questions not handled come back on the member's next agenda form as "Still relevant?".

One click sends such a question again to the open call: it takes the member's first free
rank and counts towards the call's maximum like any other question, so a member with a full
list withdraws or replaces one first. The new submission names the one it repeats, so each
question comes back once.
"""

from datetime import datetime

from sqlmodel import Session, col, select

from models.agenda import Submission, SubmissionCreate, SubmissionStatus
from models.errors import N_, DomainError
from models.questions import UNHANDLED
from service import audit
from service.agenda import submissions
from service.agenda.member_form import Form, Phase
from service.audit import Actor
from service.questions import fate


def still_relevant(session: Session, *, form: Form) -> list[fate.Path]:
    """The member's earlier questions in this group that were not handled, not yet sent again.

    Carried over by the agenda itself (an item moved to the next meeting) does not count:
    that item comes back on the next draft without the member's help.
    """
    assert form.group.id is not None and form.person.id is not None
    mine = fate.for_group(session, group_id=form.group.id, person_id=form.person.id)
    repeated = set(
        session.exec(
            select(Submission.resubmitted_from_id).where(
                col(Submission.id).in_([p.submission.id for p in mine]),
                col(Submission.resubmitted_from_id).is_not(None),
                col(Submission.status) != SubmissionStatus.withdrawn,
            )
        )
    )
    return [
        p
        for p in mine
        if p.submission.call_id != form.call.id
        and p.status in UNHANDLED
        and p.last.reason != "moved"
        and p.submission.id not in repeated
    ]


def resubmit(session: Session, *, form: Form, submission_id: int, now: datetime) -> Submission:
    """Send an earlier, unhandled question again to the open call, at the first free rank."""
    if form.phase is not Phase.open:
        raise DomainError(
            N_("Questions can be sent again only while the call for input is open."),
            field="resubmit",
        )
    earlier = next(
        (
            p.submission
            for p in still_relevant(session, form=form)
            if p.submission.id == submission_id
        ),
        None,
    )
    if earlier is None or earlier.id is None:
        raise DomainError(N_("This question cannot be sent again here."), field="resubmit")
    taken = {q.rank for q in form.questions}
    rank = next((r for r in range(1, form.call.max_questions + 1) if r not in taken), None)
    if rank is None:
        raise DomainError(
            N_(
                "You already have %(max)s questions for this meeting. Withdraw or replace one"
                " before sending this one again."
            ),
            field="resubmit",
            max=form.call.max_questions,
        )
    entries = [SubmissionCreate(rank=q.rank, question=q.question) for q in form.questions]
    entries.append(SubmissionCreate(rank=rank, question=earlier.question))
    submissions.check_entries(entries, max_questions=form.call.max_questions)
    assert form.call.id is not None and form.person.id is not None
    # A withdrawn question keeps its rank's row (ranks are unique per call): reuse it.
    row = session.exec(
        select(Submission).where(
            Submission.call_id == form.call.id,
            Submission.person_id == form.person.id,
            Submission.rank == rank,
            col(Submission.received_late).is_(False),
        )
    ).first()
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = Submission(
            call_id=form.call.id,
            person_id=form.person.id,
            organisation_id=form.person.organisation_id,
            rank=rank,
            question="",
            submitted_at=now,
            updated_at=now,
        )
    row.question, row.context = earlier.question, earlier.context
    row.status, row.resubmitted_from_id, row.updated_at = SubmissionStatus.active, earlier.id, now
    audit.save(session, row=row, before=before, actor=Actor.of(form.person), now=now)
    return row
