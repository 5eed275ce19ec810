"""Each group's next meeting: its first to come, or a postponement to a period not over."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from service import demo
from service.directory import groups
from tests.factories import make_group, make_meeting


def _by_hand(session: Session, now: datetime, group_ids: list[int]) -> dict[int, int]:
    """Every meeting weighed in Python: the earliest to come (or period) of each group."""
    best: dict[int, tuple[datetime, int]] = {}
    for meeting in session.exec(select(Meeting)):
        if meeting.group_id not in group_ids or meeting.status not in (
            MeetingStatus.planned,
            MeetingStatus.confirmed,
            MeetingStatus.postponed,
        ):
            continue
        if meeting.starts_at is not None:
            if meeting.starts_at < now:
                continue
            when = meeting.starts_at
        else:
            assert meeting.period_start is not None
            if meeting.period_start < date(now.year, now.month, 1):  # a month gone by
                continue
            when = datetime.combine(meeting.period_start, datetime.min.time(), tzinfo=UTC)
        key = (when, meeting.id or 0)
        if meeting.group_id not in best or key < best[meeting.group_id]:
            best[meeting.group_id] = key
    return {group_id: meeting_id for group_id, (_, meeting_id) in best.items()}


def test_the_first_to_come_of_each_group_of_many_meetings(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    busy, postponing, quiet = (make_group(session, now=now) for _ in range(3))
    for days in (40, 3, 90, 12, -2, 7):  # the first to come is 3 days away
        make_meeting(session, now=now, group=busy, starts_in=timedelta(days=days))
    cancelled = make_meeting(session, now=now, group=busy, starts_in=timedelta(days=1))
    cancelled.status, cancelled.status_reason = MeetingStatus.cancelled, "Geen agenda"
    make_meeting(session, now=now, group=postponing, starts_in=timedelta(days=80))
    for month in (date(now.year, now.month, 1), date(2020, 1, 1)):  # this month, long gone
        moved = make_meeting(session, now=now, group=postponing, starts_in=timedelta(days=20))
        moved.status, moved.status_reason = MeetingStatus.postponed, "Later"
        moved.starts_at = moved.ends_at = None
        moved.date_precision, moved.period_start = DatePrecision.month, month
    make_meeting(session, now=now, group=quiet, starts_in=timedelta(days=-30))
    session.flush()
    ids = [g.id or 0 for g in (busy, postponing, quiet)]
    found = groups.next_meetings(session, now=now, group_ids=ids)
    assert {g: m.id for g, m in found.items()} == _by_hand(session, now, ids)
    # The same groups given as a statement that selects them (as the home page gives its page).
    chosen = sa.select(col(WorkingGroup.id)).where(col(WorkingGroup.id).in_(ids))
    assert groups.next_meetings(session, now=now, group_ids=chosen) == found
    assert set(found) == {busy.id, postponing.id}  # the quiet group has none to come
    next_of_busy = found[busy.id or 0]
    assert next_of_busy.starts_at == now + timedelta(days=3)
    assert found[postponing.id or 0].starts_at is None  # postponed to this month: next
    # Every group of the demo too, asked for all at once.
    everything = groups.next_meetings(session, now=now, group_ids=None)
    all_ids = list({m.group_id for m in session.exec(select(Meeting))})
    assert {g: m.id for g, m in everything.items()} == _by_hand(session, now, all_ids)
    assert len(everything) > 3
