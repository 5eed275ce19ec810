"""The directors' overview: colours, recent slips, the roll-up per programme and the filters."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableCreate, DeliverableStatus
from models.errors import DomainError
from service import demo
from service.deliverables import deliverables, rag
from service.deliverables.rag import Rag
from service.paging import Paging
from service.reports import portfolio
from service.reports.portfolio import Filters
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_meeting, make_person


def _item(status: DeliverableStatus, due: date) -> Deliverable:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    return Deliverable(
        group_id=1, title="x", due_on=due, status=status, created_at=stamp, updated_at=stamp
    )


@pytest.mark.parametrize(
    ("status", "due_in", "colour"),
    [
        (DeliverableStatus.planned, 30, Rag.green),
        (DeliverableStatus.in_progress, 14, Rag.amber),
        (DeliverableStatus.at_risk, 60, Rag.amber),
        (DeliverableStatus.blocked, 60, Rag.red),
        (DeliverableStatus.in_progress, -1, Rag.red),
        (DeliverableStatus.delivered, -10, None),
        (DeliverableStatus.dropped, 10, None),
    ],
)
def test_colours(status: DeliverableStatus, due_in: int, colour: Rag | None) -> None:
    today = date(2026, 11, 22)
    assert rag.colour(_item(status, today + timedelta(days=due_in)), today) == colour


def test_demo_overview_rolls_up_per_programme_and_filters(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    everything = portfolio.overview(session, now=now, filters=Filters())
    assert len(everything.rows) == 23
    obmi = next(p for p in everything.programmes if p.programme and p.programme.slug == "obmi")
    assert obmi.groups == 6
    assert sum(obmi.by_status.values()) == len(
        [r for r in everything.rows if r.programme and r.programme.slug == "obmi"]
    )
    gdpr = next(g for g in everything.groups if g.group.slug == "gdpr")
    assert gdpr.held_this_year == 3 and gdpr.next_meeting is not None
    innofins = portfolio.overview(session, now=now, filters=Filters(group="innofins"))
    assert [r.deliverable.title for r in innofins.rows if r.rag is Rag.red] == [
        "Beleidsrapport InnoFiNS"
    ]
    ghent = portfolio.overview(session, now=now, filters=Filters(organisation="gent"))
    assert ghent.rows and all(r.organisation == "Stad Gent" for r in ghent.rows)
    red = portfolio.overview(session, now=now, filters=Filters(status="red"))
    assert red.rows and all(r.rag is Rag.red for r in red.rows)
    delivered = portfolio.overview(session, now=now, filters=Filters(status="delivered"))
    assert {r.deliverable.status for r in delivered.rows} == {DeliverableStatus.delivered}
    assert portfolio.overview(session, now=now, filters=Filters(programme="onbekend")).rows == []
    assert dict(everything.delivered_per_quarter)["Q4 2025"] == 4


def test_slippage_shows_first_and_current_due_date(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    owner = make_person(session, now=now)
    helper = make_person(session, now=now)
    for person in (owner, helper):  # only people of the group are named
        join(session, person=person, group=group, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=-20))
    item = deliverables.create(
        session,
        deliverable_in=DeliverableCreate(
            group=group.slug,
            title="Prioriteitenlijst",
            accountable_email=owner.email,
            due_on=date(2027, 9, 1),
            due_precision=DatePrecision.month,
            meeting_id=meeting.id,
            contributor_emails=[helper.email],
        ),
        actor=ACTOR,
        now=now,
    )
    assert item.id is not None and item.meeting_id == meeting.id
    assert [c.person_id for c in deliverables.contributors(session, deliverable_id=item.id)] == [
        helper.id
    ]
    deliverables.change_due(
        session,
        deliverable_id=item.id,
        due_on=date(2028, 2, 1),
        precision=DatePrecision.month,
        reason="Wacht op de omzetting in Belgisch recht",
        actor=ACTOR,
        now=now,
    )
    deliverables.change_progress(session, deliverable_id=item.id, progress=40, actor=ACTOR, now=now)
    slip = deliverables.slip(item, deliverables.history(session, deliverable_id=item.id))
    assert (slip.first_on, slip.now_on, slip.moves, slip.slipped) == (
        date(2027, 9, 1),
        date(2028, 2, 1),
        1,
        True,
    )
    line = next(
        g
        for g in portfolio.overview(session, now=now, filters=Filters()).groups
        if g.group.id == group.id
    )
    assert [r.deliverable.title for r in line.slipped] == ["Prioriteitenlijst"]
    assert line.slipped[0].last_reason == "Wacht op de omzetting in Belgisch recht"
    later = portfolio.overview(session, now=now + timedelta(days=91), filters=Filters())
    assert not next(g for g in later.groups if g.group.id == group.id).slipped


def test_bad_changes_are_refused_and_change_nothing(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    other = make_group(session, now=now)
    owner = make_person(session, now=now)
    join(session, person=owner, group=group, now=now)
    foreign = make_meeting(session, now=now, group=other)
    base = {
        "group": group.slug,
        "title": "Advies",
        "accountable_email": owner.email,
        "due_on": date(2027, 1, 1),
    }
    item = deliverables.create(
        session, deliverable_in=DeliverableCreate.model_validate(base), actor=ACTOR, now=now
    )
    assert item.id is not None
    item_id = item.id
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: deliverables.create(
                session,
                deliverable_in=DeliverableCreate.model_validate(
                    {**base, "title": "Ander", "meeting_id": foreign.id}
                ),
                actor=ACTOR,
                now=now,
            ),
            "not a meeting of this group",
        ),
        (
            lambda: deliverables.create(
                session,
                deliverable_in=DeliverableCreate.model_validate({**base, "title": "  "}),
                actor=ACTOR,
                now=now,
            ),
            "title",
        ),
        (
            lambda: deliverables.create(
                session,
                deliverable_in=DeliverableCreate.model_validate(
                    {**base, "title": "Ver", "due_on": date(9999, 1, 1)}
                ),
                actor=ACTOR,
                now=now,
            ),
            "between 1 January 2000 and 31 December",
        ),
        (
            lambda: deliverables.change_due(
                session,
                deliverable_id=item_id,
                due_on=date(2020, 1, 1),
                precision=DatePrecision.day,
                reason="x",
                actor=ACTOR,
                now=now,
            ),
            "into the past",
        ),
        (
            lambda: deliverables.change_due(
                session,
                deliverable_id=item_id,
                due_on=date(2027, 1, 1),
                precision=DatePrecision.day,
                reason="x",
                actor=ACTOR,
                now=now,
            ),
            "already due then",
        ),
        (
            lambda: deliverables.change_status(
                session,
                deliverable_id=item_id,
                status=DeliverableStatus.dropped,
                reason=None,
                actor=ACTOR,
                now=now,
            ),
            "blocked or dropped",
        ),
        (
            lambda: deliverables.change_progress(
                session, deliverable_id=item_id, progress=101, actor=ACTOR, now=now
            ),
            "percentage",
        ),
        (
            lambda: deliverables.change_status(
                session,
                deliverable_id=item_id,
                status=DeliverableStatus.delivered,
                reason=None,
                delivered_on=now.date() + timedelta(days=1),
                actor=ACTOR,
                now=now,
            ),
            "in the future",
        ),
    ]
    for step, message in cases:
        counts = table_counts(session)
        with pytest.raises(DomainError, match=message):
            step()
        assert table_counts(session) == counts, message
    session.refresh(item)
    assert item.status is DeliverableStatus.planned and item.due_on == date(2027, 1, 1)


def test_the_database_colours_and_orders_as_python_does(session: Session, now: datetime) -> None:
    """The SQL colour and due day (roll-ups, filters, page order) agree with rag.colour and
    deliverables.due_day, for every precision, on days around each period's end."""
    group = make_group(session, now=now)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    starts = {
        DatePrecision.day: [date(2026, 3, d) for d in (1, 14, 15, 31)],
        DatePrecision.month: [date(2026, m, 1) for m in (2, 3, 4)],
        DatePrecision.quarter: [date(2026, m, 1) for m in (1, 4, 7)],
        DatePrecision.half_year: [date(2026, 1, 1), date(2026, 7, 1)],
        DatePrecision.year: [date(2025, 1, 1), date(2026, 1, 1)],
    }
    statuses = [DeliverableStatus.planned, DeliverableStatus.at_risk, DeliverableStatus.blocked]
    statuses += [DeliverableStatus.delivered]
    for precision, days in starts.items():
        for due in days:
            for status in statuses:
                session.add(
                    Deliverable(
                        group_id=group.id or 0,
                        title=f"{precision.value} {due} {status.value}",
                        due_on=due,
                        due_precision=precision,
                        status=status,
                        status_reason="reden",
                        delivered_on=due if status is DeliverableStatus.delivered else None,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
    session.commit()
    items = list(session.exec(select(Deliverable).order_by(col(Deliverable.id))))
    due_day = deliverables.due_day_column()
    ends = session.exec(select(due_day).order_by(col(Deliverable.id))).all()
    assert list(ends) == [deliverables.due_day(item) for item in items]
    for today in [date(2026, 2, 14) + timedelta(days=n) for n in range(0, 330, 3)]:
        colours = session.exec(select(rag.colour_column(today)).order_by(col(Deliverable.id))).all()
        expected = [c.value if c else None for c in (rag.colour(i, today) for i in items)]
        assert list(colours) == expected, today


def _lines(overview: portfolio.Overview) -> list[tuple[object, ...]]:
    return [
        (
            line.programme.slug if line.programme else None,
            line.groups,
            line.held_this_year,
            sorted(line.by_status.items()),
            sorted(line.open_by_rag.items()),
            line.delivered_this_year,
            line.slipped,
        )
        for line in overview.programmes
    ]


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(programme="obmi"), Filters(status="red"), Filters(organisation="gent")],
)
def test_a_page_of_the_programmes_is_that_slice_of_them_all(
    session: Session, now: datetime, filters: Filters
) -> None:
    """Counted for the page's programmes alone, each line and every total are the same."""
    demo.load(session, now=now)
    make_group(session, now=now)  # a group outside any programme: a line of its own
    session.flush()
    whole = portfolio.overview(session, now=now, filters=filters)
    everything = _lines(whole)
    assert everything and any(line[3] for line in everything)  # about counted deliverables
    for size in (1, 2, 3):
        for number in range(1, len(everything) // size + 3):  # past the end too
            asked = Paging(number=number, size=size, total=0)
            paged = portfolio.overview(session, now=now, filters=filters, programmes_page=asked)
            start = (number - 1) * size
            assert _lines(paged) == everything[start : start + size], (size, number)
            assert paged.programmes_paging.total == len(everything)
            assert paged.rows_paging.total == whole.rows_paging.total
            assert paged.groups_paging.total == whole.groups_paging.total
            assert paged.delivered_per_quarter == whole.delivered_per_quarter
