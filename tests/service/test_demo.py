"""The demo data reproduces the facts of the annual reports, and loads only once."""

import tomllib
from collections import Counter
from datetime import date, datetime

import pytest
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableStatus
from models.groups import GroupTheme, WorkingGroup
from models.homework import HomeworkAssignment, HomeworkQuestion
from models.meetings import Meeting, MeetingChange, MeetingChangeKind, MeetingKind, MeetingStatus
from models.organisations import Organisation, OrganisationKind
from models.people import Person
from service import demo
from service.clock import BRUSSELS
from service.deliverables import deliverables
from tests.conftest import table_counts


@pytest.fixture
def loaded(session: Session, now: datetime) -> Session:
    """A session with the demo data loaded."""
    demo.load(session, now=now)
    return session


def _held_in(session: Session, slug: str, year: int, kind: MeetingKind | None = None) -> int:
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
    rows = session.exec(
        select(Meeting).where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.held)
    ).all()
    return sum(
        1
        for m in rows
        if m.starts_at is not None
        and m.starts_at.astimezone(BRUSSELS).year == year
        and (kind is None or m.kind is kind)
    )


@pytest.mark.parametrize(
    ("group", "kind", "count"),
    [("gdpr", None, 4), ("obmi", None, 7), ("orba", None, 8), ("kbo", MeetingKind.session, 4)],
)
def test_meetings_held_in_2025_match_the_annual_report(
    loaded: Session, group: str, kind: MeetingKind | None, count: int
) -> None:
    assert _held_in(loaded, group, 2025, kind) == count


def test_kbo_netwerkdag_is_postponed_to_february_2026_with_its_reason(loaded: Session) -> None:
    netwerkdag = loaded.exec(select(Meeting).where(Meeting.kind == MeetingKind.network_day)).one()
    assert netwerkdag.status is MeetingStatus.postponed
    assert netwerkdag.date_precision is DatePrecision.month
    assert netwerkdag.period_start == date(2026, 2, 1) and netwerkdag.starts_at is None
    assert netwerkdag.status_reason and "februari 2026" in netwerkdag.status_reason
    assert netwerkdag.revision == 1
    change = loaded.exec(
        select(MeetingChange).where(MeetingChange.meeting_id == netwerkdag.id)
    ).one()
    assert change.kind is MeetingChangeKind.postponed
    assert change.old_starts_at is not None
    assert change.old_starts_at.astimezone(BRUSSELS).date() == date(2025, 12, 18)


def test_members_are_the_thirteen_centre_cities_and_the_vgc(loaded: Session) -> None:
    kinds = Counter(o.kind for o in loaded.exec(select(Organisation)))
    assert kinds[OrganisationKind.centre_city] == 13
    assert kinds[OrganisationKind.community_commission] == 1


def test_kbo_shows_its_expansion_and_2025_theme(loaded: Session) -> None:
    kbo = loaded.exec(select(WorkingGroup).where(WorkingGroup.slug == "kbo")).one()
    assert "Kwaliteit, Beleid & Organisatiebeheersing" in kbo.name
    theme = loaded.exec(
        select(GroupTheme).where(GroupTheme.group_id == kbo.id, GroupTheme.year == 2025)
    ).one()
    assert "Risicomanagement" in theme.theme


@pytest.mark.parametrize(
    ("title", "status", "due", "precision"),
    [
        (
            "Verwerkersovereenkomst Stads- en Gemeentemonitor",
            DeliverableStatus.delivered,
            None,
            None,
        ),
        (
            "Gezamenlijk begrippenkader v1",
            DeliverableStatus.delivered,
            date(2024, 1, 1),
            DatePrecision.month,
        ),
        ("Beleidsrapport InnoFiNS", None, date(2026, 1, 1), DatePrecision.quarter),
    ],
)
def test_deliverables_carry_their_real_titles_and_states(
    loaded: Session,
    title: str,
    status: DeliverableStatus | None,
    due: date | None,
    precision: DatePrecision | None,
) -> None:
    deliverable = loaded.exec(select(Deliverable).where(Deliverable.title == title)).one()
    if status is not None:
        assert deliverable.status is status
    if due is not None:
        assert (deliverable.due_on, deliverable.due_precision) == (due, precision)
    if deliverable.status is DeliverableStatus.delivered:
        assert deliverable.delivered_on is not None


def test_people_are_fictional_with_reserved_addresses(loaded: Session) -> None:
    emails = [p.email for p in loaded.exec(select(Person))]
    listed = tomllib.loads(demo.DATA_FILE.read_text(encoding="utf-8"))["person"]
    assert sorted(emails) == sorted(row["email"] for row in listed)
    assert all(e.endswith(".example") for e in emails)


def test_there_is_something_coming_up_for_every_active_group(
    loaded: Session, now: datetime
) -> None:
    upcoming = {
        m.group_id for m in loaded.exec(select(Meeting).where(col(Meeting.starts_at) > now))
    }
    active = loaded.exec(select(WorkingGroup).where(WorkingGroup.status == "active")).all()
    assert {g.id for g in active} <= upcoming


def test_loading_twice_changes_nothing(loaded: Session, now: datetime) -> None:
    counts = table_counts(loaded)
    report = demo.load(loaded, now=now)
    assert report.total == 0
    assert table_counts(loaded) == counts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", (date(2026, 1, 1), DatePrecision.year)),
        ("2026-H2", (date(2026, 7, 1), DatePrecision.half_year)),
        ("2026-Q1", (date(2026, 1, 1), DatePrecision.quarter)),
        ("2026-02", (date(2026, 2, 1), DatePrecision.month)),
        ("2025-12-18", (date(2025, 12, 18), DatePrecision.day)),
    ],
)
def test_due_dates_in_the_data_file(text: str, expected: tuple[date, DatePrecision]) -> None:
    assert deliverables.parse_due(text) == expected


def test_a_bad_due_date_is_refused() -> None:
    with pytest.raises(ValueError, match="Write the due date"):
        deliverables.parse_due("begin 2026")


def test_the_demo_has_one_homework_for_the_next_nis2_meeting(loaded: Session) -> None:
    (assignment,) = loaded.exec(select(HomeworkAssignment)).all()
    meeting = loaded.get(Meeting, assignment.meeting_id)
    assert meeting is not None and meeting.title == "Werkgroep NIS2 – vergadering 4/2026"
    assert assignment.title == "Stand van de NIS2-registratie"
    assert assignment.mode.value == "organisation"
    # Five working days before the meeting, at 17:00 in Brussels.
    assert meeting.starts_at is not None
    assert assignment.deadline.astimezone(BRUSSELS).hour == 17
    assert (meeting.starts_at - assignment.deadline).days >= 6
    kinds = loaded.exec(
        select(HomeworkQuestion.kind)
        .where(HomeworkQuestion.assignment_id == assignment.id)
        .order_by(col(HomeworkQuestion.position))
    ).all()
    assert [str(k) for k in kinds] == [
        "yes_no", "one_choice", "several_choices", "number", "text", "file"
    ]  # fmt: skip
