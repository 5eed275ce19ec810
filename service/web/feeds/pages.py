"""A person's calendar subscriptions: make, list, rotate and stop feed links."""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models import limits
from models.access import FeedToken
from models.errors import DomainError
from models.people import Person
from service.access.permissions import Access
from service.feeds import choices, subscriptions
from service.feeds.subscriptions import NewFeed
from service.web.deps import IdPath
from service.web.scope import SignedInAct, SignedInPerson, id_of
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/me/calendars")
Target = Annotated[str, Form(max_length=limits.ORGANISATION_SLUG)]


def forget(ctx: Context, token: FeedToken) -> None:
    """Commit a stopped feed, then drop this worker's cached answer for it.

    The commit comes first, so every worker sees the feed stopped before this one forgets it.
    """
    ctx.session.commit()
    ctx.request.app.state.feed_cache.forget(token.token_hash)


def calendars_view(
    ctx: Context,
    person: Person,
    *,
    new: NewFeed | None = None,
) -> Response:
    """Your calendar feeds, with rotate and stop, and a form to add one."""
    feeds = [
        {"token": t, "label": choices.describe(ctx.session, token=t, gettext=ctx.gettext)}
        for t in subscriptions.active(ctx.session, person_id=id_of(person))
    ]
    fresh = None
    if new is not None:
        label = choices.describe(ctx.session, token=new.token, gettext=ctx.gettext)
        links = choices.links(ctx.settings.public_url, new.secret, f"Overleg – {label}")
        fresh = {"label": label, "links": links}
    options = choices.options(ctx.session, person=person, now=ctx.now, gettext=ctx.gettext)
    return ctx.render(
        "pages/calendars.html",
        {"feeds": feeds, "choices": options, "fresh": fresh},
    )


def make(ctx: Context, person: Person, target: str, act: SignedInAct) -> NewFeed:
    """Make a feed for a target chosen on the page or in the API ("group:12")."""
    scope, scope_id = choices.parse_target(target)
    return subscriptions.create(
        ctx.session, person=person, scope=scope, scope_id=scope_id, **act.by
    )


@router.get("", response_class=HTMLResponse, dependencies=[require(Access.signed_in)])
def calendars_page(ctx: Ctx, person: SignedInPerson) -> Response:
    """Your calendar feeds, with rotate and stop, and a form to add one."""
    return calendars_view(ctx, person)


@router.post("", dependencies=[CsrfChecked])
def add_feed_page(ctx: Ctx, person: SignedInPerson, target: Target, act: SignedInAct) -> Response:
    """Make a feed and show its links, once."""
    try:
        made = make(ctx, person, target, act)
    except DomainError as error:
        return ctx.refuse(error, again(calendars_view, ctx, person))
    return calendars_view(ctx, person, new=made)


@router.post("/{token_id}/rotate", dependencies=[CsrfChecked])
def rotate_feed_page(
    ctx: Ctx, person: SignedInPerson, token_id: IdPath, act: SignedInAct
) -> Response:
    """Give a feed a new secret link; the old link stops working at once."""
    old, new = subscriptions.rotate(ctx.session, person=person, token_id=token_id, **act.by)
    forget(ctx, old)
    return calendars_view(ctx, person, new=new)


@router.post("/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_feed_page(
    ctx: Ctx, person: SignedInPerson, token_id: IdPath, act: SignedInAct
) -> Response:
    """Stop a feed: its link answers 404 from now on."""
    forget(ctx, subscriptions.revoke(ctx.session, person=person, token_id=token_id, **act.by))
    return RedirectResponse(done(ctx.path("calendars_page"), "feed_stopped"), status_code=303)
