"""Which feeds a person may subscribe to, what each is called, and how to subscribe to one."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel import Session, col, select

from models.access import FeedScope, FeedToken
from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.memberships import MembershipRole
from models.organisations import Organisation
from models.people import Person
from service.access.permissions import principal_for
from service.directory import memberships

Gettext = Callable[[str], str]
MINE = N_("My meetings, deadlines and due dates")
GROUP = N_("Group: %(name)s")
PUBLIC = N_("Public feed of %(name)s (no personal data)")
ORGANISATION = N_("Organisation: %(name)s")


@dataclass(frozen=True)
class Links:
    """Every way to subscribe to one feed URL."""

    https: str
    webcal: str
    google: str
    outlook: str


def links(base_url: str, secret: str, name: str) -> Links:
    """The https URL, its webcal:// twin, and the Google and Outlook subscribe links."""
    https = f"{base_url}/feeds/{secret}.ics"
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


def options(
    session: Session, *, person: Person, now: datetime, gettext: Gettext
) -> list[tuple[str, str]]:
    """The feeds this person may make: (form value, label)."""
    assert person.id is not None
    principal = principal_for(session, person=person, on=now.date())
    own = memberships.of_person(session, person_id=person.id, on=now.date())
    group_ids = {m.group_id for m in own}
    chairs = {
        m.group_id for m in own if m.role in (MembershipRole.chair, MembershipRole.secretariat)
    }
    everything = principal.is_secretariat or principal.is_director
    rows = list(session.exec(select(WorkingGroup).order_by(col(WorkingGroup.short_name))))
    found = [("person", gettext(MINE))]
    found += [
        (f"group:{g.id}", gettext(GROUP) % {"name": g.name})
        for g in rows
        if g.id in group_ids or everything
    ]
    found += [
        (f"public_group:{g.id}", gettext(PUBLIC) % {"name": g.name})
        for g in rows
        if g.id in chairs or principal.is_secretariat
    ]
    organisation = session.get(Organisation, person.organisation_id)
    if organisation is not None:
        found.append(
            (f"organisation:{organisation.id}", gettext(ORGANISATION) % {"name": organisation.name})
        )
    return found


def describe(session: Session, *, token: FeedToken, gettext: Gettext) -> str:
    """What a feed shows, as its owner reads it."""
    if token.scope is FeedScope.person:
        return gettext(MINE)
    if token.scope is FeedScope.organisation:
        organisation = session.get(Organisation, token.scope_id)
        return gettext(ORGANISATION) % {"name": organisation.name if organisation else "?"}
    group = session.get(WorkingGroup, token.scope_id)
    name = group.name if group else "?"
    return gettext(PUBLIC if token.scope is FeedScope.public_group else GROUP) % {"name": name}


def parse_target(value: str) -> tuple[FeedScope, int | None]:
    """A form's choice ("group:12") as the scope and the id it names."""
    scope, _, raw_id = value.partition(":")
    try:
        return FeedScope(scope), int(raw_id) if raw_id else None
    except ValueError as error:
        raise DomainError(
            N_("Choose the group or organisation of the feed."), field="target"
        ) from error
