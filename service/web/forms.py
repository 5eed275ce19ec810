"""Field types that pages and the API share, and the ones only a browser form needs.

The API takes instants with their zone (a naive time is refused with a 422 in the reader's
language); a browser's `datetime-local` field has no zone, so pages read it as Brussels time.
"""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from models import limits
from service.clock import brussels


def _as_brussels(value: datetime) -> datetime:
    return brussels(value) if value.tzinfo is None else value


# A time from a browser form: wall-clock time in Brussels, turned into an aware instant.
LocalDateTime = Annotated[datetime, AfterValidator(_as_brussels)]
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
