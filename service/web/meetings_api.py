"""The JSON API for a meeting's lifecycle: where it stands, changes to it, and its call."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Request
from pydantic import BaseModel, Field

from models.agenda import MAX_QUESTIONS_LIMIT
from models.dates import DatePrecision
from models.errors import N_, DomainError
from models.meetings import Meeting, MeetingFormat
from service.access.permissions import Access, Principal
from service.agenda import calls
from service.audit import Actor
from service.lifecycle import changes, meeting_status
from service.meetings import planning
from service.settings import Settings
from service.web.api import _ERRORS
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.meeting_page import meeting_in_group
from service.web.security import require, signed_in
from service.web.triggers import TriggersDep

router = APIRouter(prefix="/api/groups/{slug}", tags=["meetings"], responses=_ERRORS)
Chair = Annotated[Principal | None, require(Access.group_chair)]


class StepResponse(BaseModel):
    """One step of a meeting's life."""

    key: str
    label: str
    due_at: datetime | None
    done_at: datetime | None
    detail: str | None
    skipped: bool


class CallResponse(BaseModel):
    """A meeting's call for input."""

    id: int
    status: str
    opens_at: datetime
    deadline: datetime
    max_questions: int
    close_flow_run_url: str | None


class MeetingStatusResponse(BaseModel):
    """A meeting, where it stands, and what is due next."""

    id: int
    title: str
    status: str
    status_reason: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    date_precision: str
    period_start: date | None
    revision: int
    flow_run_url: str | None
    call: CallResponse | None
    steps: list[StepResponse]
    next_step: str | None


class RescheduleRequest(BaseModel):
    """A new exact slot; times carry their zone."""

    starts_at: datetime
    ends_at: datetime
    reason: str | None = Field(default=None, max_length=1000)


class PostponeRequest(BaseModel):
    """A period whose day is not known yet: its first day and its precision."""

    period_start: date
    precision: DatePrecision = DatePrecision.month
    reason: str = Field(max_length=1000)


class CancelRequest(BaseModel):
    """Why the meeting is cancelled."""

    reason: str = Field(max_length=1000)


class PlaceRequest(BaseModel):
    """Where the meeting takes place."""

    format: MeetingFormat
    location: str | None = Field(default=None, max_length=300)
    join_url: str | None = Field(default=None, max_length=500)
    reason: str | None = Field(default=None, max_length=1000)


class ExtendRequest(BaseModel):
    """The call's new deadline, with its zone."""

    deadline: datetime


class CallSettingsRequest(BaseModel):
    """What members read on the form, and how many questions each may send."""

    guidance: str | None = Field(default=None, max_length=10_000)
    max_questions: int = Field(default=3, ge=1, le=MAX_QUESTIONS_LIMIT)


class PlanRequest(BaseModel):
    """The year to plan from the group's cadence."""

    year: int = Field(ge=2000, le=2100)


class PlannedMeeting(BaseModel):
    """A meeting the plan created."""

    id: int
    title: str
    starts_at: datetime | None


def _run_url(settings: Settings, run_id: str | None) -> str | None:
    return f"{settings.prefect_ui}/runs/flow-run/{run_id}" if run_id else None


def _status(
    session: SessionDep, settings: Settings, meeting: Meeting, now: datetime
) -> MeetingStatusResponse:
    assert meeting.id is not None
    timeline = meeting_status.timeline(session, meeting=meeting, settings=settings, now=now)
    call = calls.for_meeting(session, meeting_id=meeting.id)
    upcoming = timeline.next_step
    return MeetingStatusResponse(
        id=meeting.id,
        title=meeting.title,
        status=meeting.status.value,
        status_reason=meeting.status_reason,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        date_precision=meeting.date_precision.value,
        period_start=meeting.period_start,
        revision=meeting.revision,
        flow_run_url=_run_url(settings, meeting.flow_run_id),
        call=None
        if call is None or call.id is None
        else CallResponse(
            id=call.id,
            status=call.status.value,
            opens_at=call.opens_at,
            deadline=call.deadline,
            max_questions=call.max_questions,
            close_flow_run_url=_run_url(settings, call.close_flow_run_id),
        ),
        steps=[
            StepResponse(
                key=s.key,
                label=s.label,
                due_at=s.due_at,
                done_at=s.done_at,
                detail=s.detail,
                skipped=s.skipped,
            )
            for s in timeline.steps
        ],
        next_step=upcoming.key if upcoming else None,
    )


def _changed(
    request: Request,
    background: BackgroundTasks,
    triggers: TriggersDep,
    session: SessionDep,
    settings: Settings,
    now: datetime,
    meeting: Meeting,
) -> MeetingStatusResponse:
    """After the commit, run the meeting's due steps now (updates, cancellations); answer."""
    assert meeting.id is not None
    background.add_task(
        triggers.advance_meeting,
        request.app.state.engine,
        meeting_id=meeting.id,
        revision=meeting.revision,
    )
    return _status(session, settings, meeting, now)


