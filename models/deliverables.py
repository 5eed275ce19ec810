"""Decisions and the deliverables they create, with the history of every slip."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type, partial_index
from models.dates import DatePrecision, period_end


class DeliverableStatus(StrEnum):
    """Status words of the annual reports, mapped to red/amber/green on the directors' page."""

    planned = "planned"
    in_progress = "in_progress"
    at_risk = "at_risk"
    blocked = "blocked"
    delivered = "delivered"
    dropped = "dropped"


class DeliverableField(StrEnum):
    """Which part of a deliverable a history row records."""

    status = "status"
    due = "due"
    progress = "progress"
    accountable = "accountable"


# Properties to receive on creation
class DecisionCreate(SQLModel):
    group: str
    text: str = Field(min_length=2, max_length=4000)
    decided_on: date
    meeting_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    agenda_item_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


# Database table
class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    text: str = Field(min_length=2, max_length=4000)
    decided_on: date
    created_at: datetime = Field(sa_type=UtcDateTime)


# Properties to receive on creation
class DeliverableCreate(SQLModel):
    group: str
    title: str = Field(min_length=2, max_length=300)
    description: str | None = Field(default=None, max_length=8000)
    accountable_email: str | None = None
    accountable_organisation: str | None = None
    due_on: date
    due_precision: DatePrecision = DatePrecision.day
    status: DeliverableStatus = DeliverableStatus.planned
    status_reason: str | None = Field(default=None, max_length=2000)
    progress: int = Field(default=0, ge=0, le=100)
    # Where it was decided: a meeting of the group, an item of its agenda, a recorded decision.
    meeting_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    agenda_item_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    decision_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    # People (by email) and organisations (by slug) who help deliver it.
    contributor_emails: list[str] = Field(default_factory=list, max_length=50)
    contributor_organisations: list[str] = Field(default_factory=list, max_length=50)


# Deliverables neither delivered nor dropped (the partial index of the work queue).
OPEN_ONLY = "status NOT IN ('delivered', 'dropped')"


# Database table
class Deliverable(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("group_id", "title"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        sa.CheckConstraint(
            "status NOT IN ('blocked', 'dropped') OR status_reason IS NOT NULL",
            name="reason_given",
        ),
        sa.CheckConstraint(
            "status <> 'delivered' OR delivered_on IS NOT NULL", name="delivery_dated"
        ),
        # The overview's page order (group, due day, title) read from the index, not sorted.
        sa.Index("ix_deliverable_group_due", "group_id", "due_day", "title", "id"),
        # The overview's roll-up (status, colour, delivered this year) from the index alone.
        sa.Index("ix_deliverable_roll_up", "group_id", "status", "due_day", "delivered_on"),
        # The overview's deliveries of the last eight quarters.
        partial_index(
            "ix_deliverable_delivered_on",
            "delivered_on",
            where="delivered_on IS NOT NULL",
        ),
        # The work queue's overdue deliverables: the open ones, by due day, not ten years.
        partial_index("ix_deliverable_open_due", "due_day", where=OPEN_ONLY),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    title: str = Field(min_length=2, max_length=300)
    description: str | None = Field(default=None, max_length=8000)
    accountable_person_id: int | None = Field(default=None, foreign_key="person.id")
    accountable_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    due_on: date
    due_precision: DatePrecision = Field(
        default=DatePrecision.day, sa_type=enum_type(DatePrecision)
    )
    # The last day of the due period, kept by `_store_due_day` on every write, so the
    # database can sort, compare and index it (never set by hand).
    due_day: date | None = None
    status: DeliverableStatus = Field(
        default=DeliverableStatus.planned, sa_type=enum_type(DeliverableStatus)
    )
    status_reason: str | None = Field(default=None, max_length=2000)
    progress: int = 0
    delivered_on: date | None = None
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


@sa.event.listens_for(Deliverable, "before_insert")
@sa.event.listens_for(Deliverable, "before_update")
def _store_due_day(_mapper: object, _connection: object, target: Deliverable) -> None:
    """Keep the stored due day equal to the end of the due period, whoever writes the row."""
    target.due_day = period_end(target.due_on, target.due_precision)


# Database table: people and organisations that help deliver
class DeliverableContributor(SQLModel, table=True):
    __tablename__ = "deliverable_contributor"
    __table_args__ = (
        sa.UniqueConstraint("deliverable_id", "person_id", "organisation_id"),
        sa.CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL", name="someone"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deliverable_id: int = Field(foreign_key="deliverable.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")


# Database table: one row per change of status, due date, progress or owner
class DeliverableChange(SQLModel, table=True):
    __tablename__ = "deliverable_change"
    # The overview's slips: the due changes of the last 90 days, not every change ever.
    __table_args__ = (sa.Index("ix_deliverable_change_field_changed_at", "field", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    deliverable_id: int = Field(foreign_key="deliverable.id", index=True)
    field: DeliverableField = Field(sa_type=enum_type(DeliverableField))
    old_value: str | None = Field(default=None, max_length=200)
    new_value: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=2000)
    changed_at: datetime = Field(sa_type=UtcDateTime)
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")


# Database table: the directors' roll-up kept as deliverables change (service/reports/tally.py)
class DeliverableTally(SQLModel, table=True):
    """How many deliverables of a programme share a status, open due day and delivery quarter.

    Derived data, never edited: the overview sums these instead of every deliverable of ten
    years. programme_key is the group's programme id, 0 for none; due_day is None for the
    delivered and dropped (they have no colour); delivered_quarter is the first day of the
    quarter of delivery. A key may hold more than one row (two writers at once): only the sum
    of `count` means anything.
    """

    __tablename__ = "deliverable_tally"
    __table_args__ = (
        sa.Index(
            "ix_deliverable_tally_key", "programme_key", "status", "due_day", "delivered_quarter"
        ),
        # The overview's deliveries of the last eight quarters: those rows, not every one.
        partial_index(
            "ix_deliverable_tally_delivered",
            "delivered_quarter",
            where="delivered_quarter IS NOT NULL",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_key: int
    status: DeliverableStatus = Field(sa_type=enum_type(DeliverableStatus))
    due_day: date | None = None
    delivered_quarter: date | None = None
    count: int
