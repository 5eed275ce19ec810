"""Whether a meeting has minutes, kept on the meeting by every write of a minutes version.

The work queue's minutes overdue reads the held meetings without minutes from an index on
this flag, instead of probing every recent meeting for a minutes version. The ORM's flush
keeps it in the same transaction as the minutes, whoever writes them; `rebuild` sets it again
after a bulk load that went around the ORM.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import col

from models.meetings import Meeting
from models.minutes import MinutesVersion

MEETING = Meeting.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
MINUTES = MinutesVersion.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__


def _written(meeting_id: Any) -> sa.Exists:
    return sa.exists().where(MINUTES.c.meeting_id == meeting_id)


def _mark(connection: Connection, target: MinutesVersion, value: sa.ColumnElement[bool]) -> None:
    connection.execute(
        sa.update(MEETING).where(MEETING.c.id == target.meeting_id).values(minutes_written=value)
    )
    # A meeting loaded in the same session shows the new value without a refresh.
    session = object_session(target)
    key = identity_key(Meeting, target.meeting_id)
    meeting = session.identity_map.get(key) if session is not None else None
    if meeting is not None:
        stored = connection.execute(
            sa.select(col(Meeting.minutes_written)).where(col(Meeting.id) == target.meeting_id)
        ).scalar()
        set_committed_value(meeting, "minutes_written", bool(stored))


@sa.event.listens_for(MinutesVersion, "after_insert")
def _inserted(_mapper: Any, connection: Connection, target: MinutesVersion) -> None:
    _mark(connection, target, sa.true())


@sa.event.listens_for(MinutesVersion, "after_delete")
def _deleted(_mapper: Any, connection: Connection, target: MinutesVersion) -> None:
    _mark(connection, target, _written(MEETING.c.id))


def rebuild(connection: Connection) -> None:
    """Set every meeting's flag from its minutes (after a bulk load that went around the ORM)."""
    connection.execute(sa.update(MEETING).values(minutes_written=_written(MEETING.c.id)))
