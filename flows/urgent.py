"""Urgent mail at once: a Prefect background task, run by a task worker that is already up.

A deployment run starts a fresh process (seconds of imports on a busy machine) and waits for
a worker's poll; a sign-in link someone is waiting for cannot afford that. The app submits this
task (`.delay()`); the task worker started by `overleg up` (`prefect task serve -m
flows.urgent`) is told at once over its subscription and runs it in its own warm process.
It sends urgent rows only, through the same leases as the scheduled delivery, so both may
overlap and every message still leaves once; a task worker that is down only leaves the link
to the every-minute run.
"""

import asyncio
from datetime import datetime

from prefect import task

from flows import resources
from service.mail import delivery, mailer

MAX_BATCHES = 5


@task(name="deliver-urgent", retries=2, retry_delay_seconds=[2, 10])
def deliver_urgent(now: datetime | None = None) -> dict[str, int]:
    """Send the due urgent messages (sign-in links, cancellations) now, batch by batch."""
    settings = resources.settings()
    totals = {"sent": 0, "retried": 0, "failed": 0}
    for _ in range(MAX_BATCHES):
        report = asyncio.run(
            delivery.deliver_due(
                resources.engine(),
                mailer=mailer.for_settings(settings),
                settings=settings,
                now=resources.now(now),
                urgent_only=True,
            )
        )
        counts = {"sent": report.sent, "retried": report.retried, "failed": report.failed}
        for key, value in counts.items():
            totals[key] += value
        if sum(counts.values()) == 0:
            break
    return totals
