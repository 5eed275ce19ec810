"""Follow deliverables up every morning: reminders, escalating notices, weekly director digests.

The deployment `follow-up-deliverables` runs the dispatcher: it queues the directors' digests
itself and starts the deliverables in batches as runs of `follow-up-deliverable-batch`, each
batch in its own transaction on whichever worker takes it (flows/dispatch.py). Every message
has an outbox key, so a batch run twice (a retry, a lost worker, the next morning) queues
nothing twice.
"""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import dispatch, resources
from service.deliverables import followup

BATCH_DEPLOYMENT = "follow-up-deliverables/follow-up-deliverable-batch"
# Deliverables per run: each takes a few queries, a run seconds of process start.
BATCH_SIZE = 200


@task(retries=2, retry_delay_seconds=[10, 60])
def queue_follow_up(
    now: datetime, deliverable_ids: list[int] | None = None, digests: bool = True
) -> dict[str, int]:
    """Queue what is due (of those deliverables, when given), in one transaction."""
    with resources.session() as session:
        report = followup.run(
            session,
            base_url=resources.settings().public_url,
            now=now,
            deliverable_ids=deliverable_ids,
            digests=digests,
        )
    return {
        "reminders": report.reminders,
        "overdue_notices": report.overdue_notices,
        "digests": report.digests,
    }


@task
def active_deliverables() -> list[int]:
    """The deliverables still followed up (ids only)."""
    with resources.session() as session:
        return followup.active_ids(session)


@flow(name="follow-up-deliverables")
def follow_up_deliverables(
    now: datetime | None = None, deliverable_ids: list[int] | None = None
) -> dict[str, int]:
    """Catch up on every reminder, notice and digest that should have gone out by now.

    With `deliverable_ids` (a batch from the dispatcher): those deliverables only, no digests.
    """
    at = resources.now(now)
    done = queue_follow_up(at, deliverable_ids, digests=deliverable_ids is None)
    get_run_logger().info("deliverable follow-up: %s", done)
    return done


@flow(name="dispatch-follow-up")
def dispatch_follow_up(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Queue the digests here, and start the deliverables in batches on any worker."""
    at = resources.now(now)
    digests = queue_follow_up(at, [], digests=True)["digests"]
    ids = active_deliverables()
    runs = dispatch.start_batches(
        BATCH_DEPLOYMENT,
        parameter="deliverable_ids",
        ids=ids,
        now=at,
        size=batch_size,
        prefix="follow-up-deliverables",
    )
    done = {"digests": digests, "deliverables": len(ids), "batches": len(runs)}
    get_run_logger().info("dispatched the deliverable follow-up: %s", done)
    return done
