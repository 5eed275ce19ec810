"""The JSON API for a person's calendar subscriptions: list, make, rotate and stop feeds."""

from datetime import datetime

from fastapi import Response
from pydantic import Field

from models import limits
from models.access import FeedToken
from service.feeds import choices, subscriptions
from service.feeds.subscriptions import NewFeed
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.feeds.pages import forget, make
from service.web.forms import ApiBody, Read
from service.web.scope import SignedInAct, SignedInPerson, id_of
from service.web.views import Context, Ctx

router = api_router("/api/me/calendars", "calendars")


class FeedRequest(ApiBody):
    """What the feed shows: "person", "group:<id>", "public_group:<id>" or "organisation:<id>"."""

    target: str = Field(max_length=limits.ORGANISATION_SLUG)


class FeedResponse(Read):
    """One of your feeds; its link is never shown again after it was made."""

    id: int
    label: str = ""
    scope: str
    scope_id: int | None
    created_at: datetime
    last_used_at: datetime | None


class NewFeedResponse(FeedResponse):
    """A feed just made, with its secret link in every form a calendar takes (shown once)."""

    https: str
    webcal: str
    google: str
    outlook: str


def _feed(ctx: Context, token: FeedToken) -> FeedResponse:
    # The stored label may be empty (None); the answer always names what the feed shows.
    label = choices.describe(ctx.session, token=token, gettext=ctx.gettext)
    return FeedResponse.model_validate({**token.model_dump(), "label": label})


def _new(ctx: Context, new: NewFeed) -> NewFeedResponse:
    feed = _feed(ctx, new.token)
    links = choices.links(ctx.settings.public_url, new.secret, f"Overleg – {feed.label}")
    return NewFeedResponse(**feed.model_dump(), **links.__dict__)


@router.get("")
def list_feeds(ctx: Ctx, person: SignedInPerson) -> list[FeedResponse]:
    """Your feeds that still work, oldest first."""
    return [_feed(ctx, t) for t in subscriptions.active(ctx.session, person_id=id_of(person))]


@router.post("", status_code=201)
def add_feed(
    ctx: Ctx, person: SignedInPerson, body: FeedRequest, act: SignedInAct
) -> NewFeedResponse:
    """Make a feed; its secret link is in this answer only."""
    return _new(ctx, make(ctx, person, body.target, act))


@router.post("/{token_id}/rotate", status_code=201)
def rotate_feed(
    ctx: Ctx, person: SignedInPerson, token_id: IdPath, act: SignedInAct
) -> NewFeedResponse:
    """Give a feed a new secret link; the old one answers 404 from now on."""
    old, new = subscriptions.rotate(ctx.session, person=person, token_id=token_id, **act.by)
    forget(ctx, old)
    return _new(ctx, new)


@router.post("/{token_id}/revoke", status_code=204)
def revoke_feed(ctx: Ctx, person: SignedInPerson, token_id: IdPath, act: SignedInAct) -> Response:
    """Stop a feed: its link answers 404 from now on."""
    forget(ctx, subscriptions.revoke(ctx.session, person=person, token_id=token_id, **act.by))
    return Response(status_code=204)
