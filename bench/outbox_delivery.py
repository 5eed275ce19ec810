"""Benchmark: outbox delivery of 10,000 messages vs a plain aiosmtplib loop (the floor).

Both paths send the same messages to the same local SMTP sink (aiosmtpd's Sink handler, in its
own process) over one connection per batch. The outbox path also claims (and keeps the lease of),
renders and marks every row in the database. Runs alternate, and medians are reported with their
ratio, in wall time and in this process's CPU time (the sink runs apart): on a shared machine
the CPU time is the steadier measure of what the outbox adds.

    .venv/bin/python bench/outbox_delivery.py [--messages 10000] [--rounds 3] [--postgres URL]
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import aiosmtplib
import psycopg
from sqlalchemy.engine import make_url
from sqlmodel import Session

from models.notifications import Notification
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import PersonCreate
from service import migrate
from service.audit import Actor
from service.db import create_engine
from service.directory import organisations, people
from service.mail import delivery, messages, outbox
from service.mail.mailer import SmtpMailer
from service.settings import Settings
from tests.smtp import free_port

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def start_sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's Sink (accepts and discards) in its own process."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    time.sleep(1.0)
    return process


def prepare(url: str, count: int) -> None:
    """A fresh schema with `count` pending sign-in messages to 100 people."""
    engine = create_engine(url)
    migrate.upgrade(engine)
    actor = Actor.system("bench")
    with Session(engine) as session:
        organisations.create(
            session,
            organisation_in=OrganisationCreate(
                slug="gent", name="Stad Gent", kind=OrganisationKind.centre_city
            ),
            actor=actor,
            now=NOW,
        )
        recipients = [
            people.create(
                session,
                person_in=PersonCreate(
                    name=f"Lid {n}", email=f"lid{n}@gent.example", organisation="gent"
                ),
                actor=actor,
                now=NOW,
            )
            for n in range(100)
        ]
        for n in range(count):
            outbox.queue(
                session,
                key=f"bench:{n}",
                kind="sign_in",
                now=NOW,
                recipient=recipients[n % 100],
                context={"url": f"https://overleg.example/s/{n}", "expires_at": NOW.isoformat()},
            )
        session.commit()
    engine.dispose()


class Timing(NamedTuple):
    """Wall and CPU seconds of one path."""

    wall: float
    cpu: float


async def outbox_path(url: str, settings: Settings) -> Timing:
    """Seconds to deliver everything pending through the outbox."""
    engine = create_engine(url)
    mailer = SmtpMailer(settings)
    started, cpu = time.perf_counter(), time.process_time()
    while True:
        report = await delivery.deliver_due(engine, mailer=mailer, settings=settings, now=NOW)
        if report.sent + report.retried + report.failed == 0:
            break
        assert report.retried == report.failed == 0, report.errors[:3]
    elapsed = Timing(time.perf_counter() - started, time.process_time() - cpu)
    engine.dispose()
    return elapsed


async def plain_path(count: int, settings: Settings) -> Timing:
    """Seconds for a bare aiosmtplib loop to send the same messages, built beforehand."""
    built = []
    for n in range(count):
        row = Notification(
            idempotency_key=f"bench:{n}",
            kind="sign_in",
            recipient_email=f"lid{n % 100}@gent.example",
            context={"url": f"https://overleg.example/s/{n}", "expires_at": NOW.isoformat()},
            created_at=NOW,
            next_attempt_at=NOW,
        )
        built.append(
            messages.build(row, recipient_name=f"Lid {n % 100}", settings=settings, now=NOW)
        )
    started, cpu = time.perf_counter(), time.process_time()
    batch = settings.delivery_batch_size
    for offset in range(0, count, batch):
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=settings.smtp_port, start_tls=False)
        await client.connect()
        for message in built[offset : offset + batch]:
            await client.send_message(message)
        await client.quit()
    return Timing(time.perf_counter() - started, time.process_time() - cpu)


def fresh_database(kind: str, postgres: str | None, folder: Path, round_: int) -> str:
    """A new empty database for one round of the outbox path."""
    if kind == "sqlite":
        return f"sqlite:///{folder / f'bench-{round_}.db'}"
    assert postgres is not None
    name = f"overleg_bench_{round_}"
    admin = make_url(postgres).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def _rows(kind: str, count: int, plain: list[Timing], outbox: list[Timing]) -> list[str]:
    """Two table rows: the plain loop and the outbox, with medians and ratios."""
    base = statistics.median(t.wall for t in plain)
    base_cpu = statistics.median(t.cpu for t in plain)
    rows = []
    for label, times in (("plain aiosmtplib loop", plain), ("outbox delivery", outbox)):
        wall = statistics.median(t.wall for t in times)
        cpu = statistics.median(t.cpu for t in times)
        rows.append(
            f"| {kind} | {label} | {wall:.2f} | {count / wall:,.0f} | "
            f"{wall / count * 1e6:,.0f} | {wall / base:.2f} | "
            f"{cpu / count * 1e6:,.0f} | {cpu / base_cpu:.2f} |"
        )
    return rows


def main() -> None:
    """Run the rounds and print a Markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=None, help="admin URL; adds a PostgreSQL run")
    args = parser.parse_args()
    port = free_port()
    sink = start_sink(port)
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, delivery_batch_size=200
    )
    lines = [
        f"Messages per run: {args.messages}; rounds: {args.rounds}; batch size 200; "
        "sink: aiosmtpd Sink in its own process on 127.0.0.1.",
        "",
        "| database | path | median s | msgs/s | µs per message | ratio to plain"
        " | CPU µs per message | CPU ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    try:
        with tempfile.TemporaryDirectory() as folder:
            for kind in ["sqlite"] + (["postgresql"] if args.postgres else []):
                plain: list[Timing] = []
                outbox: list[Timing] = []
                for round_ in range(args.rounds):
                    url = fresh_database(kind, args.postgres, Path(folder), round_)
                    prepare(url, args.messages)
                    plain.append(asyncio.run(plain_path(args.messages, settings)))
                    outbox.append(asyncio.run(outbox_path(url, settings)))
                lines += _rows(kind, args.messages, plain, outbox)
    finally:
        sink.terminate()
        sink.wait()
    print("\n".join(lines))  # noqa: T201 - the report is this script's output


if __name__ == "__main__":
    main()
