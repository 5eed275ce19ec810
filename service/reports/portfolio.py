"""The directors' overview: every group and programme, what is on track, what slips and why.

Read-only. Filters are applied in Python on values the page offers, so an unknown filter
value simply matches nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, func, select

from models.dates import period_end
from models.deliverables import (
    Deliverable,
    DeliverableChange,
    DeliverableContributor,
    DeliverableField,
)
from models.groups import GroupStatus, WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.organisations import Organisation
from models.people import Person
from models.programmes import Programme
from service import clock
from service.clock import BRUSSELS
from service.deliverables import deliverables, rag
from service.deliverables.deliverables import Slip
from service.deliverables.rag import Rag
from service.directory import groups

SLIP_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Filters:
    """What the page is narrowed to; None means everything."""

    programme: str | None = None
    group: str | None = None
    organisation: str | None = None
    status: str | None = None  # a DeliverableStatus value, or red / amber / green


@dataclass(frozen=True)
class Row:
    """One deliverable with everything the page and the exports show about it."""

    deliverable: Deliverable
    group: WorkingGroup
    programme: Programme | None
    accountable: str | None
    organisation: str | None
    rag: Rag | None
    slip: Slip
    slipped_recently: bool
    last_reason: str | None


@dataclass
class GroupLine:
    """One group: next meeting, meetings held this year, open work by colour, recent slips."""

    group: WorkingGroup
    programme: Programme | None
    next_meeting: Meeting | None
    held_this_year: int
    open_by_rag: Counter[str] = field(default_factory=Counter)
    slipped: list[Row] = field(default_factory=list)


@dataclass
class ProgrammeLine:
    """The roll-up of a programme (or of the groups outside any programme)."""

    programme: Programme | None
    groups: int = 0
    held_this_year: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    open_by_rag: Counter[str] = field(default_factory=Counter)
    delivered_this_year: int = 0
    slipped: int = 0


@dataclass
class Overview:
    """Everything the directors' page shows."""

    today: date
    filters: Filters
    groups: list[GroupLine]
    programmes: list[ProgrammeLine]
    rows: list[Row]
    delivered_per_quarter: list[tuple[str, int]]
    choices: dict[str, list[tuple[str, str]]]


def _recent_slip(changes: list[DeliverableChange], since: datetime) -> tuple[bool, str | None]:
    """Whether the due day moved later within the window, and the last reason given."""
    slipped = False
    for change in changes:
        if change.field is not DeliverableField.due or change.changed_at < since:
            continue
        old_on, old_precision = deliverables.parse_due_label(change.old_value or change.new_value)
        new_on, new_precision = deliverables.parse_due_label(change.new_value)
        slipped |= period_end(new_on, new_precision) > period_end(old_on, old_precision)
    reasons = [c.reason for c in changes if c.reason]
    return slipped, reasons[-1] if reasons else None


def _quarters(today: date, count: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(found))


