"""Every question of a group with its path, and the names a page or the API shows with it."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.deliverables import Deliverable
from models.meetings import Meeting
from models.organisations import Organisation
from models.questions import QuestionStatus
from service.directory import groups, people
from service.questions import fate

_ASKERS = (QuestionStatus.waiting, QuestionStatus.withdrawn)


@dataclass(frozen=True)
class GroupQuestions:
    """A group's questions, newest first, and the names behind the ids in their paths."""

    paths: list[fate.Path]
    meetings: dict[int, str]
    organisations: dict[int, str]
    people: dict[int, str]
    deliverables: dict[int, str]


def for_group(session: Session, *, slug: str) -> GroupQuestions:
    """Every question sent for a group's meetings, newest first, with its path and names."""
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None
    found = list(reversed(fate.for_group(session, group_id=group.id)))
    steps = [s for p in found for s in p.steps]
    meeting_ids = {s.meeting_id for s in steps if s.meeting_id}
    organisation_ids = {p.submission.organisation_id for p in found}
    deliverable_ids = {s.deliverable_id for s in steps if s.deliverable_id}
    return GroupQuestions(
        paths=found,
        meetings={
            m.id: m.title
            for m in session.exec(select(Meeting).where(col(Meeting.id).in_(meeting_ids)))
            if m.id is not None
        },
        organisations={
            o.id: o.name
            for o in session.exec(
                select(Organisation).where(col(Organisation.id).in_(organisation_ids))
            )
            if o.id is not None
        },
        # The asker's own steps name the organisation only: the page may be read widely.
        people=people.names(session, ids={s.by_id for s in steps if s.status not in _ASKERS}),
        deliverables={
            d.id: d.title
            for d in session.exec(
                select(Deliverable).where(col(Deliverable.id).in_(deliverable_ids))
            )
            if d.id is not None
        },
    )
