"""Who is asked to answer an assignment: each organisation of the group, or each member."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models.homework import (
    AnswerMode,
    HomeworkAnswer,
    HomeworkAssignment,
    HomeworkRevision,
    RevisionStatus,
)
from models.people import Person
from service.agenda.calls import ASKED_ROLES
from service.directory import memberships, organisations, people
from service.meetings import meetings


@dataclass(frozen=True)
class Answerer:
    """An organisation (or a member) asked to answer, and the people who may do it."""

    key: str  # as HomeworkAnswer.answerer_key
    organisation_id: int
    label: str  # the city; "city — name" per member
    people: tuple[Person, ...]


def expected(session: Session, *, assignment: HomeworkAssignment, on: date) -> list[Answerer]:
    """The answerers asked on a day, by organisation name (and person name per member)."""
    meeting = meetings.get(session, meeting_id=assignment.meeting_id)
    current = memberships.current(session, group_id=meeting.group_id, on=on)
    asked = people.not_erased(session, ids=(m.person_id for m in current if m.role in ASKED_ROLES))
    names = organisations.names(session, ids=(p.organisation_id for p in asked))
    if assignment.mode is AnswerMode.member:
        found = [
            Answerer(
                f"person-{p.id}", p.organisation_id, f"{names[p.organisation_id]} — {p.name}", (p,)
            )
            for p in asked
        ]
    else:
        by_organisation: dict[int, list[Person]] = defaultdict(list)
        for person in asked:
            by_organisation[person.organisation_id].append(person)
        found = [
            Answerer(f"organisation-{o}", o, names[o], tuple(sorted(ps, key=lambda p: p.id or 0)))
            for o, ps in by_organisation.items()
        ]
    return sorted(found, key=lambda a: (a.label.casefold(), a.key))


def answered_keys(session: Session, *, assignment_id: int) -> set[str]:
    """The answerers with an answer that counts (in time, or late and accepted)."""
    counted = (RevisionStatus.on_time, RevisionStatus.accepted)
    return set(
        session.exec(
            select(HomeworkAnswer.answerer_key)
            .join(HomeworkRevision, col(HomeworkRevision.answer_id) == HomeworkAnswer.id)
            .where(
                HomeworkAnswer.assignment_id == assignment_id,
                col(HomeworkRevision.status).in_(counted),
            )
        )
    )
