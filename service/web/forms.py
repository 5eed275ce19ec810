"""Field types that pages and the API share, and the ones only a browser form needs.

The API takes instants with their zone (a naive time is refused with a 422 in the reader's
language); a browser's `datetime-local` field has no zone, so pages read it as Brussels time.
"""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from models import limits
from service.clock import brussels

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


class ApiBody(BaseModel):
    """A JSON request body: a field the API does not take is refused, not silently dropped.

    (A client that sends `status: held` with a new meeting must learn it was not applied.)
    """

    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    """An answer built from a row's (or a dataclass's) attributes of the same names."""

    model_config = ConfigDict(from_attributes=True)
