"""Use cases for people."""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import N_, DomainError
from models.organisations import Organisation
from models.people import Person, PersonCreate
from service import audit
from service.audit import Actor
from service.directory import organisations


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively, so they are stored in lower case."""
    return email.strip().lower()


def find_by_email(session: Session, *, email: str) -> Person | None:
    """Return the person with this address, if any."""
    return session.exec(select(Person).where(Person.email == normalise_email(email))).first()


def not_erased(session: Session, *, ids: Iterable[int]) -> list[Person]:
    """The people with these ids who have not been erased, by id, in one query.

    Mails go out to whole groups; one query per person made a save on the form wait for 200.
    """
    wanted = set(ids)
    if not wanted:
        return []
    return list(
        session.exec(
            select(Person)
            .where(col(Person.id).in_(wanted), col(Person.erased_at).is_(None))
            .order_by(col(Person.id))
        )
    )


def get_by_email(session: Session, *, email: str) -> Person:
    """Return the person with this address, or refuse (without echoing the address)."""
    person = find_by_email(session, email=email)
    if person is None:
        raise DomainError(N_("No person is known with that email address."), field="email")
    return person


def create(session: Session, *, person_in: PersonCreate, actor: Actor, now: datetime) -> Person:
    """Add a person to an existing organisation; the address must be new."""
    organisation = organisations.get_by_slug(session, slug=person_in.organisation)
    email = normalise_email(str(person_in.email))
    if find_by_email(session, email=email) is not None:
        raise DomainError(N_("A person with that email address already exists."), field="email")
    assert organisation.id is not None
    person = Person(
        name=person_in.name.strip(),
        email=email,
        organisation_id=organisation.id,
        job_title=person_in.job_title,
        language=person_in.language,
        staff_role=person_in.staff_role,
        created_at=now,
    )
    audit.save(session, row=person, before=None, actor=actor, now=now)
    return person


def names(session: Session, *, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these people who have not been erased, by id, in one query."""
    return {p.id: p.name for p in not_erased(session, ids={i for i in ids if i}) if p.id}


def register(session: Session) -> list[tuple[Person, Organisation]]:
    """Everyone with their organisation, by name: the secretariat's register."""
    rows = session.exec(select(Person, Organisation).join(Organisation).order_by(col(Person.name)))
    return list(rows)
