"""The annual report helper: per group, how often it met, on what, what it delivered, what remains.

Written in Dutch, as Markdown and CSV, so the secretariat can paste it into the jaarverslag.
Meetings count in the year (Brussels time) they were held; postponed and cancelled meetings
are listed apart and never counted as held.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaItemKind, AgendaItemStatus
from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableStatus
from models.groups import GroupTheme, WorkingGroup
from models.meetings import Meeting, MeetingChange, MeetingChangeKind, MeetingKind, MeetingStatus
from models.programmes import Programme
from service import formatting
from service.clock import BRUSSELS
from service.directory import groups
from service.minutes import minutes
from service.rendering import environment
from service.reports import exports, question_counts
from service.reports.held_tally import year_bounds
from service.reports.homework_counts import HomeworkYear, homework_year

# Dutch names of the kinds of meeting, singular and plural, as the annual reports write them.
KIND_NAMES = {
    MeetingKind.meeting: ("vergadering", "vergaderingen"),
    MeetingKind.session: ("sessie", "sessies"),
    MeetingKind.workshop: ("workshop", "workshops"),
    MeetingKind.network_day: ("netwerkdag", "netwerkdagen"),
    MeetingKind.congress: ("congres", "congressen"),
    MeetingKind.kick_off: ("kick-off", "kick-offs"),
}


@dataclass(frozen=True)
class Postponement:
    """A meeting planned in the year and moved, with where to and why."""

    title: str
    planned: date
    moved_to: str
    reason: str | None


@dataclass
class GroupYear:
    """One group's year."""

    group: WorkingGroup
    programme: str | None
    theme: str | None
    held: list[Meeting] = field(default_factory=list)
    postponed: list[Postponement] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    delivered: list[Deliverable] = field(default_factory=list)
    carried_over: list[str] = field(default_factory=list)
    questions: question_counts.QuestionCounts = field(
        default_factory=question_counts.QuestionCounts
    )
    homework: HomeworkYear | None = None

    @property
    def held_by_kind(self) -> str:
        """'6 vergaderingen, 1 workshop en 1 sessie'."""
        counts = Counter(m.kind for m in self.held)
        parts = [
            f"{n} {KIND_NAMES[kind][0 if n == 1 else 1]}"
            for kind, n in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].value))
        ]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" en {parts[-1]}"


def _local_year(meeting: Meeting) -> int | None:
    return meeting.starts_at.astimezone(BRUSSELS).year if meeting.starts_at else None


def build(session: Session, *, year: int) -> list[GroupYear]:
    """Every group that met, planned to meet, or delivered in `year`, by short name."""
    programmes = {p.id: p.name for p in session.exec(select(Programme))}
    themes = {
        t.group_id: t.theme for t in session.exec(select(GroupTheme).where(GroupTheme.year == year))
    }
    report = {
        g.id: GroupYear(
            group=g, programme=programmes.get(g.programme_id), theme=themes.get(g.id or 0)
        )
        for g in groups.list_all(session)
    }
    start, end = year_bounds(year)
    # The year's meetings only: `_local_year` is the year of starts_at in Brussels, so a meeting
    # known only by its period (no starts_at) was never counted, and is not read.
    # Put in id order here, not by the database: an ORDER BY id made PostgreSQL walk the primary
    # key through every year instead of reading the year's range of ix_meeting_starts_at.
    meetings = sorted(
        session.exec(
            select(Meeting).where(
                col(Meeting.starts_at) >= start,
                col(Meeting.starts_at) < end,
                col(Meeting.status).in_((MeetingStatus.held, MeetingStatus.cancelled)),
            )
        ),
        key=lambda m: m.id or 0,
    )
    agendas = minutes.published_agendas(
        session,
        meeting_ids=(m.id for m in meetings if m.status is MeetingStatus.held and m.id is not None),
    )
    for meeting in meetings:
        line = report[meeting.group_id]
        if _local_year(meeting) != year:
            continue
        if meeting.status is MeetingStatus.held:
            line.held.append(meeting)
            line.topics.extend(_topics(meeting, agendas.get(meeting.id or 0, [])))
        elif meeting.status is MeetingStatus.cancelled:
            line.cancelled.append(meeting)
    # Postponed from a slot in the year: old_starts_at in the year, in Brussels.
    postponements = session.exec(
        select(MeetingChange, Meeting)
        .join(Meeting, col(Meeting.id) == MeetingChange.meeting_id)
        .where(
            MeetingChange.kind == MeetingChangeKind.postponed,
            col(MeetingChange.old_starts_at) >= start,
            col(MeetingChange.old_starts_at) < end,
        )
        .order_by(col(MeetingChange.changed_at), col(MeetingChange.id))
    ).all()
    for change, meeting in postponements:
        if change.old_starts_at is None or change.old_starts_at.astimezone(BRUSSELS).year != year:
            continue
        moved_to = (
            formatting.period(meeting.period_start, meeting.date_precision)
            if meeting.period_start is not None
            else formatting.instant(meeting.starts_at)
            if meeting.starts_at is not None
            else "onbekend"
        )
        report[meeting.group_id].postponed.append(
            Postponement(
                title=meeting.title,
                planned=change.old_starts_at.astimezone(BRUSSELS).date(),
                moved_to=moved_to,
                reason=change.reason,
            )
        )
        if meeting.status is MeetingStatus.postponed or _local_year(meeting) != year:
            report[meeting.group_id].carried_over.append(f"{meeting.title} ({moved_to})")
    year_end = date(year, 12, 31)
    for item in _deliverables(session, year=year):
        line = report[item.group_id]
        if item.delivered_on is not None and item.delivered_on.year == year:
            line.delivered.append(item)
        elif _open_at(item, year_end) and item.due_on.year >= year:
            due = formatting.period(item.due_on, item.due_precision)
            line.carried_over.append(f"{item.title} (voorzien {due})")
    for group_id, counted in question_counts.per_group(session, year=year).items():
        report[group_id].questions = counted
    for line in report.values():
        # A postponed event can also be a deliverable of the same name: list it once.
        by_title: dict[str, str] = {}
        for text in line.carried_over:
            by_title.setdefault(text.rsplit(" (", 1)[0], text)
        line.carried_over = list(by_title.values())
        line.held.sort(key=lambda m: m.starts_at or m.created_at)
        line.delivered.sort(key=lambda d: (d.delivered_on or year_end, d.title))
        line.topics = list(dict.fromkeys(line.topics))
    _add_homework(session, report, year=year)
    return sorted(
        (
            line
            for line in report.values()
            if line.held
            or line.postponed
            or line.cancelled
            or line.delivered
            or line.questions.asked
            or line.homework
        ),
        key=lambda line: line.group.short_name.casefold(),
    )


