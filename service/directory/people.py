"""Use cases for people: add, change, deactivate and find them."""

from collections.abc import Iterable
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from models import limits
from models.errors import N_, DomainError, at_most, printable
from models.organisations import Organisation
from models.people import Person, PersonCreate
from service import audit, db
from service.audit import Actor
from service.directory import organisations
from service.directory.organisations import NAME_TOO_LONG


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively, so they are stored in lower case."""
    return email.strip().lower()


def find_by_email(session: Session, *, email: str) -> Person | None:
    """Return the person with this address, if any."""
    if not email.isprintable():
        return None  # no stored address holds control characters (PostgreSQL refuses NUL)
    return session.exec(select(Person).where(Person.email == normalise_email(email))).first()


def get(session: Session, *, person_id: int) -> Person:
    """Return the person with this id, or refuse as unknown."""
    return db.get_or_refuse(session, Person, person_id, N_("Unknown person."), field="person")


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


def checked_email(email: str) -> str:
    """The address in lower case, or a refusal when it is not an email address."""
    address = normalise_email(email)
    if not address:
        raise DomainError(N_("Fill in an email address."), field="email")
    at_most(
        address,
        limits.EMAIL,
        field="email",
        message=N_("The email address is too long: at most %(max_length)s characters."),
    )
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(N_("This is not a valid email address."), field="email") from error
    return address


def checked_name(name: str) -> str:
    """A person's name without surrounding spaces, refused when empty or too long."""
    name = printable(name, field="name")
    if len(name) < limits.NAME_MIN:
        raise DomainError(N_("Fill in the person's name."), field="name")
    return at_most(name, limits.PERSON_NAME, field="name", message=NAME_TOO_LONG)


def checked_job_title(job_title: str | None) -> str | None:
    """A function (job title) with single spaces, or None when empty; refused when too long."""
    title = printable(job_title or "", field="job_title") or None
    if title is not None and len(title) > limits.JOB_TITLE:
        raise DomainError(
            N_("The function is too long: at most %(max)s characters."),
            field="job_title",
            max=limits.JOB_TITLE,
        )
    return title


def _checked(
    session: Session, person_in: PersonCreate, *, person_id: int | None
) -> dict[str, object]:
    """The person's details as they would be stored, after every check."""
    name = checked_name(person_in.name)
    email = checked_email(person_in.email)
    job_title = checked_job_title(person_in.job_title)
    organisation = organisations.get_active(session, slug=person_in.organisation)
    other = find_by_email(session, email=email)
    if other is not None and other.id != person_id:
        raise DomainError(N_("A person with that email address already exists."), field="email")
    assert organisation.id is not None
    return {
        "name": name,
        "email": email,
        "organisation_id": organisation.id,
        "job_title": job_title,
        "language": person_in.language,
        "staff_role": person_in.staff_role,
    }


def create(session: Session, *, person_in: PersonCreate, actor: Actor, now: datetime) -> Person:
    """Add a person to an existing organisation; the address must be new."""
    person = Person.model_validate(
        {**_checked(session, person_in, person_id=None), "created_at": now}
    )
    return audit.created(session, person, actor=actor, now=now)


def update(
    session: Session, *, person_id: int, person_in: PersonCreate, actor: Actor, now: datetime
) -> Person:
    """Change a person's name, address, organisation, language, function or staff role."""
    person = get(session, person_id=person_id)
    if person.erased_at is not None:
        raise DomainError(N_("This person has been erased and cannot be changed."), field="person")
    checked = _checked(session, person_in, person_id=person_id)
    before = audit.snapshot(person)
    for attribute, value in checked.items():
        setattr(person, attribute, value)
    if audit.snapshot(person) != before:
        audit.save(session, row=person, before=before, actor=actor, now=now)
    return person


def reactivate(session: Session, *, person_id: int, actor: Actor, now: datetime) -> Person:
    """Let a deactivated person sign in and receive mail again (memberships stay ended)."""
    person = get(session, person_id=person_id)
    if person.erased_at is not None:
        raise DomainError(N_("This person has been erased and cannot be changed."), field="person")
    if person.deactivated_at is not None:
        with audit.changing(session, person, actor=actor, now=now):
            person.deactivated_at = None
    return person


def names(session: Session, *, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these people who have not been erased, by id, in one query."""
    return {p.id: p.name for p in not_erased(session, ids={i for i in ids if i}) if p.id}


def register(session: Session) -> list[tuple[Person, Organisation]]:
    """Everyone with their organisation, by name: the secretariat's register."""
    rows = session.exec(select(Person, Organisation).join(Organisation).order_by(col(Person.name)))
    return list(rows)
