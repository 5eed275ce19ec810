"""Minutes of a meeting: versions that go from draft through review to approval."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type, partial_index


class MinutesStatus(StrEnum):
    """The state of one version; approved versions are locked, corrections add a version."""

    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    corrected = "corrected"  # an approved version replaced by a later correction


class ApprovalMode(StrEnum):
    """Who approved: the chair, or the group at its next meeting."""

    chair = "chair"
    next_meeting = "next_meeting"


# Database table
class MinutesVersion(SQLModel, table=True):
    __tablename__ = "minutes_version"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        # The work queue's ended reviews: the minutes in review, not ten years of them.
        partial_index(
            "ix_minutes_version_in_review",
            "review_deadline",
            where="status = 'in_review'",
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'corrected')"
            " OR (approved_at IS NOT NULL AND content_hash IS NOT NULL)",
            name="approval_recorded",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    number: int
    status: MinutesStatus = Field(default=MinutesStatus.draft, sa_type=enum_type(MinutesStatus))
    body: str = Field(default="", max_length=200_000)
    created_at: datetime = Field(sa_type=UtcDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    review_deadline: datetime | None = Field(default=None, sa_type=UtcDateTime)
    approved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    approved_by_id: int | None = Field(default=None, foreign_key="person.id")
    approval_mode: ApprovalMode | None = Field(default=None, sa_type=enum_type(ApprovalMode))
    # SHA-256 of the body at approval; a changed body no longer matches.
    content_hash: str | None = Field(default=None, max_length=64)
    correction_reason: str | None = Field(default=None, max_length=2000)


# Database table
class MinutesComment(SQLModel, table=True):
    __tablename__ = "minutes_comment"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="minutes_version.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    body: str = Field(min_length=1, max_length=8000)
    created_at: datetime = Field(sa_type=UtcDateTime)
