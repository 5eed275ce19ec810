"""A write that can bring a meeting's step forward sets its next step time back to NULL.

`next_step.py` works out when a meeting's steps fall due from the rows as they are; any write
to those rows may make a step due sooner (a new day, a call opened or extended, an answer, a
member who joins, an agenda published, a material added, minutes...). So every flush that
inserts, changes or deletes such a row, and every UPDATE or DELETE statement run through a
session on their tables, sets the meeting's `next_step_at` to NULL in the same transaction,
whoever writes: the next advance-meetings run looks at it and works the time out again. No
use case has to remember it.

A change to a group (its call settings), to its memberships or to a person's erasure touches
each of the group's meetings still in play (those with a time short of next_step.NEVER).

Order: `advance_meeting` stores the meeting's time itself, last in its unit of work, from the
rows as its steps left them (`next_step.record`: a flush, then the time, on the connection,
which these hooks do not see). Its own writes (the call it opens, the sheet it starts...) are
about that meeting, so it runs them inside `own_writes`, which leaves them out here: at
1,000 steps due, NULLing on each of them cost a quarter of the run.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from models.agenda import AgendaCall, AgendaItem, AgendaVersion, Submission
from models.groups import WorkingGroup
from models.materials import Material
from models.meetings import NEXT_STEP_NEVER as NEVER
from models.meetings import Attendance, Meeting, MeetingChange
from models.memberships import Membership
from models.minutes import MinutesVersion
from models.people import Person
from models.replies import MeetingReply

MEETING = Meeting.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
CALL = AgendaCall.__table__  # type: ignore[attr-defined]
VERSION = AgendaVersion.__table__  # type: ignore[attr-defined]
MEMBERSHIP = Membership.__table__  # type: ignore[attr-defined]
SUBMISSION = Submission.__table__  # type: ignore[attr-defined]
ITEM = AgendaItem.__table__  # type: ignore[attr-defined]
# Rows that name their meeting.
BY_MEETING = (
    MeetingChange,
    AgendaCall,
    AgendaVersion,
    Material,
    MeetingReply,
    Attendance,
    MinutesVersion,
)
BY_MEETING_TABLES = {str(t.__tablename__) for t in BY_MEETING}
# Every table besides the meeting's own whose rows an INSERT, UPDATE or DELETE statement may
# write for a meeting (a new meeting's time is NULL already).
TRACKED_TABLES = BY_MEETING_TABLES | {str(t.name) for t in (SUBMISSION, ITEM, MEMBERSHIP)}
# What about a person changes who is mailed.
PERSON_FIELDS = ("erased_at", "deactivated_at")


_OWN = "next_step.own_writes"


@contextmanager
def own_writes(session: Session) -> Iterator[None]:
    """Within: the session's writes are advance_meeting's, which stores the time after them."""
    session.info[_OWN] = True
    try:
        yield
    finally:
        session.info.pop(_OWN, None)


def _get(obj: object, name: str) -> Any:
    """A row's value without loading a deleted row again (it is gone by now)."""
    state: Any = sa.inspect(obj)
    found = state.dict.get(name)
    if found is None and not state.deleted and not state.was_deleted:
        found = getattr(obj, name)
    return found


def _changed(obj: object, name: str) -> bool:
    state: Any = sa.inspect(obj)
    return bool(state.attrs[name].history.has_changes())


def _meeting_ids(obj: object) -> Iterable[Any]:
    """The meetings a row is about, as ids or as subqueries of ids."""
    if isinstance(obj, Meeting):
        yield _get(obj, "id")
    elif isinstance(obj, BY_MEETING):
        yield _get(obj, "meeting_id")
    elif isinstance(obj, Submission):
        yield sa.select(CALL.c.meeting_id).where(CALL.c.id == _get(obj, "call_id"))
        yield _get(obj, "parked_for_meeting_id")
    elif isinstance(obj, AgendaItem):
        yield sa.select(VERSION.c.meeting_id).where(VERSION.c.id == _get(obj, "version_id"))


def _group_ids(obj: object) -> Iterable[Any]:
    """The groups whose meetings a row is about (members, settings, a person's erasure)."""
    if isinstance(obj, Membership):
        yield _get(obj, "group_id")
    elif isinstance(obj, WorkingGroup):
        yield _get(obj, "id")
    elif isinstance(obj, Person) and any(_changed(obj, name) for name in PERSON_FIELDS):
        yield sa.select(MEMBERSHIP.c.group_id).where(MEMBERSHIP.c.person_id == _get(obj, "id"))


