"""The JSON API for a meeting's attendance: the list, and recording who was there."""

from pydantic import BaseModel, Field

from models.meetings import AttendanceEntry, AttendanceStatus, Meeting
from models.memberships import MembershipRole
from service.minutes import attendance
from service.web.errors import api_router
from service.web.forms import ApiBody, Read
from service.web.scope import Chair, ChairAct, MeetingDep, id_of
from service.web.views import Context, Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/attendance", "attendance")


class AttendanceLineResponse(Read):
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


class AttendanceRecord(ApiBody):
    """Statuses to record, one per person; people not named stay as they were."""

    attendance: list[AttendanceEntry] = Field(max_length=attendance.MAX_ENTRIES)


class AttendanceRecorded(AttendanceResponse):
    """The list after recording, and what the recording did."""

    created: int
    changed: int
    unchanged: int


def _response(ctx: Context, meeting: Meeting) -> AttendanceResponse:
    return AttendanceResponse(
        meeting_id=id_of(meeting),
        open=attendance.is_open(meeting, now=ctx.now),
        people=[
            AttendanceLineResponse.model_validate(line)
            for line in attendance.sheet(ctx.session, meeting_id=id_of(meeting))
        ],
    )


@router.get("")
def get_attendance(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> AttendanceResponse:
    """The attendance list of a meeting, by organisation and name."""
    return _response(ctx, meeting)


@router.put("")
def record_attendance(
    ctx: Ctx, meeting: MeetingDep, body: AttendanceRecord, act: ChairAct
) -> AttendanceRecorded:
    """Record statuses per person; repeating the same request changes nothing."""
    entries = body.attendance
    recorded = attendance.record(ctx.session, meeting_id=id_of(meeting), entries=entries, **act.by)
    return AttendanceRecorded(
        **_response(ctx, meeting).model_dump(),
        created=recorded.created,
        changed=recorded.changed,
        unchanged=recorded.unchanged,
    )