@router.get("/meetings/{meeting_id}", dependencies=[require(Access.group_read)])
def meeting_detail(
    slug: str, meeting_id: IdPath, session: SessionDep, settings: SettingsDep, now: NowDep
) -> MeetingStatusResponse:
    """A meeting, every step of its life with when it is due and when it was done."""
    return _status(session, settings, meeting_in_group(session, slug, meeting_id), now)


@router.post("/meetings/{meeting_id}/reschedule")
def reschedule(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    body: RescheduleRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Move a meeting to a new slot; members get an update."""
    meeting_in_group(session, slug, meeting_id)
    meeting = changes.reschedule(
        session,
        meeting_id=meeting_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        reason=body.reason,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _changed(request, background, triggers, session, settings, now, meeting)


@router.post("/meetings/{meeting_id}/postpone")
def postpone(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    body: PostponeRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Postpone a meeting to a month, quarter, half year or year; members hear at once."""
    meeting_in_group(session, slug, meeting_id)
    meeting = changes.postpone(
        session,
        meeting_id=meeting_id,
        period_start=body.period_start,
        precision=body.precision,
        reason=body.reason,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _changed(request, background, triggers, session, settings, now, meeting)


@router.post("/meetings/{meeting_id}/cancel")
def cancel(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    body: CancelRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Cancel a meeting; its questions move to the next one, members hear at once."""
    meeting_in_group(session, slug, meeting_id)
    meeting = changes.cancel(
        session,
        meeting_id=meeting_id,
        reason=body.reason,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _changed(request, background, triggers, session, settings, now, meeting)


@router.post("/meetings/{meeting_id}/place")
def change_place(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    body: PlaceRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Change the room, the online link or the format; invited members get an update."""
    meeting_in_group(session, slug, meeting_id)
    meeting = changes.change_place(
        session,
        meeting_id=meeting_id,
        format=body.format,
        location=body.location,
        join_url=body.join_url,
        reason=body.reason,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return _changed(request, background, triggers, session, settings, now, meeting)


@router.post("/meetings/{meeting_id}/call/open")
def open_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Open the meeting's call for input now; every member gets their link."""
    meeting = meeting_in_group(session, slug, meeting_id)
    actor = Actor.of(signed_in(principal).person)
    call = calls.for_meeting(session, meeting_id=meeting_id) or calls.ensure(
        session, meeting=meeting, actor=actor, now=now
    )
    assert call.id is not None
    calls.open_call(
        session, call_id=call.id, policy=calls.CallPolicy.of(settings), actor=actor, now=now
    )
    background.add_task(triggers.book_closing, request.app.state.engine, call_id=call.id)
    background.add_task(triggers.deliver_now)
    return _status(session, settings, meeting, now)


@router.post("/meetings/{meeting_id}/call/extend")
def extend_call(
    request: Request,
    slug: str,
    meeting_id: IdPath,
    body: ExtendRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
    background: BackgroundTasks,
    triggers: TriggersDep,
) -> MeetingStatusResponse:
    """Move the call's deadline; reminders and the booked closing follow."""
    meeting = meeting_in_group(session, slug, meeting_id)
    call = calls.for_meeting(session, meeting_id=meeting_id)
    if call is None or call.id is None:
        raise DomainError(N_("This meeting has no call for input yet."), field="call")
    calls.extend(
        session,
        call_id=call.id,
        deadline=body.deadline,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    background.add_task(triggers.book_closing, request.app.state.engine, call_id=call.id)
    return _status(session, settings, meeting, now)


@router.post("/meetings/{meeting_id}/call/settings")
def configure_call(
    slug: str,
    meeting_id: IdPath,
    body: CallSettingsRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> MeetingStatusResponse:
    """Set the call's guidance and how many questions a member may send (creating the call)."""
    meeting = meeting_in_group(session, slug, meeting_id)
    actor = Actor.of(signed_in(principal).person)
    call = calls.for_meeting(session, meeting_id=meeting_id) or calls.ensure(
        session, meeting=meeting, actor=actor, now=now
    )
    assert call.id is not None
    calls.configure(
        session,
        call_id=call.id,
        guidance=body.guidance,
        max_questions=body.max_questions,
        actor=actor,
        now=now,
    )
    return _status(session, settings, meeting, now)


@router.post("/meetings/{meeting_id}/call/close")
def close_call(
    slug: str,
    meeting_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    principal: Chair,
) -> MeetingStatusResponse:
    """Close the call now and draft the agenda from the questions."""
    meeting = meeting_in_group(session, slug, meeting_id)
    call = calls.for_meeting(session, meeting_id=meeting_id)
    if (
        call is None
        or call.id is None
        or not calls.close(
            session,
            call_id=call.id,
            base_url=settings.public_url,
            actor=Actor.of(signed_in(principal).person),
            now=now,
            force=True,
        )
    ):
        raise DomainError(N_("Only an open call can be closed."), field="call")
    return _status(session, settings, meeting, now)


@router.post("/plan", status_code=201)
def plan_year(
    slug: str,
    body: PlanRequest,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> list[PlannedMeeting]:
    """Create the meetings the group's cadence gives for a year; existing ones stay as they are."""
    created = planning.plan_year(
        session,
        group_slug=slug,
        year=body.year,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return [PlannedMeeting(id=m.id or 0, title=m.title, starts_at=m.starts_at) for m in created]
