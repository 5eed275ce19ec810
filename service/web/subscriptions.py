"""A member's calendar subscriptions: make, list, rotate and revoke feed links."""

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from models.access import FeedScope, FeedToken
from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.memberships import MembershipRole
from models.organisations import Organisation
from models.people import Person
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.directory import memberships
from service.feeds import subscriptions
from service.i18n import error_message, translations
from service.settings import Settings
from service.web import language
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()
Member = Annotated[Principal | None, require(Access.signed_in)]
PAGE = "/me/calendars"


@dataclass(frozen=True)
class Links:
    """Every way to subscribe to one feed URL."""

    https: str
    webcal: str
    google: str
    outlook: str


def links(settings: Settings, secret: str, name: str) -> Links:
    """The https URL, its webcal:// twin, and the Google and Outlook subscribe links."""
    https = f"{settings.public_url}/feeds/{secret}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return Links(
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        outlook="https://outlook.office.com/calendar/0/addfromweb?url="
        + quote(https, safe="")
        + "&name="
        + quote(name, safe=""),
    )


def _choices(
    session: Session, person: Person, principal: Principal, now: Any
) -> list[tuple[str, str]]:
    """The feeds this person may make: (form value, label)."""
    gettext = translations(person.language.value).gettext
    assert person.id is not None
    options = [("person", gettext(N_("My meetings, deadlines and due dates")))]
    today = now.date()
    own = memberships.of_person(session, person_id=person.id, on=today)
    group_ids = {m.group_id for m in own}
    chairs = {
        m.group_id for m in own if m.role in (MembershipRole.chair, MembershipRole.secretariat)
    }
    everything = principal.is_secretariat or principal.is_director
    rows = session.exec(select(WorkingGroup).order_by(col(WorkingGroup.short_name)))
    for group in rows:
        if group.id in group_ids or everything:
            options.append(
                (f"group:{group.id}", gettext(N_("Group: %(name)s")) % {"name": group.name})
            )
    for group in session.exec(select(WorkingGroup).order_by(col(WorkingGroup.short_name))):
        if group.id in chairs or principal.is_secretariat:
            options.append(
                (
                    f"public_group:{group.id}",
                    gettext(N_("Public feed of %(name)s (no personal data)"))
                    % {"name": group.name},
                )
            )
    organisation = session.get(Organisation, person.organisation_id)
    if organisation is not None:
        options.append(
            (
                f"organisation:{organisation.id}",
                gettext(N_("Organisation: %(name)s")) % {"name": organisation.name},
            )
        )
    return options


def _describe(session: Session, token: FeedToken, gettext: Any) -> str:
    if token.scope is FeedScope.person:
        return str(gettext(N_("My meetings, deadlines and due dates")))
    if token.scope is FeedScope.organisation:
        organisation = session.get(Organisation, token.scope_id)
        name = organisation.name if organisation else "?"
        return str(gettext(N_("Organisation: %(name)s")) % {"name": name})
    group = session.get(WorkingGroup, token.scope_id)
    name = group.name if group else "?"
    if token.scope is FeedScope.public_group:
        return str(gettext(N_("Public feed of %(name)s (no personal data)")) % {"name": name})
    return str(gettext(N_("Group: %(name)s")) % {"name": name})


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    principal: Principal,
    now: Any,
    *,
    new: tuple[FeedToken, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    person = principal.person
    assert person.id is not None
    gettext = translations(language.of_request(request)).gettext
    feeds = [
        {"token": t, "label": _describe(session, t, gettext)}
        for t in subscriptions.active(session, person_id=person.id)
    ]
    fresh = None
    if new is not None:
        label = _describe(session, new[0], gettext)
        fresh = {"label": label, "links": links(settings, new[1], f"Overleg – {label}")}
    return render(
        request,
        settings,
        "pages/calendars.html",
        {
            "feeds": feeds,
            "choices": _choices(session, person, principal, now),
            "fresh": fresh,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(PAGE, response_class=HTMLResponse)
def calendars_page(
    request: Request, session: SessionDep, settings: SettingsDep, now: NowDep, principal: Member
) -> Response:
    """Your calendar feeds, with rotate and revoke, and a form to add one."""
    return _page(request, session, settings, signed_in(principal), now)


def _target(value: str) -> tuple[FeedScope, int | None]:
    scope, _, raw_id = value.partition(":")
    try:
        return FeedScope(scope), int(raw_id) if raw_id else None
    except ValueError as error:
        raise DomainError(
            N_("Choose the group or organisation of the feed."), field="target"
        ) from (error)


@router.post(PAGE, dependencies=[CsrfChecked])
def add_feed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Member,
    target: Annotated[str, Form(max_length=40)],
) -> Response:
    """Make a feed and show its links, once."""
    member = signed_in(principal)
    try:
        scope, scope_id = _target(target)
        made = subscriptions.create(
            session,
            person=member.person,
            scope=scope,
            scope_id=scope_id,
            actor=Actor.of(member.person),
            now=now,
        )
    except DomainError as error:
        session.rollback()
        message = error_message(error, language.of_request(request))
        return _page(request, session, settings, member, now, error=message, status_code=422)
    return _page(request, session, settings, member, now, new=(made.token, made.secret))


@router.post(PAGE + "/{token_id}/rotate", dependencies=[CsrfChecked])
def rotate_feed(
    request: Request,
    token_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Member,
) -> Response:
    """Give a feed a new secret link; the old link stops working at once."""
    member = signed_in(principal)
    old, new = subscriptions.rotate(
        session, person=member.person, token_id=token_id, actor=Actor.of(member.person), now=now
    )
    session.commit()  # revoked for every worker before this one forgets its cached answer
    request.app.state.feed_cache.forget(old.token_hash)
    return _page(request, session, settings, member, now, new=(new.token, new.secret))


@router.post(PAGE + "/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_feed(
    request: Request, token_id: IdPath, session: SessionDep, now: NowDep, principal: Member
) -> Response:
    """Stop a feed: its link answers 404 from now on."""
    member = signed_in(principal)
    token = subscriptions.revoke(
        session, person=member.person, token_id=token_id, actor=Actor.of(member.person), now=now
    )
    session.commit()
    request.app.state.feed_cache.forget(token.token_hash)
    return RedirectResponse(PAGE, status_code=303)
