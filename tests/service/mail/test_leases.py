"""The outbox under a slow server, a timeout, a 451, other deliverers and a backlog."""

import asyncio
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from service.mail import deliverers, delivery, leases, outbox
from service.mail.mailer import SmtpMailer
from service.settings import Settings
from tests.factories import make_organisation, make_person
from tests.smtp import SmtpServer

ROUTINE = {
    "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
    "meeting_at": "2026-02-10T13:00:00+00:00",
    "stage": "chair",
    "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes",
}


@pytest.fixture
def engine(engine_with_schema: Engine) -> Engine:
    return engine_with_schema


def _queue(engine: Engine, now: datetime, count: int, kind: str = "sign_in") -> list[str]:
    """Queue `count` messages, each to its own person; return their addresses in order."""
    with Session(engine) as session:
        organisation = make_organisation(session, now=now)
        addresses = []
        for n in range(count):
            person = make_person(session, now=now, organisation=organisation)
            context = ROUTINE if kind != "sign_in" else {"url": f"https://o.example/s/{n}"}
            outbox.queue(
                session,
                key=f"{kind}:{n}",
                kind=kind,
                now=now,
                recipient=person,
                context={**context, "expires_at": now.isoformat()},
            )
            assert person.email is not None
            addresses.append(person.email)
        session.commit()
    return addresses


def _settings(port: int, **changes: object) -> Settings:
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_starttls": False,
        "smtp_timeout_seconds": 5,
    }
    return Settings(**{**values, **changes})  # type: ignore[arg-type]


def _rows(engine: Engine) -> dict[str, Notification]:
    with Session(engine) as session:
        return {n.recipient_email or "": n for n in session.exec(select(Notification))}


def _arrivals(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in smtp.handler.messages())


def test_the_lease_follows_the_timeout_and_cannot_be_shorter_than_a_message() -> None:
    assert leases.length(Settings(smtp_timeout_seconds=30)) == timedelta(seconds=55)
    assert leases.length(Settings(smtp_timeout_seconds=4)) == timedelta(seconds=16)
    chosen = Settings(smtp_timeout_seconds=30, delivery_lease_seconds=120)
    assert leases.length(chosen) == timedelta(seconds=120)
    with pytest.raises(ValidationError, match="at least smtp_timeout_seconds"):
        Settings(smtp_timeout_seconds=30, delivery_lease_seconds=39)


async def test_a_message_that_times_out_waits_and_the_rest_of_its_slice_goes_on(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    addresses = _queue(engine, now, 6)
    victim = addresses[1]
    smtp.handler.slow[victim] = 4.0  # answers long after the client's timeout
    settings = _settings(smtp.port, smtp_timeout_seconds=1.5)
    report = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert (report.sent, report.retried, report.failed) == (5, 1, 0)
    rows = _rows(engine)
    assert {rows[a].status for a in addresses if a != victim} == {NotificationStatus.sent}
    waiting = rows[victim]
    assert waiting.status is NotificationStatus.pending and waiting.attempts == 1
    assert waiting.last_error is not None and "no answer within 1.5 s" in waiting.last_error
    assert waiting.claimed_by is None
    assert now + timedelta(minutes=1) <= waiting.next_attempt_at < now + timedelta(minutes=2)
    # After its backoff, with the server quick again, it goes out too.
    del smtp.handler.slow[victim]
    later = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now + timedelta(minutes=2)
    )
    assert later.sent == 1 and _rows(engine)[victim].status is NotificationStatus.sent


async def test_a_server_that_never_answers_in_time_holds_the_slice_back_after_three(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    _queue(engine, now, 8)
    smtp.handler.delay = 3.0
    settings = _settings(smtp.port, smtp_timeout_seconds=1)
    started = time.monotonic()
    report = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert (report.sent, report.retried) == (0, 8)
    assert time.monotonic() - started < 8, "three timeouts, not eight"
    rows = _rows(engine).values()
    assert {(r.status, r.attempts, r.claimed_by) for r in rows} == {
        (NotificationStatus.pending, 1, None)
    }


async def test_a_451_is_retried_later_and_a_550_fails_while_the_others_go_out(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    addresses = _queue(engine, now, 5)
    smtp.handler.defer.add(addresses[1])
    smtp.handler.refuse.add(addresses[3])
    settings = _settings(smtp.port)
    report = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert (report.sent, report.retried, report.failed) == (3, 1, 1)
    rows = _rows(engine)
    deferred = rows[addresses[1]].last_error
    assert deferred is not None and "451" in deferred
    assert rows[addresses[3]].status is NotificationStatus.failed
    smtp.handler.defer.clear()
    later = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now + timedelta(minutes=2)
    )
    assert (later.sent, later.failed) == (1, 0)
    assert len(_arrivals(smtp)) == 4 and set(_arrivals(smtp).values()) == {1}


@pytest.mark.parametrize(
    ("owner", "taken_at_once"),
    [
        ("elsewhere.example/4242/1700000000.00/abcdef012345", False),  # unknown: wait the lease
        ("{host}/999999999/1700000000.00/abcdef012345", True),  # this host, no such process
        ("{me}", False),  # this very process, alive
    ],
)
async def test_a_claim_is_free_at_once_only_when_its_process_is_known_to_be_gone(
    engine: Engine, smtp: SmtpServer, now: datetime, owner: str, taken_at_once: bool
) -> None:
    _queue(engine, now, 3)
    me = deliverers.new_run()
    owner = owner.format(host=me.rsplit("/", 3)[0], me=me)
    with Session(engine) as session:
        for row in session.exec(select(Notification)):
            row.claimed_by = owner
            row.next_attempt_at = now + timedelta(seconds=30)
            session.add(row)
        session.commit()
    settings = _settings(smtp.port)
    mailer = SmtpMailer(settings)
    at_once = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=now)
    assert at_once.sent == (3 if taken_at_once else 0)
    expired = now + timedelta(seconds=31)
    after = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=expired)
    assert at_once.sent + after.sent == 3
    assert len(_arrivals(smtp)) == 3 and set(_arrivals(smtp).values()) == {1}


