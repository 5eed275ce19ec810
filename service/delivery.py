"""Deliver the outbox: claim due rows, send each over one connection, mark it right away.

A row is claimed by moving its `next_attempt_at` past a lease, in a guarded update, so two
deliverers never send the same row. Each row is marked in its own commit straight after it is
sent, so a crash can repeat at most the one message in flight (same Message-ID).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from models.people import Person
from service import emails
from service.mailer import Mailer, PermanentFailure, TemporaryFailure
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
    """Lease the given rows to this deliverer; return the ones it won."""
    won = []
    for notification_id in ids:
        result = session.execute(
            sa.update(Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.status) == NotificationStatus.pending,
                col(Notification.next_attempt_at) <= now,
            )
            .values(next_attempt_at=now + LEASE)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            won.append(notification_id)
    session.commit()
    return won


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _mark(engine: Engine, notification_id: int, **values: object) -> None:
    with Session(engine) as session:
        session.execute(
            sa.update(Notification).where(col(Notification.id) == notification_id).values(**values)
        )
        session.commit()


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
    try:
        async with mailer.connect() as connection:
            for row in rows:
                assert row.id is not None
                try:
                    message = emails.build(
                        row,
                        settings=settings,
                        now=now,
                        recipient_name=names.get(row.recipient_person_id, ""),
                    )
                except ValueError as error:  # no address (an erased person) or missing data
                    _fail(engine, row, str(error), now, report)
                    continue
                try:
                    await connection.send(message)
                except PermanentFailure as error:
                    _fail(engine, row, str(error), now, report)
                except TemporaryFailure as error:
                    _retry(engine, row, str(error), now, settings, report)
                else:
                    _mark(
                        engine,
                        row.id,
                        status=NotificationStatus.sent,
                        sent_at=now,
                        attempts=row.attempts + 1,
                        last_error=None,
                    )
                    report.sent += 1
    except TemporaryFailure as error:  # the server could not be reached: retry the rest
        for row in rows[report.sent + report.retried + report.failed :]:
            _retry(engine, row, str(error), now, settings, report)
    return report


def _fail(
    engine: Engine, row: Notification, reason: str, now: datetime, report: DeliveryReport
) -> None:
    assert row.id is not None
    _mark(
        engine,
        row.id,
        status=NotificationStatus.failed,
        attempts=row.attempts + 1,
        last_error=reason[:2000],
        next_attempt_at=now,
    )
    report.failed += 1
    report.errors.append(reason)


def _retry(
    engine: Engine,
    row: Notification,
    reason: str,
    now: datetime,
    settings: Settings,
    report: DeliveryReport,
) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.delivery_max_attempts:
        _fail(engine, row, f"gave up after {attempts} attempts: {reason}", now, report)
        return
    assert row.id is not None
    _mark(
        engine,
        row.id,
        attempts=attempts,
        last_error=reason[:2000],
        next_attempt_at=now + backoff(attempts),
    )
    report.retried += 1
