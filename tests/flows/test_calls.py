"""A call's closing is booked as a scheduled run of `close-call` at the deadline, once.

The test server has every deployment of prefect.yaml but no worker: booked runs stay
scheduled, and the test runs the closing flow itself at the deadline.
"""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from prefect import get_client
from prefect.client.schemas.objects import FlowRun
from sqlmodel import Session

from flows import resources
from flows.advance import advance_meetings
from flows.calls import close_call, reconcile_closings
from models.agenda import AgendaCall, CallStatus
from service.agenda import calls
from tests.factories import ACTOR, make_staffed_meeting

MEETING_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
OPENS = datetime(2026, 2, 17, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def _run(run_id: str) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(UUID(run_id))


def _call(meeting_id: int) -> AgendaCall:
    with Session(resources.engine()) as session:
        call = calls.for_meeting(session, meeting_id=meeting_id)
        assert call is not None
        return call


def test_closing_is_booked_at_the_deadline_once_and_rebooked_when_it_moves(
    flow_database: str,
) -> None:
    with Session(resources.engine()) as session:
        meeting_id = make_staffed_meeting(session, meeting_at=MEETING_AT).meeting.id
        session.commit()
    assert meeting_id is not None
    done = advance_meetings(now=OPENS)
    assert (done["calls_opened"], done["call_emails"], done["closings_booked"]) == (1, 4, 1)
    call = _call(meeting_id)
    assert call.close_flow_run_id is not None
    booked = _run(call.close_flow_run_id)
    assert booked.expected_start_time == DEADLINE
    assert booked.parameters == {"call_id": call.id}
    assert booked.idempotency_key == calls.closing_key(call)
    # Running again, or reconciling, finds the same run.
    assert advance_meetings(now=OPENS + timedelta(minutes=15))["closings_booked"] == 0
    assert reconcile_closings() == 0
    assert _call(meeting_id).close_flow_run_id == call.close_flow_run_id

    later = DEADLINE + timedelta(days=2)
    with Session(resources.engine()) as session:
        assert call.id is not None
        calls.extend(session, call_id=call.id, deadline=later, actor=ACTOR, now=DEADLINE)
        session.commit()
    assert reconcile_closings() == 1
    moved = _call(meeting_id)
    assert moved.close_flow_run_id != call.close_flow_run_id
    assert _run(moved.close_flow_run_id or "").expected_start_time == later

    # The run booked for the old deadline finds nothing due; the new one closes the call.
    assert close_call(call_id=call.id, now=DEADLINE) is False
    assert close_call(call_id=call.id, now=later) is True
    assert close_call(call_id=call.id, now=later) is False
    assert _call(meeting_id).status is CallStatus.closed
