"""The annual report reads the year's work only: as many statements on a larger organisation,
and, on the edges of the year in Brussels, the same bytes as the former report that read all.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from models.agenda import AgendaItem, AgendaItemKind, AgendaItemStatus, AgendaVersion
from models.agenda import AgendaVersionStatus as VersionStatus
from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableStatus
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingChange, MeetingChangeKind, MeetingKind, MeetingStatus
from service import demo
from service.clock import BRUSSELS
from service.db import create_engine
from service.reports import annual_report
from tests.databases import fresh_database
from tests.service.reports import former_annual_report
from tests.statements import counting, generator

# (scale, years) of bench/generate.py: the larger has three times the groups and the years.
SMALL, LARGER = (1, 1), (3, 3)


def _rendered(report: list[annual_report.GroupYear], year: int) -> str:
    return annual_report.markdown(report, year=year) + annual_report.csv_text(report)


def test_statements_do_not_grow_with_the_data(backend: str, now: datetime, tmp_path: Path) -> None:
    measured: dict[tuple[int, int], int] = {}
    for size in (SMALL, LARGER):
        directory = tmp_path / f"scale-{size[0]}"
        directory.mkdir()
        with fresh_database(backend, directory) as url:
            generator().generate(url, scale=size[0], seed=7, years=size[1], now=now, show=False)
            engine = create_engine(url)
            try:
                with Session(engine) as session:
                    with counting(engine) as sent:
                        report = annual_report.build(session, year=now.year)
                    measured[size] = len(sent)
                    assert report and any(line.homework for line in report)
                    assert any(line.held and line.topics for line in report)
                    # The generated years read the same as they did through the former report.
                    for year in (now.year - 1, now.year):
                        assert _rendered(annual_report.build(session, year=year), year) == (
                            _rendered(former_annual_report.build(session, year=year), year)
                        )
            finally:
                engine.dispose()
    assert measured[LARGER] <= measured[SMALL], f"statements grew with the data: {measured}"


def _at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock time in Brussels, as the UTC instant it is stored as."""
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


