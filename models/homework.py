"""Homework between meetings: an assignment per group, its questions, answers and their edits."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel

from models.base import UtcDateTime, enum_type

MAX_HOMEWORK_QUESTIONS = 10
HOMEWORK_TITLE = 200
INTRODUCTION = 4000
PROMPT = 500
CHOICE = 200
MAX_CHOICES = 12
ANSWER_TEXT = 4000


class AnswerMode(StrEnum):
    """Who answers: the organisation as one (colleagues share one answer) or each member."""

    organisation = "organisation"
    member = "member"


class QuestionKind(StrEnum):
    """What an answer to a question is."""

    text = "text"
    yes_no = "yes_no"
    one_choice = "one_choice"
    several_choices = "several_choices"
    number = "number"
    file = "file"


class RevisionStatus(StrEnum):
    """An edit before the deadline counts; a late one waits until it is accepted or declined."""

    on_time = "on_time"
    late = "late"
    accepted = "accepted"
    declined = "declined"


# Database table
class HomeworkAssignment(SQLModel, table=True):
    __tablename__ = "homework_assignment"
    __table_args__ = (sa.CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),)

    id: int | None = Field(default=None, primary_key=True)
    # The meeting the homework prepares: its deadline sits before it, its summary opens it.
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    title: str = Field(max_length=HOMEWORK_TITLE)
    introduction: str = Field(default="", max_length=INTRODUCTION)
    mode: AnswerMode = Field(default=AnswerMode.organisation, sa_type=enum_type(AnswerMode))
    deadline: datetime = Field(sa_type=UtcDateTime)
    set_by_id: int | None = Field(default=None, foreign_key="person.id")
    set_at: datetime = Field(sa_type=UtcDateTime)
    # Set once by the flow at the deadline; the summary and the agenda item follow from it.
    summarised_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Set once the feedback item is first on the meeting's draft agenda; until then the flow
    # keeps looking (the draft may be built after the homework's deadline).
    feedback_placed_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)


# Database table
class HomeworkQuestion(SQLModel, table=True):
    __tablename__ = "homework_question"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "position"),
        sa.CheckConstraint(
            f"position BETWEEN 1 AND {MAX_HOMEWORK_QUESTIONS}", name="position_range"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="homework_assignment.id", index=True)
    position: int
    kind: QuestionKind = Field(sa_type=enum_type(QuestionKind))
    prompt: str = Field(max_length=PROMPT)
    # The choices offered, in order (one_choice and several_choices only).
    choices: list[str] = Field(default_factory=list, sa_type=JSON)


# Database table: one answer per organisation (or per member), edited by revisions
class HomeworkAnswer(SQLModel, table=True):
    __tablename__ = "homework_answer"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "answerer_key"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="homework_assignment.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # "organisation-<id>" or "person-<id>": one answer per answerer, whatever the races.
    answerer_key: str = Field(max_length=40)
    # The member who answers in per-member mode; null per organisation and once erased.
    person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=UtcDateTime)


# Database table: every edit of an answer, with its author, never changed afterwards
class HomeworkRevision(SQLModel, table=True):
    __tablename__ = "homework_revision"

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="homework_answer.id", index=True)
    # Null once the author is erased: the edit stays, for the organisation.
    author_id: int | None = Field(default=None, foreign_key="person.id")
    saved_at: datetime = Field(sa_type=UtcDateTime)
    status: RevisionStatus = Field(sa_type=enum_type(RevisionStatus))
    # Question id (as text) -> the answer: text, bool, number, choice(s) or a kept file.
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
