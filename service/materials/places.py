"""Where a material sits (a meeting, one of its agenda items, a group's library) and who adds."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.agenda import AgendaItem
from models.errors import N_, Forbidden, NotFound
from models.meetings import Meeting
from models.people import Person
from service.access.permissions import principal_for
from service.agenda import drafts, review
from service.audit import Actor


@dataclass(frozen=True)
class Place:
    """A group's library (no meeting), a meeting, or an item of a meeting's agenda."""

    group_id: int
    meeting_id: int | None = None
    item_key: int | None = None


def of_meeting(meeting: Meeting) -> Place:
    """The meeting as a whole."""
    assert meeting.id is not None
    return Place(group_id=meeting.group_id, meeting_id=meeting.id)


def library(group_id: int) -> Place:
    """The group's standing library: documents that belong to no one meeting."""
    return Place(group_id=group_id)


def agenda(session: Session, *, meeting_id: int) -> list[AgendaItem]:
    """The items members see, in agenda order: the published agenda, else the draft."""
    version = drafts.published(session, meeting_id=meeting_id) or drafts.draft(
        session, meeting_id=meeting_id
    )
    if version is None or version.id is None:
        return []
    return review.on_agenda(drafts.items(session, version_id=version.id))


def item(session: Session, *, meeting: Meeting, item_key: int) -> tuple[Place, AgendaItem]:
    """An item on the meeting's agenda by its key; any other key is unknown (404)."""
    assert meeting.id is not None
    for row in agenda(session, meeting_id=meeting.id):
        if row.item_key == item_key:
            return Place(meeting.group_id, meeting.id, item_key), row
    raise NotFound(N_("Unknown agenda item."), field="item")


def check_may_add(session: Session, *, place: Place, actor: Actor, now: datetime) -> None:
    """The chair and the secretariat add anywhere; an item's presenter adds to that item."""
    person = session.get(Person, actor.person_id) if actor.person_id is not None else None
    if person is None:
        return  # a part of the system (the demo loader) acts for the secretariat
    if principal_for(session, person=person, on=now.date()).manages(place.group_id):
        return
    if place.meeting_id is not None and place.item_key is not None:
        presenters = {
            row.presenter_id
            for row in agenda(session, meeting_id=place.meeting_id)
            if row.item_key == place.item_key
        }
        if person.id in presenters:
            return
    raise Forbidden(
        N_("Only the chair, the secretariat and the item's presenter may add materials here."),
        field="file",
    )
