"""Deliver the outbox: claim a slice of due rows, send each over one connection, mark it at once.

Rows are leased to one run in a guarded update and the lease is renewed as the slice goes
(service/mail/leases.py), so two live deliverers never send the same row. Each row is marked in
its own commit as soon as the server accepted it, and that commit is done before the server may
accept the next message (service/mail/marks.py), so a crash can repeat at most one message
(same Message-ID). A message that times out waits for its backoff; the others of the slice go
on over a new connection.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.notifications import Notification
from models.people import Language, Person
from service.mail import leases, marks, messages
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


async def deliver_due(
    engine: Engine, *, mailer: Mailer, settings: Settings, now: datetime, urgent_only: bool = False
) -> DeliveryReport:
    """Claim a slice of due messages (only urgent ones, if asked), send it, record each outcome."""
    lease = leases.Lease(settings=settings, now=now, urgent_only=urgent_only)
    with Session(engine, expire_on_commit=False) as session:
        ids = lease.claim(session, limit=settings.delivery_batch_size)
        rows = [_Outgoing(*r) for r in session.execute(_LOAD, {"ids": ids})] if ids else []
    run = _Run(rows=rows, settings=settings, lease=lease, key=settings.resolved_secret_key())
    if not rows:
        return run.report
    with marks.opened(engine) as recorded:
        try:
            async with mailer.connect() as connection:
                await run.send_all(connection, recorded)
        except Unreachable as error:  # the server cannot be reached: the rest waits
            await run.give_back(recorded, str(error))
    return run.report


@dataclass(frozen=True, slots=True)
class _Outgoing:
    """A claimed row as delivery reads it: plain columns (ORM objects took twice as long)."""

    id: int
    idempotency_key: str
    kind: str
    recipient_email: str | None
    language: Language
    context: dict[str, Any]
    attempts: int
    recipient_name: str


# The claimed rows in the order they go out (urgent first), each with its recipient's name.
_LOAD = (
    sa.select(
        col(Notification.id),
        col(Notification.idempotency_key),
        col(Notification.kind),
        col(Notification.recipient_email),
        col(Notification.language),
        col(Notification.context),
        col(Notification.attempts),
        sa.func.coalesce(col(Person.name), ""),
    )
    .outerjoin(Person, col(Person.id) == col(Notification.recipient_person_id))
    .where(col(Notification.id).in_(sa.bindparam("ids", expanding=True)))
    .order_by(col(Notification.priority), col(Notification.id))
)


@dataclass
class _Run:
    """One slice on its way out: the rows, how far it got, what happened."""

    rows: list[_Outgoing]
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
                recipient_name=row.recipient_name,
                key=self.key,
            )
        except ValueError as error:  # no address (an erased person) or data the template lacks
            return error

    async def held(self, recorded: marks.Marks) -> set[int]:
        """The rows this run still holds, after renewing their lease if it runs short."""
        if self.lease.renewal_due():
            await recorded.settle()  # the renewal goes through the marks' connection
        return self.lease.keep(recorded.connection)

    async def send_all(self, connection: Connection, recorded: marks.Marks) -> None:
        """Send row by row; the next message is built, and the last one marked, while the
        server answers this one."""
        upcoming = self.build(0)
        stalled = 0
        for index, row in enumerate(self.rows):
            self.position = index
            message, upcoming = upcoming, None
            if row.id not in await self.held(recorded):
                upcoming = self.build(index + 1)
                continue  # the lease ran out while this run stalled; the row is not ours now
            if isinstance(message, ValueError) or message is None:
                _fail(recorded, row, str(message), self.lease.now(), self.report)
                upcoming = self.build(index + 1)
                continue
            # The previous message's mark is committed before this one's DATA (`settle`).
            sending = asyncio.create_task(connection.send(message, recorded.settle))
            await asyncio.sleep(0)  # let the send put its first command on the wire
            recorded.write()  # the previous mark, while the server reads that command
            upcoming = self.build(index + 1)
            try:
                await sending
            except PermanentFailure as error:
                _fail(recorded, row, str(error), self.lease.now(), self.report)
            except Unreachable:
                raise
            except Dropped as error:
                # Only this message waits for its backoff; the next one gets a new connection.
                _retry(recorded, row, str(error), self.lease.now(), self.settings, self.report)
                stalled += 1
                if stalled >= GIVE_UP_AFTER:
                    self.position = index + 1
                    raise Unreachable(f"{stalled} messages in a row: {error}") from error
                continue
            except TemporaryFailure as error:  # a 4xx: the session is fine, the message waits
                _retry(recorded, row, str(error), self.lease.now(), self.settings, self.report)
            else:
                # Committed by the marks' thread while the next message's first commands go.
                recorded.mark(
                    marks.SENT,
                    notification_id=row.id,
                    at=self.lease.now(),
                    attempts=row.attempts + 1,
                )
                self.report.sent += 1
            stalled = 0
        self.position = len(self.rows)

    async def give_back(self, recorded: marks.Marks, reason: str) -> None:
        """Retry, with backoff, the rows this run still holds and has not sent."""
        held = await self.held(recorded)
        for row in self.rows[self.position :]:
            if row.id in held:
                _retry(recorded, row, reason, self.lease.now(), self.settings, self.report)


def _fail(
    recorded: marks.Marks, row: _Outgoing, reason: str, now: datetime, report: DeliveryReport
) -> None:
    recorded.mark(
        marks.FAILED,
        notification_id=row.id,
        attempts=row.attempts + 1,
        reason=reason[:2000],
        at=now,
    )
    report.failed += 1
    report.errors.append(reason)


def _retry(
    recorded: marks.Marks,
    row: _Outgoing,
    reason: str,
    now: datetime,
    settings: Settings,
    report: DeliveryReport,
) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.delivery_max_attempts:
        _fail(recorded, row, f"gave up after {attempts} attempts: {reason}", now, report)
        return
    recorded.mark(
        marks.RETRY,
        notification_id=row.id,
        attempts=attempts,
        reason=reason[:2000],
        at=now + backoff(attempts),
    )
    report.retried += 1
