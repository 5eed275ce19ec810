"""The fate of a submitted question: the outcomes written in the minutes, kept as a path.

"Waiting" and "on the agenda" are read from the submission and the published agenda; what
the meeting did with a question (and a withdrawal) is a row here, never overwritten: a changed
outcome adds a row, so the path says when and who.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type

FATE_NOTE_MAX_LENGTH = 1000


class QuestionStatus(StrEnum):
    """Where a question stands; the first two are derived, the rest recorded."""

    waiting = "waiting"
    on_agenda = "on_agenda"
    answered = "answered"
    decision = "decision"
    deliverable = "deliverable"
    carried_over = "carried_over"
    not_handled = "not_handled"
    withdrawn = "withdrawn"


# What the secretariat may write in the minutes for the questions behind an item.
OUTCOMES = (
    QuestionStatus.answered,
    QuestionStatus.decision,
    QuestionStatus.deliverable,
    QuestionStatus.carried_over,
    QuestionStatus.not_handled,
)
HANDLED = frozenset({QuestionStatus.answered, QuestionStatus.decision, QuestionStatus.deliverable})
# Outcomes that bring a question back on its member's next form as "Still relevant?".
UNHANDLED = frozenset({QuestionStatus.carried_over, QuestionStatus.not_handled})


# Database table: one step of a question's path
class QuestionFate(SQLModel, table=True):
    __tablename__ = "question_fate"
    __table_args__ = (
        sa.CheckConstraint("status NOT IN ('waiting', 'on_agenda')", name="recorded_statuses_only"),
        sa.CheckConstraint("status <> 'answered' OR note IS NOT NULL", name="answer_written"),
        sa.CheckConstraint(
            "status <> 'deliverable' OR deliverable_id IS NOT NULL", name="deliverable_named"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    # Who asked, copied from the submission so export and erasure find the row by person;
    # null once that person is erased or the question is detached after the retention period.
    asker_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # The meeting whose minutes recorded it (the withdrawn step: the meeting asked for).
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    status: QuestionStatus = Field(sa_type=enum_type(QuestionStatus))
    # The short answer (answered), the reason (not handled), or a remark.
    note: str | None = Field(default=None, max_length=FATE_NOTE_MAX_LENGTH)
    deliverable_id: int | None = Field(default=None, foreign_key="deliverable.id")
    # Filled in at approval for a question no outcome was written for.
    automatic: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    recorded_at: datetime = Field(sa_type=UtcDateTime)
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
