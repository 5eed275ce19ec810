"""Expected attendance: per organisation, who accepted, is tentative, declined, or said nothing.

The people expected are the group's members on the meeting's day (Europe/Brussels), every
role; each person's answer is the newest one that counts (see answers.py), from a calendar
client or an answer link alike. A member who sends a stand-in counts as "stand_in": their
organisation is represented, unless the stand-in answers, from their calendar, that they
cannot come either: then the member counts as "declined".
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from models.organisations import Organisation
from models.people import Person
from models.replies import AttendMode, MeetingReply, ReplyAnswer, ReplySource
from service.clock import local_today
from service.directory import memberships
from service.meetings import meetings
from service.replies import answers

# "none": not answered; the order of the columns on the page and in the API.
KEYS = ("accepted", "tentative", "declined", "stand_in", "none")


@dataclass(frozen=True)
class Line:
    """One person expected, with the answer that counts (None: not answered)."""

    person_id: int
    name: str
    answer: ReplyAnswer | None
    comment: str | None
    source: ReplySource | None
    received_at: datetime | None
    mode: AttendMode | None = None  # in person or online, when said through an answer link
    stand_in: str | None = None  # the name of who goes instead
    stand_in_answer: ReplyAnswer | None = None  # the stand-in's own answer, if they sent one

    @property
    def key(self) -> str:
        """The column this person counts in."""
        if self.answer is None:
            return "none"
        if self.stand_in is None or self.stand_in_answer is ReplyAnswer.declined:
            return self.answer.value
        return "stand_in"


@dataclass
class OrganisationAttendance:
    """The people of one organisation and how many answered what."""

    organisation: str
    people: list[Line] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KEYS, 0))

    @property
    def coming(self) -> bool:
        """Whether anyone comes for the organisation: a yes, a maybe, or a stand-in."""
        return bool(self.counts["accepted"] + self.counts["tentative"] + self.counts["stand_in"])


@dataclass
class Expected:
    """The expected attendance of one meeting, by organisation, with totals."""

    meeting_id: int
    organisations: list[OrganisationAttendance]
    totals: dict[str, int]


def _own_answer(latest: dict[int, MeetingReply], person_id: int | None) -> ReplyAnswer | None:
    """A stand-in's own answer that counts (from their calendar), if any."""
    reply = latest.get(person_id) if person_id is not None else None
    return reply.answer if reply is not None else None


def expected(session: Session, *, meeting_id: int) -> Expected:
    """The expected attendance of a meeting, organisations and people sorted by name."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    latest = answers.latest(session, meeting_id=meeting_id)
    stand_ins = {
        p.id: p.name
        for p in session.exec(
            select(Person).where(
                col(Person.id).in_({r.stand_in_id for r in latest.values() if r.stand_in_id}),
                col(Person.erased_at).is_(None),
            )
        )
    }
    on = local_today(meeting.starts_at) if meeting.starts_at else meeting.period_start
    people: dict[int, Person] = {}
    if on is not None:
        ids = [m.person_id for m in memberships.current(session, group_id=meeting.group_id, on=on)]
        # One query for the group's people, not one per membership.
        found = session.exec(select(Person).where(col(Person.id).in_(ids)))
        people = {p.id: p for p in found if p.id is not None and p.erased_at is None}
    names = {
        o.id: o.name
        for o in session.exec(
            select(Organisation).where(
                col(Organisation.id).in_({p.organisation_id for p in people.values()})
            )
        )
    }
    by_organisation: dict[str, OrganisationAttendance] = {}
    totals = dict.fromkeys(KEYS, 0)
    for person_id, person in people.items():
        name = names.get(person.organisation_id, "")
        group = by_organisation.setdefault(name, OrganisationAttendance(organisation=name))
        reply = latest.get(person_id)
        line = Line(
            person_id=person_id,
            name=person.name,
            answer=reply.answer if reply else None,
            comment=reply.comment if reply else None,
            source=reply.source if reply else None,
            received_at=reply.received_at if reply else None,
            mode=reply.mode if reply else None,
            stand_in=stand_ins.get(reply.stand_in_id) if reply and reply.stand_in_id else None,
            stand_in_answer=_own_answer(latest, reply.stand_in_id if reply else None),
        )
        group.people.append(line)
        group.counts[line.key] += 1
        totals[line.key] += 1
    ordered = sorted(by_organisation.values(), key=lambda o: o.organisation)
    for group in ordered:
        group.people.sort(key=lambda line: line.name)
    return Expected(meeting_id=meeting_id, organisations=ordered, totals=totals)
