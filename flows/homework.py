"""Homework steps: invitations, reminders to the silent, the summary at the deadline.

Scheduled every quarter of an hour; each step is guarded by an outbox key or by the state it
changes, so running twice, late or after a crash does nothing twice.
"""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources
from service.homework import steps


@task(retries=2, retry_delay_seconds=[10, 60])
def advance(now: datetime) -> dict[str, int]:
    """Do every homework step due by `now`, in one transaction."""
    settings = resources.settings()
    with resources.session() as session:
        report = steps.advance(
            session,
            now=now,
            base_url=settings.public_url,
            reminder_days=tuple(settings.call_reminder_days),
        )
    return {
        "invitations": report.invitations,
        "reminders": report.reminders,
        "summarised": report.summarised,
        "feedback_items": report.feedback_items,
    }


@flow(name="advance-homework")
def advance_homework(now: datetime | None = None) -> dict[str, int]:
    """Catch up on every homework step that should have happened by now."""
    done = advance(resources.now(now))
    get_run_logger().info("homework: %s", done)
    return done
