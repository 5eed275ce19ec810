"""Stand-ins: a colleague of the same organisation who goes instead of a member, for one meeting.

A stand-in is named by the member's answer ("I send a stand-in") and holds while that answer is
the member's answer that counts: a later answer of the member ends it. A stand-in is not made a
member; they are sent the meeting's invitation and, while the call is open, its agenda form.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting
from models.organisations import Organisation
from models.people import Person, PersonCreate
from models.replies import MeetingReply
from service.audit import Actor
from service.clock import local_today
from service.directory import memberships, people
from service.replies import answers


@dataclass(frozen=True)
class StandIn:
    """Someone who goes instead of a member."""

    person: Person
    member: Person


def of_meeting(session: Session, *, meeting: Meeting) -> list[StandIn]:
    """The stand-ins that hold for a meeting now: named by each member's answer that counts."""
    assert meeting.id is not None
    named = {
        row.person_id: row.stand_in_id
        for row in answers.latest(session, meeting_id=meeting.id).values()
        if row.stand_in_id is not None and row.person_id is not None
    }
    found = {p.id: p for p in people.not_erased(session, ids=[*named, *named.values()])}
    return [
        StandIn(person=found[stand_in], member=found[member])
        for member, stand_in in sorted(named.items())
        if member in found and stand_in in found
    ]


def is_stand_in(session: Session, *, meeting: Meeting, person: Person) -> bool:
    """Whether the person stands in for a member at this meeting (for access to its materials)."""
    return any(s.person.id == person.id for s in of_meeting(session, meeting=meeting))


def may_read(session: Session, *, group_id: int, meeting_id: int, person: Person) -> bool:
    """Whether a stand-in may read this meeting's materials: only at the meeting they stand in at.

    Someone who stands in (or stood in) at another meeting of the group is answered as if this
    meeting did not exist, the same refusal as an unknown meeting's: they learn nothing of it.
    """
    meeting = session.get(Meeting, meeting_id)
    if (
        meeting is not None
        and meeting.group_id == group_id
        and is_stand_in(session, meeting=meeting, person=person)
    ):
        return True
    if _named_in_group(session, group_id=group_id, person_id=person.id):
        raise NotFound(N_("Unknown meeting: %(id)s."), field="meeting", id=meeting_id)
    return False


def _named_in_group(session: Session, *, group_id: int, person_id: int | None) -> bool:
    """Whether any answer ever named the person a stand-in at a meeting of the group."""
    found = session.exec(
        select(MeetingReply.id)
        .join(Meeting, col(Meeting.id) == MeetingReply.meeting_id)
        .where(MeetingReply.stand_in_id == person_id, Meeting.group_id == group_id)
        .limit(1)
    ).first()
    return found is not None


def candidates(session: Session, *, meeting: Meeting, member: Person) -> list[Person]:
    """The people known at the member's organisation who could stand in, by name."""
    group = _group_ids(session, meeting)
    rows = session.exec(
        select(Person)
        .where(
            Person.organisation_id == member.organisation_id,
            col(Person.erased_at).is_(None),
            col(Person.deactivated_at).is_(None),
        )
        .order_by(col(Person.name), col(Person.id))
    )
    return [p for p in rows if p.id not in group]


def _group_ids(session: Session, meeting: Meeting) -> set[int]:
    assert meeting.starts_at is not None
    day = local_today(meeting.starts_at)
    return {m.person_id for m in memberships.current(session, group_id=meeting.group_id, on=day)}


def choose(
    session: Session,
    *,
    meeting: Meeting,
    member: Person,
    person_id: int | None,
    name: str,
    email: str,
    actor: Actor,
    now: datetime,
) -> Person:
    """The stand-in a member names: a known colleague by id, or by name and address (added)."""
    if person_id is not None:
        chosen = session.get(Person, person_id)
        if chosen is None or chosen.id not in {
            p.id for p in candidates(session, meeting=meeting, member=member)
        }:
            raise DomainError(N_("Choose a colleague from the list."), field="stand_in_person")
        return chosen
    if not name.strip() and not email.strip():
        raise DomainError(
            N_("Choose a colleague, or give the name and email address of your stand-in."),
            field="stand_in_name",
        )
    try:
        checked_name = people.checked_name(name)
    except DomainError as refused:
        raise DomainError(refused.msgid, field="stand_in_name", **refused.params) from refused
    try:
        checked_email = people.checked_email(email)
    except DomainError as refused:
        raise DomainError(refused.msgid, field="stand_in_email", **refused.params) from refused
    known = people.find_by_email(session, email=checked_email)
    if known is not None:
        return _known(session, meeting=meeting, member=member, known=known)
    organisation = session.get(Organisation, member.organisation_id)
    assert organisation is not None
    return people.create(
        session,
        person_in=PersonCreate(
            name=checked_name,
            email=checked_email,
            organisation=organisation.slug,
            language=member.language,
        ),
        actor=actor,
        now=now,
    )


def _known(session: Session, *, meeting: Meeting, member: Person, known: Person) -> Person:
    """A stand-in given by an address already known: of the same organisation, not in the group."""
    if known.id == member.id:
        raise DomainError(N_("A stand-in is someone other than yourself."), field="stand_in_email")
    if known.organisation_id != member.organisation_id or not known.active:
        raise DomainError(
            N_("A stand-in must be a colleague of your own organisation."), field="stand_in_email"
        )
    if known.id in _group_ids(session, meeting):
        raise DomainError(
            N_("This colleague is a member of the group and is invited already."),
            field="stand_in_email",
        )
    return known
