"""A group's register of decisions and deliverables, read in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaVersion, AgendaVersionStatus
from models.deliverables import Decision, Deliverable, DeliverableChange
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from service.deliverables import deliverables, rag
from service.deliverables.deliverables import Slip
from service.deliverables.rag import Rag
from service.directory import people
from service.meetings import meetings


@dataclass(frozen=True)
class Register:
    """Everything the group's deliverables page shows."""

    items: list[Deliverable]
    histories: dict[int, list[DeliverableChange]]
    slips: dict[int, Slip]
    colours: dict[int, Rag | None]
    names: dict[int, str]
    decisions: list[Decision]
    meetings: dict[int, Meeting]
    held: list[Meeting]
    # The items of each held meeting's published agenda, to link a deliverable to one.
    agenda: dict[int, list[AgendaItem]]


def histories(session: Session, *, ids: list[int]) -> dict[int, list[DeliverableChange]]:
    """The recorded changes of these deliverables, oldest first, in one query."""
    found: dict[int, list[DeliverableChange]] = {i: [] for i in ids}
    rows = session.exec(
        select(DeliverableChange)
        .where(col(DeliverableChange.deliverable_id).in_(ids))
        .order_by(col(DeliverableChange.changed_at), col(DeliverableChange.id))
    )
    for row in rows:
        found[row.deliverable_id].append(row)
    return found


def published_items(session: Session, *, meeting_ids: list[int]) -> dict[int, list[AgendaItem]]:
    """The items of the current published agenda of each meeting, in one query."""
    found: dict[int, list[AgendaItem]] = defaultdict(list)
    rows = session.exec(
        select(AgendaVersion.meeting_id, AgendaItem)
        .join(AgendaItem, col(AgendaItem.version_id) == AgendaVersion.id)
        .where(
            col(AgendaVersion.meeting_id).in_(meeting_ids),
            AgendaVersion.status == AgendaVersionStatus.published,
        )
        .order_by(col(AgendaItem.position))
    )
    for meeting_id, item in rows:
        found[meeting_id].append(item)
    return found


@dataclass(frozen=True)
class Detail:
    """A deliverable with its group, its recorded changes, its slip and its colour on a day."""

    deliverable: Deliverable
    group_slug: str
    changes: list[DeliverableChange]
    slip: Slip
    colour: Rag | None


def details(session: Session, *, items: list[Deliverable], today: date) -> list[Detail]:
    """These deliverables in detail, in two queries whatever their number."""
    changes = histories(session, ids=[d.id for d in items if d.id is not None])
    wanted = {d.group_id for d in items}
    slugs = {
        g.id: g.slug
        for g in session.exec(select(WorkingGroup).where(col(WorkingGroup.id).in_(wanted)))
    }
    return [
        Detail(
            deliverable=d,
            group_slug=slugs[d.group_id],
            changes=changes[d.id or 0],
            slip=deliverables.slip(d, changes[d.id or 0]),
            colour=rag.colour(d, today),
        )
        for d in items
    ]


def register(session: Session, *, group_id: int, today: date) -> Register:
    """A group's deliverables with their history, slips and colours, and its decisions."""
    items = deliverables.for_group(session, group_id=group_id)
    changes = histories(session, ids=[d.id for d in items if d.id is not None])
    group_meetings = meetings.for_group(session, group_id=group_id)
    held = [m for m in group_meetings if m.status is MeetingStatus.held]
    wanted = {d.accountable_person_id for d in items}
    wanted |= {c.changed_by_id for found in changes.values() for c in found}
    return Register(
        items=items,
        histories=changes,
        slips={d.id or 0: deliverables.slip(d, changes[d.id or 0]) for d in items},
        colours={d.id or 0: rag.colour(d, today) for d in items},
        names=people.names(session, ids=wanted),
        decisions=deliverables.decisions_for_group(session, group_id=group_id),
        meetings={m.id or 0: m for m in group_meetings},
        held=held,
        agenda=published_items(session, meeting_ids=[m.id for m in held if m.id is not None]),
    )
