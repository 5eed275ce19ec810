"""Leases on outbox rows: claim due rows for one run, keep them while it sends, free dead runs'.

A claimed row names its run (`claimed_by`) and the end of its lease (`next_attempt_at`). The
lease covers one message (the SMTP timeout bounds each whole message) plus margins, whatever the
slice size: before each message the run renews the lease of every row it still holds when less
than one message's time and a margin is left, so a slice never outlives its lease while its run
lives, however slow the server. A run that dies stops renewing: its rows are free when the lease
ends, and at once when its process is known to be gone (`deliverers.is_dead`, same host).
"""

import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from service.mail import deliverers
from service.mail.outbox import URGENT
from service.settings import Settings

# Time to mark a message and check the lease, with room to spare; also the safety margin.
MARGIN = timedelta(seconds=5)


def length(settings: Settings) -> timedelta:
    """The lease: the setting, or 1.5 x the SMTP timeout + two margins (55 s for 30 s)."""
    if settings.delivery_lease_seconds is not None:
        return timedelta(seconds=settings.delivery_lease_seconds)
    return timedelta(seconds=1.5 * settings.smtp_timeout_seconds) + 2 * MARGIN


def dead_owners(session: Session, *, now: datetime) -> list[str]:
    """Runs that hold pending rows but whose process is known to be gone."""
    owners = session.exec(
        select(Notification.claimed_by)
        .where(
            col(Notification.claimed_by).is_not(None),
            Notification.status == NotificationStatus.pending,
            col(Notification.next_attempt_at) > now,
        )
        .distinct()
    )
    return [owner for owner in owners if owner is not None and deliverers.is_dead(owner)]


def _free(now: datetime, dead: list[str]) -> sa.ColumnElement[bool]:
    due = col(Notification.next_attempt_at) <= now
    return sa.or_(due, col(Notification.claimed_by).in_(dead)) if dead else due


def due_ids(
    session: Session, *, now: datetime, limit: int, dead: list[str], urgent_only: bool = False
) -> list[int]:
    """Rows a run may take: dead runs' rows first, then due rows, urgent before routine.

    An urgent run takes urgent rows only, so it stays short whatever routine backlog waits.
    """
    lane = col(Notification.priority) == URGENT if urgent_only else sa.true()
    orphans: list[int] = []
    if dead:
        orphans = [
            i
            for i in session.exec(
                select(Notification.id)
                .where(
                    Notification.status == NotificationStatus.pending,
                    col(Notification.claimed_by).in_(dead),
                    lane,
                )
                .order_by(col(Notification.priority), col(Notification.id))
                .limit(limit)
            )
            if i is not None
        ]
    due = session.exec(
        select(Notification.id)
        .where(
            Notification.status == NotificationStatus.pending,
            col(Notification.next_attempt_at) <= now,
            lane,
        )
        .order_by(
            col(Notification.priority), col(Notification.next_attempt_at), col(Notification.id)
        )
        .limit(limit - len(orphans))
    )
    return orphans + [i for i in due if i is not None]


class Lease:
    """The rows one delivery run holds, and until when by this process's monotonic clock."""

    def __init__(self, *, settings: Settings, now: datetime, urgent_only: bool = False) -> None:
        self.owner = deliverers.new_run()
        self.urgent_only = urgent_only
        self.held: set[int] = set()
        self._now = now
        self._started = time.monotonic()
        self._length = length(settings).total_seconds()
        # Renew when less than one whole message (bounded by the timeout) and a margin is left.
        self._needed = settings.smtp_timeout_seconds + MARGIN.total_seconds()
        self._until = self._started

    def now(self) -> datetime:
        """The injected start time moved on by the time this run has taken."""
        return self._now + timedelta(seconds=time.monotonic() - self._started)

    def claim(self, session: Session, *, limit: int) -> list[int]:
        """Lease up to `limit` free rows to this run in one guarded update; return them."""
        issued = time.monotonic()
        now = self.now()
        dead = dead_owners(session, now=now)
        ids = due_ids(session, now=now, limit=limit, dead=dead, urgent_only=self.urgent_only)
        if not ids:
            return []
        won = session.execute(
            sa.update(Notification)
            .where(
                col(Notification.id).in_(ids),
                col(Notification.status) == NotificationStatus.pending,
                _free(now, dead),
            )
            .values(next_attempt_at=now + timedelta(seconds=self._length), claimed_by=self.owner)
            .returning(col(Notification.id))
        )
        self.held = {i for i in won.scalars() if i is not None}
        session.commit()
        self._until = issued + self._length
        return sorted(self.held)

    def renewal_due(self) -> bool:
        """Whether a message started now might outlast the lease (`keep` then renews it)."""
        return self._until - time.monotonic() < self._needed

    def keep(self, marks: sa.Connection) -> set[int]:
        """The rows still held, after renewing them if a message might outlast the lease."""
        issued = time.monotonic()
        if self._until - issued >= self._needed:
            return self.held
        durable = marks.dialect.name == "postgresql"
        if durable:
            # The renewal is what keeps another deliverer away: never commit it asynchronously.
            # The marks connection is in autocommit there (service/mail/marks.py): the
            # explicit transaction is what SET LOCAL applies to.
            marks.exec_driver_sql("BEGIN")
            marks.exec_driver_sql("SET LOCAL synchronous_commit TO on")
        won = marks.execute(
            sa.update(Notification)
            .where(
                col(Notification.claimed_by) == self.owner,
                col(Notification.status) == NotificationStatus.pending,
            )
            .values(next_attempt_at=self.now() + timedelta(seconds=self._length))
            .returning(col(Notification.id))
        )
        self.held = {i for i in won.scalars() if i is not None}
        if durable:
            marks.exec_driver_sql("COMMIT")
        marks.commit()
        self._until = issued + self._length
        return self.held
