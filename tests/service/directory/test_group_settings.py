"""Starting, changing and archiving a working group: every bad input refused, nothing changed."""

from datetime import datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from models.errors import DomainError
from models.groups import GroupStatus, WorkingGroup
from models.meetings import MeetingStatus
from service.agenda import calls
from service.audit import Actor
from service.clock import BRUSSELS
from service.directory import group_settings
from service.directory.group_settings import GroupSettings
from service.meetings import meetings, planning
from tests.factories import make_group, make_meeting

ACTOR = Actor.system("tests")


def _start(session: Session, now: datetime, **fields: object) -> WorkingGroup:
    settings = GroupSettings.model_validate(
        {"slug": "energie", "short_name": "Energie", "name": "Werkgroep Energie"} | fields
    )
    return group_settings.create(session, settings=settings, actor=ACTOR, now=now)


def test_a_group_starts_with_a_cadence_and_its_settings(session: Session, now: datetime) -> None:
    group = _start(
        session,
        now,
        meetings_per_year=4,
        preferred_weekday=1,
        preferred_start_time=time(14, 0),
        call_max_questions=5,
        minutes_review_days=10,
        is_public=True,
        description="  Energiebeleid in de steden  ",
    )
    assert (group.meetings_per_year, group.preferred_weekday) == (4, 1)
    assert group.description == "Energiebeleid in de steden"
    assert group.started_on == now.date() and group.status is GroupStatus.active
    planned = planning.plan_year(session, group_slug="energie", year=2027, actor=ACTOR, now=now)
    assert len(planned) == 4
    assert all(m.is_public for m in planned)
    assert {m.starts_at.astimezone(BRUSSELS).weekday() for m in planned if m.starts_at} == {1}
    call = calls.ensure(session, meeting=planned[0], actor=ACTOR, now=now)
    assert call.max_questions == 5


def test_an_rrule_cadence_plans_from_the_rule(session: Session, now: datetime) -> None:
    _start(session, now, cadence_rrule="RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU")
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "energie")).one()
    assert group.cadence_rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU"
    assert len(planning.preview(session, group_slug="energie", year=2027)) == 6


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required."),
        ({"short_name": "x" * 61}, "short_name", "between 2 and 60"),
        ({"slug": "Energie Gent"}, "slug", "small letters"),
        ({"slug": "new"}, "slug", "small letters"),
        ({"slug": "nis2-bestaat"}, "slug", "already exists"),
        ({"cadence_rrule": "FREQ=FORTNIGHTLY"}, "cadence", "not valid"),
        ({"cadence_rrule": "BYDAY=MO"}, "cadence", "frequency"),
        ({"cadence_rrule": "FREQ=SECONDLY"}, "cadence", "more than 52"),
        ({"cadence_rrule": "FREQ=DAILY"}, "cadence", "more than 52"),
        ({"cadence_rrule": "FREQ=MONTHLY", "meetings_per_year": 4}, "cadence", "not both"),
        ({"meetings_per_year": 53}, "meetings_per_year", "between 1 and 52"),
        (
            {"call_opens_days_before": 5, "call_closes_days_before": 5},
            "call_closes_days_before",
            "open before",
        ),
        ({"call_max_questions": 11}, "call_max_questions", "between 1 and 10"),
        ({"minutes_review_days": 0}, "minutes_review_days", "between 1 and 60"),
        ({"programme": "bestaat-niet"}, "programme", "Unknown programme"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    session: Session, now: datetime, fields: dict[str, object], field: str, message: str
) -> None:
    make_group(session, now=now, slug="nis2-bestaat")
    before = len(session.exec(select(WorkingGroup)).all())
    with pytest.raises(DomainError) as refused:
        _start(session, now, **fields)
    assert refused.value.field == field
    assert message in str(refused.value)
    assert len(session.exec(select(WorkingGroup)).all()) == before


def test_a_change_keeps_what_was_not_given_and_the_code(session: Session, now: datetime) -> None:
    group = _start(session, now, meetings_per_year=4, description="Oud")
    changed = group_settings.update(
        session,
        slug="energie",
        settings=GroupSettings(name="Werkgroep Energie en Klimaat", slug="ander"),
        actor=ACTOR,
        now=now,
    )
    assert changed.id == group.id and changed.slug == "energie"
    assert (changed.name, changed.description, changed.meetings_per_year) == (
        "Werkgroep Energie en Klimaat",
        "Oud",
        4,
    )
    # Switching to a rule means clearing the number.
    group_settings.update(
        session,
        slug="energie",
        settings=GroupSettings(cadence_rrule="FREQ=MONTHLY", meetings_per_year=None),
        actor=ACTOR,
        now=now,
    )
    assert (changed.cadence_rrule, changed.meetings_per_year) == ("FREQ=MONTHLY", None)


def test_a_refused_change_changes_nothing(session: Session, now: datetime) -> None:
    _start(session, now, meetings_per_year=4)
    with pytest.raises(DomainError):
        group_settings.update(
            session,
            slug="energie",
            settings=GroupSettings(name="Nieuw", cadence_rrule="FREQ=WEEKLY;BYDAY=XX"),
            actor=ACTOR,
            now=now,
        )
    session.expire_all()
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "energie")).one()
    assert (group.name, group.cadence_rrule) == ("Werkgroep Energie", None)


def test_an_archived_group_plans_nothing_and_stays_readable(
    session: Session, now: datetime
) -> None:
    group = make_group(session, now=now - timedelta(days=400))
    past = make_meeting(
        session, now=now - timedelta(days=400), group=group, starts_in=timedelta(days=10)
    )
    upcoming = make_meeting(session, now=now, group=group, starts_in=timedelta(days=10))
    with pytest.raises(DomainError, match="still to come: 1"):
        group_settings.archive(session, slug=group.slug, actor=ACTOR, now=now)
    upcoming.status, upcoming.status_reason = MeetingStatus.cancelled, "Geen agenda"
    session.add(upcoming)
    archived = group_settings.archive(session, slug=group.slug, actor=ACTOR, now=now)
    assert archived.status is GroupStatus.closed and archived.ended_on == now.date()
    kept = [m.id for m in meetings.for_group(session, group_id=archived.id or 0)]
    assert kept == [past.id, upcoming.id]
    group.meetings_per_year = 4
    with pytest.raises(DomainError, match="archived"):
        planning.plan_year(session, group_slug=group.slug, year=2027, actor=ACTOR, now=now)
    with pytest.raises(DomainError, match="archived already"):
        group_settings.archive(session, slug=group.slug, actor=ACTOR, now=now)
