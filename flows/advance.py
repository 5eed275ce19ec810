"""Advance every meeting whose next step is due; scheduled every 15 minutes, safe to repeat."""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources
from service import lifecycle


@task(retries=2, retry_delay_seconds=[10, 60])
def advance_all(now: datetime) -> dict[str, int]:
    """Do every due step in one transaction; return what was done."""
    with resources.session() as session:
        report = lifecycle.advance(
            session,
            now=now,
            minutes_after_working_days=resources.settings().minutes_reminder_working_days,
        )
    return {"held": report.held, "reminders": report.reminders}


@flow(name="advance-meetings")
def advance_meetings(now: datetime | None = None) -> dict[str, int]:
    """Catch up on every lifecycle step that should have happened by now."""
    done = advance_all(resources.now(now))
    get_run_logger().info("advanced meetings: %s", done)
    return done
