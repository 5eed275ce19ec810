"""The meetings held per programme and year kept as meetings change: always their count."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.groups import GroupStatus, WorkingGroup
from models.meetings import Meeting, MeetingStatus, MeetingTally
from models.programmes import Programme
from service import demo
from service.clock import BRUSSELS
from service.reports import held_tally, portfolio
from service.reports.portfolio import Filters
from tests.factories import make_meeting

Counts = dict[held_tally.Key, int]


def _tallied(session: Session) -> Counts:
    key = (col(MeetingTally.programme_key), col(MeetingTally.year), col(MeetingTally.group_key))
    rows = session.execute(sa.select(*key, sa.func.sum(col(MeetingTally.count))).group_by(*key))
    return {(k, y, g): int(n) for k, y, g, n in rows if n}


def _counted(session: Session) -> Counts:
    """Counted from the meetings in Python: the key's meaning, written out again."""
    found: Counts = {}
    for meeting, group in session.exec(
        select(Meeting, WorkingGroup).join(WorkingGroup, col(WorkingGroup.id) == Meeting.group_id)
    ):
        if meeting.status is not MeetingStatus.held or meeting.starts_at is None:
            continue
        closed = group.id if group.status is GroupStatus.closed else 0
        key = (group.programme_id or 0, meeting.starts_at.astimezone(BRUSSELS).year, closed or 0)
        found[key] = found.get(key, 0) + 1
    return found


def _held(session: Session, now: datetime, filters: Filters) -> list[tuple[object, ...]]:
    overview = portfolio.overview(session, now=now, filters=filters)
    return [
        (line.programme.slug if line.programme else None, line.groups, line.held_this_year)
        for line in overview.programmes
    ]


def _group_with_held_meetings(session: Session) -> WorkingGroup:
    group_id = session.exec(
        select(Meeting.group_id).where(Meeting.status == MeetingStatus.held)
    ).first()
    group = session.get(WorkingGroup, group_id)
    assert group is not None
    return group


def test_the_tally_follows_every_change(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    assert _tallied(session) == _counted(session) != {}
    group = _group_with_held_meetings(session)
    # A meeting added, then held; one moved into the next year; one no longer held; one gone.
    added = make_meeting(session, now=now, group=group, starts_in=-timedelta(days=2))
    session.commit()
    added.status = MeetingStatus.held
    session.commit()
    assert _tallied(session) == _counted(session)
    moved = make_meeting(session, now=now, group=group, starts_in=-timedelta(days=3))
    moved.status = MeetingStatus.held
    session.commit()
    moved_id = moved.id
    session.expire_all()  # set on an expired object: the old value is read back
    again = session.get(Meeting, moved_id)
    assert again is not None and again.starts_at is not None and again.ends_at is not None
    session.expire(again)
    again.starts_at, again.ends_at = now + timedelta(days=60), now + timedelta(days=60, hours=2)
    session.commit()
    assert _tallied(session) == _counted(session)
    again.status, again.status_reason = MeetingStatus.cancelled, "Niet doorgegaan"
    session.commit()
    assert _tallied(session) == _counted(session)
    session.delete(session.get(Meeting, added.id))
    session.commit()
    assert _tallied(session) == _counted(session)
    # A group that changes programme, closes and opens again takes its counts along.
    other = session.exec(select(Programme).where(Programme.id != group.programme_id)).first()
    assert other is not None and other.id != group.programme_id
    group.programme_id = other.id
    session.commit()
    assert _tallied(session) == _counted(session)
    group.status = GroupStatus.closed
    session.commit()
    assert _tallied(session) == _counted(session)
    assert any(g == group.id for _, _, g in _tallied(session))  # kept apart while closed
    group.programme_id, group.status = None, GroupStatus.active
    session.commit()
    assert _tallied(session) == _counted(session)
    held_tally.rebuild(session.connection())
    assert _tallied(session) == _counted(session)


def test_the_overview_from_the_tally_is_the_overview_from_the_meetings(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.load(session, now=now)
    # A closed group that held meetings this year: counted only when it has a line.
    closed = _group_with_held_meetings(session)
    closed.status = GroupStatus.closed
    session.commit()
    filters = [
        Filters(),
        Filters(programme="obmi"),
        Filters(programme="unknown"),
        Filters(organisation="gent"),
        Filters(status="delivered"),
        Filters(status="red"),
    ]
    compared = 0
    for day in (now, now - timedelta(days=365), now + timedelta(days=400)):
        for chosen in filters:
            from_tally = _held(session, day, chosen)
            with monkeypatch.context() as patched:  # as when a group is chosen
                patched.setattr(portfolio, "_held_tally_conditions", lambda _filters: None)
                assert _held(session, day, chosen) == from_tally, (day, chosen)
            held_tally.rebuild(session.connection())
            assert _held(session, day, chosen) == from_tally, (day, chosen)
            compared += sum(held for _, _, held in from_tally)  # type: ignore[misc]
    assert compared > 0  # the comparison is about meetings that were held
    assert _tallied(session) == _counted(session)
