"""Meetings, the series they may belong to, their change history and attendance."""

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type, partial_index
from models.dates import DatePrecision


class MeetingFormat(StrEnum):
    """Online first since 2020; physical meetings are chosen on purpose."""

    online = "online"
    physical = "physical"
    hybrid = "hybrid"


class MeetingStatus(StrEnum):
    """Where a meeting stands; calendars map these to CONFIRMED/TENTATIVE/CANCELLED."""

    planned = "planned"
    confirmed = "confirmed"
    postponed = "postponed"
    cancelled = "cancelled"
    held = "held"


STEP_ERROR_MAX_LENGTH = 1000

# Meetings still to come that keep their slot: they get calls, invitations and reminders.
OPEN_STATUSES = (MeetingStatus.planned, MeetingStatus.confirmed)
# meeting.next_step_at of a meeting out of play: no step of it falls due by time alone.
NEXT_STEP_NEVER = datetime(9999, 1, 1, tzinfo=UTC)


class MeetingKind(StrEnum):
    """The names the groups use for their gatherings."""

    meeting = "meeting"
    session = "session"
    workshop = "workshop"
    network_day = "network_day"
    congress = "congress"
    kick_off = "kick_off"


class MeetingChangeKind(StrEnum):
    """What a recorded change to a meeting did."""

    rescheduled = "rescheduled"
    postponed = "postponed"
    cancelled = "cancelled"
    restored = "restored"
    details = "details"


# Database table: a recurring pattern whose occurrences are stored as meetings
class MeetingSeries(SQLModel, table=True):
    __tablename__ = "meeting_series"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    rrule: str = Field(max_length=500)
    duration_minutes: int = Field(ge=15, le=600)


# Shared properties
class MeetingBase(SQLModel):
    title: str = Field(min_length=2, max_length=300)
    kind: MeetingKind = Field(default=MeetingKind.meeting, sa_type=enum_type(MeetingKind))
    description: str | None = Field(default=None, max_length=8000)
    format: MeetingFormat = Field(default=MeetingFormat.online, sa_type=enum_type(MeetingFormat))
    location: str | None = Field(default=None, max_length=300)
    join_url: str | None = Field(default=None, max_length=500)
    is_public: bool = False


# Properties to receive on creation: either exact instants or a fuzzy period
class MeetingCreate(MeetingBase):
    group: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    date_precision: DatePrecision = DatePrecision.day
    period_start: date | None = None
    status: MeetingStatus = MeetingStatus.planned
    status_reason: str | None = Field(default=None, max_length=1000)


