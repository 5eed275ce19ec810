"""Calendar feeds: what each scope shows, rendered once per content and served by token.

A feed covers a window (a year back, two years ahead) so it stays small. Cancelled and
postponed meetings stay in it, marked, until their day has passed. Rendering is cached by
content: an unchanged feed is never rendered twice, and its bytes (so its ETag) never change.
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from calendars import feeds as calendar_feeds
from calendars.events import Event, Status
from models.access import FeedScope, FeedToken
from models.agenda import AgendaCall, CallStatus
from models.deliverables import Deliverable, DeliverableStatus
from models.errors import N_
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.memberships import Membership, MembershipRole
from models.organisations import Organisation
from models.people import Person
from service.access.permissions import Access, allows, principal_for
from service.clock import BRUSSELS
from service.feeds import calendar_events, subscriptions
from service.i18n import DEFAULT_LANGUAGE, translations
from service.settings import Settings

WINDOW_BACK = timedelta(days=365)
WINDOW_AHEAD = timedelta(days=2 * 365)
_SUBMITTERS = (MembershipRole.member, MembershipRole.chair)
_OPEN_DELIVERABLES = (DeliverableStatus.delivered, DeliverableStatus.dropped)
# last_used_at is bookkeeping: written at most this often, not on every poll.
LAST_USED_PRECISION = timedelta(hours=1)


@dataclass(frozen=True)
class FeedContent:
    """Everything a feed's bytes depend on; equal contents give identical bytes."""

    name: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Window:
    """The days a feed covers, in Brussels: whole days, so the feed changes at most daily."""

    today: date

    @property
    def start(self) -> datetime:
        """The first instant shown."""
        return _midnight(self.today - WINDOW_BACK)

    @property
    def end(self) -> datetime:
        """The first instant no longer shown."""
        return _midnight(self.today + WINDOW_AHEAD)

    def shows(self, event: Event) -> bool:
        """Whether an event is in the window; cancelled ones only until their day has passed."""
        start, end = _instant(event.start), _instant(event.end)
        if not self.start <= start < self.end:
            return False
        return event.status is not Status.cancelled or end > _midnight(self.today)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=BRUSSELS).astimezone(UTC)


