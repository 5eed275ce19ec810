"""Homework in the annual report: per group and year, how much was set and who answered it.

An assignment counts in the year (Brussels time) of its deadline. An organisation was asked
when one of its people was asked; it answered when an answer of it counts (in time, or late
and accepted).
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.homework import HomeworkAssignment
from models.meetings import Meeting
from service.clock import BRUSSELS, local_today
from service.directory import organisations
from service.homework import answerers
from service.reports.held_tally import year_bounds


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
    first, after = year_bounds(year)
    rows = session.exec(
        select(HomeworkAssignment, Meeting.group_id)
        .join(Meeting, col(Meeting.id) == HomeworkAssignment.meeting_id)
        .where(col(HomeworkAssignment.deadline) >= first, col(HomeworkAssignment.deadline) < after)
        .order_by(col(HomeworkAssignment.id))
    ).all()
    in_year = [
        (assignment, group_id)
        for assignment, group_id in rows
        if assignment.deadline.astimezone(BRUSSELS).year == year
    ]
    # Asked on the deadline's day, as answerers.expected; all assignments in a few queries.
    asked_of = answerers.organisations_asked(
        session,
        asked={
            a.id: (group_id, local_today(a.deadline)) for a, group_id in in_year if a.id is not None
        },
    )
    answered_of = answerers.organisations_answered(
        session, assignment_ids=(a.id for a, _group in in_year if a.id is not None)
    )
    counted: dict[int, int] = defaultdict(int)
    asked: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    answered: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for assignment, group_id in in_year:
        assert assignment.id is not None
        counted[group_id] += 1
        for organisation in asked_of.get(assignment.id, set()):
            asked[group_id][organisation] += 1
        for organisation in answered_of.get(assignment.id, set()):
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
