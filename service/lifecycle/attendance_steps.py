"""The steps around attendance: reminders before a meeting, and the sheet started from answers.

- N days before (OVERLEG_ABSENT_ORGANISATION_REMINDER_DAYS), the members of an organisation no
  one comes for are reminded, once (`absent_organisation`).
- D days before (OVERLEG_MEETING_REMINDER_DAYS), everyone who has not declined, and the
  stand-ins (unless they declined from their calendar), get a reminder with the published
  agenda, the place or video link, and (members) their answer links (`meeting_reminder`).
- Once the meeting has started, the attendance sheet is started from the answers that count:
  "I come" present, "I cannot come" excused, a stand-in present in the member's place.

Each message has an outbox key per meeting and person, and the sheet only adds rows that are
not there, so running any step twice, late or after a crash does nothing twice.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, AttendanceStatus, Meeting, MeetingStatus
from models.people import Person
from models.replies import ReplyAnswer
from service.agenda import drafts
from service.audit import Actor
from service.clock import local_today
from service.directory import memberships, people
from service.mail import links, outbox
from service.meetings import meetings
from service.minutes import attendance
from service.replies import answers, expected, stand_ins
from service.settings import Settings

ACTOR = Actor.system("advance-meetings")
ABSENT_KIND = "absent_organisation"
REMINDER_KIND = "meeting_reminder"
_SKIPPED_ITEMS = ("moved", "dropped")


def _reminder_due(session: Session, meeting_id: int, now: datetime, days: int) -> Meeting | None:
    """The meeting when it is still ahead and starts within `days` from now, else None."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.status not in OPEN_STATUSES or meeting.starts_at is None:
        return None
    if not meeting.starts_at - timedelta(days=days) <= now < meeting.starts_at:
        return None
    return meeting


def _context(session: Session, meeting: Meeting, settings: Settings) -> dict[str, Any]:
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None and meeting.starts_at is not None and meeting.ends_at is not None
    return {
        "meeting_title": meeting.title,
        "group_name": group.name,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "location": meeting.location,
        "join_url": meeting.join_url,
        "url": f"{settings.public_url.rstrip('/')}/groups/{group.slug}/meetings/{meeting.id}",
    }


def remind_absent_organisations(
    session: Session, *, meeting_id: int, now: datetime, settings: Settings
) -> int:
    """Remind, once, the members of each organisation no one comes for; return mails queued."""
    meeting = _reminder_due(session, meeting_id, now, settings.absent_organisation_reminder_days)
    if meeting is None:
        return 0
    assert meeting.starts_at is not None and meeting.id is not None
    view = expected.expected(session, meeting_id=meeting.id)
    base = _context(session, meeting, settings)
    queued = 0
    for organisation in view.organisations:
        if organisation.coming:
            continue
        found = people.not_erased(session, ids=[line.person_id for line in organisation.people])
        for person in found:
            assert person.id is not None
            queued += outbox.queue(
                session,
                key=f"absent-organisation:meeting-{meeting.id}:person-{person.id}",
                kind=ABSENT_KIND,
                recipient=person,
                context={
                    **base,
                    "organisation": organisation.organisation,
                    links.ANSWER: links.answer_link(meeting_id=meeting.id, person_id=person.id),
                },
                now=now,
            )
    return queued


def _agenda(session: Session, meeting_id: int) -> list[str]:
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None or version.id is None:
        return []
    items = drafts.items(session, version_id=version.id)
    return [item.title for item in items if item.status.value not in _SKIPPED_ITEMS]


def remind_before(session: Session, *, meeting_id: int, now: datetime, settings: Settings) -> int:
    """Send the reminder before the meeting to whoever has not declined, and to the stand-ins."""
    meeting = _reminder_due(session, meeting_id, now, settings.meeting_reminder_days)
    if meeting is None:
        return 0
    assert meeting.starts_at is not None and meeting.id is not None
    latest = answers.latest(session, meeting_id=meeting.id)
    day = local_today(meeting.starts_at)
    ids = {m.person_id for m in memberships.current(session, group_id=meeting.group_id, on=day)}
    members = [
        p
        for p in people.not_erased(session, ids=ids)
        if p.id not in latest or latest[p.id].answer is not ReplyAnswer.declined
    ]
    # A stand-in who answered from their calendar that they cannot come is not reminded either.
    others = [
        s.person
        for s in stand_ins.of_meeting(session, meeting=meeting)
        if s.person.id not in latest or latest[s.person.id].answer is not ReplyAnswer.declined
    ]
    base = {**_context(session, meeting, settings), "agenda": _agenda(session, meeting.id)}
    base["materials_url"] = f"{base['url']}/materials"  # the meeting page's materials
    queued = 0
    for person, member in [*((p, True) for p in members), *((p, False) for p in others)]:
        queued += _queue_reminder(session, meeting, person, base, member=member, now=now)
    return queued


def _queue_reminder(
    session: Session,
    meeting: Meeting,
    person: Person,
    base: dict[str, Any],
    *,
    member: bool,
    now: datetime,
) -> bool:
    assert meeting.id is not None and person.id is not None
    context = dict(base)
    if member:  # a stand-in answers nothing for the member who sent them
        context[links.ANSWER] = links.answer_link(meeting_id=meeting.id, person_id=person.id)
    else:  # the meeting's page is the group's: a stand-in may open its materials only
        context["url"] = context["materials_url"]
    return outbox.queue(
        session,
        key=f"meeting-reminder:meeting-{meeting.id}:person-{person.id}",
        kind=REMINDER_KIND,
        recipient=person,
        context=context,
        now=now,
    )


def prefill_sheet(session: Session, *, meeting_id: int, now: datetime) -> int:
    """Start the attendance sheet from the answers once the meeting has started; rows added."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    started = meeting.status in OPEN_STATUSES and (
        meeting.starts_at is not None and meeting.starts_at <= now
    )
    if not (started or meeting.status is MeetingStatus.held) or meeting.id is None:
        return 0
    statuses: dict[int, AttendanceStatus] = {}
    for person_id, reply in answers.latest(session, meeting_id=meeting.id).items():
        if reply.answer is ReplyAnswer.accepted:
            statuses[person_id] = AttendanceStatus.present
        elif reply.answer is ReplyAnswer.declined:
            statuses[person_id] = AttendanceStatus.excused
            if reply.stand_in_id is not None:
                statuses.setdefault(reply.stand_in_id, AttendanceStatus.present)
    return attendance.prefill(
        session, meeting_id=meeting.id, statuses=statuses, actor=ACTOR, now=now
    )
