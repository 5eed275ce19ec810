"""Map meetings, agenda-call deadlines and due dates to calendar events, localized.

Feeds and invitations both take their events from here, so a meeting has the same UID,
SEQUENCE, times and texts everywhere. Rows are loaded in batches: a member's feed may hold
hundreds of meetings.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from calendars.events import Event, Status
from models.agenda import AgendaCall, AgendaItem, AgendaItemStatus, AgendaVersion
from models.agenda import AgendaVersionStatus as VersionStatus
from models.audit import AuditAction, AuditEntry
from models.dates import DatePrecision, period_end
from models.deliverables import Deliverable, DeliverableChange, DeliverableField
from models.errors import N_
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingChange, MeetingStatus
from service import formatting
from service.i18n import translations
from service.settings import Settings

_HIDDEN_ITEMS = (AgendaItemStatus.dropped, AgendaItemStatus.moved)
DEADLINE_LENGTH = timedelta(minutes=15)


def host(settings: Settings) -> str:
    """The host of the public URL: the right-hand side of every UID."""
    return urlsplit(settings.public_url).hostname or "localhost"


def meeting_uid(meeting_id: int, settings: Settings) -> str:
    """The UID of a meeting in every feed and invitation; it never changes."""
    return f"meeting-{meeting_id}@{host(settings)}"


@dataclass(frozen=True)
class Slot:
    """When a meeting takes place, or took place before it was postponed to a period."""

    starts_at: datetime
    ends_at: datetime


def _last_slots(session: Session, meetings: Sequence[Meeting]) -> dict[int, Slot]:
    """The last exact slot of every meeting without one now (postponed to a period)."""
    undated = {m.id: m for m in meetings if m.starts_at is None and m.id is not None}
    if not undated:
        return {}
    changes = session.exec(
        select(MeetingChange)
        .where(
            col(MeetingChange.meeting_id).in_(list(undated)),
            col(MeetingChange.old_starts_at).is_not(None),
        )
        .order_by(col(MeetingChange.revision))
    )
    slots: dict[int, Slot] = {}
    groups = _groups(session, {m.group_id for m in undated.values()})
    for change in changes:  # in revision order: the newest known slot wins
        assert change.old_starts_at is not None
        ends_at = change.old_ends_at
        if ends_at is None:  # recorded before the end was kept: the group's usual length
            group = groups[undated[change.meeting_id].group_id]
            ends_at = change.old_starts_at + timedelta(minutes=group.default_duration_minutes)
        slots[change.meeting_id] = Slot(change.old_starts_at, ends_at)
    return slots


def slots(session: Session, meetings: Sequence[Meeting]) -> dict[int, Slot]:
    """Each meeting's slot in calendars: its own, or the last one before a postponement."""
    found = _last_slots(session, meetings)
    for meeting in meetings:
        if meeting.starts_at is not None and meeting.ends_at is not None and meeting.id:
            found[meeting.id] = Slot(meeting.starts_at, meeting.ends_at)
    return found


def _groups(session: Session, ids: set[int]) -> dict[int, WorkingGroup]:
    if not ids:
        return {}
    rows = session.exec(select(WorkingGroup).where(col(WorkingGroup.id).in_(list(ids))))
    return {g.id: g for g in rows if g.id is not None}


def published_agendas(session: Session, meeting_ids: Sequence[int]) -> dict[int, list[str]]:
    """The item titles of each meeting's newest published agenda, in order."""
    if not meeting_ids:
        return {}
    newest: dict[int, AgendaVersion] = {}
    for version in session.exec(
        select(AgendaVersion).where(
            col(AgendaVersion.meeting_id).in_(list(meeting_ids)),
            AgendaVersion.status == VersionStatus.published,
        )
    ):
        current = newest.get(version.meeting_id)
        if current is None or version.number > current.number:
            newest[version.meeting_id] = version
    by_version = {v.id: v.meeting_id for v in newest.values()}
    agendas: dict[int, list[str]] = {}
    if not by_version:
        return agendas
    for item in session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.version_id).in_(list(by_version)))
        .order_by(col(AgendaItem.version_id), col(AgendaItem.position))
    ):
        if item.status not in _HIDDEN_ITEMS:
            agendas.setdefault(by_version[item.version_id], []).append(item.title)
    return agendas


def _status(meeting: Meeting) -> Status:
    if meeting.status is MeetingStatus.planned:
        return Status.tentative
    if meeting.status in (MeetingStatus.confirmed, MeetingStatus.held):
        return Status.confirmed
    return Status.cancelled


def summary(meeting: Meeting, language: str) -> str:
    """The title, prefixed when the meeting is cancelled or postponed ("Geannuleerd: ...")."""
    gettext = translations(language).gettext
    if meeting.status is MeetingStatus.cancelled:
        return gettext(N_("Cancelled: %(title)s")) % {"title": meeting.title}
    if meeting.status is MeetingStatus.postponed:
        if meeting.period_start is not None and meeting.date_precision is not DatePrecision.day:
            period = formatting.period(meeting.period_start, meeting.date_precision, language)
            return gettext(N_("Postponed to %(period)s: %(title)s")) % {
                "period": period,
                "title": meeting.title,
            }
        return gettext(N_("Postponed: %(title)s")) % {"title": meeting.title}
    return meeting.title


