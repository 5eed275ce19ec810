"""The meetings held per programme and year, kept up to date for the directors' overview.

Every write of a meeting (and every group that changes programme or closes or opens again)
adjusts the counts in the same transaction, from the ORM's flush, so no use case can forget
it. A count's key holds what the overview asks: the group's programme, the calendar year of
the start in Brussels, and the group itself when it is closed (a closed group's meetings count
only when it has a line). The overview sums these rows instead of counting every meeting held
this year; `rebuild` makes them again (the generator, a repair).
"""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import col

from models.groups import GroupStatus, WorkingGroup
from models.meetings import Meeting, MeetingStatus, MeetingTally
from service.clock import BRUSSELS
from service.reports.counts import Counts

# The key of a count: (programme_key, year, group_key).
Key = tuple[int, int, int]
TALLY = MeetingTally.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
COUNTS = Counts(TALLY, ("programme_key", "year", "group_key"))


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """A calendar year in Brussels, as UTC instants."""
    start = datetime(year, 1, 1, tzinfo=BRUSSELS).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=BRUSSELS).astimezone(UTC)
    return start, end


def group_key(group_id: int, status: Any) -> int:
    """The group's part of a key: its id when it is closed, else 0."""
    return group_id if GroupStatus(status) is GroupStatus.closed else 0


def _group(connection: Connection, group_id: int) -> tuple[int, int]:
    """(programme_key, group_key) of a group as the database holds it."""
    programme_id, status = connection.execute(
        sa.select(col(WorkingGroup.programme_id), col(WorkingGroup.status)).where(
            col(WorkingGroup.id) == group_id
        )
    ).one()
    return int(programme_id or 0), group_key(group_id, status)


def _key(
    connection: Connection, group_id: int, status: Any, starts_at: datetime | None
) -> Key | None:
    """The count a meeting with these values belongs to; None when it was not held."""
    if starts_at is None or MeetingStatus(status) is not MeetingStatus.held:
        return None
    programme_key, closed = _group(connection, group_id)
    return programme_key, _aware(starts_at).astimezone(BRUSSELS).year, closed


def _stored_key(connection: Connection, meeting_id: int | None) -> Key | None:
    """The key of the meeting as the database holds it now (before this flush writes it)."""
    row = connection.execute(
        sa.select(col(Meeting.group_id), col(Meeting.status), col(Meeting.starts_at)).where(
            col(Meeting.id) == meeting_id
        )
    ).first()
    return None if row is None else _key(connection, *row)


def _new_key(connection: Connection, target: Meeting) -> Key | None:
    return _key(connection, target.group_id, target.status, target.starts_at)


COUNTS.keep(Meeting, new_key=_new_key, stored_key=_stored_key)


@sa.event.listens_for(WorkingGroup, "before_update")
def _group_changing(_mapper: Any, connection: Connection, target: WorkingGroup) -> None:
    """A group that changes programme, closes or opens again takes its counts along."""
    assert target.id is not None
    before = _group(connection, target.id)
    after = (int(target.programme_id or 0), group_key(target.id, target.status))
    if before == after:
        return
    for year, count in _years(connection, col(Meeting.group_id) == target.id).items():
        COUNTS.add(connection, (before[0], year, before[1]), -count)
        COUNTS.add(connection, (after[0], year, after[1]), count)


def _years(connection: Connection, *where: sa.ColumnElement[bool]) -> Counter[int]:
    """The held meetings that match, counted per year of their start in Brussels."""
    starts: Iterable[Any] = connection.execute(
        sa.select(col(Meeting.starts_at)).where(
            col(Meeting.status) == MeetingStatus.held, col(Meeting.starts_at).is_not(None), *where
        )
    ).scalars()
    return Counter(_aware(start).astimezone(BRUSSELS).year for start in starts)


def rebuild(connection: Connection) -> None:
    """Count every meeting held again (after a bulk load that went around the ORM).

    A year at a time between its bounds in Brussels, so the database counts and groups.
    """
    connection.execute(sa.delete(TALLY))
    held = col(Meeting.status) == MeetingStatus.held
    first, last = connection.execute(
        sa.select(sa.func.min(col(Meeting.starts_at)), sa.func.max(col(Meeting.starts_at))).where(
            held
        )
    ).one()
    if first is None:
        return
    programme = sa.func.coalesce(col(WorkingGroup.programme_id), 0)
    closed = sa.case(
        (col(WorkingGroup.status) == GroupStatus.closed, col(WorkingGroup.id)), else_=0
    )
    for year in range(_aware(first).year - 1, _aware(last).year + 2):
        start, end = year_bounds(year)
        rows = connection.execute(
            sa.select(programme, closed, sa.func.count())
            .select_from(Meeting)
            .join(WorkingGroup, col(WorkingGroup.id) == col(Meeting.group_id))
            .where(held, col(Meeting.starts_at) >= start, col(Meeting.starts_at) < end)
            .group_by(programme, closed)
        ).all()
        if rows:
            connection.execute(
                sa.insert(TALLY),
                [
                    {"programme_key": k, "year": year, "group_key": g, "count": n}
                    for k, g, n in rows
                ],
            )


def _aware(value: datetime | str) -> datetime:
    """An instant read without its column's type (min, max on SQLite): UTC attached again."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