def _instant(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else _midnight(value)


def window(now: datetime) -> Window:
    """The window of a feed asked for at `now`."""
    return Window(today=now.astimezone(BRUSSELS).date())


def _meetings(session: Session, group_ids: Iterable[int], span: Window) -> list[Meeting]:
    ids = sorted(set(group_ids))
    if not ids:
        return []
    return list(
        session.exec(
            select(Meeting).where(
                col(Meeting.group_id).in_(ids),
                sa.or_(
                    col(Meeting.starts_at).is_(None),  # postponed: shown at their last slot
                    sa.and_(
                        col(Meeting.starts_at) >= span.start, col(Meeting.starts_at) < span.end
                    ),
                ),
            )
        )
    )


def _memberships(session: Session, person_id: int) -> list[Membership]:
    return list(session.exec(select(Membership).where(Membership.person_id == person_id)))


def _in_force(membership: Membership, day: date) -> bool:
    return membership.joined_on <= day and (membership.left_on is None or day <= membership.left_on)


def _was_member(memberships: Sequence[Membership], meeting: Meeting, event: Event) -> bool:
    """Whether one of the memberships covered the meeting's day (for groups left since)."""
    day = _instant(event.start).astimezone(BRUSSELS).date()
    return any(m.group_id == meeting.group_id and _in_force(m, day) for m in memberships)


def _meeting_events(
    session: Session,
    *,
    meetings: Sequence[Meeting],
    language: str,
    settings: Settings,
    span: Window,
    current_groups: set[int] | None = None,
    memberships: Sequence[Membership] = (),
    public: bool = False,
) -> list[Event]:
    """Meeting events in the window; for groups not in `current_groups`, only days of membership."""
    events = calendar_events.meeting_events(
        session, meetings=meetings, language=language, settings=settings, public=public
    )
    shown = []
    for meeting in meetings:
        event = events.get(meeting.id or 0)
        if event is None or not span.shows(event):
            continue
        left = current_groups is not None and meeting.group_id not in current_groups
        if left and not _was_member(memberships, meeting, event):
            continue
        shown.append(event)
    return shown


def _person_feed(session: Session, person: Person, settings: Settings, span: Window) -> FeedContent:
    assert person.id is not None
    language = person.language.value
    memberships = _memberships(session, person.id)
    current = [m for m in memberships if _in_force(m, span.today)]
    current_groups = {m.group_id for m in current}
    meetings = _meetings(session, {m.group_id for m in memberships}, span)
    events = _meeting_events(
        session,
        meetings=meetings,
        language=language,
        settings=settings,
        span=span,
        current_groups=current_groups,
        memberships=memberships,
    )
    submitting = {m.group_id for m in current if m.role in _SUBMITTERS}
    by_id = {m.id: m for m in meetings if m.id is not None and m.group_id in submitting}
    calls = list(
        session.exec(
            select(AgendaCall).where(
                col(AgendaCall.meeting_id).in_(sorted(by_id)),
                col(AgendaCall.status).in_([CallStatus.open, CallStatus.draft]),
            )
        )
    )
    events += [
        e
        for e in calendar_events.deadline_events(
            session,
            calls=calls,
            meetings={i: m for i, m in by_id.items() if i is not None},
            language=language,
            settings=settings,
        )
        if span.shows(e)
    ]
    deliverables = list(
        session.exec(
            select(Deliverable).where(
                Deliverable.accountable_person_id == person.id,
                col(Deliverable.status).not_in(_OPEN_DELIVERABLES),
            )
        )
    )
    events += [
        e
        for e in calendar_events.due_events(
            session, deliverables=deliverables, language=language, settings=settings
        )
        if span.shows(e)
    ]
    name = translations(language).gettext(N_("Overleg: my meetings"))
    return FeedContent(name=name, events=_ordered(events))


def _group_feed(
    session: Session, person: Person, group: WorkingGroup, settings: Settings, span: Window
) -> FeedContent:
    assert person.id is not None and group.id is not None
    principal = principal_for(session, person=person, on=span.today)
    readable = allows(Access.group_read, principal, writes=False, group_id=group.id)
    events = _meeting_events(
        session,
        meetings=_meetings(session, [group.id], span),
        language=DEFAULT_LANGUAGE,
        settings=settings,
        span=span,
        # Someone who left the group keeps the past meetings they were a member for, no more.
        current_groups={group.id} if readable else set(),
        memberships=_memberships(session, person.id),
    )
    return FeedContent(name=f"Overleg – {group.short_name}", events=_ordered(events))


def _organisation_feed(
    session: Session,
    person: Person,
    organisation: Organisation,
    settings: Settings,
    span: Window,
) -> FeedContent:
    principal = principal_for(session, person=person, on=span.today)
    allowed = person.organisation_id == organisation.id or principal.is_secretariat
    group_ids: set[int] = set()
    if allowed or principal.is_director:
        group_ids = {
            m.group_id
            for m, _ in session.exec(
                select(Membership, Person)
                .join(Person, col(Person.id) == col(Membership.person_id))
                .where(Person.organisation_id == organisation.id)
            )
            if _in_force(m, span.today)
        }
    events = _meeting_events(
        session,
        meetings=_meetings(session, group_ids, span),
        language=DEFAULT_LANGUAGE,
        settings=settings,
        span=span,
    )
    return FeedContent(name=f"Overleg – {organisation.name}", events=_ordered(events))


def _public_feed(
    session: Session, group: WorkingGroup, settings: Settings, span: Window
) -> FeedContent:
    assert group.id is not None
    meetings = [m for m in _meetings(session, [group.id], span) if m.is_public]
    events = _meeting_events(
        session,
        meetings=meetings,
        language=DEFAULT_LANGUAGE,
        settings=settings,
        span=span,
        public=True,
    )
    return FeedContent(name=group.name, events=_ordered(events))


def _ordered(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (_instant(e.start), e.uid)))


