"""Planning a year from a group's cadence."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from models.errors import DomainError
from models.groups import GroupKind, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate
from service.clock import BRUSSELS
from service.directory import groups
from service.lifecycle import changes
from service.meetings import holidays, meetings, planning
from tests.conftest import table_counts
from tests.factories import ACTOR

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _group(session: Session, slug: str, **cadence: object) -> str:
    groups.create(
        session,
        actor=ACTOR,
        now=NOW,
        group_in=WorkingGroupCreate.model_validate(
            {
                "slug": slug,
                "short_name": slug.upper(),
                "name": f"Werkgroep {slug}",
                "kind": GroupKind.werkgroep,
                **cadence,
            }
        ),
    )
    return slug


def test_four_per_year_on_tuesday_afternoons(session: Session) -> None:
    slug = _group(
        session,
        "gdpr-test",
        meetings_per_year=4,
        preferred_weekday=1,
        preferred_start_time=time(14, 0),
    )
    created = planning.plan_year(session, group_slug=slug, year=2027, actor=ACTOR, now=NOW)
    assert len(created) == 4
    for meeting in created:
        assert meeting.starts_at is not None
        local = meeting.starts_at.astimezone(BRUSSELS)
        assert local.weekday() == 1 and local.time() == time(14, 0)
        assert holidays.is_meeting_day(local.date())
    days = [m.starts_at.astimezone(BRUSSELS).date() for m in created if m.starts_at]
    assert days == sorted(days) and days[0].month <= 2 and days[-1].month == 12


def test_planning_twice_changes_nothing_and_leaves_moved_meetings_alone(session: Session) -> None:
    slug = _group(session, "twice", meetings_per_year=4, preferred_weekday=1)
    first = planning.plan_year(session, group_slug=slug, year=2027, actor=ACTOR, now=NOW)
    assert first[0].id is not None and first[1].id is not None
    moved = datetime(2027, 3, 3, 13, 0, tzinfo=UTC)
    changes.reschedule(
        session,
        meeting_id=first[0].id,
        starts_at=moved,
        ends_at=moved + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=NOW,
    )
    changes.cancel(session, meeting_id=first[1].id, reason="Geen agenda", actor=ACTOR, now=NOW)
    counts = table_counts(session)
    assert planning.plan_year(session, group_slug=slug, year=2027, actor=ACTOR, now=NOW) == []
    assert table_counts(session) == counts
    assert all(p.exists for p in planning.preview(session, group_slug=slug, year=2027))


def test_monthly_rule_skips_summer_break_and_holidays(session: Session) -> None:
    slug = _group(
        session,
        "orba-test",
        cadence_rrule="FREQ=MONTHLY;BYMONTHDAY=1",
        preferred_start_time=time(10, 0),
    )
    days = [p.day for p in planning.preview(session, group_slug=slug, year=2027)]
    # 1 January and 1 May are holidays, 1 August is in the summer break, and weekends drop out.
    assert date(2027, 1, 1) not in days and date(2027, 5, 1) not in days
    assert not any(d.month == 8 for d in days)
    assert all(holidays.is_meeting_day(d) for d in days)


def test_nothing_is_planned_in_the_past(session: Session) -> None:
    slug = _group(session, "laat", meetings_per_year=6, preferred_weekday=2)
    created = planning.plan_year(session, group_slug=slug, year=2026, actor=ACTOR, now=NOW)
    assert all(m.starts_at is not None and m.starts_at > NOW for m in created)
    assert len(created) <= 1


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        ({"cadence_rrule": "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=10"}, "no date"),
        ({}, "no cadence"),
        ({"meetings_per_year": 52, "preferred_weekday": 5}, "no date"),
    ],
)
def test_a_cadence_that_yields_no_date_is_refused(
    session: Session, cadence: dict[str, object], message: str
) -> None:
    slug = _group(session, "leeg", **cadence)
    counts = table_counts(session)
    with pytest.raises(DomainError, match=message):
        planning.plan_year(session, group_slug=slug, year=2027, actor=ACTOR, now=NOW)
    assert table_counts(session) == counts
    assert session.exec(select(Meeting)).all() == []


def test_unknown_group(session: Session) -> None:
    with pytest.raises(DomainError, match="Unknown working group"):
        planning.plan_year(session, group_slug="bestaat-niet", year=2027, actor=ACTOR, now=NOW)


def test_the_plan_shows_the_meetings_that_exist_and_plans_around_them(session: Session) -> None:
    slug = _group(session, "around", meetings_per_year=4, preferred_weekday=1)
    fresh = [p.day for p in planning.preview(session, group_slug=slug, year=2027)]
    assert len(fresh) == 4
    four_weeks_later = datetime.combine(fresh[0] + timedelta(days=28), time(14, 0), BRUSSELS)
    existing = meetings.schedule(
        session,
        meeting_in=MeetingCreate(
            group=slug,
            title="Extra overleg",
            starts_at=four_weeks_later,
            ends_at=four_weeks_later + timedelta(hours=2),
        ),
        actor=ACTOR,
        now=NOW,
    )
    plan = planning.preview(session, group_slug=slug, year=2027)
    assert [(p.exists, p.meeting) for p in plan][:2] == [(True, existing), (False, None)]
    assert [p.day for p in plan if not p.exists] == fresh[1:]
    created = planning.plan_year(session, group_slug=slug, year=2027, actor=ACTOR, now=NOW)
    assert [m.occurrence_date for m in created] == fresh[1:]
