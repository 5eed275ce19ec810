"""Members who would miss a change: a late change mailed to those whose calendar feed is stale.

Calendar apps refresh a subscribed feed every few hours (Google every 12 to 24), so a meeting
moved or given a new place close to its day can be missed. When a meeting changes within
URGENT_BEFORE of its start (or its old start), the members who were not invited by mail (they
get the update that way) and whose feed has not been fetched since the change are mailed the
change directly: after OVERLEG_STALE_FEED_GRACE_MINUTES, or sooner when the meeting is near.
Cancellations and postponements always go out by mail to everyone (announcements.py).

Feed tokens record when they were last fetched (service/feeds/content.py): at most once an
hour, and at once on the first fetch that serves new content, so "fetched since the change"
is exact without a write per poll. One outbox key per meeting, revision and person.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.access import FeedScope, FeedToken
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting, MeetingChange
from models.notifications import Notification
from models.people import Person
from service.lifecycle import announcements, invitations
from service.mail import outbox
from service.meetings import meetings
from service.settings import Settings

KIND = "meeting_change_notice"
URGENT_BEFORE = invitations.URGENT_BEFORE


class Told(StrEnum):
    """How a member heard (or will hear) of the latest change."""

    invitation = "invitation"  # the updated invitation by mail
    direct = "direct"  # this module's mail, their feed being stale
    feed = "feed"  # their calendar feed fetched the change
    waiting = "waiting"  # not yet: the feed still has time, or the mail is queued


@dataclass(frozen=True)
class HowTold:
    """One member and how they heard of the meeting's latest change."""

    person_id: int
    name: str
    told: Told
    at: datetime | None


def key(meeting_id: int, revision: int, person_id: int) -> str:
    """The outbox key of the direct mail of one revision to one person."""
    return f"change-notice:meeting-{meeting_id}:rev-{revision}:person-{person_id}"


def latest_change(session: Session, *, meeting_id: int) -> MeetingChange | None:
    """The change that made the meeting's current revision, if any."""
    return session.exec(
        select(MeetingChange)
        .where(MeetingChange.meeting_id == meeting_id)
        .order_by(col(MeetingChange.revision).desc())
    ).first()


def _starts(meeting: Meeting, change: MeetingChange) -> list[datetime]:
    return [t for t in (meeting.starts_at, change.old_starts_at) if t is not None]


def is_late(meeting: Meeting, change: MeetingChange) -> bool:
    """Whether the change came within URGENT_BEFORE of the meeting's start or its old one."""
    return any(t - change.changed_at <= URGENT_BEFORE for t in _starts(meeting, change))


def due_at(meeting: Meeting, change: MeetingChange, *, grace: timedelta) -> datetime:
    """When the direct mails go: after the grace, or sooner so they arrive before the start."""
    first = min(_starts(meeting, change))
    return min(change.changed_at + grace, max(change.changed_at, first - grace))


def fetched_since(session: Session, *, meeting: Meeting, since: datetime) -> dict[int, datetime]:
    """The people whose feed showing the meeting's group was fetched since, and when last."""
    rows = session.exec(
        select(FeedToken.person_id, sa.func.max(FeedToken.last_used_at))
        .where(
            col(FeedToken.revoked_at).is_(None),
            col(FeedToken.last_used_at) >= since,
            sa.or_(
                col(FeedToken.scope).in_([FeedScope.person, FeedScope.organisation]),
                sa.and_(
                    col(FeedToken.scope) == FeedScope.group,
                    col(FeedToken.scope_id) == meeting.group_id,
                ),
            ),
        )
        .group_by(col(FeedToken.person_id))
    )
    return {person_id: at for person_id, at in rows if at is not None}


def _members(session: Session, meeting: Meeting, now: datetime) -> list[Person]:
    return announcements.participants(session, group_id=meeting.group_id, on=now.date())


def tell(session: Session, *, meeting_id: int, now: datetime, settings: Settings) -> int:
    """Mail a late change to the members whose feed is stale; return the mails queued."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    change = latest_change(session, meeting_id=meeting_id)
    if change is None or meeting.status not in OPEN_STATUSES or meeting.starts_at is None:
        return 0
    if meeting.starts_at <= now or not is_late(meeting, change):
        return 0
    if now < due_at(meeting, change, grace=timedelta(minutes=settings.stale_feed_grace_minutes)):
        return 0
    invited = invitations.invited_person_ids(session, meeting_id=meeting_id)
    fetched = fetched_since(session, meeting=meeting, since=change.changed_at)
    queued = 0
    for person in _members(session, meeting, now):
        if person.id is None or person.id in invited or person.id in fetched:
            continue
        queued += outbox.queue(
            session,
            key=key(meeting_id, meeting.revision, person.id),
            kind=KIND,
            recipient=person,
            context=_context(session, meeting, change, settings),
            now=now,
            urgent=True,
        )
    return queued


def _context(
    session: Session, meeting: Meeting, change: MeetingChange, settings: Settings
) -> dict[str, object]:
    assert meeting.starts_at is not None and meeting.ends_at is not None
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    old = change.old_starts_at
    moved = old is not None and old != meeting.starts_at
    return {
        "meeting_title": meeting.title,
        "group_name": group.name,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "previous_starts_at": old.isoformat() if moved and old is not None else None,
        "location": meeting.location,
        "join_url": meeting.join_url,
        "reason": change.reason,
        "url": f"{settings.public_url.rstrip('/')}/groups/{group.slug}/meetings/{meeting.id}",
    }


def told_how(session: Session, *, meeting_id: int, now: datetime) -> list[HowTold]:
    """How each member heard of the meeting's latest change, by name; empty without a change."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    change = latest_change(session, meeting_id=meeting_id)
    if change is None:
        return []
    # The direct mail wins over the invitation sent later for the same revision.
    rows = sorted(
        session.exec(
            select(Notification).where(
                col(Notification.idempotency_key).in_(
                    [
                        f(meeting_id, meeting.revision, p.id)
                        for p in _members(session, meeting, now)
                        if p.id is not None
                        for f in (invitations.request_key, invitations.cancel_key, key)
                    ]
                )
            )
        ),
        key=lambda n: n.kind == KIND,
    )
    mails = {n.recipient_person_id: n for n in rows}
    fetched = fetched_since(session, meeting=meeting, since=change.changed_at)
    found = []
    for person in _members(session, meeting, now):
        assert person.id is not None
        mail = mails.get(person.id)
        if mail is not None:
            told = Told.direct if mail.kind == KIND else Told.invitation
            found.append(HowTold(person.id, person.name, told, mail.sent_at))
        elif person.id in fetched:
            found.append(HowTold(person.id, person.name, Told.feed, fetched[person.id]))
        else:
            found.append(HowTold(person.id, person.name, Told.waiting, None))
    return sorted(found, key=lambda h: h.name)
