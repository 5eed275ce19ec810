"""Calls for agenda input, members' submissions, and the agenda they become."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type, partial_index

MAX_QUESTIONS_LIMIT = 10
QUESTION_MAX_LENGTH = 500
CONTEXT_MAX_LENGTH = 2000
GUIDANCE_MAX_LENGTH = 4000


class CallStatus(StrEnum):
    """A call opens and closes by itself; the secretariat can also do both by hand."""

    draft = "draft"
    open = "open"
    closed = "closed"


class SubmissionStatus(StrEnum):
    """Withdrawn input is kept; late input waits for the secretariat, who park or decline it."""

    active = "active"
    withdrawn = "withdrawn"
    parked = "parked"
    late = "late"
    declined = "declined"


class AgendaVersionStatus(StrEnum):
    """A draft is edited; publishing freezes it; a newer publication supersedes it."""

    draft = "draft"
    published = "published"
    superseded = "superseded"


class AgendaItemKind(StrEnum):
    """Standing items come back every meeting; the others come from submissions or by hand."""

    standing = "standing"
    submitted = "submitted"
    manual = "manual"


class AgendaItemStatus(StrEnum):
    """What happens to an item; moved items go to the next meeting."""

    proposed = "proposed"
    accepted = "accepted"
    moved = "moved"
    dropped = "dropped"


# Properties to receive on creation
class AgendaCallCreate(SQLModel):
    opens_at: datetime
    deadline: datetime
    max_questions: int = Field(default=3, ge=1, le=MAX_QUESTIONS_LIMIT)
    guidance: str | None = Field(default=None, max_length=GUIDANCE_MAX_LENGTH)


# Database table
class AgendaCall(SQLModel, table=True):
    __tablename__ = "agenda_call"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id"),
        sa.CheckConstraint("deadline > opens_at", name="window_ordered"),
        sa.CheckConstraint(
            f"max_questions BETWEEN 1 AND {MAX_QUESTIONS_LIMIT}", name="max_questions_range"
        ),
        # The work queue's calls closing soon: the open calls by deadline (migration 0122).
        partial_index("ix_agenda_call_open_deadline", "deadline", where="status = 'open'"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    opens_at: datetime = Field(sa_type=UtcDateTime)
    deadline: datetime = Field(sa_type=UtcDateTime)
    max_questions: int = 3
    guidance: str | None = Field(default=None, max_length=GUIDANCE_MAX_LENGTH)
    # Indexed: the advance flow looks up the open calls on every run.
    status: CallStatus = Field(default=CallStatus.draft, sa_type=enum_type(CallStatus), index=True)
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The Prefect run booked to close the call at its deadline, for the link to the Prefect UI.
    close_flow_run_id: str | None = Field(default=None, max_length=64)


# Properties to receive on creation
class SubmissionCreate(SQLModel):
    rank: int
    question: str
    context: str | None = None


# Database table
class Submission(SQLModel, table=True):
    __table_args__ = (
        # One question per rank among what a member sent in time; late input sits beside it.
        partial_index(
            "uq_submission_on_time_rank",
            "call_id",
            "person_id",
            "rank",
            unique=True,
            where="NOT received_late",
        ),
        # The work queue's late input: the few late questions, not millions of answers.
        partial_index(
            "ix_submission_late",
            "call_id",
            where="status = 'late'",
        ),
        sa.CheckConstraint(f"rank BETWEEN 1 AND {MAX_QUESTIONS_LIMIT}", name="rank_range"),
        sa.CheckConstraint("length(trim(question)) > 0", name="question_not_blank"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="agenda_call.id", index=True)
    # Null once the person has been erased; the organisation still says who brought it.
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    rank: int
    question: str = Field(max_length=QUESTION_MAX_LENGTH)
    context: str | None = Field(default=None, max_length=CONTEXT_MAX_LENGTH)
    status: SubmissionStatus = Field(
        default=SubmissionStatus.active, sa_type=enum_type(SubmissionStatus)
    )
    submitted_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    # Sent after the deadline: kept apart, for the secretariat to park or decline.
    received_late: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Set when late input is accepted into the parking lot for a later meeting.
    parked_for_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    # Sent again with one click from "Still relevant?" on a later form: the question it repeats.
    resubmitted_from_id: int | None = Field(default=None, foreign_key="submission.id")
    anonymised_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


# Database table
class AgendaVersion(SQLModel, table=True):
    __tablename__ = "agenda_version"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number"),
        sa.CheckConstraint("number >= 0", name="number_positive"),
        # The work queue's drafts never published: the few number-0 versions, not every one.
        partial_index(
            "ix_agenda_version_draft",
            "meeting_id",
            where="number = 0",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    # 0 is the draft built at the deadline; publications count 1, 2, 3...
    number: int
    status: AgendaVersionStatus = Field(
        default=AgendaVersionStatus.draft, sa_type=enum_type(AgendaVersionStatus)
    )
    created_at: datetime = Field(sa_type=UtcDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    change_summary: str | None = Field(default=None, max_length=4000)


# Database table
class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "position"),
        sa.UniqueConstraint("version_id", "item_key"),
        sa.CheckConstraint("duration_minutes BETWEEN 0 AND 600", name="duration_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agenda_version.id", index=True)
    # The same item in every version of a meeting's agenda, so versions can be compared.
    item_key: int = Field(ge=1)
    position: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    kind: AgendaItemKind = Field(sa_type=enum_type(AgendaItemKind))
    status: AgendaItemStatus = Field(
        default=AgendaItemStatus.proposed, sa_type=enum_type(AgendaItemStatus)
    )
    duration_minutes: int = 10
    # Who presents the item: they may add its materials, and are reminded when none are in.
    presenter_id: int | None = Field(default=None, foreign_key="person.id")
    # Priority score from the members' ranks, kept to explain the order.
    score: float | None = None


# Database table: which submissions an item was built from
class AgendaItemSource(SQLModel, table=True):
    __tablename__ = "agenda_item_source"

    item_id: int = Field(foreign_key="agenda_item.id", primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
