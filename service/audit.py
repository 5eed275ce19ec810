"""Record who changed what, when, with the values before and after."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from models.audit import AuditAction, AuditEntry
from models.people import Person

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in person, or a named part of the system."""

    person_id: int | None
    label: str

    @classmethod
    def of(cls, person: Person) -> "Actor":
        """The actor for a person; the label is the id, never the name or address."""
        return cls(person_id=person.id, label=f"person:{person.id}")

    @classmethod
    def system(cls, name: str) -> "Actor":
        """The actor for a flow, a command or the demo loader."""
        return cls(person_id=None, label=f"system:{name}")


def snapshot(row: SQLModel) -> dict[str, Any]:
    """Return the row's columns as JSON-safe values, for the before/after of an entry."""
    return row.model_dump(mode="json")


def record(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    row: SQLModel,
    before: dict[str, Any] | None,
    now: datetime,
) -> AuditEntry:
    """Add an audit entry for `row`, which must already have its id (flush first)."""
    entity_id = getattr(row, "id", None)
    if entity_id is None:
        raise ValueError("flush the row before auditing it, so it has an id")
    after = None if action in (AuditAction.delete, AuditAction.erase) else snapshot(row)
    entry = AuditEntry(
        at=now,
        actor_id=actor.person_id,
        actor_label=actor.label,
        action=action,
        entity=str(row.__tablename__),
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def save(
    session: Session,
    *,
    row: SQLModel,
    before: dict[str, Any] | None,
    actor: Actor,
    now: datetime,
) -> None:
    """Write a new or changed row and audit it: a create when `before` is None, else an update."""
    session.add(row)
    session.flush()
    action = AuditAction.create if before is None else AuditAction.update
    record(session, actor=actor, action=action, row=row, before=before, now=now)


def created(session: Session, row: Row, *, actor: Actor, now: datetime) -> Row:
    """Write a new row and audit its creation; the row, with its id."""
    save(session, row=row, before=None, actor=actor, now=now)
    return row


@contextmanager
def changing(session: Session, row: Row, *, actor: Actor, now: datetime) -> Iterator[Row]:
    """Audit what the block changes in `row` as one update: its values before, then after.

    A block that raises writes and audits nothing.
    """
    before = snapshot(row)
    yield row
    save(session, row=row, before=before, actor=actor, now=now)


def save_if(
    session: Session,
    row: SQLModel,
    *conditions: sa.ColumnElement[bool],
    actor: Actor,
    now: datetime,
    **values: Any,
) -> bool:
    """Change `row` in one UPDATE only while `conditions` still hold, and audit it if it did.

    Of two runs that race for the same change, one wins: the other finds the row moved on,
    changes nothing and is told so (False). The row is refreshed either way.
    """
    before = snapshot(row)
    mapper = sa.inspect(type(row), raiseerr=True)
    (key,) = mapper.primary_key  # every audited table has the one integer `id`
    changed = session.execute(
        sa.update(type(row))
        .where(key == mapper.primary_key_from_instance(row)[0], *conditions)
        .values(**values)
    )
    session.refresh(row)
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    record(session, actor=actor, action=AuditAction.update, row=row, before=before, now=now)
    return True


def recent(session: Session, *, limit: int) -> list[AuditEntry]:
    """The latest entries, newest first."""
    rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit))
    return list(rows)