def overview(session: Session, *, now: datetime, filters: Filters) -> Overview:
    """Build the directors' overview as of `now`, narrowed by `filters`."""
    today = clock.local_today(now)
    programmes = {p.id: p for p in session.exec(select(Programme))}
    organisations = {o.id: o for o in session.exec(select(Organisation))}
    # Only the names that can be shown: a column read, not every person as an object.
    people: dict[int | None, str] = dict(
        session.exec(select(Person.id, Person.name).where(col(Person.erased_at).is_(None))).all()
    )
    all_groups = groups.list_all(session)
    chosen_groups = [
        g
        for g in all_groups
        if (filters.programme is None or _programme_slug(programmes, g) == filters.programme)
        and (filters.group is None or g.slug == filters.group)
    ]
    by_group = {g.id: g for g in chosen_groups}
    next_meetings = {line.group.id: line.next_meeting for line in groups.overview(session, now=now)}
    held = _held_in_year(session, today.year)
    helpers: dict[int, set[int]] = {}
    for contributor in session.exec(select(DeliverableContributor)):
        if contributor.organisation_id is not None:
            helpers.setdefault(contributor.deliverable_id, set()).add(contributor.organisation_id)
    changes: dict[int, list[DeliverableChange]] = {}
    for change in session.exec(select(DeliverableChange)):
        changes.setdefault(change.deliverable_id, []).append(change)
    for listed in changes.values():
        listed.sort(key=lambda c: (c.changed_at, c.id or 0))

    rows: list[Row] = []
    for item in session.exec(select(Deliverable)):
        group = by_group.get(item.group_id)
        if group is None:
            continue
        orgs = {item.accountable_organisation_id} | helpers.get(item.id or 0, set())
        if filters.organisation is not None and filters.organisation not in {
            organisations[o].slug for o in orgs if o in organisations
        }:
            continue
        colour = rag.colour(item, today)
        if filters.status is not None and filters.status not in (item.status.value, colour):
            continue
        history = changes.get(item.id or 0, [])
        slipped, reason = _recent_slip(history, now - SLIP_WINDOW)
        organisation = organisations.get(item.accountable_organisation_id)
        rows.append(
            Row(
                deliverable=item,
                group=group,
                programme=programmes.get(group.programme_id),
                accountable=people.get(item.accountable_person_id),
                organisation=organisation.name if organisation else None,
                rag=colour,
                slip=deliverables.slip(item, history),
                slipped_recently=slipped,
                last_reason=item.status_reason or reason,
            )
        )
    rows.sort(
        key=lambda r: (r.group.short_name, deliverables.due_day(r.deliverable), r.deliverable.title)
    )

    lines = {
        g.id: GroupLine(
            group=g,
            programme=programmes.get(g.programme_id),
            next_meeting=next_meetings.get(g.id),
            held_this_year=held[g.id or 0],
        )
        for g in chosen_groups
        if g.status is not GroupStatus.closed or any(r.group.id == g.id for r in rows)
    }
    roll: dict[int | None, ProgrammeLine] = {}
    for line in lines.values():
        key = line.group.programme_id
        summary = roll.setdefault(key, ProgrammeLine(programme=programmes.get(key)))
        summary.groups += 1
        summary.held_this_year += line.held_this_year
    for row in rows:
        owner = lines.get(row.group.id)
        summary = roll.setdefault(row.group.programme_id, ProgrammeLine(programme=row.programme))
        summary.by_status[row.deliverable.status.value] += 1
        delivered_on = row.deliverable.delivered_on
        if delivered_on is not None and delivered_on.year == today.year:
            summary.delivered_this_year += 1
        if row.rag is not None:
            summary.open_by_rag[row.rag.value] += 1
            if owner is not None:
                owner.open_by_rag[row.rag.value] += 1
        if row.slipped_recently:
            summary.slipped += 1
            if owner is not None:
                owner.slipped.append(row)

    delivered = Counter(
        (r.deliverable.delivered_on.year, (r.deliverable.delivered_on.month - 1) // 3 + 1)
        for r in rows
        if r.deliverable.delivered_on is not None
    )
    return Overview(
        today=today,
        filters=filters,
        groups=sorted(lines.values(), key=lambda line: line.group.short_name),
        programmes=sorted(
            roll.values(),
            key=lambda p: (p.programme is None, p.programme.name if p.programme else ""),
        ),
        rows=rows,
        delivered_per_quarter=[
            (f"Q{quarter} {year}", delivered[(year, quarter)])
            for year, quarter in _quarters(today, 8)
        ],
        choices={
            "programme": sorted((p.slug, p.name) for p in programmes.values()),
            "group": [(g.slug, g.short_name) for g in all_groups],
            "organisation": sorted(
                ((o.slug, o.name) for o in organisations.values()), key=lambda pair: pair[1]
            ),
        },
    )


def _held_in_year(session: Session, year: int) -> Counter[int]:
    """Meetings held per group in a calendar year in Brussels, counted by the database."""
    start = datetime(year, 1, 1, tzinfo=BRUSSELS).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=BRUSSELS).astimezone(UTC)
    counted = session.exec(
        select(Meeting.group_id, func.count())
        .where(
            Meeting.status == MeetingStatus.held,
            col(Meeting.starts_at) >= start,
            col(Meeting.starts_at) < end,
        )
        .group_by(col(Meeting.group_id))
    )
    return Counter(dict(counted.all()))


def _programme_slug(programmes: dict[int | None, Programme], group: WorkingGroup) -> str | None:
    programme = programmes.get(group.programme_id)
    return programme.slug if programme else None
