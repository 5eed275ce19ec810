"""Advance every meeting whose next step is due; scheduled every 15 minutes, safe to repeat.

The app also starts it for one meeting right away after a change (deployment
`advance-meeting`), so members hear of a moved or cancelled meeting without waiting.
"""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources, scheduling
from service.lifecycle import advance


@task(retries=2, retry_delay_seconds=[10, 60])
def advance_all(now: datetime, meeting_id: int | None) -> dict[str, int]:
    """Do every due step in one transaction; return what was done."""
    with resources.session() as session:
        report = advance.advance(
            session,
            now=now,
            settings=resources.settings(),
            meeting_id=meeting_id,
        )
    return report.counts()


@flow(name="advance-meetings")
def advance_meetings(now: datetime | None = None, meeting_id: int | None = None) -> dict[str, int]:
    """Catch up on every lifecycle step that should have happened by now."""
    done = advance_all(resources.now(now), meeting_id)
    # Calls opened now get their closing booked at the deadline, to the minute.
    done["closings_booked"] = scheduling.book_closings(only_unbooked=True, meeting_id=meeting_id)
    get_run_logger().info("advanced meetings: %s", done)
    return done