async def test_an_urgent_message_goes_before_a_backlog_of_routine_ones(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    _queue(engine, now - timedelta(hours=1), 1000, kind="minutes_reminder")
    (link,) = _queue(engine, now, 1)
    settings = _settings(smtp.port, delivery_batch_size=100)
    report = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert report.sent == 100
    first = smtp.handler.messages()[0]
    assert first["To"].addresses[0].addr_spec == link


async def test_the_urgent_lane_sends_the_link_only_and_leaves_the_backlog_to_the_routine_run(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    routine = _queue(engine, now - timedelta(hours=1), 30, kind="minutes_reminder")
    (link,) = _queue(engine, now, 1)
    settings = _settings(smtp.port, delivery_batch_size=100)
    urgent = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now, urgent_only=True
    )
    assert (urgent.sent, urgent.retried, urgent.failed) == (1, 0, 0)
    assert [m["To"].addresses[0].addr_spec for m in smtp.handler.messages()] == [link]
    again = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now, urgent_only=True
    )
    assert again.sent == 0  # nothing urgent left: the run ends at once
    rest = await delivery.deliver_due(
        engine, mailer=SmtpMailer(settings), settings=settings, now=now
    )
    assert rest.sent == 30
    assert Counter(m["To"].addresses[0].addr_spec for m in smtp.handler.messages()) == Counter(
        [link, *routine]
    )


async def test_two_deliverers_never_send_the_same_message_to_a_slow_server(
    engine: Engine, smtp: SmtpServer, schema_database_url: str
) -> None:
    # 3.5 s per message: a slice of 6 takes 21 s, longer than the 16 s lease, so only the
    # renewal keeps the second deliverer (polling every half second) off the first one's rows.
    smtp.handler.delay = 3.5
    start = datetime.now(UTC)
    _queue(engine, start, 10)
    first = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("overleg")),
        "deliver",
        env={
            **os.environ,
            "DATABASE_URL": schema_database_url,
            "OVERLEG_SMTP_HOST": "127.0.0.1",
            "OVERLEG_SMTP_PORT": str(smtp.port),
            "OVERLEG_SMTP_STARTTLS": "false",
            "OVERLEG_SMTP_TIMEOUT_SECONDS": "6",
            "OVERLEG_DELIVERY_LEASE_SECONDS": "16",
            "OVERLEG_DELIVERY_BATCH_SIZE": "6",
        },
    )
    try:
        await _until(lambda: _claimed(engine) > 0, seconds=30)
        settings = _settings(
            smtp.port, smtp_timeout_seconds=6, delivery_lease_seconds=16, delivery_batch_size=6
        )
        mailer = SmtpMailer(settings)
        deadline = time.monotonic() + 60
        while _sent(engine) < 10 and time.monotonic() < deadline:
            await delivery.deliver_due(
                engine, mailer=mailer, settings=settings, now=datetime.now(UTC)
            )
            await asyncio.sleep(0.5)
        assert await asyncio.wait_for(first.wait(), timeout=30) == 0
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    arrivals = _arrivals(smtp)
    assert len(arrivals) == 10, "every message arrived"
    assert set(arrivals.values()) == {1}, "no message arrived twice"


def _claimed(engine: Engine) -> int:
    with Session(engine) as session:
        found = session.exec(
            select(Notification.id).where(col(Notification.claimed_by).is_not(None))
        )
        return len(found.all())


def _sent(engine: Engine) -> int:
    with Session(engine) as session:
        found = session.exec(
            select(Notification.id).where(Notification.status == NotificationStatus.sent)
        )
        return len(found.all())


async def _until(condition: Callable[[], bool], *, seconds: float) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
