"""What the group settings pages and API take and give."""

from datetime import date, time
from typing import Annotated, Any

from pydantic import BaseModel, Field

from models.errors import N_, DomainError
from models.groups import GroupKind, WorkingGroup
from models.meetings import MeetingFormat
from service.directory.group_settings import GroupSettings
from service.web.forms import ApiBody, Read

Text60 = Annotated[str, Field(max_length=60)]
Text200 = Annotated[str, Field(max_length=200)]
_NUMBERS = (
    "meetings_per_year",
    "preferred_weekday",
    "default_duration_minutes",
    "call_opens_days_before",
    "call_closes_days_before",
    "call_max_questions",
    "minutes_review_days",
)
_TEXTS = ("short_name", "name", "description", "programme", "cadence_rrule", "default_location")


class GroupChangeRequest(ApiBody):
    """The settings to change; fields left out stay as they are, null clears an optional one."""

    short_name: Text60 | None = None
    name: Text200 | None = None
    description: Annotated[str | None, Field(max_length=4000)] = None
    kind: GroupKind | None = None
    programme: Text60 | None = None
    cadence_rrule: Annotated[str | None, Field(max_length=500)] = None
    meetings_per_year: Annotated[int | None, Field(ge=1, le=52)] = None
    preferred_weekday: Annotated[int | None, Field(ge=0, le=6)] = None
    preferred_start_time: time | None = None
    default_duration_minutes: Annotated[int | None, Field(ge=15, le=600)] = None
    default_format: MeetingFormat | None = None
    default_location: Annotated[str | None, Field(max_length=300)] = None
    call_opens_days_before: Annotated[int | None, Field(ge=1, le=120)] = None
    call_closes_days_before: Annotated[int | None, Field(ge=0, le=60)] = None
    call_max_questions: Annotated[int | None, Field(ge=1, le=10)] = None
    minutes_review_days: Annotated[int | None, Field(ge=1, le=60)] = None
    is_public: bool | None = None

    def to_settings(self) -> GroupSettings:
        """The settings the client sent, and only those."""
        return GroupSettings.model_validate(self.model_dump(exclude_unset=True))


class GroupCreateRequest(GroupChangeRequest):
    """A new working group: its code (for its web address), names and settings."""

    slug: Text60
    short_name: Text60
    name: Text200


class GroupDetails(Read):
    """A working group with its settings."""

    slug: str
    short_name: str
    name: str
    description: str | None
    kind: str
    status: str
    started_on: date | None
    ended_on: date | None
    cadence_rrule: str | None
    meetings_per_year: int | None
    preferred_weekday: int | None
    preferred_start_time: time | None
    default_duration_minutes: int
    default_format: str
    default_location: str | None
    call_opens_days_before: int
    call_closes_days_before: int
    call_max_questions: int
    minutes_review_days: int
    is_public: bool


def _number(name: str, text: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise DomainError(N_("This must be a whole number."), field=name) from None


def _time(text: str) -> time | None:
    if not text.strip():
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(
            N_("Give the start time as hours and minutes, like 14:00."),
            field="preferred_start_time",
        ) from None


class GroupForm(BaseModel):
    """The page's form, as typed: every field text, checked by the use case."""

    slug: str = Field(default="", max_length=200)
    short_name: str = Field(default="", max_length=1000)
    name: str = Field(default="", max_length=1000)
    description: str = Field(default="", max_length=10_000)
    kind: str = Field(default="werkgroep", max_length=40)
    programme: str = Field(default="", max_length=200)
    cadence_rrule: str = Field(default="", max_length=1000)
    meetings_per_year: str = Field(default="", max_length=20)
    preferred_weekday: str = Field(default="", max_length=20)
    preferred_start_time: str = Field(default="", max_length=20)
    default_duration_minutes: str = Field(default="120", max_length=20)
    default_format: str = Field(default="online", max_length=40)
    default_location: str = Field(default="", max_length=1000)
    call_opens_days_before: str = Field(default="21", max_length=20)
    call_closes_days_before: str = Field(default="7", max_length=20)
    call_max_questions: str = Field(default="3", max_length=20)
    minutes_review_days: str = Field(default="14", max_length=20)
    is_public: str = Field(default="", max_length=10)

    def to_settings(self) -> GroupSettings:
        """The settings as the use case takes them; a wrong number or choice is refused."""
        values: dict[str, Any] = {name: getattr(self, name) for name in _TEXTS}
        values |= {name: _number(name, getattr(self, name)) for name in _NUMBERS}
        values["preferred_start_time"] = _time(self.preferred_start_time)
        values["is_public"] = self.is_public == "on"
        try:
            values["kind"] = GroupKind(self.kind)
            values["default_format"] = MeetingFormat(self.default_format)
        except ValueError:
            raise DomainError(N_("This is not one of the choices offered."), field="kind") from None
        if self.slug:
            values["slug"] = self.slug
        return GroupSettings.model_validate(values)

    @classmethod
    def of(cls, group: WorkingGroup, programme: str | None) -> "GroupForm":
        """The form filled in with a group's settings."""

        def text(value: object) -> str:
            return "" if value is None else str(value)

        start = group.preferred_start_time
        return cls(
            slug=group.slug,
            **{name: text(getattr(group, name)) for name in _TEXTS if name != "programme"},
            programme=programme or "",
            **{name: text(getattr(group, name)) for name in _NUMBERS},
            preferred_start_time=start.strftime("%H:%M") if start else "",
            kind=group.kind.value,
            default_format=group.default_format.value,
            is_public="on" if group.is_public else "",
        )
