"""Use cases for organisations: add, change, deactivate and find them."""

import re
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from models import limits
from models.errors import N_, DomainError, at_most, printable
from models.organisations import Organisation, OrganisationCreate
from service import audit, db
from service.audit import Actor
from service.directory import codes

_SLUG = re.compile(r"[a-z0-9-]+")


TAKEN = N_("An organisation with the code %(slug)s already exists.")
NAME_TOO_LONG = N_("The name is too long: at most %(max_length)s characters.")


def get_by_slug(session: Session, *, slug: str) -> Organisation:
    """Return the organisation with this slug, or refuse with a clear message."""
    return codes.get_or_refuse(
        session, Organisation, slug, N_("Unknown organisation: %(slug)s."), field="organisation"
    )


def get_active(session: Session, *, slug: str) -> Organisation:
    """The organisation with this slug that people may still join, or a refusal (422)."""
    organisation = session.exec(
        select(Organisation).where(Organisation.slug == slug.strip().lower())
    ).first()
    return joinable(organisation, named=slug.strip())


def joinable(found: Organisation | None, *, named: str) -> Organisation:
    """The organisation people may still join; refused when there is none or it is deactivated."""
    if found is None:
        raise DomainError(N_("Unknown organisation: %(slug)s."), field="organisation", slug=named)
    if found.deactivated_at is not None:
        raise DomainError(
            N_("The organisation %(name)s has been deactivated."),
            field="organisation",
            name=found.name,
        )
    return found


def get(session: Session, *, organisation_id: int) -> Organisation:
    """Return the organisation with this id, or refuse with a clear message."""
    return db.get_or_refuse(
        session,
        Organisation,
        organisation_id,
        N_("Unknown organisation: %(slug)s."),
        field="organisation",
        slug=organisation_id,
    )


def _checked_name(name: str) -> str:
    name = printable(name, field="name")
    if len(name) < limits.NAME_MIN:
        raise DomainError(N_("Fill in the organisation's name."), field="name")
    return at_most(name, limits.ORGANISATION_NAME, field="name", message=NAME_TOO_LONG)


def _checked_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not slug:
        raise DomainError(N_("Fill in a short code for the organisation."), field="slug")
    if len(slug) > limits.ORGANISATION_SLUG or not _SLUG.fullmatch(slug):
        raise DomainError(
            N_(
                "The code may hold only small letters, digits and dashes,"
                " at most %(max)s characters."
            ),
            field="slug",
            max=limits.ORGANISATION_SLUG,
        )
    return slug


def create(
    session: Session, *, organisation_in: OrganisationCreate, actor: Actor, now: datetime
) -> Organisation:
    """Add an organisation; its slug must be new."""
    slug = _checked_slug(organisation_in.slug)
    name = _checked_name(organisation_in.name)
    codes.refuse_taken(session, Organisation, slug, TAKEN)
    organisation = Organisation(slug=slug, name=name, kind=organisation_in.kind)
    return audit.created(session, organisation, actor=actor, now=now)


def update(
    session: Session,
    *,
    organisation_id: int,
    organisation_in: OrganisationCreate,
    actor: Actor,
    now: datetime,
) -> Organisation:
    """Change an organisation's code, name or kind; the code must stay unique."""
    organisation = get(session, organisation_id=organisation_id)
    slug = _checked_slug(organisation_in.slug)
    name = _checked_name(organisation_in.name)
    codes.refuse_taken(session, Organisation, slug, TAKEN, own_id=organisation_id)
    before = audit.snapshot(organisation)
    organisation.slug, organisation.name, organisation.kind = slug, name, organisation_in.kind
    if audit.snapshot(organisation) != before:
        audit.save(session, row=organisation, before=before, actor=actor, now=now)
    return organisation


def set_active(
    session: Session, *, organisation_id: int, active: bool, actor: Actor, now: datetime
) -> Organisation:
    """Deactivate an organisation (its people and history stay; nobody new joins) or undo it."""
    organisation = get(session, organisation_id=organisation_id)
    if (organisation.deactivated_at is None) is active:
        return organisation  # already so: doing it twice changes nothing
    with audit.changing(session, organisation, actor=actor, now=now):
        organisation.deactivated_at = None if active else now
    return organisation


def list_all(session: Session) -> list[Organisation]:
    """Every organisation, by name."""
    return list(session.exec(select(Organisation).order_by(col(Organisation.name))))


def names(session: Session, *, ids: Iterable[int]) -> dict[int, str]:
    """The names of these organisations, by id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Organisation).where(col(Organisation.id).in_(wanted)))
    return {o.id: o.name for o in rows if o.id is not None}