def content(
    session: Session, *, token: FeedToken, settings: Settings, now: datetime
) -> FeedContent:
    """What the feed of a token shows at `now`."""
    person = session.get(Person, token.person_id)
    assert person is not None
    span = window(now)
    if token.scope is FeedScope.person:
        return _person_feed(session, person, settings, span)
    assert token.scope_id is not None
    if token.scope is FeedScope.organisation:
        organisation = session.get(Organisation, token.scope_id)
        assert organisation is not None
        return _organisation_feed(session, person, organisation, settings, span)
    group = session.get(WorkingGroup, token.scope_id)
    assert group is not None
    if token.scope is FeedScope.public_group:
        return _public_feed(session, group, settings, span)
    return _group_feed(session, person, group, settings, span)


@dataclass(frozen=True)
class Rendered:
    """A feed's bytes, the same gzip-compressed, and their strong ETag (the body's SHA-256)."""

    body: bytes
    etag: str
    gzipped: bytes


# gzip level for feeds: 6 (gzip's default) makes nearly the smallest bytes at a third of 9's cost.
GZIP_LEVEL = 6


class _Renders:
    """The bytes of recently rendered contents; the same content is never rendered twice."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.items: OrderedDict[FeedContent, Rendered] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, content: FeedContent) -> Rendered:
        with self.lock:
            found = self.items.get(content)
            if found is not None:
                self.items.move_to_end(content)
                return found
        body = calendar_feeds.feed(name=content.name, events=content.events)
        # Compressed here, once per content; mtime 0 gives every worker the same bytes.
        gzipped = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        rendered = Rendered(body=body, etag=hashlib.sha256(body).hexdigest(), gzipped=gzipped)
        with self.lock:
            self.items[content] = rendered
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return rendered


RENDERS = _Renders()


def render(content: FeedContent) -> Rendered:
    """The bytes of a feed content, rendered once while it stays in the cache."""
    return RENDERS.get(content)


@dataclass(frozen=True)
class Served:
    """What the HTTP layer sends for a token: the bytes (plain and gzip), ETag, Last-Modified."""

    body: bytes
    etag: str
    last_modified: datetime
    gzipped: bytes


def serve(session: Session, *, token_hash: str, settings: Settings, now: datetime) -> Served | None:
    """The feed of an active token, or None for a revoked or unknown one (alike).

    Last-Modified is when the served bytes last changed, kept with the token, so it never goes
    back (not even when the newest event is removed) and every worker agrees on it.
    """
    token = subscriptions.find(session, token_hash=token_hash)
    if token is None:
        return None
    assert token.id is not None
    rendered = render(content(session, token=token, settings=settings, now=now))
    if token.etag != rendered.etag or token.content_changed_at is None:
        second = now.replace(microsecond=0)
        previous = token.content_changed_at
        changed_at = second if previous is None else max(second, previous + timedelta(seconds=1))
        # Guarded: of two workers noticing the same change, one writes; the other re-reads.
        session.execute(
            sa.update(FeedToken)
            .where(
                col(FeedToken.id) == token.id,
                sa.or_(col(FeedToken.etag).is_(None), col(FeedToken.etag) != rendered.etag),
            )
            .values(etag=rendered.etag, content_changed_at=changed_at)
        )
        session.refresh(token)
    assert token.content_changed_at is not None
    # At most once an hour, but at once when this fetch is the first to serve new content:
    # "fetched since a change" is then exact (service/lifecycle/stale_feeds.py).
    if (
        token.last_used_at is None
        or now - token.last_used_at >= LAST_USED_PRECISION
        or token.last_used_at < token.content_changed_at
    ):
        session.execute(
            sa.update(FeedToken).where(col(FeedToken.id) == token.id).values(last_used_at=now)
        )
    return Served(
        body=rendered.body,
        etag=rendered.etag,
        last_modified=token.content_changed_at,
        gzipped=rendered.gzipped,
    )
