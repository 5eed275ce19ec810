"""Delivery from the outbox: nothing lost when the server is down or delivery is killed."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.notifications import Notification, NotificationStatus
from service.mail import delivery, outbox
from service.mail.mailer import SmtpMailer
from service.settings import Settings
from tests.factories import make_organisation, make_person
from tests.smtp import SmtpServer


def _queue(engine: Engine, now: datetime, count: int, people: int = 50) -> None:
    with Session(engine) as session:
        organisation = make_organisation(session, now=now)
        recipients = [
            make_person(session, now=now, organisation=organisation) for _ in range(people)
        ]
        for n in range(count):
            outbox.queue(
                session,
                key=f"test:{n}",
                kind="sign_in",
                now=now,
                recipient=recipients[n % people],
                context={"url": f"https://overleg.example/s/{n}", "expires_at": now.isoformat()},
            )
        session.commit()


def _settings(port: int, batch: int = 1000) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_timeout_seconds=5,
        delivery_batch_size=batch,
    )


def _statuses(engine: Engine) -> Counter[NotificationStatus]:
    with Session(engine) as session:
        return Counter(n.status for n in session.exec(select(Notification)))


async def test_outage_then_recovery_delivers_every_message_exactly_once(
    engine_with_schema: Engine, smtp: SmtpServer, now: datetime
) -> None:
    engine = engine_with_schema
    _queue(engine, now, 500)
    settings = _settings(smtp.port)
    mailer = SmtpMailer(settings)
    smtp.stop()
    down = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=now)
    assert (down.sent, down.retried) == (0, 500)
    assert _statuses(engine) == {NotificationStatus.pending: 500}
    smtp.start()
    # Too early: the backoff has not passed yet, so nothing is sent.
    early = await delivery.deliver_due(
        engine, mailer=mailer, settings=settings, now=now + timedelta(seconds=30)
    )
    assert early.sent == 0
    later = now + timedelta(minutes=2)
    up = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=later)
    again = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=later)
    assert (up.sent, again.sent) == (500, 0)
    ids = Counter(m["Message-ID"] for m in smtp.handler.messages())
    assert len(ids) == 500 and set(ids.values()) == {1}
    assert _statuses(engine) == {NotificationStatus.sent: 500}


async def test_permanent_failure_is_recorded_and_not_retried(
    engine_with_schema: Engine, smtp: SmtpServer, now: datetime
) -> None:
    engine = engine_with_schema
    _queue(engine, now, 3, people=3)
    with Session(engine) as session:
        victim = session.exec(
            select(Notification).where(Notification.idempotency_key == "test:1")
        ).one()
    assert victim.recipient_email is not None
    smtp.handler.refuse.add(victim.recipient_email)
    settings = _settings(smtp.port)
    report = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert (report.sent, report.failed) == (2, 1)
    with Session(engine) as session:
        failed = session.get(Notification, victim.id)
    assert failed is not None and failed.status is NotificationStatus.failed
    assert failed.last_error is not None and "550" in failed.last_error
    later = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now + timedelta(days=1)
    )
    assert later.sent + later.failed + later.retried == 0


async def test_a_killed_delivery_loses_nothing_and_the_next_run_sends_its_rows_at_once(
    engine_with_schema: Engine, smtp: SmtpServer, schema_database_url: str, now: datetime
) -> None:
    engine = engine_with_schema
    _queue(engine, now, 400)
    env = {
        **os.environ,
        "DATABASE_URL": schema_database_url,
        "OVERLEG_SMTP_HOST": "127.0.0.1",
        "OVERLEG_SMTP_PORT": str(smtp.port),
        "OVERLEG_SMTP_STARTTLS": "false",
        "OVERLEG_DELIVERY_BATCH_SIZE": "400",
    }
    _kill_delivery_midway(env, smtp)
    killed_after = len(smtp.handler.received)
    assert 50 <= killed_after < 400, "the kill must land in the middle of the batch"
    with Session(engine) as session:
        held = session.exec(
            select(func.count())
            .select_from(Notification)
            .where(
                col(Notification.status) == NotificationStatus.pending,
                col(Notification.next_attempt_at) > datetime.now(now.tzinfo),
            )
        ).one()
    assert held > 0, "the killed run still holds a lease on the rows it had not sent"
    # The very next run sees that the lease's process is gone and sends its rows, no waiting.
    started = time.monotonic()
    overleg = str(Path(sys.executable).with_name("overleg"))
    following = await asyncio.create_subprocess_exec(overleg, "deliver", "--until-empty", env=env)
    assert await asyncio.wait_for(following.wait(), timeout=60) == 0
    assert time.monotonic() - started < 60
    ids = Counter(m["Message-ID"] for m in smtp.handler.messages())
    assert len(ids) == 400, "every message arrived"
    assert sum(ids.values()) - len(ids) <= 1, "at most the one message in flight is repeated"
    with Session(engine) as session:
        unsent = session.exec(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.status) != NotificationStatus.sent)
        ).one()
    assert unsent == 0


def _kill_delivery_midway(env: dict[str, str], smtp: SmtpServer) -> None:
    """Run `overleg deliver` in its own process and SIGKILL it once 50 messages arrived."""
    overleg = str(Path(sys.executable).with_name("overleg"))
    process = subprocess.Popen(
        [overleg, "deliver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while len(smtp.handler.received) < 50 and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)  # a real kill, in the middle of the batch
    process.wait()