def _meeting(
    session: Session,
    group: WorkingGroup,
    title: str,
    starts_at: datetime | None,
    status: MeetingStatus,
    *,
    kind: MeetingKind = MeetingKind.meeting,
    period_start: date | None = None,
) -> Meeting:
    assert group.id is not None
    meeting = Meeting(
        group_id=group.id,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=None if starts_at is None else starts_at + timedelta(hours=1),
        date_precision=DatePrecision.day if starts_at is not None else DatePrecision.month,
        period_start=period_start,
        status=status,
        status_reason=None if status in (MeetingStatus.held, MeetingStatus.planned) else "reden",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        updated_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    session.add(meeting)
    session.flush()
    return meeting


def _agenda(session: Session, meeting: Meeting, number: int, titles: list[str]) -> None:
    """A published version; titles starting 'standing:' or 'dropped:' are of that kind/status."""
    assert meeting.id is not None
    version = AgendaVersion(
        meeting_id=meeting.id,
        number=number,
        status=VersionStatus.published,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    # Written in reverse, so that only the ORDER BY position puts them in agenda order.
    for position, title in reversed(list(enumerate(titles, start=1))):
        session.add(
            AgendaItem(
                version_id=version.id,
                item_key=position,
                position=position,
                title=title.split(":")[-1],
                kind=AgendaItemKind.standing
                if title.startswith("standing:")
                else AgendaItemKind.manual,
                status=AgendaItemStatus.dropped
                if title.startswith("dropped:")
                else AgendaItemStatus.proposed,
            )
        )
    session.flush()


def _postpone(
    session: Session, meeting: Meeting, old_starts_at: datetime, changed_at: datetime
) -> None:
    assert meeting.id is not None
    session.add(
        MeetingChange(
            meeting_id=meeting.id,
            revision=1,
            kind=MeetingChangeKind.postponed,
            changed_at=changed_at,
            reason="Spreker ziek",
            old_starts_at=old_starts_at,
            old_ends_at=old_starts_at + timedelta(hours=1),
        )
    )
    session.flush()


def _deliverable(
    session: Session,
    group: WorkingGroup,
    title: str,
    due_on: date,
    status: DeliverableStatus,
    delivered_on: date | None = None,
    precision: DatePrecision = DatePrecision.day,
) -> None:
    assert group.id is not None
    session.add(
        Deliverable(
            group_id=group.id,
            title=title,
            due_on=due_on,
            due_precision=precision,
            status=status,
            status_reason="reden" if status is DeliverableStatus.dropped else None,
            delivered_on=delivered_on,
            created_at=datetime(2024, 1, 1, tzinfo=UTC),
            updated_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
    )
    session.flush()


def test_the_edges_of_the_year_read_as_before(session: Session, now: datetime) -> None:
    demo.load(session, now=now)
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "gdpr")).one()
    other = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "kbo")).one()
    held, cancelled, postponed = (
        MeetingStatus.held,
        MeetingStatus.cancelled,
        MeetingStatus.postponed,
    )
    # 31 December 23:30 in Brussels is 22:30 UTC the same day: 2025.
    late = _meeting(session, group, "Oudejaarsavond", _at(2025, 12, 31, 23, 30), held)
    _agenda(session, late, 1, ["Oud punt"])
    _agenda(session, late, 2, ["standing:Goedkeuring verslag", "Nieuw punt", "dropped:Weg"])
    # 1 January 00:30 in Brussels is 23:30 UTC on 31 December: the new year, both ends.
    _meeting(session, group, "Nieuwjaarsnacht 2026", _at(2026, 1, 1, 0, 30), held)
    early = _meeting(
        session, group, "Nieuwjaarsnacht 2025", _at(2025, 1, 1, 0, 30), held,
        kind=MeetingKind.session,
    )  # fmt: skip
    _agenda(session, early, 1, ["standing:Welkom", "dropped:Niets"])
    _meeting(session, group, "Oudejaar 2024", _at(2024, 12, 31, 23, 30), held)
    _meeting(session, other, "Afgelast", _at(2025, 6, 3, 10, 0), cancelled)
    _meeting(session, other, "Afgelast na middernacht", _at(2026, 1, 1, 0, 15), cancelled)
    # Known only by its month: never counted, as before (no starts_at).
    _meeting(session, other, "Ergens in mei", None, held, period_start=date(2025, 5, 1))
    # Postponed from the last evening of 2025 to a month of 2026: listed and carried over.
    moved = _meeting(session, group, "Verplaatst naar februari", None, postponed,
                     period_start=date(2026, 2, 1))  # fmt: skip
    _postpone(session, moved, _at(2025, 12, 31, 23, 30), _at(2025, 12, 1, 9, 0))
    # Postponed from the first night of 2026 (still 2025 in UTC): 2026's, not 2025's.
    night = _meeting(session, other, "Van nieuwjaarsnacht", _at(2026, 3, 1, 10, 0), held)
    _postpone(session, night, _at(2026, 1, 1, 0, 30), _at(2025, 12, 1, 9, 0))
    # Postponed within 2025 and held: listed, not carried over; same instant of change twice.
    within = _meeting(session, other, "Binnen het jaar", _at(2025, 4, 2, 10, 0), held)
    _postpone(session, within, _at(2025, 3, 5, 10, 0), _at(2025, 2, 1, 9, 0))
    _postpone(session, within, _at(2025, 3, 12, 10, 0), _at(2025, 2, 1, 9, 0))
    # Postponed from 1 January 00:30 of 2025 (2024 in UTC) to 2025: listed in 2025.
    first = _meeting(session, other, "Van de eerste nacht", _at(2025, 1, 8, 10, 0), held)
    _postpone(session, first, _at(2025, 1, 1, 0, 30), _at(2024, 12, 20, 9, 0))
    delivered, planned = DeliverableStatus.delivered, DeliverableStatus.planned
    _deliverable(session, group, "Op oudejaar", date(2025, 6, 1), delivered, date(2025, 12, 31))
    _deliverable(session, group, "Op nieuwjaar", date(2025, 6, 1), delivered, date(2026, 1, 1))
    _deliverable(session, group, "Vorig jaar geleverd", date(2024, 6, 1), delivered,
                 date(2024, 12, 31))  # fmt: skip
    _deliverable(session, group, "Laat geleverd, oud", date(2024, 3, 1), delivered,
                 date(2026, 2, 1))  # fmt: skip
    _deliverable(session, other, "Open dit jaar", date(2025, 6, 1), planned)
    _deliverable(session, other, "Open in een kwartaal", date(2025, 10, 1), planned,
                 precision=DatePrecision.quarter)  # fmt: skip
    _deliverable(session, other, "Open vorig jaar", date(2024, 12, 31), planned)
    _deliverable(session, other, "Open volgend jaar", date(2026, 1, 1), planned)
    _deliverable(session, other, "Geschrapt", date(2025, 6, 1), DeliverableStatus.dropped)
    # A deliverable named as the postponed meeting: listed once, the meeting first.
    _deliverable(session, group, "Verplaatst naar februari", date(2026, 2, 1), planned)
    session.commit()

    for year in (2024, 2025, 2026):
        new = annual_report.build(session, year=year)
        assert _rendered(new, year) == _rendered(
            former_annual_report.build(session, year=year), year
        )
    report = {line.group.slug: line for line in annual_report.build(session, year=2025)}
    titles = [m.title for m in report["gdpr"].held]
    assert "Oudejaarsavond" in titles and "Nieuwjaarsnacht 2025" in titles
    assert "Nieuwjaarsnacht 2026" not in titles and "Oudejaar 2024" not in titles
    assert "Nieuw punt" in report["gdpr"].topics and "Oud punt" not in report["gdpr"].topics
    assert "Nieuwjaarsnacht 2025" in report["gdpr"].topics  # a session without a topic
    assert [m.title for m in report["kbo"].cancelled] == ["Afgelast"]
    assert "Verplaatst naar februari (februari 2026)" in report["gdpr"].carried_over
    postponed_titles = [p.title for p in report["kbo"].postponed]
    assert "Van nieuwjaarsnacht" not in postponed_titles
    assert (
        postponed_titles.count("Binnen het jaar") == 2 and "Van de eerste nacht" in postponed_titles
    )
    assert [d.title for d in report["gdpr"].delivered][-1] == "Op oudejaar"
    carried = report["gdpr"].carried_over + report["kbo"].carried_over
    assert any(text.startswith("Op nieuwjaar") for text in carried)
    assert not any(
        text.startswith(("Laat geleverd", "Open vorig", "Geschrapt")) for text in carried
    )
