"""The materials deadline: some working days before a meeting, presenters with nothing in are
reminded, once each (the outbox key names the meeting, the item and the person)."""

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.materials import Material
from models.meetings import OPEN_STATUSES, Meeting
from service.clock import BRUSSELS, brussels
from service.directory import people
from service.mail import outbox
from service.materials import places
from service.meetings import holidays

KIND = "materials_reminder"
REMIND_AT = time(9, 0)
DEADLINE_AT = time(17, 0)


def _working_days_before(day: date, count: int) -> date:
    """The day `count` working days before `day`."""
    while count > 0:
        day -= timedelta(days=1)
        if holidays.is_working_day(day):
            count -= 1
    return day


def deadline(meeting: Meeting, *, working_days: int) -> datetime:
    """When the materials are due: 17:00 Brussels time, `working_days` before the meeting."""
    assert meeting.starts_at is not None
    day = _working_days_before(meeting.starts_at.astimezone(BRUSSELS).date(), working_days)
    return brussels(datetime.combine(day, DEADLINE_AT))


def remind_presenters(
    session: Session, *, meeting_id: int, now: datetime, working_days: int, base_url: str
) -> int:
    """Remind, on the deadline's day, each presenter whose item has no material; once each.

    Returns how many reminders were queued now (0 when run again).
    """
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.starts_at is None or meeting.status not in OPEN_STATUSES:
        return 0
    due = deadline(meeting, working_days=working_days)
    if not (brussels(datetime.combine(due.astimezone(BRUSSELS).date(), REMIND_AT)) <= now):
        return 0
    if now >= meeting.starts_at:
        return 0
    items = [i for i in places.agenda(session, meeting_id=meeting_id) if i.presenter_id]
    with_materials = set(
        session.exec(
            select(Material.item_key).where(
                Material.meeting_id == meeting_id, col(Material.removed_at).is_(None)
            )
        )
    )
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    url = f"{base_url.rstrip('/')}/groups/{group.slug}/meetings/{meeting_id}/materials"
    presenters = {
        p.id: p
        for p in people.not_erased(
            session, ids=(i.presenter_id for i in items if i.presenter_id is not None)
        )
    }
    queued = 0
    for item in items:
        person = presenters.get(item.presenter_id)
        if person is None or item.item_key in with_materials:
            continue
        queued += outbox.queue(
            session,
            key=f"materials-reminder:meeting-{meeting_id}:item-{item.item_key}:person-{person.id}",
            kind=KIND,
            recipient=person,
            now=now,
            context={
                "meeting_title": meeting.title,
                "meeting_at": meeting.starts_at.isoformat(),
                "item_title": item.title,
                "deadline_at": due.isoformat(),
                "url": url,
            },
        )
    return queued
