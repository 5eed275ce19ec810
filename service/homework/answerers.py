"""Who is asked to answer an assignment: each organisation of the group, or each member."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.homework import (
    AnswerMode,
    HomeworkAnswer,
    HomeworkAssignment,
    HomeworkRevision,
    RevisionStatus,
)
from models.memberships import Membership
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


def organisations_asked(
    session: Session, *, asked: dict[int, tuple[int, date]]
) -> dict[int, set[int]]:
    """Per assignment id, the organisations `expected` names on its day, in two queries.

    `asked` maps each assignment id to its meeting's group id and the day it was asked on.
    """
    if not asked:
        return {}
    days = [day for _group, day in asked.values()]
    rows = session.exec(
        select(Membership).where(
            col(Membership.group_id).in_({group for group, _day in asked.values()}),
            col(Membership.role).in_(ASKED_ROLES),
            col(Membership.joined_on) <= max(days),
            sa.or_(col(Membership.left_on).is_(None), col(Membership.left_on) >= min(days)),
        )
    ).all()
    organisation_of = {
        p.id: p.organisation_id for p in people.not_erased(session, ids=(m.person_id for m in rows))
    }
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for membership in rows:
        if membership.person_id in organisation_of:
            by_group[membership.group_id].append(membership)
    return {
        assignment_id: {
            organisation_of[m.person_id]
            for m in by_group[group]
            # As memberships.current: in force on the day.
            if m.joined_on <= day and (m.left_on is None or m.left_on >= day)
        }
        for assignment_id, (group, day) in asked.items()
    }


def organisations_answered(
    session: Session, *, assignment_ids: Iterable[int]
) -> dict[int, set[int]]:
    """Per assignment id, the organisations with an answer that counts, in one query.

    As `answered_keys`: in time, or late and accepted; one answer per answerer key.
    """
    wanted = set(assignment_ids)
    if not wanted:
        return {}
    counted = (RevisionStatus.on_time, RevisionStatus.accepted)
    found: dict[int, set[int]] = defaultdict(set)
    for assignment_id, organisation_id in session.exec(
        select(HomeworkAnswer.assignment_id, HomeworkAnswer.organisation_id)
        .join(HomeworkRevision, col(HomeworkRevision.answer_id) == HomeworkAnswer.id)
        .where(
            col(HomeworkAnswer.assignment_id).in_(wanted), col(HomeworkRevision.status).in_(counted)
        )
        .distinct()
    ):
        found[assignment_id].add(organisation_id)
    return found
