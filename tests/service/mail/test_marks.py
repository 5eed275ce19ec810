"""The marks beside the sending: a message is accepted only once the previous one is marked."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.notifications import Notification, NotificationStatus
from service.mail import delivery, marks, messages, outbox
from service.mail.mailer import SmtpMailer
from service.settings import Settings
from tests.factories import make_organisation, make_person
from tests.smtp import RecordingHandler, SmtpServer


@pytest.fixture
def engine(engine_with_schema: Engine) -> Engine:
    return engine_with_schema


def _queue(engine: Engine, now: datetime, count: int) -> list[str]:
    """Queue `count` sign-in messages; return their keys in the order they go out."""
    with Session(engine) as session:
        organisation = make_organisation(session, now=now)
        for n in range(count):
            outbox.queue(
                session,
                key=f"sign_in:{n}",
                kind="sign_in",
                now=now,
                recipient=make_person(session, now=now, organisation=organisation),
                context={"url": f"https://o.example/s/{n}", "expires_at": now.isoformat()},
            )
        session.commit()
    return [f"sign_in:{n}" for n in range(count)]


def _sent(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.status) == NotificationStatus.sent)
        ).one()


class _CountingMarks(RecordingHandler):
    """Records, as each message's DATA arrives, how many messages the database holds as sent."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.seen: list[tuple[int, int]] = []  # (arrived before this one, marked sent)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Count the marks, then record the message."""
        self.seen.append((len(self.received), _sent(self.engine)))
        return await super().handle_DATA(server, session, envelope)


async def test_each_message_is_marked_before_the_server_can_accept_the_next(
    engine: Engine, now: datetime
) -> None:
    _queue(engine, now, 40)
    server = SmtpServer()
    server.handler = _CountingMarks(engine)
    server.start()
    try:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=server.port, smtp_starttls=False)
        report = await delivery.deliver_due(
            engine, mailer=SmtpMailer(settings), settings=settings, now=now
        )
    finally:
        server.stop()
    assert report.sent == 40
    seen = server.handler.seen
    assert len(seen) == 40
    # When a message reaches the server, every message before it is marked: a crash at any
    # instant leaves at most one accepted message unmarked.
    assert [marked for _, marked in seen] == [arrived for arrived, _ in seen]


def test_a_mark_is_written_as_sqlalchemy_writes_it(engine: Engine, now: datetime) -> None:
    (key,) = _queue(engine, now, 1)
    with Session(engine) as session:
        row = session.exec(select(Notification).where(Notification.idempotency_key == key)).one()
    assert row.id is not None
    with marks.opened(engine) as recorded:
        recorded.mark(marks.SENT, notification_id=row.id, attempts=1, at=now)
    with Session(engine) as session:
        # Compared in the database against a value SQLAlchemy binds: same storage, same order.
        found = session.exec(
            select(Notification).where(
                Notification.sent_at == now, Notification.status == NotificationStatus.sent
            )
        ).one()
    assert (found.id, found.attempts, found.claimed_by, found.last_error) == (row.id, 1, None, None)
    assert found.sent_at == now and found.sent_at.tzinfo is not None


class _Watching(RecordingHandler):
    """Also notes each recipient as it is named (the message's DATA follows)."""

    def __init__(self) -> None:
        super().__init__()
        self.named: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Note the recipient, then accept it."""
        self.named.append(address)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_a_crash_while_a_mark_waits_repeats_only_that_message(
    engine: Engine, schema_database_url: str
) -> None:
    # The server answers each message after 0.5 s; the first message's mark is then held up by
    # a lock, and the deliverer killed while it waits. The server must have received nothing
    # more meanwhile, and the next run sends the one accepted but unmarked message again.
    smtp = SmtpServer()
    smtp.handler = watching = _Watching()
    smtp.handler.delay = 0.5
    smtp.start()
    try:
        _crash_while_a_mark_waits(engine, smtp, watching, schema_database_url)
    finally:
        smtp.stop()


def _crash_while_a_mark_waits(
    engine: Engine, smtp: SmtpServer, watching: _Watching, database_url: str
) -> None:
    keys = _queue(engine, datetime.now(UTC), 5)
    deliverer = subprocess.Popen(
        [str(Path(sys.executable).with_name("overleg")), "deliver"],
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "OVERLEG_SMTP_HOST": "127.0.0.1",
            "OVERLEG_SMTP_PORT": str(smtp.port),
            "OVERLEG_SMTP_STARTTLS": "false",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Once the first message is under way (its rows claimed and loaded), and before the
        # server accepts it.
        _wait_until(lambda: len(watching.named) >= 1)
        with engine.connect() as holder:
            _hold_the_mark_of(holder, keys[0])
            _wait_until(lambda: len(smtp.handler.received) >= 1)
            time.sleep(2.0)  # four of the server's answers: time for more, were it allowed
            assert len(smtp.handler.received) == 1, "the next message waits for the mark"
            deliverer.send_signal(signal.SIGKILL)
            deliverer.wait()
            holder.rollback()
    finally:
        if deliverer.poll() is None:
            deliverer.kill()
            deliverer.wait()
    smtp.handler.delay = 0.0
    settings = Settings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False)
    report = asyncio.run(
        delivery.deliver_due(
            engine, mailer=SmtpMailer(settings), settings=settings, now=datetime.now(UTC)
        )
    )
    arrivals = Counter(str(m["Message-ID"]) for m in smtp.handler.messages())
    first = messages.message_id(keys[0], domain=messages.sender_domain(settings))
    assert len(arrivals) == 5, "every message arrived"
    # The first message is sent again unless its mark was committed after all (PostgreSQL
    # carries out a statement that waited for a lock even when its client has died).
    assert {n for i, n in arrivals.items() if i != first} == {1}
    assert report.sent == 4 + (arrivals[first] - 1), "the dead run's rows are taken at once"
    assert _sent(engine) == 5


def _hold_the_mark_of(holder: sa.Connection, key: str) -> None:
    """Make the mark of the message with this key wait, in an open transaction of `holder`."""
    if holder.dialect.name == "postgresql":
        holder.execute(
            sa.text("SELECT id FROM notification WHERE idempotency_key = :key FOR UPDATE"),
            {"key": key},
        )
    else:  # SQLite locks the whole database: the transaction takes the write lock up front
        holder.execute(sa.text("SELECT 1"))


def _wait_until(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