def forget(connection: Connection, *, meetings: Iterable[Any], groups: Iterable[Any]) -> None:
    """Set these meetings' next step time, and that of these groups' meetings in play, to NULL.

    Each is an id or a subquery of ids.
    """
    plain = sorted({m for m in meetings if isinstance(m, int)})
    if plain:
        connection.execute(
            sa.update(MEETING).where(MEETING.c.id.in_(plain)).values(next_step_at=None)
        )
    for query in (m for m in meetings if not isinstance(m, int)):
        connection.execute(
            sa.update(MEETING).where(MEETING.c.id.in_(query)).values(next_step_at=None)
        )
    for group in groups:
        connection.execute(
            sa.update(MEETING)
            .where(
                MEETING.c.group_id.in_([group] if isinstance(group, int) else group),
                MEETING.c.next_step_at < NEVER,
            )
            .values(next_step_at=None)
        )


@sa.event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    """After each flush (its new, changed and deleted rows still listed): their meetings."""
    if session.info.get(_OWN):
        return
    meetings: list[Any] = []
    groups: list[Any] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting) and obj in session.new:
            continue  # a new meeting's time is NULL already
        meetings += [m for m in _meeting_ids(obj) if m is not None]
        groups += [g for g in _group_ids(obj) if g is not None]
    if meetings or groups:
        forget(session.connection(), meetings=meetings, groups=groups)


@sa.event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    """A statement through a session: the meetings of the rows it adds, changes or deletes."""
    if state.session.info.get(_OWN):
        return
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    statement: Any = state.statement
    # By name: an ORM statement's table is an annotated copy of the model's, not the same object.
    name = statement.table.name
    # Most statements write other tables: those cost nothing here.
    if not (name == MEETING.name or name in TRACKED_TABLES):
        return
    if state.is_insert:
        _inserting(state, statement)
        return
    where = sa.true() if statement.whereclause is None else statement.whereclause
    connection = state.session.connection()
    if name == MEMBERSHIP.name:
        forget(connection, meetings=[], groups=[sa.select(MEMBERSHIP.c.group_id).where(where)])
        return
    if name == MEETING.name:
        found = sa.select(MEETING.c.id).where(where)
    elif name == SUBMISSION.name:
        found = sa.select(CALL.c.meeting_id).where(
            CALL.c.id.in_(sa.select(SUBMISSION.c.call_id).where(where))
        )
    elif name == ITEM.name:
        found = sa.select(VERSION.c.meeting_id).where(
            VERSION.c.id.in_(sa.select(ITEM.c.version_id).where(where))
        )
    else:  # a table whose rows name their meeting
        found = sa.select(statement.table.c.meeting_id).where(where)
    ids = [i for i in connection.execute(found).scalars() if i is not None]
    forget(connection, meetings=ids, groups=[])


def _inserting(state: ORMExecuteState, statement: Any) -> None:
    """An INSERT statement (ON CONFLICT DO NOTHING and the like): the meetings it names."""
    name = statement.table.name
    params = state.parameters
    rows: list[dict[str, Any]] = [statement.compile().params]
    if isinstance(params, dict):
        rows.append(params)
    elif params:
        rows += [dict(p) for p in params if not isinstance(p, str)]
    meetings: list[Any] = []
    groups: list[Any] = []
    for row in rows:
        if name in BY_MEETING_TABLES:
            meetings.append(row.get("meeting_id"))
        elif name == SUBMISSION.name and row.get("call_id") is not None:
            meetings.append(sa.select(CALL.c.meeting_id).where(CALL.c.id == row["call_id"]))
        elif name == ITEM.name and row.get("version_id") is not None:
            meetings.append(
                sa.select(VERSION.c.meeting_id).where(VERSION.c.id == row["version_id"])
            )
        elif name == MEMBERSHIP.name:
            groups.append(row.get("group_id"))
    meetings = [m for m in meetings if m is not None]
    groups = [g for g in groups if g is not None]
    if meetings or groups:
        forget(state.session.connection(), meetings=meetings, groups=groups)
