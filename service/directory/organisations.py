"""Use cases for organisations."""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import N_, DomainError, NotFound
from models.organisations import Organisation, OrganisationCreate
from service import audit
from service.audit import Actor


def get_by_slug(session: Session, *, slug: str) -> Organisation:
    """Return the organisation with this slug, or refuse with a clear message."""
    organisation = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        raise NotFound(N_("Unknown organisation: %(slug)s."), field="organisation", slug=slug)
    return organisation


def get(session: Session, *, organisation_id: int) -> Organisation:
    """Return the organisation with this id, or refuse with a clear message."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(
            N_("Unknown organisation: %(slug)s."), field="organisation", slug=organisation_id
        )
    return organisation


def create(
    session: Session, *, organisation_in: OrganisationCreate, actor: Actor, now: datetime
) -> Organisation:
    """Add an organisation; its slug must be new."""
    if session.exec(select(Organisation).where(Organisation.slug == organisation_in.slug)).first():
        raise DomainError(
            N_("An organisation with the code %(slug)s already exists."),
            field="slug",
            slug=organisation_in.slug,
        )
    organisation = Organisation.model_validate(organisation_in)
    audit.save(session, row=organisation, before=None, actor=actor, now=now)
    return organisation


def names(session: Session, *, ids: Iterable[int]) -> dict[int, str]:
    """The names of these organisations, by id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Organisation).where(col(Organisation.id).in_(wanted)))
    return {o.id: o.name for o in rows if o.id is not None}
