"""A feed token records its last fetch cheaply: hourly, but at once when new content is served."""

from datetime import datetime, timedelta

from sqlmodel import Session

from models.access import FeedScope, FeedToken
from service import tokens
from service.feeds import content, subscriptions
from service.lifecycle import changes
from service.settings import Settings
from tests.factories import ACTOR, join, make_group, make_meeting, make_person

SETTINGS = Settings(base_url="https://overleg.kcvs.example")


def _last(session: Session, token_id: int) -> datetime | None:
    token = session.get(FeedToken, token_id)
    assert token is not None
    session.refresh(token)
    return token.last_used_at


def test_a_poll_writes_hourly_and_at_once_after_a_change(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    person = make_person(session, now=now)
    join(session, person=person, group=group, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=3))
    made = subscriptions.create(
        session, person=person, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=now
    )
    assert made.token.id is not None and meeting.id is not None
    assert meeting.starts_at is not None and meeting.ends_at is not None
    digest = tokens.digest(made.secret)

    def fetch(at: datetime) -> None:
        assert content.serve(session, token_hash=digest, settings=SETTINGS, now=at) is not None

    fetch(now)
    assert _last(session, made.token.id) == now
    fetch(now + timedelta(minutes=20))  # nothing new, within the hour: no write
    assert _last(session, made.token.id) == now
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=now + timedelta(minutes=25),
    )
    fetch(now + timedelta(minutes=30))  # the first fetch that serves the change: written
    assert _last(session, made.token.id) == now + timedelta(minutes=30)
    fetch(now + timedelta(minutes=50))
    assert _last(session, made.token.id) == now + timedelta(minutes=30)
    fetch(now + timedelta(minutes=90))  # an hour after the last write
    assert _last(session, made.token.id) == now + timedelta(minutes=90)
