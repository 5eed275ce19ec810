"""Field types that pages and the API share, and the ones only a browser form needs.

The API takes instants with their zone (a naive time is refused with a 422 in the reader's
language); a browser's `datetime-local` field has no zone, so pages read it as Brussels time.
"""

import re
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Form
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from models import limits
from service.clock import brussels

T = TypeVar("T")
# A page's posted form, read into its model: `form: FromForm[GroupForm]` in a page route.
FromForm = Annotated[T, Form()]

# What a `datetime-local` field sends: a day and a time of day, never a day alone.
_LOCAL_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def _not_valid() -> PydanticCustomError:
    # The type names the translated message the edge shows ("not a valid date and time").
    return PydanticCustomError("datetime_parsing", "not a valid date and time")


def _day_and_time(value: object) -> object:
    if isinstance(value, str) and not _LOCAL_TEXT.fullmatch(value.strip()):
        raise _not_valid()
    return value


def _as_brussels(value: datetime) -> datetime:
    if value.tzinfo is not None:
        return value
    try:
        return brussels(value)
    except OverflowError:  # years 1 and 9999 can leave the calendar once moved to UTC
        raise _not_valid() from None


# A time from a browser form: wall-clock time in Brussels, turned into an aware instant.
LocalDateTime = Annotated[datetime, BeforeValidator(_day_and_time), AfterValidator(_as_brussels)]
# A time from the API: it must carry its zone ("2027-03-02T14:00:00+01:00" or "...Z").
Instant = AwareDatetime
Reason = Annotated[str, Field(max_length=limits.REASON)]
OptionalReason = Annotated[str | None, Field(default=None, max_length=limits.REASON)]


def blank_to_none(value: str | None) -> str | None:
    """An empty or blank form field means 'not given'."""
    return (value or "").strip() or None


# Text without U+0000: what the schema promises for every free-text field of a request body.
NO_NUL = "^[^\\x00]*$"


def _no_nul(schema: object) -> None:
    """Say in the schema what the validator below enforces, so clients (and fuzzers) know."""
    if isinstance(schema, list):
        for item in schema:
            _no_nul(item)
    elif isinstance(schema, dict):
        free_text = schema.get("type") == "string" and not schema.keys() & {
            "pattern",
            "format",
            "enum",
            "const",
        }
        if free_text:
            schema["pattern"] = NO_NUL
        for value in schema.values():
            _no_nul(value)


class ApiBody(BaseModel):
    """A JSON request body: a field the API does not take is refused, not silently dropped.

    (A client that sends `status: held` with a new meeting must learn it was not applied.)
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=lambda schema, _: _no_nul(schema))

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL cannot store U+0000 in text; no person types it, so it is refused here
        # for every body (nested bodies are ApiBody too) instead of failing in the database.
        texts = value if isinstance(value, list | tuple | set) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError("nul_character", "text holds a NUL character")
        return value


class Read(BaseModel):
    """An answer built from a row's (or a dataclass's) attributes of the same names."""

    model_config = ConfigDict(from_attributes=True)
