"""Invitations by email (iTIP over iMIP): what goes out for a meeting, to one person at a time.

The meeting lifecycle decides when and to whom; this module builds the message: the text and
HTML in the recipient's language and the text/calendar part with the same UID and SEQUENCE as
the feeds. Every message is an outbox row under a key naming the meeting, its revision and the
person, so queueing twice sends once.
"""

from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from sqlmodel import Session, col, select

from calendars import invites
from calendars.events import Party
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingChange, MeetingStatus
from models.notifications import Notification
from models.people import Person
from service import formatting
from service.feeds import calendar_events
from service.mail import links, outbox
from service.meetings import meetings
from service.settings import Settings

REQUEST_KIND = "meeting_invitation"
CANCEL_KIND = "meeting_cancellation"
URGENT_BEFORE = timedelta(hours=48)
_CANCELLED = (MeetingStatus.cancelled, MeetingStatus.postponed)


def request_key(meeting_id: int, revision: int, person_id: int) -> str:
    """The outbox key of the REQUEST for one revision of a meeting to one person."""
    return f"invitation:meeting-{meeting_id}:rev-{revision}:person-{person_id}"


def cancel_key(meeting_id: int, revision: int, person_id: int) -> str:
    """The outbox key of the CANCEL for one revision of a meeting to one person."""
    return f"invitation-cancel:meeting-{meeting_id}:rev-{revision}:person-{person_id}"


def organizer(settings: Settings) -> Party:
    """The secretariat's mailbox from the settings, where answers arrive."""
    name, email = parseaddr(settings.organizer)
    if "@" not in email:
        raise ValueError(f"OVERLEG_ORGANIZER has no email address: {settings.organizer!r}")
    return Party(name=name or email, email=email)


def _ics(
    session: Session,
    *,
    meeting: Meeting,
    person: Person,
    method: invites.Method,
    settings: Settings,
) -> dict[str, Any]:
    """The context every invitation email shares, with the iTIP body as its calendar part."""
    assert meeting.id is not None
    language = person.language.value
    event = calendar_events.meeting_events(
        session, meetings=[meeting], language=language, settings=settings
    )[meeting.id]
    body = invites.invitation(
        method=method,
        event=event,
        organizer=organizer(settings),
        attendee=Party(name=person.name, email=person.email),
    )
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    assert isinstance(event.start, datetime) and isinstance(event.end, datetime)
    context: dict[str, Any] = {
        "meeting_title": meeting.title,
        "group_name": group.name,
        "starts_at": event.start.isoformat(),
        "ends_at": event.end.isoformat(),
        "location": meeting.location,
        "join_url": meeting.join_url,
        "url": f"{settings.public_url}/groups/{group.slug}",
        "materials_url": f"{settings.public_url}/groups/{group.slug}/meetings/{meeting.id}"
        "/materials",
        "calendar": {"ics": body.decode("utf-8"), "method": method.value},
    }
    return context


def _previous_request(session: Session, *, meeting: Meeting, person_id: int) -> Notification | None:
    """The newest REQUEST this person was sent for an earlier revision of the meeting."""
    rows = session.exec(
        select(Notification).where(
            Notification.kind == REQUEST_KIND,
            col(Notification.idempotency_key).like(f"invitation:meeting-{meeting.id}:rev-%"),
            Notification.recipient_person_id == person_id,
        )
    ).all()
    earlier = [r for r in rows if _revision(r.idempotency_key) < meeting.revision]
    return max(earlier, key=lambda r: _revision(r.idempotency_key), default=None)


def _revision(key: str) -> int:
    return int(key.split(":rev-")[1].split(":")[0])


def _latest_reason(session: Session, meeting: Meeting) -> str | None:
    change = session.exec(
        select(MeetingChange)
        .where(MeetingChange.meeting_id == meeting.id)
        .order_by(col(MeetingChange.revision).desc())
    ).first()
    return change.reason if change else None


