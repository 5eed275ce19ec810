"""What the minutes pages and API take and give."""

from datetime import datetime
from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field

from models import limits
from models.minutes import ApprovalMode, MinutesVersion
from service.minutes import minutes
from service.web.deps import IdPath, SessionDep
from service.web.forms import ApiBody, Instant, LocalDateTime, Read


def _version(slug: str, version_id: IdPath, session: SessionDep) -> MinutesVersion:
    return minutes.in_group(session, slug=slug, version_id=version_id)


# The minutes version of the path, refused as unknown (404) when of another group's meeting.
VersionDep = Annotated[MinutesVersion, Depends(_version)]


class BodyRequest(BaseModel):
    """The text of the minutes."""

    body: str = Field(max_length=limits.MINUTES_BODY)


class ReviewRequest(ApiBody):
    """Until when members may comment; with its zone."""

    deadline: Instant


class ReviewForm(BaseModel):
    """The page's form: the deadline in Brussels time."""

    deadline: LocalDateTime


class CommentRequest(BaseModel):
    """A member's comment on minutes in review."""

    body: str = Field(max_length=limits.COMMENT)


class ApproveRequest(BaseModel):
    """Approved by the chair, or as decided at the group's next meeting."""

    mode: ApprovalMode


class CorrectRequest(BaseModel):
    """What the correction fixes."""

    reason: str = Field(max_length=limits.CHANGE_REASON)


class CommentResponse(Read):
    """A comment; the author by name (none once erased)."""

    id: int
    author: str | None = None
    body: str
    created_at: datetime


class VersionResponse(Read):
    """One version of a meeting's minutes."""

    id: int
    meeting_id: int
    number: int
    status: str
    body: str
    review_deadline: datetime | None
    approved_at: datetime | None
    approval_mode: str | None
    content_hash: str | None
    intact: bool | None = None
    correction_reason: str | None
    comments: list[CommentResponse] = Field(default_factory=list)


def version_response(
    version: MinutesVersion, found: minutes.MinutesView | None = None
) -> VersionResponse:
    """A version with its comments (from `found`, when the page's view was read)."""
    notes = found.comments.get(version.id or 0, []) if found else []
    names = found.names if found else {}
    answer = VersionResponse.model_validate(version)
    answer.intact = minutes.is_intact(version)
    for note in notes:
        comment = CommentResponse.model_validate(note)
        comment.author = names.get(note.person_id or 0)
        answer.comments.append(comment)
    return answer
