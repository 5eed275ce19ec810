"""Follow deliverables up every morning: reminders, escalating notices, weekly director digests."""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources
from service.deliverables import followup


@task(retries=2, retry_delay_seconds=[10, 60])
def queue_follow_up(now: datetime) -> dict[str, int]:
    """Queue everything that is due, in one transaction; return what was queued."""
    with resources.session() as session:
        report = followup.run(session, base_url=resources.settings().public_url, now=now)
    return {
        "reminders": report.reminders,
        "overdue_notices": report.overdue_notices,
        "digests": report.digests,
    }


@flow(name="follow-up-deliverables")
def follow_up_deliverables(now: datetime | None = None) -> dict[str, int]:
    """Catch up on every reminder, notice and digest that should have gone out by now."""
    done = queue_follow_up(resources.now(now))
    get_run_logger().info("deliverable follow-up: %s", done)
    return done
