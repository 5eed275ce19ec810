"""The directors' roll-up kept up to date: deliverables counted per programme, status and days.

Every write of a deliverable (and every move of a group to another programme) adjusts the
counts in the same transaction, from the ORM's flush, so no use case can forget it. A count's
key holds only what the overview asks: the programme, the status, the due day of an open
deliverable (its colour depends on it; a delivered or dropped one has none) and the quarter it
was delivered in (this year's deliveries and the last eight quarters). The overview sums these
rows instead of aggregating every deliverable; `rebuild` makes them again (the generator, a
repair).
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import col

from models.dates import period_end
from models.deliverables import Deliverable, DeliverableStatus, DeliverableTally
from models.groups import WorkingGroup
from service.reports.counts import Counts

# The key of a count: (programme_key, status, due day if open, first day of delivery quarter).
Key = tuple[int, str, date | None, date | None]
TALLY = DeliverableTally.__table__  # type: ignore[attr-defined]
CLOSED = {DeliverableStatus.delivered.value, DeliverableStatus.dropped.value}
COUNTS = Counts(TALLY, ("programme_key", "status", "due_day", "delivered_quarter"))


def quarter_start(day: date | None) -> date | None:
    """The first day of the quarter a day lies in."""
    return None if day is None else date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def key(programme_id: int | None, status: Any, due_day: date | None, delivered: date | None) -> Key:
    """The count a deliverable with these values belongs to."""
    name = status.value if isinstance(status, DeliverableStatus) else str(status)
    return (
        int(programme_id or 0),
        name,
        None if name in CLOSED else due_day,
        quarter_start(delivered),
    )


def _programme_id(connection: Connection, group_id: int) -> int | None:
    return connection.execute(
        sa.select(col(WorkingGroup.programme_id)).where(col(WorkingGroup.id) == group_id)
    ).scalar()


def _new_key(connection: Connection, target: Deliverable) -> Key:
    due = period_end(target.due_on, target.due_precision)
    return key(_programme_id(connection, target.group_id), target.status, due, target.delivered_on)


def _stored_key(connection: Connection, deliverable_id: int | None) -> Key | None:
    """The key of the row as the database holds it now (before this flush writes it)."""
    row = connection.execute(
        sa.select(
            col(WorkingGroup.programme_id),
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
        )
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(col(Deliverable.id) == deliverable_id)
    ).first()
    return None if row is None else key(*row)


COUNTS.keep(Deliverable, new_key=_new_key, stored_key=_stored_key)


def _counted(connection: Connection, *where: sa.ColumnElement[bool]) -> Counter[Key]:
    """The counts of the deliverables that match, by key (read per day, summed here)."""
    rows: Iterable[Any] = connection.execute(
        sa.select(
            col(WorkingGroup.programme_id),
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
            sa.func.count(),
        )
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(*where)
        .group_by(
            col(WorkingGroup.programme_id),
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
        )
    )
    found: Counter[Key] = Counter()
    for programme_id, status, due_day, delivered_on, count in rows:
        found[key(programme_id, status, due_day, delivered_on)] += count
    return found


@sa.event.listens_for(WorkingGroup, "before_update")
def _group_moving(_mapper: Any, connection: Connection, target: WorkingGroup) -> None:
    """A group that changes programme takes the counts of its deliverables along."""
    stored = connection.execute(
        sa.select(col(WorkingGroup.programme_id)).where(col(WorkingGroup.id) == target.id)
    ).scalar()
    before, after = int(stored or 0), int(target.programme_id or 0)
    if before == after:
        return
    for (_, status, due_day, quarter), count in _counted(
        connection, col(Deliverable.group_id) == target.id
    ).items():
        COUNTS.add(connection, (before, status, due_day, quarter), -count)
        COUNTS.add(connection, (after, status, due_day, quarter), count)


def rebuild(connection: Connection) -> None:
    """Count every deliverable again (after a bulk load that went around the ORM)."""
    connection.execute(sa.delete(TALLY))
    rows = [
        {
            "programme_key": programme_key,
            "status": status,
            "due_day": due_day,
            "delivered_quarter": quarter,
            "count": count,
        }
        for (programme_key, status, due_day, quarter), count in _counted(connection).items()
    ]
    if rows:
        connection.execute(sa.insert(TALLY), rows)
