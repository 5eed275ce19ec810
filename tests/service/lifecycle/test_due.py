"""The due meetings are found from indexed columns: what is to come or just ended, not history."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from service.lifecycle import advance
from service.lifecycle.due import due_meeting_ids
from service.settings import Settings
from tests.factories import make_group, make_meeting

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")


def test_history_and_the_far_future_are_not_looked_at(session: Session) -> None:
    long_ago = NOW - timedelta(days=800)
    group = make_group(session, now=long_ago)
    old = make_meeting(session, now=long_ago, group=group, starts_in=timedelta(days=10))
    ended = make_meeting(session, now=long_ago, group=group, starts_in=timedelta(days=790))
    soon = make_meeting(session, now=NOW, group=group, starts_in=timedelta(days=20))
    far = make_meeting(session, now=NOW, group=group, starts_in=timedelta(days=300))
    # The old one is done with: held, and its minutes reminders' window has passed.
    assert old.ends_at is not None
    advance.advance(session, now=old.ends_at + timedelta(days=60), settings=SETTINGS)
    found = due_meeting_ids(session, now=NOW, settings=SETTINGS)
    assert ended.id in found and soon.id in found
    assert old.id not in found and far.id not in found
    advance.advance(session, now=NOW, settings=SETTINGS)
    # Once held, the ended one stays a candidate only for its minutes reminders' window.
    later = due_meeting_ids(session, now=NOW + timedelta(days=46), settings=SETTINGS)
    assert ended.id not in later