def _add_homework(session: Session, report: dict[int | None, GroupYear], *, year: int) -> None:
    """Each group's homework of the year (service.reports.homework_counts)."""
    for group_id, homework in homework_year(session, year=year).items():
        report[group_id].homework = homework


def _deliverables(session: Session, *, year: int) -> list[Deliverable]:
    """The deliverables that can count in the year: delivered in it or after, or still open.

    A superset of what `build` keeps, read by index: delivered in or after the year (on
    delivered_on), or neither delivered nor dropped and due in or after it. A delivered one
    always has its day (the delivery_dated constraint), so an open one at year end is either
    undelivered or delivered after the year.
    """
    first = date(year, 1, 1)
    return list(
        session.exec(
            select(Deliverable)
            .where(
                sa.or_(
                    col(Deliverable.delivered_on) >= first,
                    sa.and_(
                        col(Deliverable.status).not_in(
                            (DeliverableStatus.delivered, DeliverableStatus.dropped)
                        ),
                        col(Deliverable.due_on) >= first,
                    ),
                )
            )
            .order_by(col(Deliverable.id))
        )
    )


def _open_at(item: Deliverable, day: date) -> bool:
    """Whether a deliverable was still to be done at the end of a day, as far as we know."""
    if item.status is DeliverableStatus.dropped:
        return False
    return item.delivered_on is None or item.delivered_on > day


def _topics(meeting: Meeting, agenda: list[AgendaItem]) -> list[str]:
    """What a meeting was about: its published agenda, or the title of a themed session."""
    items = [
        item.title
        for item in agenda
        if item.kind is not AgendaItemKind.standing and item.status is not AgendaItemStatus.dropped
    ]
    if items:
        return items
    return [] if meeting.kind is MeetingKind.meeting else [meeting.title]


def markdown(report: list[GroupYear], *, year: int) -> str:
    """The report as Markdown, in Dutch."""
    return environment("nl").get_template("reports/annual.md.txt").render(report=report, year=year)


HEADER = [
    "Groep",
    "Programma",
    "Thema",
    "Vergaderingen gehouden",
    "Waarvan",
    "Verplaatst",
    "Geannuleerd",
    "Behandelde thema's",
    "Opgeleverd",
    "Overgedragen",
    "Vragen gesteld",
    "Vragen behandeld",
    "Vragen overgedragen",
    "Vragen niet behandeld",
    "Thuisopdrachten",
    "Thuisopdrachten beantwoord per organisatie",
]


def csv_text(report: list[GroupYear]) -> str:
    """The report as CSV (semicolon-separated for Belgian Excel, one line per group), in Dutch."""
    rows: list[list[object]] = [list(HEADER)]
    for line in report:
        rows.append(
            [
                line.group.name,
                line.programme or "",
                line.theme or "",
                len(line.held),
                line.held_by_kind if line.held else "",
                "; ".join(
                    f"{p.title} ({formatting.period(p.planned, DatePrecision.day)} → {p.moved_to})"
                    for p in line.postponed
                ),
                "; ".join(m.title for m in line.cancelled),
                "; ".join(line.topics),
                "; ".join(d.title for d in line.delivered),
                "; ".join(line.carried_over),
                line.questions.asked,
                line.questions.handled,
                line.questions.carried_over,
                line.questions.not_handled,
                line.homework.assignments if line.homework else 0,
                line.homework.answered_text if line.homework else "",
            ]
        )
    return exports.to_csv(rows)
