"""Questions asked, handled, carried over and not handled, per group, for the annual report.

A question counts in the year (Brussels time) of the meeting it was sent for; its outcome is
the newest one the minutes recorded. Withdrawn questions were not asked; a question sent
again counts again, as it came back to the table.
"""

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.agenda import AgendaCall, Submission, SubmissionStatus
from models.meetings import Meeting
from models.questions import HANDLED, QuestionFate, QuestionStatus
from service.reports.held_tally import year_bounds


@dataclass(frozen=True)
class QuestionCounts:
    """One group's questions in a year."""

    asked: int = 0
    handled: int = 0
    carried_over: int = 0
    not_handled: int = 0


def per_group(session: Session, *, year: int) -> dict[int, QuestionCounts]:
    """The counts of every group that was asked questions for a meeting in `year`."""
    start, end = year_bounds(year)
    # One pass over the year's questions with each of their outcomes, oldest outcome first:
    # the bounds are the year in Brussels as UTC instants, the same test as its year there.
    rows = session.exec(
        select(Submission.id, Meeting.group_id, QuestionFate.status)
        .join(AgendaCall, col(AgendaCall.id) == Submission.call_id)
        .join(Meeting, col(Meeting.id) == AgendaCall.meeting_id)
        .outerjoin(QuestionFate, col(QuestionFate.submission_id) == Submission.id)
        .where(
            col(Submission.status) != SubmissionStatus.withdrawn,
            col(Meeting.starts_at) >= start,
            col(Meeting.starts_at) < end,
        )
        .order_by(col(QuestionFate.id))
    )
    group_of: dict[int, int] = {}
    newest: dict[int, QuestionStatus] = {}
    for submission_id, group_id, status in rows:
        if submission_id is None:
            continue
        group_of[submission_id] = group_id
        if status is not None:
            newest[submission_id] = QuestionStatus(status)
    asked, handled, carried, unhandled = (
        Counter[int](),
        Counter[int](),
        Counter[int](),
        Counter[int](),
    )
    for submission_id, group_id in group_of.items():
        asked[group_id] += 1
        outcome = newest.get(submission_id)
        if outcome in HANDLED:
            handled[group_id] += 1
        elif outcome is QuestionStatus.carried_over:
            carried[group_id] += 1
        elif outcome is QuestionStatus.not_handled:
            unhandled[group_id] += 1
    return {g: QuestionCounts(asked[g], handled[g], carried[g], unhandled[g]) for g in asked}
