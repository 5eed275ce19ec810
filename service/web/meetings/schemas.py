"""What the meetings pages and API take and give."""

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, Field

from models import limits
from models.meetings import MeetingCreate, MeetingFormat, MeetingKind
from service.web.forms import ApiBody, Instant, LocalDateTime, Read, blank_to_none

Title = Annotated[str, Field(min_length=2, max_length=limits.TITLE)]
Location = Annotated[str | None, Field(default=None, max_length=limits.LOCATION)]
JoinUrl = Annotated[str | None, Field(default=None, max_length=limits.URL)]


class MeetingRequest(ApiBody):
    """A one-off meeting to schedule; its times carry their zone."""

    title: Title
    starts_at: Instant
    ends_at: Instant
    kind: MeetingKind = MeetingKind.meeting
    format: MeetingFormat = MeetingFormat.online
    location: Location = None
    join_url: JoinUrl = None
    description: str | None = Field(default=None, max_length=limits.DESCRIPTION)

    def to_create(self, slug: str) -> MeetingCreate:
        """The meeting to create in a group; nothing else (no status) comes from the client."""
        return MeetingCreate(
            group=slug,
            title=self.title.strip(),
            kind=self.kind,
            format=self.format,
            location=blank_to_none(self.location),
            join_url=blank_to_none(self.join_url),
            description=blank_to_none(self.description),
            starts_at=self.starts_at,
            ends_at=self.ends_at,
        )


class MeetingForm(BaseModel):
    """The page's form: a start in Brussels time and a duration."""

    title: Title
    starts_at: LocalDateTime
    duration_minutes: int = Field(ge=15, le=600)
    kind: MeetingKind = MeetingKind.meeting
    format: MeetingFormat = MeetingFormat.online
    location: Location = None
    join_url: JoinUrl = None

    def to_request(self) -> MeetingRequest:
        """The same meeting as the API takes it."""
        return MeetingRequest(
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.starts_at + timedelta(minutes=self.duration_minutes),
            kind=self.kind,
            format=self.format,
            location=self.location,
            join_url=self.join_url,
        )


class PlanRequest(BaseModel):
    """The year to plan from the group's cadence."""

    year: int = Field(ge=2000, le=2100)


class MeetingResponse(Read):
    """A meeting of a group."""

    id: int
    title: str
    kind: str
    status: str
    status_reason: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    date_precision: str
    period_start: date | None
    format: str
    location: str | None
    join_url: str | None
    revision: int
