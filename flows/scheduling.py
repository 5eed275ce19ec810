"""Book exact moments as scheduled runs of their deployment, once each (idempotency keys)."""

from collections.abc import Sequence

from prefect import task
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from flows import resources
from service.agenda import calls

CLOSE_CALL_DEPLOYMENT = "close-call/close-call"


@task(retries=2, retry_delay_seconds=[5, 30])
def book_closings(*, only_unbooked: bool, meeting_ids: Sequence[int] | None = None) -> int:
    """Book a `close-call` run at the deadline of every open call (of those meetings, when
    given); return how many were new.

    The key names the call and its deadline, so booking again (a reconcile, a retry) finds the
    run that exists, and a moved deadline gets a run of its own (the old one finds nothing due).
    """
    with resources.session() as session:
        wanted = [
            (call.id, call.deadline, calls.closing_key(call))
            for call in calls.open_calls(session, meeting_ids=meeting_ids)
            if call.id is not None and not (only_unbooked and call.close_flow_run_id)
        ]
    booked = 0
    for call_id, deadline, key in wanted:
        run = run_deployment(
            CLOSE_CALL_DEPLOYMENT,
            parameters={"call_id": call_id},
            scheduled_time=deadline,
            idempotency_key=key,
            timeout=0,
            as_subflow=False,
        )
        assert isinstance(run, FlowRun)  # called from sync code: the run, not a coroutine
        with resources.session() as session:
            if calls.record_booking(session, call_id=call_id, flow_run_id=str(run.id)):
                booked += 1
    return booked
