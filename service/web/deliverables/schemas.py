"""What the decisions and deliverables pages and API take and give."""

from datetime import date, datetime
from typing import Annotated, TypedDict

from fastapi import Depends
from pydantic import BaseModel, Field

from models import limits
from models.dates import DatePrecision
from models.deliverables import (
    DecisionCreate,
    Deliverable,
    DeliverableCreate,
    DeliverableStatus,
)
from service.deliverables import deliverables, register
from service.web.deps import MAX_ID, IdPath, SessionDep
from service.web.forms import ApiBody, Read, blank_to_none

OptionalId = Annotated[int | None, Field(default=None, ge=1, le=MAX_ID)]
ChangeReason = Annotated[str | None, Field(default=None, max_length=limits.CHANGE_REASON)]


def _deliverable(slug: str, deliverable_id: IdPath, session: SessionDep) -> Deliverable:
    return deliverables.in_group(session, slug=slug, deliverable_id=deliverable_id)


# The deliverable of the path, refused as unknown (404) when it belongs to another group.
DeliverableDep = Annotated[Deliverable, Depends(_deliverable)]


class DeliverableRequest(ApiBody):
    """A deliverable to record; its status starts as planned."""

    title: str = Field(min_length=2, max_length=limits.TITLE)
    description: str | None = Field(default=None, max_length=limits.DESCRIPTION)
    due_on: date
    due_precision: DatePrecision = DatePrecision.day
    accountable_email: str | None = Field(default=None, max_length=limits.EMAIL)
    accountable_organisation: str | None = Field(default=None, max_length=limits.ORGANISATION_SLUG)
    meeting_id: OptionalId = None
    agenda_item_id: OptionalId = None
    decision_id: OptionalId = None
    contributor_emails: list[str] = Field(default_factory=list, max_length=50)
    contributor_organisations: list[str] = Field(default_factory=list, max_length=50)

    def to_create(self, slug: str) -> DeliverableCreate:
        """The deliverable to create in a group."""
        return DeliverableCreate(group=slug, **self.model_dump())


class DeliverableForm(BaseModel):
    """The page's form: the due date as text ("2026-02", "2026-Q1"), addresses comma-separated."""

    title: str = Field(min_length=2, max_length=limits.TITLE)
    due: str = Field(max_length=limits.DUE_TEXT)
    accountable_email: str = Field(default="", max_length=limits.EMAIL)
    accountable_organisation: str = Field(default="", max_length=limits.ORGANISATION_SLUG)
    contributors: str = Field(default="", max_length=limits.CONTRIBUTORS)
    description: str = Field(default="", max_length=limits.DESCRIPTION)
    meeting_id: OptionalId = None
    agenda_item_id: OptionalId = None
    decision_id: OptionalId = None

    def to_create(self, slug: str) -> DeliverableCreate:
        """The deliverable to create, or a refusal for a due date that cannot be read."""
        due_on, precision = deliverables.parse_due(self.due)
        emails = [p.strip() for p in self.contributors.replace(";", ",").split(",") if p.strip()]
        return DeliverableCreate(
            group=slug,
            title=self.title,
            description=blank_to_none(self.description),
            accountable_email=blank_to_none(self.accountable_email),
            accountable_organisation=blank_to_none(self.accountable_organisation),
            due_on=due_on,
            due_precision=precision,
            meeting_id=self.meeting_id,
            agenda_item_id=self.agenda_item_id,
            decision_id=self.decision_id,
            contributor_emails=emails,
        )


class StatusArgs(TypedDict):
    """The arguments of `deliverables.change_status` that come from the person."""

    status: DeliverableStatus
    reason: str | None
    delivered_on: date | None


class StatusChange(BaseModel):
    """A new status; blocked and dropped need a reason."""

    status: DeliverableStatus
    reason: ChangeReason = None
    delivered_on: date | None = None

    def args(self) -> StatusArgs:
        """The use case's arguments."""
        return StatusArgs(status=self.status, reason=self.reason, delivered_on=self.delivered_on)


class DueArgs(TypedDict):
    """The arguments of `deliverables.change_due` that come from the person."""

    due_on: date
    precision: DatePrecision
    reason: str


class DueChange(ApiBody):
    """A new due date, possibly only a month, quarter, half year or year, and why."""

    due_on: date
    precision: DatePrecision = DatePrecision.day
    reason: str = Field(max_length=limits.CHANGE_REASON)

    def args(self) -> DueArgs:
        """The use case's arguments."""
        return DueArgs(due_on=self.due_on, precision=self.precision, reason=self.reason)


class DueForm(BaseModel):
    """The page's form: the new due date as text, and why."""

    due: str = Field(max_length=limits.DUE_TEXT)
    reason: str = Field(default="", max_length=limits.CHANGE_REASON)

    def args(self) -> DueArgs:
        """The use case's arguments, or a refusal for a due date that cannot be read."""
        due_on, precision = deliverables.parse_due(self.due)
        return DueArgs(due_on=due_on, precision=precision, reason=self.reason)


class ProgressArgs(TypedDict):
    """The arguments of `deliverables.change_progress` that come from the person."""

    progress: int
    note: str | None


class ProgressChange(BaseModel):
    """How far along the deliverable is, in percent."""

    progress: int = Field(ge=0, le=100)
    note: ChangeReason = None

    def args(self) -> ProgressArgs:
        """The use case's arguments."""
        return ProgressArgs(progress=self.progress, note=self.note)


class DecisionRequest(BaseModel):
    """A decision of the group, from a meeting or on its own."""

    text: str = Field(min_length=2, max_length=limits.DECISION)
    decided_on: date
    meeting_id: OptionalId = None
    agenda_item_id: OptionalId = None

    def to_create(self, slug: str) -> DecisionCreate:
        """The decision to record in a group."""
        return DecisionCreate(group=slug, **self.model_dump())


class ChangeResponse(Read):
    """One recorded change: what, from what to what, who (by id), when and why."""

    field: str
    old_value: str | None
    new_value: str
    reason: str | None
    changed_at: datetime
    changed_by_id: int | None


class DeliverableResponse(Read):
    """A deliverable, with its colour today and how far its due date has moved."""

    id: int
    group: str = ""
    title: str
    description: str | None
    status: str
    status_reason: str | None
    progress: int
    due_on: date
    due_precision: str
    due_day: date | None = None
    first_due_on: date | None = None
    first_due_precision: str | None = None
    colour: str | None = None
    accountable_person_id: int | None
    accountable_organisation_id: int | None
    delivered_on: date | None
    meeting_id: int | None
    agenda_item_id: int | None
    decision_id: int | None
    history: list[ChangeResponse] | None = None


class DecisionResponse(Read):
    """A decision of a group."""

    id: int
    text: str
    decided_on: date
    meeting_id: int | None
    agenda_item_id: int | None


def deliverable_response(detail: register.Detail, *, with_history: bool) -> DeliverableResponse:
    """The answer for a deliverable; its history only when asked for."""
    item, slip = detail.deliverable, detail.slip
    return DeliverableResponse.model_validate(item).model_copy(
        update={
            "group": detail.group_slug,
            "due_day": deliverables.due_day(item),
            "first_due_on": slip.first_on,
            "first_due_precision": slip.first_precision,
            "colour": detail.colour,
            "history": [ChangeResponse.model_validate(c) for c in detail.changes]
            if with_history
            else None,
        }
    )
