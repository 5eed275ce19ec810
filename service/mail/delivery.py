"""Deliver the outbox: claim due rows, send each over one connection, mark it right away.

A row is claimed by moving its `next_attempt_at` past a lease, in a guarded update, so two
deliverers never send the same row. Each row is marked in its own commit straight after it is
sent, so a crash can repeat at most the one message in flight (same Message-ID).
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from models.people import Person
from service.mail import messages
from service.mail.mailer import Connection, Mailer, PermanentFailure, TemporaryFailure
from service.settings import Settings

LEASE = timedelta(minutes=10)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def due_ids(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Ids of pending rows whose time has come, oldest first."""
    rows = session.exec(
        select(Notification.id)
        .where(
            Notification.status == NotificationStatus.pending,
            col(Notification.next_attempt_at) <= now,
        )
        .order_by(col(Notification.next_attempt_at), col(Notification.id))
        .limit(limit)
    )
    return [i for i in rows if i is not None]


def claim(session: Session, *, ids: list[int], now: datetime) -> list[int]:
    """Lease the given rows to this deliverer in one guarded update; return the ones it won."""
    if not ids:
        return []
    won = (
        session.execute(
            sa.update(Notification)
            .where(
                col(Notification.id).in_(ids),
                col(Notification.status) == NotificationStatus.pending,
                col(Notification.next_attempt_at) <= now,
            )
            .values(next_attempt_at=now + LEASE)
            .returning(col(Notification.id))
        )
        .scalars()
        .all()
    )
    session.commit()
    return sorted(won)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


# Built once with bound parameters: constructing an UPDATE per message cost three times more.
_ID: sa.BindParameter[int] = sa.bindparam("notification_id")
_MARK_SENT = (
    sa.update(Notification)
    .where(col(Notification.id) == _ID)
    .values(
        status=NotificationStatus.sent,
        sent_at=sa.bindparam("at"),
        attempts=sa.bindparam("attempts"),
        last_error=None,
    )
)
_MARK_RETRY = (
    sa.update(Notification)
    .where(col(Notification.id) == _ID)
    .values(
        attempts=sa.bindparam("attempts"),
        last_error=sa.bindparam("reason"),
        next_attempt_at=sa.bindparam("at"),
    )
)
_MARK_FAILED = (
    sa.update(Notification)
    .where(col(Notification.id) == _ID)
    .values(
        status=NotificationStatus.failed,
        attempts=sa.bindparam("attempts"),
        last_error=sa.bindparam("reason"),
        next_attempt_at=sa.bindparam("at"),
    )
)


def _mark(marks: sa.Connection, statement: sa.Update, **values: object) -> None:
    marks.execute(statement, values)
    marks.commit()  # one commit per message: a crash repeats at most the one in flight


@contextmanager
def _asynchronous_commits(marks: sa.Connection) -> Iterator[None]:
    """On PostgreSQL, do not wait for the WAL flush on each mark (it doubled the cost).

    The delivery process can still crash anywhere and repeat at most one message: the server
    has every acknowledged commit. Only a crash of the database server itself could lose the
    last fraction of a second of marks, and those messages would be sent again, with the same
    Message-ID.
    """
    if marks.dialect.name != "postgresql":
        yield
        return
    marks.exec_driver_sql("SET synchronous_commit TO off")
    marks.commit()
    try:
        yield
    finally:
        marks.exec_driver_sql("RESET synchronous_commit")
        marks.commit()


async def deliver_due(
    engine: Engine, *, mailer: Mailer, settings: Settings, now: datetime
) -> DeliveryReport:
    """Send one batch of due messages over one connection and record each outcome."""
    report = DeliveryReport()
    with Session(engine, expire_on_commit=False) as session:
        ids = claim(
            session, ids=due_ids(session, now=now, limit=settings.delivery_batch_size), now=now
        )
        rows = list(
            session.exec(
                select(Notification)
                .where(col(Notification.id).in_(ids))
                .order_by(col(Notification.id))
            )
        )
        names = {
            p.id: p.name
            for p in session.exec(
                select(Person).where(col(Person.id).in_({r.recipient_person_id for r in rows}))
            )
        }
    if not rows:
        return report
    with engine.connect() as marks, _asynchronous_commits(marks):
        try:
            async with mailer.connect() as connection:
                await _send_all(connection, marks, rows, names, settings, now, report)
        except TemporaryFailure as error:  # the server could not be reached: retry the rest
            for row in rows[report.sent + report.retried + report.failed :]:
                _retry(marks, row, str(error), now, settings, report)
    return report


def _build(
    row: Notification, names: dict[int | None, str], settings: Settings, now: datetime
) -> Message | ValueError:
    try:
        return messages.build(
            row, settings=settings, now=now, recipient_name=names.get(row.recipient_person_id, "")
        )
    except ValueError as error:  # no address (an erased person) or data the template lacks
        return error


async def _send_all(
    connection: Connection,
    marks: sa.Connection,
    rows: list[Notification],
    names: dict[int | None, str],
    settings: Settings,
    now: datetime,
    report: DeliveryReport,
) -> None:
    """Send row by row; the next message is built while the server answers the current one."""
    upcoming = _build(rows[0], names, settings, now)
    for index, row in enumerate(rows):
        assert row.id is not None
        message = upcoming
        following = rows[index + 1] if index + 1 < len(rows) else None
        if isinstance(message, ValueError):
            _fail(marks, row, str(message), now, report)
            if following is not None:
                upcoming = _build(following, names, settings, now)
            continue
        sending = asyncio.create_task(connection.send(message))
        await asyncio.sleep(0)  # let the send put its first command on the wire
        if following is not None:
            upcoming = _build(following, names, settings, now)
        try:
            await sending
        except PermanentFailure as error:
            _fail(marks, row, str(error), now, report)
        except TemporaryFailure as error:
            _retry(marks, row, str(error), now, settings, report)
        else:
            # Marked before the next send starts, so a crash repeats at most this one message.
            _mark(marks, _MARK_SENT, notification_id=row.id, at=now, attempts=row.attempts + 1)
            report.sent += 1


def _fail(
    marks: sa.Connection, row: Notification, reason: str, now: datetime, report: DeliveryReport
) -> None:
    assert row.id is not None
    _mark(
        marks,
        _MARK_FAILED,
        notification_id=row.id,
        attempts=row.attempts + 1,
        reason=reason[:2000],
        at=now,
    )
    report.failed += 1
    report.errors.append(reason)


def _retry(
    marks: sa.Connection,
    row: Notification,
    reason: str,
    now: datetime,
    settings: Settings,
    report: DeliveryReport,
) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.delivery_max_attempts:
        _fail(marks, row, f"gave up after {attempts} attempts: {reason}", now, report)
        return
    assert row.id is not None
    _mark(
        marks,
        _MARK_RETRY,
        notification_id=row.id,
        attempts=attempts,
        reason=reason[:2000],
        at=now + backoff(attempts),
    )
    report.retried += 1