def _description(meeting: Meeting, agenda: list[str], gettext: Callable[[str], str]) -> str:
    parts: list[str] = []
    if meeting.status in (MeetingStatus.cancelled, MeetingStatus.postponed) and (
        meeting.status_reason
    ):
        parts.append(gettext(N_("Reason: %(reason)s")) % {"reason": meeting.status_reason})
    if meeting.description:
        parts.append(meeting.description)
    if agenda:
        lines = [gettext(N_("Agenda:"))]
        lines += [f"{n}. {title}" for n, title in enumerate(agenda, start=1)]
        parts.append("\n".join(lines))
    if meeting.join_url:
        parts.append(gettext(N_("Join online: %(url)s")) % {"url": meeting.join_url})
    if meeting.location:
        parts.append(gettext(N_("Location: %(location)s")) % {"location": meeting.location})
    return "\n\n".join(parts)


def meeting_events(
    session: Session,
    *,
    meetings: Sequence[Meeting],
    language: str,
    settings: Settings,
    public: bool = False,
) -> dict[int, Event]:
    """The event of each meeting that has (or had) an exact slot, keyed by meeting id.

    `public` leaves out everything but the title, time, place and status: no agenda, no join
    link, no description, no link to pages behind the sign-in.
    """
    gettext = translations(language).gettext
    known = slots(session, meetings)
    groups = _groups(session, {m.group_id for m in meetings})
    agendas = {} if public else published_agendas(session, list(known))
    events: dict[int, Event] = {}
    for meeting in meetings:
        assert meeting.id is not None
        slot = known.get(meeting.id)
        if slot is None:
            continue  # never had a day: nothing to put in a calendar
        group = groups[meeting.group_id]
        location = meeting.location
        if not public and location is None:
            location = meeting.join_url
        events[meeting.id] = Event(
            uid=meeting_uid(meeting.id, settings),
            sequence=meeting.revision,
            changed_at=meeting.updated_at,
            summary=summary(meeting, language),
            start=slot.starts_at,
            end=slot.ends_at,
            status=_status(meeting),
            description=None
            if public
            else _description(meeting, agendas.get(meeting.id, []), gettext) or None,
            location=location,
            url=None if public else f"{settings.public_url}/groups/{group.slug}",
            categories=(group.short_name,),
        )
    return events


def _audit_history(
    session: Session, entity: str, ids: list[int]
) -> dict[int, tuple[int, datetime]]:
    """Per row: how many times it was updated, and when it last changed (from the audit log)."""
    history: dict[int, tuple[int, datetime]] = {}
    if not ids:
        return history
    for entry in session.exec(
        select(AuditEntry).where(AuditEntry.entity == entity, col(AuditEntry.entity_id).in_(ids))
    ):
        count, last = history.get(entry.entity_id, (0, entry.at))
        updated = count + (1 if entry.action is AuditAction.update else 0)
        history[entry.entity_id] = (updated, max(last, entry.at))
    return history


def deadline_events(
    session: Session,
    *,
    calls: Sequence[AgendaCall],
    meetings: dict[int, Meeting],
    language: str,
    settings: Settings,
) -> list[Event]:
    """A short, free (transparent) event at the deadline of each call for agenda input.

    Calls have no revision of their own; the audit log counts their changes, so SEQUENCE goes
    up when a deadline moves and DTSTAMP is the last change.
    """
    gettext = translations(language).gettext
    history = _audit_history(session, "agenda_call", [c.id for c in calls if c.id is not None])
    groups = _groups(session, {m.group_id for m in meetings.values()})
    events = []
    for call in calls:
        assert call.id is not None
        meeting = meetings[call.meeting_id]
        group = groups[meeting.group_id]
        updates, changed_at = history.get(call.id, (0, call.opens_at))
        when = formatting.deadline(call.deadline, language)
        events.append(
            Event(
                uid=f"agenda-call-{call.id}@{host(settings)}",
                sequence=updates,
                changed_at=changed_at,
                summary=gettext(N_("Deadline for agenda input: %(title)s"))
                % {"title": meeting.title},
                start=call.deadline,
                end=call.deadline + DEADLINE_LENGTH,
                status=Status.confirmed,
                description=gettext(N_("Send your questions for this meeting before %(deadline)s."))
                % {"deadline": when},
                url=f"{settings.public_url}/groups/{group.slug}",
                categories=(group.short_name,),
                transparent=True,
            )
        )
    return events


def due_events(
    session: Session, *, deliverables: Sequence[Deliverable], language: str, settings: Settings
) -> list[Event]:
    """An all-day event on the last day a deliverable is due (the period's end when fuzzy)."""
    gettext = translations(language).gettext
    ids = [d.id for d in deliverables if d.id is not None]
    changes: dict[int, int] = {}
    if ids:
        for change in session.exec(
            select(DeliverableChange).where(
                col(DeliverableChange.deliverable_id).in_(ids),
                col(DeliverableChange.field).in_([DeliverableField.due, DeliverableField.status]),
            )
        ):
            changes[change.deliverable_id] = changes.get(change.deliverable_id, 0) + 1
    groups = _groups(session, {d.group_id for d in deliverables})
    events = []
    for deliverable in deliverables:
        assert deliverable.id is not None
        group = groups[deliverable.group_id]
        day = period_end(deliverable.due_on, deliverable.due_precision)
        description = None
        if deliverable.due_precision is not DatePrecision.day:
            period = formatting.period(deliverable.due_on, deliverable.due_precision, language)
            description = gettext(N_("Due in %(period)s.")) % {"period": period}
        events.append(
            Event(
                uid=f"deliverable-{deliverable.id}@{host(settings)}",
                sequence=changes.get(deliverable.id, 0),
                changed_at=deliverable.updated_at,
                summary=gettext(N_("Due: %(title)s")) % {"title": deliverable.title},
                start=day,
                end=day + timedelta(days=1),
                status=Status.confirmed,
                description=description,
                url=f"{settings.public_url}/groups/{group.slug}",
                categories=(group.short_name,),
                transparent=True,
            )
        )
    return events