# Database table
class Meeting(MeetingBase, table=True):
    __table_args__ = (
        sa.CheckConstraint(
            "(date_precision = 'day' AND starts_at IS NOT NULL AND ends_at IS NOT NULL"
            " AND ends_at > starts_at)"
            " OR (date_precision <> 'day' AND starts_at IS NULL AND ends_at IS NULL"
            " AND period_start IS NOT NULL)",
            name="when_known",
        ),
        sa.CheckConstraint(
            "status NOT IN ('postponed', 'cancelled') OR status_reason IS NOT NULL",
            name="reason_given",
        ),
        sa.CheckConstraint("revision >= 0", name="revision_positive"),
        sa.UniqueConstraint("series_id", "occurrence_date"),
        # The advance flow finds meetings to mark held by status and end, without a scan.
        sa.Index("ix_meeting_status_ends_at", "status", "ends_at"),
        # The overview's meetings held this year, counted per group from the index alone.
        partial_index(
            "ix_meeting_held",
            "starts_at",
            "group_id",
            where="status = 'held'",
        ),
        # The overview's meetings held this year by the groups of its page: each group's own.
        partial_index(
            "ix_meeting_held_group",
            "group_id",
            "starts_at",
            where="status = 'held'",
        ),
        # The work queue's minutes overdue: the held meetings without minutes, by end, so the
        # queue reads the few late ones instead of probing every recent meeting for minutes.
        partial_index(
            "ix_meeting_held_unminuted",
            "ends_at",
            where="status = 'held' AND NOT minutes_written",
        ),
        # The work queue's meetings postponed to a period that still need a day.
        partial_index(
            "ix_meeting_postponed_without_day",
            "group_id",
            where="status = 'postponed' AND starts_at IS NULL",
        ),
        # The next meeting of each group of a page (home, overview): its open meetings by start,
        # not every meeting it ever had (migration 0122).
        partial_index(
            "ix_meeting_open_group",
            "group_id",
            "starts_at",
            where="status IN ('planned', 'confirmed', 'postponed')",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    series_id: int | None = Field(default=None, foreign_key="meeting_series.id")
    # The date the series rule gave this occurrence, so a moved occurrence keeps its identity.
    occurrence_date: date | None = None
    starts_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    date_precision: DatePrecision = Field(
        default=DatePrecision.day, sa_type=enum_type(DatePrecision)
    )
    period_start: date | None = None
    status: MeetingStatus = Field(default=MeetingStatus.planned, sa_type=enum_type(MeetingStatus))
    status_reason: str | None = Field(default=None, max_length=1000)
    # Calendar SEQUENCE: goes up on every significant change, never down.
    revision: int = 0
    # A minutes version exists; set by service.minutes.written when one is added.
    minutes_written: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = Field(sa_type=UtcDateTime)
    # Last real change; calendars use it for DTSTAMP and LAST-MODIFIED.
    updated_at: datetime = Field(sa_type=UtcDateTime)
    # Last Prefect flow run started for this meeting, for the link to the Prefect UI.
    flow_run_id: str | None = Field(default=None, max_length=64)
    # The last failure of this meeting's automatic steps, shown to the secretariat until a run
    # gets through; the steps of other meetings go on regardless.
    step_error: str | None = Field(default=None, max_length=STEP_ERROR_MAX_LENGTH)
    step_failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # When advance-meetings must look at the meeting again (service/lifecycle/next_step.py);
    # NULL: not known yet; NEXT_STEP_NEVER: out of play. The flow's bookkeeping, not the
    # meeting: left out of the audit's snapshots and of every model dump.
    next_step_at: datetime | None = Field(
        default=None, sa_type=UtcDateTime, index=True, exclude=True
    )


# Database table: every change of date or status, so slippage stays visible
class MeetingChange(SQLModel, table=True):
    __tablename__ = "meeting_change"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    revision: int = Field(ge=0)
    kind: MeetingChangeKind = Field(sa_type=enum_type(MeetingChangeKind))
    changed_at: datetime = Field(sa_type=UtcDateTime)
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str | None = Field(default=None, max_length=1000)
    old_starts_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # With old_starts_at, the slot a postponed meeting had, which its calendar event keeps.
    old_ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    old_date_precision: DatePrecision | None = Field(default=None, sa_type=enum_type(DatePrecision))
    old_period_start: date | None = None
    old_status: MeetingStatus | None = Field(default=None, sa_type=enum_type(MeetingStatus))


class AttendanceStatus(StrEnum):
    """Whether a member was there; excused members count apart from absent ones."""

    present = "present"
    excused = "excused"
    absent = "absent"


# Properties to receive when recording attendance: one person's status at one meeting
class AttendanceEntry(SQLModel):
    person_id: int = Field(ge=1, le=2_147_483_647)
    status: AttendanceStatus


# Database table
class Attendance(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    # Null once the person has been erased; the organisation keeps the count right.
    person_id: int | None = Field(default=None, foreign_key="person.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    status: AttendanceStatus = Field(sa_type=enum_type(AttendanceStatus))


# Database table: the meetings held per programme and year, kept as meetings change
# (service/reports/held_tally.py)
class MeetingTally(SQLModel, table=True):
    """How many meetings the groups of a programme held in a calendar year (Brussels).

    Derived data, never edited: the directors' overview sums these instead of counting every
    meeting held this year. programme_key is the group's programme id, 0 for none; group_key is
    0 for a group that is not closed and the group's id for a closed one (the overview counts a
    closed group's meetings only when the group has a line). A key may hold more than one row
    (two writers at once): only the sum of `count` means anything.
    """

    __tablename__ = "meeting_tally"
    __table_args__ = (sa.Index("ix_meeting_tally_key", "year", "group_key", "programme_key"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_key: int
    year: int
    group_key: int
    count: int
