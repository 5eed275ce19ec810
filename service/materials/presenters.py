"""Naming who presents an agenda item: they may add the item's materials and are reminded."""

from datetime import datetime

from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaVersion, AgendaVersionStatus
from models.errors import N_, DomainError
from models.people import Person
from service import audit
from service.audit import Actor
from service.directory import memberships
from service.materials import places
from service.meetings import meetings


def candidates(session: Session, *, group_id: int, now: datetime) -> list[Person]:
    """Who may be named: the group's members today, by name."""
    ids = {m.person_id for m in memberships.current(session, group_id=group_id, on=now.date())}
    return list(
        session.exec(select(Person).where(col(Person.id).in_(ids)).order_by(col(Person.name)))
    )


def name(
    session: Session,
    *,
    meeting_id: int,
    item_key: int,
    person_id: int | None,
    actor: Actor,
    now: datetime,
) -> AgendaItem:
    """Name (or, with None, un-name) the presenter of an item, in the draft and the published
    agenda alike: who presents is no change of the agenda members must be told about."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    _, shown = places.item(session, meeting=meeting, item_key=item_key)
    if person_id is not None and person_id not in {
        p.id for p in candidates(session, group_id=meeting.group_id, now=now)
    }:
        raise DomainError(N_("A presenter must be a member of the group."), field="presenter")
    rows = session.exec(
        select(AgendaItem)
        .join(AgendaVersion, col(AgendaVersion.id) == AgendaItem.version_id)
        .where(
            AgendaVersion.meeting_id == meeting_id,
            AgendaItem.item_key == item_key,
            AgendaVersion.status != AgendaVersionStatus.superseded,
        )
    ).all()
    for row in rows:
        if row.presenter_id != person_id:
            with audit.changing(session, row, actor=actor, now=now):
                row.presenter_id = person_id
    return shown
