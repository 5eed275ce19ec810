"""Deliver the outbox: claim a slice of due rows, send each over one connection, mark it at once.

Rows are leased to one run in a guarded update and the lease is renewed as the slice goes
(service/mail/leases.py), so two live deliverers never send the same row. Each row is marked in
its own commit straight after it is sent, so a crash can repeat at most the one message in
flight (same Message-ID). A message that times out waits for its backoff; the others of the
slice go on over a new connection.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from models.people import Person
from service.mail import leases, messages
from service.mail.mailer import (
    Connection,
    Dropped,
    Mailer,
    PermanentFailure,
    TemporaryFailure,
    Unreachable,
)
from service.settings import Settings

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
# After this many messages in a row time out or lose the connection, the server is treated as
# down: the rest of the slice waits for its backoff instead of a timeout each.
GIVE_UP_AFTER = 3


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


# Built once with bound parameters: constructing an UPDATE per message cost three times more.
_ID: sa.BindParameter[int] = sa.bindparam("notification_id")


def _marking(**values: Any) -> sa.Update:
    """An UPDATE of one claimed message: released, its attempts counted, and `values` set."""
    return (
        sa.update(Notification)
        .where(col(Notification.id) == _ID)
        .values(attempts=sa.bindparam("attempts"), claimed_by=None, **values)
    )


_MARK_SENT = _marking(status=NotificationStatus.sent, sent_at=sa.bindparam("at"), last_error=None)
# A failure keeps its reason and when it may be tried again; the last one also marks it failed.
_TRIED_AGAIN: dict[str, sa.BindParameter[Any]] = {
    "last_error": sa.bindparam("reason"),
    "next_attempt_at": sa.bindparam("at"),
}
_MARK_RETRY = _marking(**_TRIED_AGAIN)
_MARK_FAILED = _marking(status=NotificationStatus.failed, **_TRIED_AGAIN)


def _mark(marks: sa.Connection, statement: sa.Update, **values: object) -> None:
    marks.execute(statement, values)
    marks.commit()  # one commit per message: a crash repeats at most the one in flight


@contextmanager
def _marks_connection(engine: Engine) -> Iterator[sa.Connection]:
    """The connection the marks go through, one commit each.

    On PostgreSQL each mark is a single statement in autocommit: its own transaction in one
    round trip (BEGIN, UPDATE and COMMIT took three, half the cost of a message). And the marks
    do not wait for the WAL flush (it doubled the cost): the delivery process can still crash
    anywhere and repeat at most one message, since the server has every acknowledged commit.
    Only a crash of the database server itself could lose the last fraction of a second of
    marks, and those messages would be sent again, with the same Message-ID. The lease renewals
    are flushed (leases.Lease.keep).
    """
    with engine.connect() as marks:
        if marks.dialect.name != "postgresql":
            yield marks
            return
        marks.exec_driver_sql("SET synchronous_commit TO off")
        marks.commit()
        single = marks.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield single
        finally:
            single.exec_driver_sql("RESET synchronous_commit")


async def deliver_due(
    engine: Engine, *, mailer: Mailer, settings: Settings, now: datetime, urgent_only: bool = False
) -> DeliveryReport:
    """Claim a slice of due messages (only urgent ones, if asked), send it, record each outcome."""
    lease = leases.Lease(settings=settings, now=now, urgent_only=urgent_only)
    with Session(engine, expire_on_commit=False) as session:
        ids = lease.claim(session, limit=settings.delivery_batch_size)
        rows = list(
            session.exec(
                select(Notification)
                .where(col(Notification.id).in_(ids))
                .order_by(col(Notification.priority), col(Notification.id))
            )
        )
        names = {
            p.id: p.name
            for p in session.exec(
                select(Person).where(col(Person.id).in_({r.recipient_person_id for r in rows}))
            )
        }
    run = _Run(
        rows=rows, names=names, settings=settings, lease=lease, key=settings.resolved_secret_key()
    )
    if not rows:
        return run.report
    with _marks_connection(engine) as marks:
        try:
            async with mailer.connect() as connection:
                await run.send_all(connection, marks)
        except Unreachable as error:  # the server cannot be reached: the rest waits
            run.give_back(marks, str(error))
    return run.report


@dataclass
class _Run:
    """One slice on its way out: the rows, how far it got, what happened."""

    rows: list[Notification]
    names: dict[int | None, str]
    settings: Settings
    lease: leases.Lease
    key: str  # the app's secret key, read once per run (it may come from a file)
    position: int = 0
    report: DeliveryReport = field(default_factory=DeliveryReport)

    def build(self, index: int) -> Message | ValueError | None:
        """The message of row `index`, the reason it cannot be built, or None past the end."""
        if index >= len(self.rows):
            return None
        row = self.rows[index]
        try:
            return messages.build(
                row,
                settings=self.settings,
                now=self.lease.now(),
                recipient_name=self.names.get(row.recipient_person_id, ""),
                key=self.key,
            )
        except ValueError as error:  # no address (an erased person) or data the template lacks
            return error

    async def send_all(self, connection: Connection, marks: sa.Connection) -> None:
        """Send row by row; the next message is built while the server answers this one."""
        upcoming = self.build(0)
        stalled = 0
        for index, row in enumerate(self.rows):
            self.position = index
            message, upcoming = upcoming, None
            if row.id not in self.lease.keep(marks):
                upcoming = self.build(index + 1)
                continue  # the lease ran out while this run stalled; the row is not ours now
            if isinstance(message, ValueError) or message is None:
                _fail(marks, row, str(message), self.lease.now(), self.report)
                upcoming = self.build(index + 1)
                continue
            sending = asyncio.create_task(connection.send(message))
            await asyncio.sleep(0)  # let the send put its first command on the wire
            upcoming = self.build(index + 1)
            try:
                await sending
            except PermanentFailure as error:
                _fail(marks, row, str(error), self.lease.now(), self.report)
            except Unreachable:
                raise
            except Dropped as error:
                # Only this message waits for its backoff; the next one gets a new connection.
                _retry(marks, row, str(error), self.lease.now(), self.settings, self.report)
                stalled += 1
                if stalled >= GIVE_UP_AFTER:
                    self.position = index + 1
                    raise Unreachable(f"{stalled} messages in a row: {error}") from error
                continue
            except TemporaryFailure as error:  # a 4xx: the session is fine, the message waits
                _retry(marks, row, str(error), self.lease.now(), self.settings, self.report)
            else:
                # Marked before the next send starts, so a crash repeats at most this message.
                _mark(
                    marks,
                    _MARK_SENT,
                    notification_id=row.id,
                    at=self.lease.now(),
                    attempts=row.attempts + 1,
                )
                self.report.sent += 1
            stalled = 0
        self.position = len(self.rows)

    def give_back(self, marks: sa.Connection, reason: str) -> None:
        """Retry, with backoff, the rows this run still holds and has not sent."""
        held = self.lease.keep(marks)
        for row in self.rows[self.position :]:
            if row.id in held:
                _retry(marks, row, reason, self.lease.now(), self.settings, self.report)


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
