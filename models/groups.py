"""Working groups, learning networks, steering groups, tracks and task forces."""

from datetime import date, time
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.agenda import MAX_QUESTIONS_LIMIT
from models.base import enum_type
from models.meetings import MeetingFormat


class GroupKind(StrEnum):
    """The form of cooperation, as the annual reports name it."""

    werkgroep = "werkgroep"
    lerend_netwerk = "lerend_netwerk"
    stuurgroep = "stuurgroep"
    traject = "traject"
    taskforce = "taskforce"


class GroupStatus(StrEnum):
    """Where a group is in its life; "on call" groups meet only when asked."""

    proposed = "proposed"
    active = "active"
    on_hold = "on_hold"
    on_call = "on_call"
    closed = "closed"


# Shared properties
class WorkingGroupBase(SQLModel):
    slug: str = Field(max_length=60, regex=r"^[a-z0-9-]+$")
    short_name: str = Field(min_length=2, max_length=60)
    name: str = Field(min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    kind: GroupKind = Field(sa_type=enum_type(GroupKind))
    status: GroupStatus = Field(default=GroupStatus.active, sa_type=enum_type(GroupStatus))
    started_on: date | None = None
    ended_on: date | None = None
    # Cadence: either an RFC 5545 RRULE, or a number of meetings per year that the planner spreads.
    cadence_rrule: str | None = Field(default=None, max_length=500)
    meetings_per_year: int | None = Field(default=None, ge=1, le=52)
    preferred_weekday: int | None = Field(default=None, ge=0, le=6)  # Monday is 0
    preferred_start_time: time | None = None  # local time in Europe/Brussels
    default_duration_minutes: int = Field(default=120, ge=15, le=600)
    default_format: MeetingFormat = Field(
        default=MeetingFormat.online, sa_type=enum_type(MeetingFormat)
    )
    default_location: str | None = Field(default=None, max_length=300)
    call_opens_days_before: int = Field(default=21, ge=1, le=120)
    call_closes_days_before: int = Field(default=7, ge=0, le=60)
    # How many questions a call of this group asks for, unless a call is set otherwise.
    call_max_questions: int = Field(
        default=3, ge=1, le=MAX_QUESTIONS_LIMIT, sa_column_kwargs={"server_default": "3"}
    )
    # How long members get to comment on draft minutes (the review form's default deadline).
    minutes_review_days: int = Field(
        default=14, ge=1, le=60, sa_column_kwargs={"server_default": "14"}
    )
    # Meetings planned for a public group are public: shown in its public calendar feed.
    is_public: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


# Properties to receive on creation; programme and parent are named by slug
class WorkingGroupCreate(WorkingGroupBase):
    programme: str | None = None
    parent: str | None = None


# Database table
class WorkingGroup(WorkingGroupBase, table=True):
    __tablename__ = "working_group"
    __table_args__ = (
        sa.UniqueConstraint("slug"),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="dates_ordered"
        ),
        sa.CheckConstraint("call_closes_days_before < call_opens_days_before", name="call_window"),
        sa.CheckConstraint(
            f"call_max_questions BETWEEN 1 AND {MAX_QUESTIONS_LIMIT}", name="call_max_questions"
        ),
        sa.CheckConstraint("minutes_review_days BETWEEN 1 AND 60", name="minutes_review_days"),
        # The pages list groups by short name, a page at a time (the home page, the overview).
        sa.Index("ix_working_group_short_name", "short_name", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    # Sub-groups that meet more often until their result is reached (e.g. Datamaturiteit tracks).
    parent_id: int | None = Field(default=None, foreign_key="working_group.id", index=True)


# Database table: the theme a group works on in a given year ("Risicomanagement" for KBO in 2025)
class GroupTheme(SQLModel, table=True):
    __tablename__ = "group_theme"
    __table_args__ = (sa.UniqueConstraint("group_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id")
    year: int = Field(ge=2000, le=2100)
    theme: str = Field(min_length=2, max_length=300)
