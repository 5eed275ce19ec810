"""The first run of a real installation: the secretariat's own account on an empty database."""

from datetime import datetime

from sqlmodel import Session, func, select

from models.errors import N_, DomainError
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import Language, Person, PersonCreate, StaffRole
from service.audit import Actor
from service.directory import organisations, people

ACTOR = Actor.system("first-run")


def create_first_secretariat(
    session: Session,
    *,
    name: str,
    email: str,
    organisation_code: str,
    organisation_name: str,
    now: datetime,
) -> Person:
    """Add the knowledge centre and the first secretariat account; refused once anyone exists.

    From then on the secretariat signs in with a link by email and adds everyone else.
    """
    if session.exec(select(func.count()).select_from(Person)).one() > 0:
        raise DomainError(
            N_(
                "The database already holds people: sign in as the secretariat and add"
                " people on the People page."
            ),
            field="email",
        )
    organisation = organisations.create(
        session,
        organisation_in=OrganisationCreate(
            slug=organisation_code, name=organisation_name, kind=OrganisationKind.knowledge_centre
        ),
        actor=ACTOR,
        now=now,
    )
    return people.create(
        session,
        person_in=PersonCreate(
            name=name,
            email=email,
            organisation=organisation.slug,
            language=Language.nl,
            staff_role=StaffRole.secretariat,
        ),
        actor=ACTOR,
        now=now,
    )
