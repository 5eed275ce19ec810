"""Advance every meeting whose next step is due; scheduled every 15 minutes, safe to repeat.

Each meeting is its own unit of work: its own Prefect task run and its own transaction. A
meeting that fails (a date that cannot be read, a date at the end of the calendar) is logged,
written on the meeting for the secretariat, and skipped; every other meeting's steps are done,
and the next run tries the broken one again, alone. Within a run, a task is retried only for
errors that may pass by themselves (the database went away, a deadlock).

The deployment `advance-meetings` runs the dispatcher: it finds the due meetings and starts
them in batches as runs of the deployment `advance-meeting`, so that every worker on the work
pool takes a share (flows/dispatch.py). The app also starts `advance-meeting` for one meeting
right away after a change, so members hear of a moved or cancelled meeting without waiting.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from prefect import Task, flow, get_run_logger, task
from prefect.client.schemas.objects import State, TaskRun

from flows import dispatch, resources, scheduling
from service.lifecycle import advance, due, step_failures


def _transient(_task: Task[Any, Any], _run: TaskRun, state: State[Any]) -> bool:
    """Retry within the run only an error of the connection, not one of the meeting's data."""
    try:
        state.result()
    except sa.exc.OperationalError:
        return True
    except Exception:  # the meeting's own failure: recorded, and tried at the next run
        return False
    return False


@task
def due_meetings(now: datetime) -> list[int]:
    """The meetings that may have a step due, from indexed columns (ids only)."""
    with resources.session() as session:
        return due.due_meeting_ids(session, now=now, settings=resources.settings())


@task(
    retries=2,
    retry_delay_seconds=[10, 60],
    retry_condition_fn=_transient,
    task_run_name="advance-meeting-{meeting_id}",
)
def advance_one(meeting_id: int, now: datetime) -> dict[str, int]:
    """Do one meeting's due steps in one transaction; on failure, record it on the meeting."""
    try:
        with resources.session() as session:
            report = advance.advance_meeting(
                session, meeting_id=meeting_id, now=now, settings=resources.settings()
            )
    except Exception as error:
        with resources.session() as session:  # a transaction of its own: the other rolled back
            step_failures.record(session, meeting_id=meeting_id, error=error, now=now)
        raise
    return report.counts()


ADVANCE_MEETING_DEPLOYMENT = "advance-meetings/advance-meeting"


@flow(name="advance-meetings")
def advance_meetings(
    now: datetime | None = None,
    meeting_id: int | None = None,
    meeting_ids: list[int] | None = None,
) -> dict[str, int]:
    """Catch up on the steps that should have happened by now: of the meetings given, or all."""
    at, logger = resources.now(now), get_run_logger()
    chosen = meeting_id is not None or meeting_ids is not None
    given = [*([meeting_id] if meeting_id is not None else []), *(meeting_ids or [])]
    ids = given if chosen else due_meetings(at)
    done = dict.fromkeys(advance.AdvanceReport().counts(), 0)
    failed = []
    for one in ids:
        state = advance_one(one, at, return_state=True)
        if not state.is_completed():
            failed.append(one)
            logger.error("meeting %d: steps failed, skipped: %s", one, state.message)
            continue
        for key, value in state.result().items():
            done[key] += value
    done["meetings_failed"] = len(failed)
    # Calls opened now get their closing booked at the deadline, to the minute.
    done["closings_booked"] = scheduling.book_closings(
        only_unbooked=True, meeting_ids=ids if chosen else None
    )
    logger.info("advanced meetings: %s", done)
    return done


@flow(name="dispatch-meetings")
def dispatch_meetings(
    now: datetime | None = None, batch_size: int = dispatch.BATCH_SIZE
) -> dict[str, int]:
    """Find the meetings with a step due and start them in batches on any worker."""
    at = resources.now(now)
    ids = due_meetings(at)
    runs = dispatch.start_batches(
        ADVANCE_MEETING_DEPLOYMENT,
        parameter="meeting_ids",
        ids=ids,
        now=at,
        size=batch_size,
        prefix="advance-meetings",
    )
    done = {"meetings": len(ids), "batches": len(runs)}
    get_run_logger().info("dispatched meetings: %s", done)
    return done
