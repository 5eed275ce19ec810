"""Detach old submissions from their authors once the retention period has passed."""

from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task

from flows import resources
from service.directory import privacy


@task(retries=2, retry_delay_seconds=[10, 60])
def anonymise(retention_years: int, now: datetime) -> int:
    """Anonymise every submission older than the retention period; return how many."""
    with resources.session() as session:
        return privacy.anonymise_old_submissions(
            session, retention=timedelta(days=365 * retention_years), now=now
        )


@flow(name="anonymise-old-submissions")
def anonymise_old_submissions(now: datetime | None = None) -> int:
    """Apply the retention period to submissions; running it twice changes nothing more."""
    count = anonymise(resources.settings().submission_retention_years, resources.now(now))
    get_run_logger().info("anonymised %d submissions", count)
    return count
