"""Start urgent flows at once, by deployment name: the web app's one door into Prefect.

Every trigger is a shortcut: the scheduled deployments would do the same work at their next
tick, so a Prefect that cannot be reached only delays it (and is logged, without tokens).
"""

import asyncio
import logging
from datetime import datetime
from typing import Annotated

import httpx
from fastapi import BackgroundTasks, Depends, Request
from prefect.deployments import run_deployment
from prefect.events import emit_event
from prefect.exceptions import PrefectException

from flows import urgent as urgent_tasks
from service.agenda import calls
from service.db import Engine, session_scope
from service.followups import (
    AdvanceHomework,
    AdvanceMeeting,
    AllAnswered,
    BookClosing,
    DeliverNow,
    FollowUps,
)
from service.meetings import meetings
from service.web.deps import SettingsDep

log = logging.getLogger(__name__)
DELIVERY_DEPLOYMENT = "deliver-notifications/deliver-notifications"
ADVANCE_MEETING_DEPLOYMENT = "advance-meetings/advance-meeting"
CLOSE_CALL_DEPLOYMENT = "close-call/close-call"
ADVANCE_HOMEWORK_DEPLOYMENT = "advance-homework/advance-homework"
ALL_ANSWERED_EVENT = "overleg.agenda-call.all-answered"
_FAILURES = (PrefectException, httpx.HTTPError, RuntimeError, OSError)


class Triggers:
    """Asks Prefect to run deployments now (or at a set time); off when Prefect is not running."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled

    async def _run(
        self,
        deployment: str,
        *,
        parameters: dict[str, object] | None = None,
        key: str | None = None,
        at: datetime | None = None,
    ) -> str | None:
        if not self.enabled:
            return None
        try:
            run = await run_deployment(  # type: ignore[misc]
                deployment,
                parameters=parameters,
                idempotency_key=key,
                scheduled_time=at,
                timeout=0,
            )
        except _FAILURES as error:
            log.warning("could not start %s now: %s", deployment, error)
            return None
        return str(run.id)

    async def deliver_now(self, *, urgent: bool = False) -> str | None:
        """Start mail delivery now; return the run's id, or None when Prefect is off.

        Urgent mail (a sign-in link someone waits for) goes to the warm task worker instead of
        a deployment run: no new process, no poll, no wait for the routine delivery's slot.
        """
        if not urgent:
            return await self._run(DELIVERY_DEPLOYMENT)
        if not self.enabled:
            return None
        try:
            future = await asyncio.to_thread(urgent_tasks.deliver_urgent.delay)
        except _FAILURES as error:
            log.warning("could not start urgent delivery now: %s", error)
            return None
        return str(future.task_run_id)

    async def advance_meeting(
        self, engine: Engine, *, meeting_id: int, revision: int, cause: str = ""
    ) -> None:
        """Run one meeting's due steps now (after a change) and record the run on the meeting."""
        suffix = f":{cause}" if cause else ""
        run_id = await self._run(
            ADVANCE_MEETING_DEPLOYMENT,
            parameters={"meeting_id": meeting_id},
            key=f"advance-meeting:meeting-{meeting_id}:rev-{revision}{suffix}",
        )
        if run_id is not None:
            await asyncio.to_thread(_record_meeting_run, engine, meeting_id, run_id)

    async def book_closing(self, engine: Engine, *, call_id: int) -> None:
        """Book a call's closing at its (new) deadline and record the run on the call."""
        with session_scope(engine) as session:
            call = calls.get_open(session, call_id=call_id)
            if call is None:
                return
            deadline, key = call.deadline, calls.closing_key(call)
        run_id = await self._run(
            CLOSE_CALL_DEPLOYMENT, parameters={"call_id": call_id}, key=key, at=deadline
        )
        if run_id is not None:
            await asyncio.to_thread(_record_call_run, engine, call_id, run_id)

    async def advance_homework(self, *, assignment_id: int) -> str | None:
        """Run the homework steps now, so a new assignment's invitations leave at once."""
        return await self._run(
            ADVANCE_HOMEWORK_DEPLOYMENT, key=f"advance-homework:assignment-{assignment_id}:set"
        )

    def all_answered(self, *, call_id: int) -> None:
        """Tell Prefect that every member has answered a call, so `close-call` runs now."""
        if not self.enabled:
            return
        try:
            emit_event(
                event=ALL_ANSWERED_EVENT,
                resource={"prefect.resource.id": f"overleg.agenda-call.{call_id}"},
                payload={"call_id": call_id},
            )
        except _FAILURES as error:
            log.warning("could not emit %s: %s", ALL_ANSWERED_EVENT, error)

    async def run(self, engine: Engine, followups: FollowUps) -> None:
        """Start every follow-up a committed change asked for, in order."""
        for item in list(followups.items):
            if isinstance(item, AdvanceMeeting):
                await self.advance_meeting(
                    engine, meeting_id=item.meeting_id, revision=item.revision, cause=item.cause
                )
            elif isinstance(item, BookClosing):
                await self.book_closing(engine, call_id=item.call_id)
            elif isinstance(item, DeliverNow):
                await self.deliver_now(urgent=item.urgent)
            elif isinstance(item, AllAnswered):
                self.all_answered(call_id=item.call_id)
            elif isinstance(item, AdvanceHomework):
                await self.advance_homework(assignment_id=item.assignment_id)


def _record_meeting_run(engine: Engine, meeting_id: int, run_id: str) -> None:
    with session_scope(engine) as session:
        meetings.record_flow_run(session, meeting_id=meeting_id, flow_run_id=run_id)


def _record_call_run(engine: Engine, call_id: int, run_id: str) -> None:
    with session_scope(engine) as session:
        calls.record_booking(session, call_id=call_id, flow_run_id=run_id)


async def get_triggers(settings: SettingsDep) -> Triggers:
    """The triggers for this app's settings."""
    return Triggers(enabled=settings.prefect_enabled)


TriggersDep = Annotated[Triggers, Depends(get_triggers)]


async def after_commit(
    request: Request, background: BackgroundTasks, triggers: TriggersDep
) -> FollowUps:
    """The request's follow-ups, started once its change has committed and it has answered."""
    followups = FollowUps()
    request.state.followups = followups
    background.add_task(triggers.run, request.app.state.engine, followups)
    return followups


# What a use case asks to happen right after its change (service/followups.py).
AfterDep = Annotated[FollowUps, Depends(after_commit)]
