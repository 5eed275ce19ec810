"""Builders with sensible defaults, so a test states only what it is about."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from models.agenda import AgendaCallCreate, SubmissionCreate
from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate
from models.memberships import MembershipCreate, MembershipRole
from models.organisations import Organisation, OrganisationCreate, OrganisationKind
from models.people import Person, PersonCreate
from service.agenda import calls, submissions
from service.audit import Actor
from service.directory import groups, memberships, organisations, people
from service.meetings import meetings

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


def make_member_with_question(
    session: Session, *, now: datetime, question: str, name: str | None = None
) -> Person:
    """A member of a new group who has sent one question to an open call for its meeting."""
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=20))
    person = make_person(session, now=now, name=name)
    join(session, person=person, group=group, now=now)
    assert meeting.id is not None
    call = calls.create_call(
        session,
        meeting_id=meeting.id,
        actor=ACTOR,
        now=now,
        call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=10)),
    )
    assert call.id is not None
    submissions.replace_submissions(
        session,
        call_id=call.id,
        person=person,
        actor=Actor.of(person),
        now=now,
        entries=[SubmissionCreate(rank=1, question=question)],
    )
    return person


@dataclass
class StaffedMeeting:
    """A meeting of a new group with a chair, three members, a secretary and an observer."""

    meeting: Meeting
    members: list[Person]  # the chair first, then three members: the people asked for input
    secretary: Person
    observer: Person


def make_staffed_meeting(
    session: Session, *, meeting_at: datetime, duration: timedelta = timedelta(hours=2)
) -> StaffedMeeting:
    """A group of four who take part (chair + three members), plus staff, and its meeting."""
    earlier = meeting_at - timedelta(days=90)
    group = make_group(session, now=earlier)
    members = [make_person(session, now=earlier) for _ in range(4)]
    secretary, observer = make_person(session, now=earlier), make_person(session, now=earlier)
    join(session, person=members[0], group=group, now=earlier, role=MembershipRole.chair)
    for person in members[1:]:
        join(session, person=person, group=group, now=earlier)
    join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
    join(session, person=observer, group=group, now=earlier, role=MembershipRole.observer)
    meeting = make_meeting(
        session, now=earlier, group=group, starts_in=meeting_at - earlier, duration=duration
    )
    return StaffedMeeting(meeting=meeting, members=members, secretary=secretary, observer=observer)
