"""The directors' roll-up kept up to date: deliverables counted per programme, status and days.

Every write of a deliverable (and every move of a group to another programme) adjusts the
counts in the same transaction, from the ORM's flush, so no use case can forget it. The
overview sums these rows (a few per programme and day) instead of aggregating every
deliverable; `rebuild` makes them again from the deliverables (the generator, a repair).
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import col

from models.dates import period_end
from models.deliverables import Deliverable, DeliverableStatus, DeliverableTally
from models.groups import WorkingGroup

# The key of a count: (programme_key, status, due_day, delivered_on).
Key = tuple[int, str, date, date | None]
TALLY = DeliverableTally.__table__  # type: ignore[attr-defined]


def _programme_key(connection: Connection, group_id: int) -> int:
    found = connection.execute(
        sa.select(col(WorkingGroup.programme_id)).where(col(WorkingGroup.id) == group_id)
    ).scalar()
    return int(found or 0)


def _status(value: Any) -> str:
    return value.value if isinstance(value, DeliverableStatus) else str(value)


def add(connection: Connection, key: Key, delta: int) -> None:
    """Add `delta` to the count of `key`: the existing row, or a new one."""
    programme_key, status, due_day, delivered_on = key
    same = sa.and_(
        TALLY.c.programme_key == programme_key,
        TALLY.c.status == status,
        TALLY.c.due_day == due_day,
        TALLY.c.delivered_on.is_(None)
        if delivered_on is None
        else TALLY.c.delivered_on == delivered_on,
    )
    first = connection.execute(sa.select(TALLY.c.id).where(same).limit(1)).scalar()
    if first is not None:
        connection.execute(
            sa.update(TALLY).where(TALLY.c.id == first).values(count=TALLY.c.count + delta)
        )
        return
    connection.execute(
        sa.insert(TALLY).values(
            programme_key=programme_key,
            status=status,
            due_day=due_day,
            delivered_on=delivered_on,
            count=delta,
        )
    )


def _new_key(connection: Connection, target: Deliverable) -> Key:
    return (
        _programme_key(connection, target.group_id),
        _status(target.status),
        period_end(target.due_on, target.due_precision),
        target.delivered_on,
    )


def _stored_key(connection: Connection, deliverable_id: int | None) -> Key | None:
    """The key of the row as the database holds it now (before this flush writes it).

    Read back rather than taken from the ORM's history, which does not know the old value of
    an attribute set on an expired object.
    """
    row = connection.execute(
        sa.select(
            sa.func.coalesce(col(WorkingGroup.programme_id), 0),
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
        )
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(col(Deliverable.id) == deliverable_id)
    ).first()
    if row is None:
        return None
    programme_key, status, due_day, delivered_on = row
    return (int(programme_key), _status(status), due_day, delivered_on)


@sa.event.listens_for(Deliverable, "after_insert")
def _inserted(_mapper: Any, connection: Connection, target: Deliverable) -> None:
    add(connection, _new_key(connection, target), 1)


@sa.event.listens_for(Deliverable, "before_update")
def _updating(_mapper: Any, connection: Connection, target: Deliverable) -> None:
    old = _stored_key(connection, target.id)
    new = _new_key(connection, target)
    if old != new:
        if old is not None:
            add(connection, old, -1)
        add(connection, new, 1)


@sa.event.listens_for(Deliverable, "before_delete")
def _deleting(_mapper: Any, connection: Connection, target: Deliverable) -> None:
    old = _stored_key(connection, target.id)
    if old is not None:
        add(connection, old, -1)


@sa.event.listens_for(WorkingGroup, "before_update")
def _group_moving(_mapper: Any, connection: Connection, target: WorkingGroup) -> None:
    """A group that changes programme takes the counts of its deliverables along."""
    stored = connection.execute(
        sa.select(col(WorkingGroup.programme_id)).where(col(WorkingGroup.id) == target.id)
    ).scalar()
    before, after = int(stored or 0), int(target.programme_id or 0)
    if before == after:
        return
    counted = connection.execute(
        sa.select(
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
            sa.func.count(),
        )
        .where(col(Deliverable.group_id) == target.id)
        .group_by(col(Deliverable.status), col(Deliverable.due_day), col(Deliverable.delivered_on))
    )
    for status, due_day, delivered_on, count in counted.all():
        add(connection, (before, _status(status), due_day, delivered_on), -count)
        add(connection, (after, _status(status), due_day, delivered_on), count)


def rebuild(connection: Connection) -> None:
    """Count every deliverable again (after a bulk load that went around the ORM)."""
    connection.execute(sa.delete(TALLY))
    programme = sa.func.coalesce(col(WorkingGroup.programme_id), 0)
    counted = (
        sa.select(
            programme,
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
            sa.func.count(),
        )
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .group_by(
            programme,
            col(Deliverable.status),
            col(Deliverable.due_day),
            col(Deliverable.delivered_on),
        )
    )
    connection.execute(
        sa.insert(TALLY).from_select(
            ["programme_key", "status", "due_day", "delivered_on", "count"], counted
        )
    )
