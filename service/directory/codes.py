"""The codes (slugs) of organisations, programmes and working groups: each unique in its kind."""

from typing import TypeVar

from sqlmodel import Session, select

from models.errors import DomainError, NotFound
from models.groups import WorkingGroup
from models.organisations import Organisation
from models.programmes import Programme

Coded = TypeVar("Coded", Organisation, Programme, WorkingGroup)


def refuse_taken(
    session: Session,
    model: type[Coded],
    slug: str,
    message: str,
    *,
    own_id: int | None = None,
) -> None:
    """Refuse a code another row of `model` has (`own_id`: the row being changed, if any)."""
    other = session.exec(select(model).where(model.slug == slug)).first()
    if other is not None and other.id != own_id:
        raise DomainError(message, field="slug", slug=slug)


def get_or_refuse(
    session: Session, model: type[Coded], slug: str, message: str, *, field: str
) -> Coded:
    """The row of `model` with this code, or NotFound with `message` (naming `%(slug)s`)."""
    row = session.exec(select(model).where(model.slug == slug)).first()
    if row is None:
        raise NotFound(message, field=field, slug=slug)
    return row
