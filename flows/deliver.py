"""Deliver the outbox: every minute, and at once when something urgent is queued."""

import asyncio
from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources
from service.mail import delivery, mailer


@task(retries=3, retry_delay_seconds=[10, 30, 120])
def deliver_batch(now: datetime, urgent_only: bool = False) -> dict[str, int]:
    """Send one batch of due messages over one connection; report what happened."""
    settings = resources.settings()
    report = asyncio.run(
        delivery.deliver_due(
            resources.engine(),
            mailer=mailer.for_settings(settings),
            settings=settings,
            now=now,
            urgent_only=urgent_only,
        )
    )
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


@flow(name="deliver-notifications")
def deliver_notifications(
    now: datetime | None = None, max_batches: int = 20, urgent_only: bool = False
) -> dict[str, int]:
    """Send due messages batch by batch until none is due (or `max_batches` were sent).

    The `deliver-urgent` deployment runs it with `urgent_only`: a sign-in link then leaves
    in its own short run, on its own work pool, never waiting behind the routine outbox.
    """
    totals = {"sent": 0, "retried": 0, "failed": 0}
    for _ in range(max_batches):
        counts = deliver_batch(resources.now(now), urgent_only)
        for key, value in counts.items():
            totals[key] += value
        if sum(counts.values()) == 0:
            break
    get_run_logger().info("delivery: %s", totals)
    return totals
