"""What the lifecycle pages and API take and give: changes to a meeting, and where it stands."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Literal, TypedDict

from pydantic import BaseModel, Field

from models import limits
from models.agenda import AgendaCall
from models.dates import DatePrecision
from models.errors import N_, DomainError
from models.meetings import Meeting, MeetingFormat
from service.lifecycle.meeting_status import Timeline
from service.settings import Settings
from service.web.forms import (
    ApiBody,
    Instant,
    LocalDateTime,
    OptionalReason,
    Read,
    Reason,
    blank_to_none,
)
from service.web.meetings.schemas import MeetingResponse

Gettext = Callable[[str], str]
# Where a change made from the meeting's own page returns to; nothing else is accepted.
Back = Literal["meeting"] | None


class Move(TypedDict):
    """The arguments of `changes.reschedule` that come from the person."""

    starts_at: datetime
    ends_at: datetime
    reason: str | None


class Postponement(TypedDict):
    """The arguments of `changes.postpone` that come from the person."""

    period_start: date
    precision: DatePrecision
    reason: str


class Place(TypedDict):
    """The arguments of `changes.change_place` that come from the person."""

    format: MeetingFormat
    location: str | None
    join_url: str | None
    reason: str | None


class RescheduleRequest(ApiBody):
    """A new exact slot; times carry their zone."""

    starts_at: Instant
    ends_at: Instant
    reason: OptionalReason = None

    def args(self) -> Move:
        """The use case's arguments."""
        return Move(starts_at=self.starts_at, ends_at=self.ends_at, reason=self.reason)


class RescheduleForm(BaseModel):
    """The page's form: a new start in Brussels time and a duration."""

    starts_at: LocalDateTime
    duration_minutes: int = Field(ge=15, le=600)
    back: Back = None

    def args(self) -> Move:
        """The use case's arguments: the meeting ends `duration_minutes` after its new start."""
        ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        return Move(starts_at=self.starts_at, ends_at=ends_at, reason=None)


class PostponeRequest(ApiBody):
    """A period whose day is not known yet: its first day and its precision."""

    period_start: date
    precision: DatePrecision = DatePrecision.month
    reason: Reason

    def args(self) -> Postponement:
        """The use case's arguments."""
        return Postponement(
            period_start=self.period_start, precision=self.precision, reason=self.reason
        )


class PostponeForm(BaseModel):
    """The page's form: a month ("2026-02") and the reason."""

    month: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")]
    reason: Reason
    back: Back = None

    def args(self) -> Postponement:
        """The use case's arguments, or a refusal for a month that does not exist."""
        year, number = (int(part) for part in self.month.split("-"))
        if not 1 <= number <= 12 or year == 0:
            raise DomainError(
                N_("Give the month or period the meeting moves to."), field="period_start"
            )
        return Postponement(
            period_start=date(year, number, 1), precision=DatePrecision.month, reason=self.reason
        )


class CancelRequest(BaseModel):
    """Why the meeting is cancelled."""

    reason: Reason
    back: Back = None


class PlaceRequest(BaseModel):
    """Where the meeting takes place."""

    format: MeetingFormat
    location: Annotated[str | None, Field(max_length=limits.LOCATION)] = None
    join_url: Annotated[str | None, Field(max_length=limits.URL)] = None
    reason: OptionalReason = None

    def args(self) -> Place:
        """The use case's arguments; blank fields mean 'none'."""
        return Place(
            format=self.format,
            location=blank_to_none(self.location),
            join_url=blank_to_none(self.join_url),
            reason=blank_to_none(self.reason),
        )


class StepResponse(Read):
    """One step of a meeting's life, its label in the reader's language."""

    key: str
    label: str
    due_at: datetime | None
    done_at: datetime | None
    detail: str | None
    skipped: bool


class CallResponse(Read):
    """A meeting's call for input."""

    id: int
    status: str
    opens_at: datetime
    deadline: datetime
    max_questions: int
    guidance: str | None
    close_flow_run_url: str | None = None


class MeetingStatusResponse(MeetingResponse):
    """A meeting, where it stands, and what is due next."""

    flow_run_url: str | None
    call: CallResponse | None
    steps: list[StepResponse]
    next_step: str | None


def run_url(settings: Settings, run_id: str | None) -> str | None:
    """The Prefect UI's page of a flow run."""
    return f"{settings.prefect_ui}/runs/flow-run/{run_id}" if run_id else None


def call_response(call: AgendaCall | None, settings: Settings) -> CallResponse | None:
    """The answer for a meeting's call, if it has one."""
    if call is None:
        return None
    found = CallResponse.model_validate(call)
    found.close_flow_run_url = run_url(settings, call.close_flow_run_id)
    return found


def status_response(
    meeting: Meeting,
    call: AgendaCall | None,
    timeline: Timeline,
    settings: Settings,
    gettext: Gettext,
) -> MeetingStatusResponse:
    """A meeting with its call and every step, labels in the reader's language."""
    upcoming = timeline.next_step
    return MeetingStatusResponse(
        **MeetingResponse.model_validate(meeting).model_dump(),
        flow_run_url=run_url(settings, meeting.flow_run_id),
        call=call_response(call, settings),
        steps=[
            StepResponse.model_validate(s).model_copy(update={"label": gettext(s.label)})
            for s in timeline.steps
        ],
        next_step=upcoming.key if upcoming else None,
    )
