"""Homework in the annual report: per group and year, how much was set and who answered it.

An assignment counts in the year (Brussels time) of its deadline. An organisation was asked
when one of its people was asked; it answered when an answer of it counts (in time, or late
and accepted).
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.homework import HomeworkAnswer, HomeworkAssignment
from models.meetings import Meeting
from service.clock import BRUSSELS, local_today
from service.directory import organisations
from service.homework import answerers


@dataclass(frozen=True)
class OrganisationHomework:
    """One organisation's homework in a group's year: asked and answered."""

    organisation: str
    asked: int
    answered: int


@dataclass(frozen=True)
class HomeworkYear:
    """A group's homework in a year: how many assignments, and each organisation's part."""

    assignments: int
    organisations: list[OrganisationHomework]

    @property
    def answered_text(self) -> str:
        """'Stad Gent 2/2; Stad Genk 0/2', for the report's line and CSV cell."""
        return "; ".join(f"{o.organisation} {o.answered}/{o.asked}" for o in self.organisations)


def homework_year(session: Session, *, year: int) -> dict[int, HomeworkYear]:
    """Per group id, the homework whose deadline fell in `year`."""
    rows = session.exec(
        select(HomeworkAssignment, Meeting.group_id)
        .join(Meeting, col(Meeting.id) == HomeworkAssignment.meeting_id)
        .order_by(col(HomeworkAssignment.id))
    ).all()
    counted: dict[int, int] = defaultdict(int)
    asked: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    answered: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for assignment, group_id in rows:
        if assignment.deadline.astimezone(BRUSSELS).year != year:
            continue
        assert assignment.id is not None
        counted[group_id] += 1
        day = local_today(assignment.deadline)
        for organisation in {
            a.organisation_id for a in answerers.expected(session, assignment=assignment, on=day)
        }:
            asked[group_id][organisation] += 1
        for organisation in _answering(session, assignment):
            answered[group_id][organisation] += 1
    names = organisations.names(
        session, ids={o for per in (asked, answered) for by in per.values() for o in by}
    )
    return {
        group_id: HomeworkYear(
            assignments=count,
            organisations=sorted(
                (
                    OrganisationHomework(
                        names[o],
                        max(asked[group_id][o], answered[group_id][o]),
                        answered[group_id][o],
                    )
                    for o in set(asked[group_id]) | set(answered[group_id])
                ),
                key=lambda line: line.organisation.casefold(),
            ),
        )
        for group_id, count in counted.items()
    }


def _answering(session: Session, assignment: HomeworkAssignment) -> set[int]:
    """The organisations with an answer that counts (per member: any one of its members)."""
    assert assignment.id is not None
    keys = answerers.answered_keys(session, assignment_id=assignment.id)
    found = session.exec(
        select(HomeworkAnswer.organisation_id).where(
            HomeworkAnswer.assignment_id == assignment.id,
            col(HomeworkAnswer.answerer_key).in_(keys),
        )
    )
    return set(found)
