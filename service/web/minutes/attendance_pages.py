"""The attendance page of a meeting: the group's chair and the secretariat note who was there."""

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from models.errors import N_, DomainError
from models.meetings import AttendanceEntry, AttendanceStatus
from service.access.permissions import Access, Principal, allows
from service.minutes import attendance
from service.web import labels
from service.web.meetings.pages import MEETING
from service.web.scope import At, Chair, ChairAct, MeetingAt
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix=MEETING + "/attendance")
FIELD_PREFIX = "person-"


async def _choices(request: Request) -> list[tuple[str, str]]:
    """The form's choices: one radio group `person-<id>` per person, so the names vary."""
    form = await request.form()  # already read (and cached) by the CSRF check
    return [
        (name, value)
        for name, value in form.multi_items()
        if name.startswith(FIELD_PREFIX) and isinstance(value, str)
    ]


Choices = Annotated[list[tuple[str, str]], Depends(_choices)]


def _entries(choices: Iterable[tuple[str, str]]) -> list[AttendanceEntry]:
    """The chosen statuses as entries, or a refusal when a field was tampered with."""
    try:
        return [
            AttendanceEntry(
                person_id=int(name.removeprefix(FIELD_PREFIX)), status=AttendanceStatus(value)
            )
            for name, value in choices
        ]
    except (ValueError, ValidationError) as error:
        raise DomainError(
            N_("Choose present, excused or absent for each person."), field="attendance"
        ) from error


def attendance_view(
    ctx: Context,
    at: MeetingAt,
    *,
    chosen: dict[str, str] | None = None,
) -> Response:
    """Everyone in the group on the meeting's day, with present, excused or absent each."""
    principal: Principal | None = getattr(ctx.request.state, "principal", None)
    lines = attendance.sheet(ctx.session, meeting_id=at.meeting_id)
    status_names = labels.translated("attendance", ctx.gettext)
    counts = {status.value: 0 for status in AttendanceStatus}
    for line in lines:
        if line.status is not None:
            counts[line.status.value] += 1
    return ctx.render(
        "pages/attendance.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "editable": [line for line in lines if line.editable],
            "others": [line for line in lines if not line.editable],
            "counts": counts,
            "statuses": list(status_names.items()),
            "status_names": status_names,
            # What the person chose, kept when the form is refused, else what is recorded.
            "chosen": chosen
            or {
                f"{FIELD_PREFIX}{line.person_id}": line.status.value
                for line in lines
                if line.editable and line.status is not None
            },
            "field_prefix": FIELD_PREFIX,
            "open": attendance.is_open(at.meeting, now=ctx.now),
            "can_write": allows(Access.group_chair, principal, writes=True, group_id=at.group.id),
        },
    )


@router.get("", response_class=HTMLResponse)
def attendance_page(ctx: Ctx, at: At, _chair: Chair) -> Response:
    """Everyone in the group on the meeting's day, with a choice each: present, excused, absent."""
    return attendance_view(ctx, at)


@router.post("", dependencies=[CsrfChecked])
def record_attendance_page(ctx: Ctx, at: At, choices: Choices, act: ChairAct) -> Response:
    """Save the choices made; people left without a choice stay as they were."""
    page = ctx.path("attendance_page", slug=at.group.slug, meeting_id=at.meeting_id)
    return ctx.act(
        lambda: attendance.record(
            ctx.session, meeting_id=at.meeting_id, entries=_entries(choices), **act.by
        ),
        done=done(page, "attendance_saved"),
        refused=again(attendance_view, ctx, at, chosen=dict(choices)),
    )
