"""What the agenda pages and API take: a call's deadline and settings, review changes."""

from datetime import datetime
from typing import Annotated, TypedDict

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from models import limits
from models.agenda import AgendaItemStatus, Submission
from service.agenda import late_input, review_list
from service.agenda.review import VersionView
from service.web.deps import MAX_ID, IdPath
from service.web.forms import ApiBody, Instant, LocalDateTime, Read
from service.web.scope import MeetingDep, id_of

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class LateDecision(TypedDict):
    """The arguments of `late_input.decide` that come from the path."""

    meeting_id: int
    submission_id: int
    decision: late_input.Decision


def _late_decision(
    meeting: MeetingDep, submission_id: IdPath, decision: late_input.Decision
) -> LateDecision:
    return LateDecision(meeting_id=id_of(meeting), submission_id=submission_id, decision=decision)


# A decision on one late question of the path's meeting.
LateDecisionDep = Annotated[LateDecision, Depends(_late_decision)]


class ExtendRequest(ApiBody):
    """The call's new deadline, with its zone."""

    deadline: Instant


class ExtendForm(BaseModel):
    """The page's form: the new deadline in Brussels time."""

    deadline: LocalDateTime


class CallSettings(TypedDict):
    """The arguments of `controls.configure` that come from the person."""

    guidance: str | None
    max_questions: int


class CallSettingsRequest(BaseModel):
    """What members read on the form, and how many questions each may send."""

    guidance: str | None = Field(default=None, max_length=limits.GUIDANCE)
    max_questions: int = Field(default=3, ge=1, le=limits.QUESTIONS)

    def args(self) -> CallSettings:
        """The use case's arguments."""
        return CallSettings(guidance=self.guidance, max_questions=self.max_questions)


class ItemEdit(TypedDict):
    """The arguments of `review.change_item` that come from the person (None: unchanged)."""

    title: str | None
    minutes: int | None
    status: AgendaItemStatus | None
    position: int | None


class ItemChange(ApiBody):
    """What to change about an item; fields left out stay as they are."""

    title: str | None = Field(default=None, max_length=limits.TITLE)
    duration_minutes: int | None = Field(default=None, ge=0, le=600)
    status: AgendaItemStatus | None = None
    position: int | None = Field(default=None, ge=1, le=1000)

    def args(self) -> ItemEdit:
        """The use case's arguments."""
        return ItemEdit(
            title=self.title,
            minutes=self.duration_minutes,
            status=self.status,
            position=self.position,
        )


class NewItemArgs(TypedDict):
    """The arguments of `review.add` that come from the person."""

    title: str
    minutes: int


class NewItem(BaseModel):
    """An item added by hand."""

    title: str = Field(max_length=limits.TITLE)
    duration_minutes: int = Field(default=10, ge=0, le=600)

    def args(self) -> NewItemArgs:
        """The use case's arguments."""
        return NewItemArgs(title=self.title, minutes=self.duration_minutes)


class Merge(TypedDict):
    """The arguments of `review.merge` that come from the person."""

    item_id: int
    into_id: int


class MergeRequest(BaseModel):
    """Fold item_id's questions into into_item_id."""

    item_id: RowId
    into_item_id: RowId

    def args(self) -> Merge:
        """The use case's arguments."""
        return Merge(item_id=self.item_id, into_id=self.into_item_id)


class ListedItem(ApiBody):
    """One row of the whole list: an item of the draft with its place, title, minutes, status."""

    id: RowId
    position: int = Field(ge=1, le=1000)
    title: str = Field(max_length=limits.TITLE)
    duration_minutes: int = Field(ge=0, le=600)
    status: AgendaItemStatus

    def row(self) -> review_list.Row:
        """The use case's row."""
        return review_list.Row(
            self.id, self.position, self.title, self.duration_minutes, self.status
        )


class ItemListRequest(ApiBody):
    """The whole draft in one request: every item once, in any order; places decide the order."""

    items: list[ListedItem] = Field(min_length=1, max_length=200)

    def rows(self) -> list[review_list.Row]:
        """The use case's rows."""
        return [item.row() for item in self.items]


class ItemListForm(BaseModel):
    """The review table: one value per row in each list, in the table's order."""

    model_config = ConfigDict(extra="ignore")

    item_id: list[RowId] = Field(max_length=200)
    position: list[Annotated[int, Field(ge=1, le=1000)]] = Field(max_length=200)
    title: list[Annotated[str, Field(max_length=limits.TITLE)]] = Field(max_length=200)
    duration_minutes: list[Annotated[int, Field(ge=0, le=600)]] = Field(max_length=200)
    status: list[AgendaItemStatus] = Field(max_length=200)

    def rows(self) -> list[review_list.Row]:
        """The use case's rows (lists of unequal length are refused as a changed agenda)."""
        columns = (self.position, self.title, self.duration_minutes, self.status)
        if any(len(column) != len(self.item_id) for column in columns):
            return []
        return [review_list.Row(*row) for row in zip(self.item_id, *columns, strict=True)]


class SplitRequest(ApiBody):
    """The questions to take out of an item into a new one."""

    submission_ids: list[RowId] = Field(min_length=1, max_length=100)


class SplitForm(BaseModel):
    """The page's form: the ticked questions (none ticked is refused by the use case)."""

    submission_ids: list[RowId] = Field(default_factory=list, max_length=100)


class PublishRequest(BaseModel):
    """An optional note for members about this version; an overrun must be accepted."""

    note: str | None = Field(default=None, max_length=limits.NOTE)
    accept_overrun: bool = Field(
        default=False, description="Publish even though the agenda runs longer than the meeting."
    )


class SourceResponse(Read):
    """A question an item came from, named by organisation, never by person."""

    submission_id: int = Field(validation_alias="id")
    organisation: str = ""
    rank: int
    question: str


class ItemResponse(Read):
    """One agenda item."""

    id: int
    position: int
    item_key: int
    title: str
    description: str | None
    kind: str
    status: str
    duration_minutes: int
    score: float | None
    sources: list[SourceResponse] = Field(default_factory=list)


class VersionResponse(Read):
    """One version of a meeting's agenda: 0 is the draft, 1 and up are publications."""

    id: int
    meeting_id: int
    number: int
    status: str
    created_at: datetime
    published_at: datetime | None
    change_summary: str | None
    total_minutes: int = 0
    items: list[ItemResponse] = Field(default_factory=list)


def _source(found: VersionView, row: Submission) -> SourceResponse:
    answer = SourceResponse.model_validate(row)
    answer.organisation = found.organisations[row.organisation_id]
    return answer


def version_response(found: VersionView) -> VersionResponse:
    """A version with its items and the organisations behind each."""
    items = []
    for row in found.rows:
        item = ItemResponse.model_validate(row)
        item.sources = [_source(found, s) for s in found.sources[row.id or 0]]
        items.append(item)
    answer = VersionResponse.model_validate(found.version)
    answer.total_minutes, answer.items = found.total_minutes, items
    return answer
