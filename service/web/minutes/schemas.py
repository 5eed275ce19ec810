"""What the minutes pages and API take and give."""

from datetime import datetime
from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field

from models import limits
from models.minutes import ApprovalMode, MinutesVersion
from service.minutes import minutes
from service.web.deps import IdPath, SessionDep
from service.web.forms import ApiBody, Instant, LocalDateTime


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


class CommentResponse(BaseModel):
    """A comment; the author by name (none once erased)."""

    id: int
    author: str | None
    body: str
    created_at: datetime


class VersionResponse(BaseModel):
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
    intact: bool | None
    correction_reason: str | None
    comments: list[CommentResponse]


def version_response(
    version: MinutesVersion, found: minutes.MinutesView | None = None
) -> VersionResponse:
    """A version with its comments (from `found`, when the page's view was read)."""
    assert version.id is not None
    notes = found.comments.get(version.id, []) if found else []
    names = found.names if found else {}
    return VersionResponse(
        id=version.id,
        meeting_id=version.meeting_id,
        number=version.number,
        status=version.status,
        body=version.body,
        review_deadline=version.review_deadline,
        approved_at=version.approved_at,
        approval_mode=version.approval_mode,
        content_hash=version.content_hash,
        intact=minutes.is_intact(version),
        correction_reason=version.correction_reason,
        comments=[
            CommentResponse(
                id=c.id or 0,
                author=names.get(c.person_id or 0),
                body=c.body,
                created_at=c.created_at,
            )
            for c in notes
        ],
    )
