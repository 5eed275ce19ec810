"""The JSON API for a meeting's attendance: the list, and recording who was there."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session

from models.meetings import AttendanceEntry, AttendanceStatus
from models.memberships import MembershipRole
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.meetings import meetings
from service.minutes import attendance
from service.web.agenda_api import meeting_of_group
from service.web.api import _ERRORS
from service.web.deps import IdPath, NowDep, SessionDep
from service.web.security import require, signed_in

router = APIRouter(
    prefix="/api/groups/{slug}/meetings/{meeting_id}/attendance",
    tags=["attendance"],
    responses=_ERRORS,
)
Chair = Annotated[Principal | None, require(Access.group_chair)]


class AttendanceLineResponse(BaseModel):
    """One person on the list; person and name are null for a row whose person was erased."""

    person_id: int | None
    name: str | None
    organisation: str
    role: MembershipRole | None
    status: AttendanceStatus | None
    # False for rows of people who were not in the group that day, or were erased.
    editable: bool


class AttendanceResponse(BaseModel):
    """Who was in the group on the meeting's day and what was recorded for them."""

    meeting_id: int
    # Whether attendance can be recorded: the meeting has started or has been held.
    open: bool
    people: list[AttendanceLineResponse]


class AttendanceRecord(BaseModel):
    """Statuses to record, one per person; people not named stay as they were."""

    attendance: list[AttendanceEntry] = Field(max_length=attendance.MAX_ENTRIES)


class AttendanceRecorded(AttendanceResponse):
    """The list after recording, and what the recording did."""

    created: int
    changed: int
    unchanged: int


def _response(session: Session, meeting_id: int, now: NowDep) -> AttendanceResponse:
    meeting = meetings.get(session, meeting_id=meeting_id)
    return AttendanceResponse(
        meeting_id=meeting_id,
        open=attendance.is_open(meeting, now=now),
        people=[
            AttendanceLineResponse(
                person_id=line.person_id,
                name=line.name,
                organisation=line.organisation,
                role=line.role,
                status=line.status,
                editable=line.editable,
            )
            for line in attendance.sheet(session, meeting_id=meeting_id)
        ],
    )


@router.get("", dependencies=[require(Access.group_chair)])
def get_attendance(
    slug: str, meeting_id: IdPath, session: SessionDep, now: NowDep
) -> AttendanceResponse:
    """The attendance list of a meeting, by organisation and name."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    return _response(session, meeting_id, now)


@router.put("")
def record_attendance(
    slug: str,
    meeting_id: IdPath,
    body: AttendanceRecord,
    session: SessionDep,
    now: NowDep,
    principal: Chair,
) -> AttendanceRecorded:
    """Record statuses per person; repeating the same request changes nothing."""
    meeting_of_group(session, slug=slug, meeting_id=meeting_id)
    recorded = attendance.record(
        session,
        meeting_id=meeting_id,
        entries=body.attendance,
        actor=Actor.of(signed_in(principal).person),
        now=now,
    )
    return AttendanceRecorded(
        **_response(session, meeting_id, now).model_dump(),
        created=recorded.created,
        changed=recorded.changed,
        unchanged=recorded.unchanged,
    )
