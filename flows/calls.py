"""Close a call for input: at its deadline (a booked run), or early once everyone answered."""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources, scheduling
from service.agenda import calls
from service.audit import Actor


@task(retries=2, retry_delay_seconds=[10, 60])
def close(call_id: int, now: datetime) -> bool:
    """Close the call if it is due; False when it was not due or closed before."""
    with resources.session() as session:
        return calls.close(
            session,
            call_id=call_id,
            base_url=resources.settings().public_url,
            actor=Actor.system("close-call"),
            now=now,
        )


@flow(name="close-call")
def close_call(call_id: int, now: datetime | None = None) -> bool:
    """Close one call; booked at its deadline and started by the all-answered event."""
    closed = close(call_id, resources.now(now))
    get_run_logger().info("call %d %s", call_id, "closed" if closed else "left as it was")
    return closed


@flow(name="reconcile-closings")
def reconcile_closings() -> int:
    """Book again every open call's closing, in case a booked run went missing."""
    booked = scheduling.book_closings(only_unbooked=False)
    get_run_logger().info("closings booked again: %d", booked)
    return booked
