"""Builders with sensible defaults, so a test states only what it is about."""

from datetime import date, datetime, timedelta

from sqlmodel import Session

from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate
from models.memberships import MembershipCreate, MembershipRole
from models.organisations import Organisation, OrganisationCreate, OrganisationKind
from models.people import Person, PersonCreate
from service import groups, meetings, memberships, organisations, people
from service.audit import Actor

ACTOR = Actor.system("tests")
_counter = iter(range(1, 1_000_000))


def make_organisation(
    session: Session,
    *,
    now: datetime,
    name: str | None = None,
    kind: OrganisationKind = OrganisationKind.centre_city,
) -> Organisation:
    """An organisation with a unique slug."""
    n = next(_counter)
    return organisations.create(
        session,
        organisation_in=OrganisationCreate(
            slug=f"org-{n}", name=name or f"Stad Test {n}", kind=kind
        ),
        actor=ACTOR,
        now=now,
    )


def make_person(
    session: Session,
    *,
    now: datetime,
    organisation: Organisation | None = None,
    name: str | None = None,
) -> Person:
    """A person in a (new) organisation, with a unique .example address."""
    organisation = organisation or make_organisation(session, now=now)
    n = next(_counter)
    return people.create(
        session,
        person_in=PersonCreate(
            name=name or f"Test Persoon {n}",
            email=f"persoon{n}@test.example",
            organisation=organisation.slug,
        ),
        actor=ACTOR,
        now=now,
    )


def make_group(session: Session, *, now: datetime, slug: str | None = None) -> WorkingGroup:
    """A working group with a unique slug."""
    n = next(_counter)
    slug = slug or f"groep-{n}"
    return groups.create(
        session,
        group_in=WorkingGroupCreate(
            slug=slug, short_name=f"G{n}", name=f"Werkgroep {n}", kind=GroupKind.werkgroep
        ),
        actor=ACTOR,
        now=now,
    )


def make_meeting(
    session: Session,
    *,
    now: datetime,
    group: WorkingGroup | None = None,
    starts_in: timedelta = timedelta(days=30),
    duration: timedelta = timedelta(hours=2),
) -> Meeting:
    """A planned meeting some time after `now`."""
    group = group or make_group(session, now=now)
    starts_at = now + starts_in
    return meetings.schedule(
        session,
        meeting_in=MeetingCreate(
            group=group.slug, title="Vergadering", starts_at=starts_at, ends_at=starts_at + duration
        ),
        actor=ACTOR,
        now=now,
    )


def join(
    session: Session,
    *,
    person: Person,
    group: WorkingGroup,
    now: datetime,
    role: MembershipRole = MembershipRole.member,
    joined_on: date | None = None,
) -> None:
    """Make a person a member of a group from a day (a year before `now` by default)."""
    memberships.add(
        session,
        membership_in=MembershipCreate(
            person_email=person.email,
            group=group.slug,
            role=role,
            joined_on=joined_on or (now.date() - timedelta(days=365)),
        ),
        actor=ACTOR,
        now=now,
    )