def queue_request(
    session: Session,
    *,
    meeting_id: int,
    person: Person,
    settings: Settings,
    now: datetime,
    answer_links: bool = True,
) -> bool:
    """Queue an iTIP REQUEST for the meeting as it is now (its current revision) to one person.

    A member's message carries their answer links; a stand-in's (`answer_links` False) does not.

    Idempotency key f"invitation:meeting-{id}:rev-{revision}:person-{person.id}"; returns
    whether a new outbox row was written. When the person was invited to an earlier revision,
    the message is an update and says what changed.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.status in _CANCELLED or meeting.starts_at is None:
        raise ValueError("a cancelled or postponed meeting is sent a CANCEL, not a REQUEST")
    assert meeting.id is not None and person.id is not None
    if person.erased_at is not None:
        return False
    key = request_key(meeting.id, meeting.revision, person.id)
    context = _ics(
        session, meeting=meeting, person=person, method=invites.Method.request, settings=settings
    )
    if answer_links:
        # Ids only: the links are made when the message is built (service/mail/links.py).
        context[links.ANSWER] = links.answer_link(meeting_id=meeting.id, person_id=person.id)
    else:  # a stand-in may not open the group's page, only this meeting's materials
        context["url"] = context["materials_url"]
    previous = _previous_request(session, meeting=meeting, person_id=person.id)
    context["update"] = previous is not None
    if previous is not None:
        old = previous.context
        moved = (old.get("starts_at"), old.get("ends_at")) != (
            context["starts_at"],
            context["ends_at"],
        )
        context["previous_starts_at"] = old.get("starts_at") if moved else None
        context["place_changed"] = (old.get("location"), old.get("join_url")) != (
            context["location"],
            context["join_url"],
        )
        context["reason"] = _latest_reason(session, meeting)
    return outbox.queue(
        session,
        key=key,
        kind=REQUEST_KIND,
        recipient=person,
        context=context,
        now=now,
        urgent=previous is not None and _soon(meeting.starts_at, previous, now),
    )


def _soon(starts_at: datetime, previous: Notification, now: datetime) -> bool:
    """Whether the meeting, at its new time or the one people had, is within 48 hours."""
    times = [starts_at]
    if isinstance(old := previous.context.get("starts_at"), str):
        times.append(datetime.fromisoformat(old))
    return any(when - now <= URGENT_BEFORE for when in times)


def queue_cancel(
    session: Session, *, meeting_id: int, person: Person, settings: Settings, now: datetime
) -> bool:
    """Queue an iTIP CANCEL (cancelled meeting, or postponed to a period without a day).

    Idempotency key f"invitation-cancel:meeting-{id}:rev-{revision}:person-{person.id}";
    returns whether a new outbox row was written.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.status not in _CANCELLED:
        raise ValueError("only a cancelled or postponed meeting is sent a CANCEL")
    assert meeting.id is not None and person.id is not None
    if person.erased_at is not None:
        return False
    key = cancel_key(meeting.id, meeting.revision, person.id)
    context = _ics(
        session, meeting=meeting, person=person, method=invites.Method.cancel, settings=settings
    )
    postponed_to = None
    if meeting.status is MeetingStatus.postponed and meeting.period_start is not None:
        postponed_to = formatting.period(
            meeting.period_start, meeting.date_precision, person.language.value
        )
    context.update(
        {
            "postponed": meeting.status is MeetingStatus.postponed,
            "postponed_to": postponed_to,
            "reason": meeting.status_reason,
        }
    )
    return outbox.queue(
        session, key=key, kind=CANCEL_KIND, recipient=person, context=context, now=now
    )


def told_of_postponement(session: Session, *, meeting_id: int) -> bool:
    """Whether anyone was sent a CANCEL for this meeting (a postponement promises a new date)."""
    found = session.exec(
        select(Notification.id).where(
            Notification.kind == CANCEL_KIND,
            col(Notification.idempotency_key).like(f"invitation-cancel:meeting-{meeting_id}:rev-%"),
        )
    )
    return found.first() is not None


def invited_person_ids(session: Session, *, meeting_id: int) -> set[int]:
    """Who has been sent a REQUEST for this meeting (any revision), from the outbox."""
    rows = session.exec(
        select(Notification.recipient_person_id).where(
            Notification.kind == REQUEST_KIND,
            col(Notification.idempotency_key).like(f"invitation:meeting-{meeting_id}:rev-%"),
        )
    )
    return {person_id for person_id in rows if person_id is not None}
