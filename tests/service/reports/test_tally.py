"""The directors' roll-up kept as deliverables change: always the count of the deliverables."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableStatus, DeliverableTally
from models.groups import WorkingGroup
from models.programmes import Programme
from service import demo
from service.deliverables import deliverables
from service.reports import portfolio, tally
from service.reports.portfolio import Filters
from tests.factories import ACTOR

Counts = dict[tally.Key, int]


def _tallied(session: Session) -> Counts:
    rows = session.execute(
        sa.select(
            col(DeliverableTally.programme_key),
            col(DeliverableTally.status),
            col(DeliverableTally.due_day),
            col(DeliverableTally.delivered_quarter),
            sa.func.sum(col(DeliverableTally.count)),
        ).group_by(
            col(DeliverableTally.programme_key),
            col(DeliverableTally.status),
            col(DeliverableTally.due_day),
            col(DeliverableTally.delivered_quarter),
        )
    )
    return {(k, str(s), d, q): int(n) for k, s, d, q, n in rows if n}


def _counted(session: Session) -> Counts:
    """Counted from the deliverables in Python: the key's meaning, written out again."""
    found: Counts = {}
    for item, group in session.exec(
        select(Deliverable, WorkingGroup).join(
            WorkingGroup, col(WorkingGroup.id) == Deliverable.group_id
        )
    ):
        delivered = item.delivered_on
        key = (
            group.programme_id or 0,
            item.status.value,
            None if item.status in deliverables.CLOSED else deliverables.due_day(item),
            None
            if delivered is None
            else date(delivered.year, (delivered.month - 1) // 3 * 3 + 1, 1),
        )
        found[key] = found.get(key, 0) + 1
    return found


def _roll(session: Session, now: datetime, filters: Filters) -> list[tuple[object, ...]]:
    overview = portfolio.overview(session, now=now, filters=filters)
    return [
        (
            line.programme.slug if line.programme else None,
            sorted(line.by_status.items()),
            sorted(line.open_by_rag.items()),
            line.delivered_this_year,
        )
        for line in overview.programmes
    ] + [tuple(overview.delivered_per_quarter)]


def test_the_tally_follows_every_change(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    assert _tallied(session) == _counted(session) != {}
    items = list(session.exec(select(Deliverable).order_by(col(Deliverable.id))))
    first, second, third = [i for i in items if i.status not in deliverables.CLOSED][:3]
    deliverables.change_status(
        session,
        deliverable_id=first.id or 0,
        status=DeliverableStatus.delivered,
        reason=None,
        actor=ACTOR,
        now=now,
        delivered_on=now.date(),
    )
    deliverables.change_due(
        session,
        deliverable_id=second.id or 0,
        due_on=date(now.year + 1, 4, 1),
        precision=DatePrecision.quarter,
        reason="later",
        actor=ACTOR,
        now=now,
    )
    session.commit()
    assert _tallied(session) == _counted(session)
    # Set on an expired object: the old value is read back, not taken from the ORM's history.
    third_id = third.id
    session.expire_all()
    moved = session.get(Deliverable, third_id)
    assert moved is not None
    session.expire(moved)
    moved.due_on = date(now.year + 2, 1, 1)
    session.commit()
    assert moved.due_day == deliverables.due_day(moved)  # stored as the period ends
    assert _tallied(session) == _counted(session)
    # A group that changes programme takes its counts along.
    group = session.get(WorkingGroup, first.group_id)
    assert group is not None
    other = session.exec(select(Programme).where(Programme.id != group.programme_id)).first()
    assert other is not None and other.id != group.programme_id
    group.programme_id = other.id
    session.commit()
    assert _tallied(session) == _counted(session)
    group.programme_id = None
    session.commit()
    assert _tallied(session) == _counted(session)
    session.delete(session.get(Deliverable, third_id))
    session.commit()
    assert _tallied(session) == _counted(session)


def test_the_overview_from_the_tally_is_the_overview_from_the_deliverables(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.load(session, now=now)
    for day in (now, now + timedelta(days=100), now + timedelta(days=400)):
        for programme in (None, "obmi", "unknown"):
            from_tally = _roll(session, day, Filters(programme=programme))
            with monkeypatch.context() as patched:  # as with a filter the tally cannot answer
                patched.setattr(portfolio, "_tally_conditions", lambda _filters: None)
                assert _roll(session, day, Filters(programme=programme)) == from_tally
            # Rebuilt from nothing, the same again.
            tally.rebuild(session.connection())
            assert _roll(session, day, Filters(programme=programme)) == from_tally
    assert _tallied(session) == _counted(session)
