"""The directors' overview: every group and programme, what is on track, what slips and why.

Read-only. Filters become SQL conditions on values the page offers, so an unknown filter
value simply matches nothing. The roll-ups and counts are aggregates in the database; rows are
read only for the deliverables and groups of the page shown.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, func, select

from models.dates import period_end
from models.deliverables import (
    Deliverable,
    DeliverableChange,
    DeliverableContributor,
    DeliverableField,
    DeliverableStatus,
    DeliverableTally,
)
from models.groups import GroupStatus, WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.organisations import Organisation
from models.people import Person
from models.programmes import Programme
from service import clock
from service.deliverables import deliverables, rag
from service.deliverables.deliverables import Slip
from service.deliverables.rag import Rag
from service.directory import groups
from service.paging import Paging
from service.reports import held_tally

SLIP_WINDOW = timedelta(days=90)
# Beyond this many groups (or organisations) the filter is a search field, not a list: a
# list of 10,000 choices is neither readable nor quick to send.
CHOICE_LIMIT = 200


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
    next_meeting: groups.NextMeeting | None
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
    # (slug, name) to choose from; None when there are too many: the page asks for the slug.
    choices: dict[str, list[tuple[str, str]] | None]
    rows_paging: Paging
    groups_paging: Paging
    # The programme lines shown (`programmes`) of all of them.
    programmes_paging: Paging


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


def overview(
    session: Session,
    *,
    now: datetime,
    filters: Filters,
    rows_page: Paging | None = None,
    groups_page: Paging | None = None,
    programmes_page: Paging | None = None,
) -> Overview:
    """Build the directors' overview as of `now`, narrowed by `filters`.

    The roll-ups per programme, the counts and the colours are SQL aggregates; only the
    deliverables and group lines of the pages asked for (all when a page is None, as the API
    and the exports want) are read as rows, with their history; the programme lines are those
    of their page (all when None).
    """
    today = clock.local_today(now)
    programmes = {p.id: p for p in session.exec(select(Programme))}
    colour = rag.colour_column(today)
    scope = _Scope(
        groups=_group_conditions(filters),
        items=_item_conditions(filters, colour),
        tallied=_tally_conditions(filters),
        held_tallied=_held_tally_conditions(filters),
    )
    roll, ordered, programmes_page, partial = _roll_up(
        session, scope, programmes, today, colour, programmes_page
    )
    slips = _recent_slips(session, scope, now - SLIP_WINDOW)
    for programme_id, _group_id in slips.values():
        roll_line(roll, programmes, programme_id).slipped += 1
    # Counted apart when the programmes' lines hold the page's deliverables alone.
    total_rows = (
        _total_rows(session, scope)
        if partial
        else sum(sum(line.by_status.values()) for line in roll.values())
    )
    total_lines = sum(line.groups for line in roll.values())
    rows_page = _counted(rows_page, total_rows)
    groups_page = _counted(groups_page, total_lines)

    shown = _deliverables_page(session, scope, rows_page)
    lines = _group_lines(session, scope, groups_page, now=now, today=today, colour=colour)
    for line in lines:
        line.programme = programmes.get(line.group.programme_id)
    slipped_ids = [d for d, (_, g) in slips.items() if any(line.group.id == g for line in lines)]
    slipped_rows = _rows(
        session, _load_with_groups(session, slipped_ids), programmes=programmes, now=now
    )
    by_id = {line.group.id: line for line in lines}
    for row in sorted(slipped_rows, key=_row_order):
        by_id[row.group.id].slipped.append(row)
    rows = _rows(session, shown, programmes=programmes, now=now)
    return Overview(
        today=today,
        filters=filters,
        groups=lines,
        programmes=[roll[key] for key in ordered],
        rows=rows,
        delivered_per_quarter=_delivered_per_quarter(session, scope, today),
        choices={
            "programme": sorted((p.slug, p.name) for p in programmes.values()),
            "group": _choices(
                session, col(WorkingGroup.slug), col(WorkingGroup.short_name), col(WorkingGroup.id)
            ),
            "organisation": _choices(
                session, col(Organisation.slug), col(Organisation.name), col(Organisation.id)
            ),
        },
        rows_paging=rows_page,
        groups_paging=groups_page,
        programmes_paging=programmes_page,
    )


@dataclass(frozen=True)
class _Scope:
    """The filters as SQL: which groups, and which of their deliverables."""

    groups: list[sa.ColumnElement[bool]]
    items: list[sa.ColumnElement[bool]]
    # The same filters on the tally, or None when the tally cannot answer them.
    tallied: list[sa.ColumnElement[bool]] | None = None
    # The groups' filter on the meetings' tally, or None (a group chosen: counted directly).
    held_tallied: list[sa.ColumnElement[bool]] | None = None

    def deliverables(self) -> list[sa.ColumnElement[bool]]:
        """The conditions on a deliverable joined to its group."""
        return [*self.groups, *self.items]

    def with_lines(self) -> list[sa.ColumnElement[bool]]:
        """The groups with a line: chosen, and open or holding a chosen deliverable."""
        holding = (
            sa.select(col(Deliverable.id))
            .where(col(Deliverable.group_id) == col(WorkingGroup.id), *self.items)
            .exists()
        )
        return [*self.groups, sa.or_(col(WorkingGroup.status) != GroupStatus.closed, holding)]


def _group_conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if filters.programme is not None:
        chosen = sa.select(col(Programme.id)).where(col(Programme.slug) == filters.programme)
        found.append(col(WorkingGroup.programme_id).in_(chosen))
    if filters.group is not None:
        found.append(col(WorkingGroup.slug) == filters.group)
    return found


def _tally_conditions(filters: Filters) -> list[sa.ColumnElement[bool]] | None:
    """The filters on the tally: a programme (or none); a group, organisation or status not."""
    if filters.group is not None or filters.organisation is not None or filters.status:
        return None
    if filters.programme is None:
        return []
    tally = DeliverableTally.__table__  # type: ignore[attr-defined]
    chosen = sa.select(col(Programme.id)).where(col(Programme.slug) == filters.programme)
    return [tally.c.programme_key.in_(chosen)]


def _held_tally_conditions(filters: Filters) -> list[sa.ColumnElement[bool]] | None:
    """The groups' filter on the meetings' tally: a programme (or none); a group not."""
    if filters.group is not None:
        return None
    if filters.programme is None:
        return []
    chosen = sa.select(col(Programme.id)).where(col(Programme.slug) == filters.programme)
    return [held_tally.TALLY.c.programme_key.in_(chosen)]


def _item_conditions(
    filters: Filters, colour: sa.ColumnElement[str | None]
) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if filters.organisation is not None:
        organisation = sa.select(col(Organisation.id)).where(
            col(Organisation.slug) == filters.organisation
        )
        helps = (
            sa.select(col(DeliverableContributor.id))
            .where(
                col(DeliverableContributor.deliverable_id) == col(Deliverable.id),
                col(DeliverableContributor.organisation_id).in_(organisation),
            )
            .exists()
        )
        found.append(sa.or_(col(Deliverable.accountable_organisation_id).in_(organisation), helps))
    if filters.status is not None:
        # An unknown value matches nothing, as the page only offers the known ones.
        if filters.status in {s.value for s in DeliverableStatus}:
            found.append(col(Deliverable.status) == DeliverableStatus(filters.status))
        elif filters.status in {c.value for c in Rag}:
            found.append(colour == filters.status)
        else:
            found.append(sa.false())
    return found


def roll_line(
    roll: dict[int | None, ProgrammeLine], programmes: dict[int | None, Programme], key: int | None
) -> ProgrammeLine:
    """The programme's line of the roll-up, made when first needed."""
    return roll.setdefault(key, ProgrammeLine(programme=programmes.get(key)))


def _roll_up(
    session: Session,
    scope: _Scope,
    programmes: dict[int | None, Programme],
    today: date,
    colour: sa.ColumnElement[str | None],
    page: Paging | None,
) -> tuple[dict[int | None, ProgrammeLine], list[int | None], Paging, bool]:
    """Per programme: groups, meetings held this year, deliverables by status and colour.

    Every programme with a line is found from its groups (a deliverable, a meeting or a slip
    counted belongs to a group with a line); its deliverables are counted for the programmes
    of the page alone (all when `page` is None). Also the page's programmes in order, the
    page, and whether the deliverables were counted for some programmes only.
    """
    roll: dict[int | None, ProgrammeLine] = {}
    programme = col(WorkingGroup.programme_id)
    for key, count in session.execute(
        sa.select(programme, sa.func.count()).where(*scope.with_lines()).group_by(programme)
    ):
        roll_line(roll, programmes, key).groups += count
    ordered = sorted(roll, key=lambda k: (k is None, programmes[k].name if k is not None else ""))
    # A page asked for is counted alone even when it holds them all: the same statements.
    partial = page is not None
    page = _counted(page, len(ordered))
    shown = ordered[page.offset : page.offset + page.size]
    held = _held_by_programme(scope, today.year)
    for key, count in session.execute(held):
        roll_line(roll, programmes, key).held_this_year += count
    for key, status, shade, in_year, count in session.execute(
        _counted_by_programme(scope, today, colour, shown if partial else None)
    ):
        line = roll_line(roll, programmes, key)
        line.by_status[DeliverableStatus(status).value] += count
        if shade is not None:
            line.open_by_rag[shade] += count
        if in_year:
            line.delivered_this_year += count
    return roll, shown, page, partial


def _total_rows(session: Session, scope: _Scope) -> int:
    """How many deliverables the filters choose: from the tally when it can answer."""
    if scope.tallied is not None:
        tally = DeliverableTally.__table__  # type: ignore[attr-defined]
        summed = sa.select(sa.func.coalesce(sa.func.sum(tally.c.count), 0)).where(*scope.tallied)
        return int(session.execute(summed).scalar_one())
    counted = (
        sa.select(sa.func.count())
        .select_from(Deliverable)
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(*scope.deliverables())
    )
    return int(session.execute(counted).scalar_one())


def _held_by_programme(scope: _Scope, year: int) -> sa.Select[Any]:
    """Meetings held in the year per programme, by the groups with a line.

    From the tally kept as meetings change unless a group is chosen: the groups that are not
    closed all have a line (the programme's counts are summed as they are), and a closed
    group's counts (kept apart) are joined to it to ask whether it has one.
    """
    programme = col(WorkingGroup.programme_id)
    if scope.held_tallied is None:
        start, end = held_tally.year_bounds(year)
        return (
            sa.select(programme, sa.func.count())
            .select_from(Meeting)
            .join(WorkingGroup, col(WorkingGroup.id) == col(Meeting.group_id))
            .where(
                col(Meeting.status) == MeetingStatus.held,
                col(Meeting.starts_at) >= start,
                col(Meeting.starts_at) < end,
                *scope.with_lines(),
            )
            .group_by(programme)
        )
    tally = held_tally.TALLY
    counted = sa.func.sum(tally.c.count)
    open_groups = (
        sa.select(tally.c.programme_key.label("key"), counted.label("held"))
        .where(tally.c.year == year, tally.c.group_key == 0, *scope.held_tallied)
        .group_by(tally.c.programme_key)
    )
    closed_groups = (
        sa.select(sa.func.coalesce(programme, 0).label("key"), counted.label("held"))
        .select_from(tally)
        .join(WorkingGroup, col(WorkingGroup.id) == tally.c.group_key)
        .where(tally.c.year == year, tally.c.group_key != 0, *scope.with_lines())
        .group_by(programme)
    )
    both = sa.union_all(open_groups, closed_groups).subquery()
    key = sa.case((both.c.key == 0, sa.null()), else_=both.c.key)
    return (
        sa.select(key, sa.func.sum(both.c.held)).group_by(key).having(sa.func.sum(both.c.held) != 0)
    )


def _this_year(delivered_on: Any, today: date) -> sa.ColumnElement[int]:
    in_year = sa.and_(
        delivered_on >= date(today.year, 1, 1), delivered_on <= date(today.year, 12, 31)
    )
    return sa.case((in_year, 1), else_=0)


def _counted_by_programme(
    scope: _Scope,
    today: date,
    colour: sa.ColumnElement[str | None],
    keys: list[int | None] | None = None,
) -> sa.Select[Any]:
    """Deliverables per programme, status, colour and delivered this year (0 or 1).

    From the tally kept as deliverables change when the filters allow it (none, or a
    programme): a few rows per programme and day instead of every deliverable. With `keys`,
    of those programmes only (None: the groups outside any).
    """
    named = [k for k in keys or [] if k is not None]
    if scope.tallied is not None:
        tally = DeliverableTally.__table__  # type: ignore[attr-defined]
        key = sa.case((tally.c.programme_key == 0, sa.null()), else_=tally.c.programme_key)
        shade = rag.colour_column(today, tally.c.status, tally.c.due_day)
        in_year = _this_year(tally.c.delivered_quarter, today)
        chosen = [] if keys is None else [tally.c.programme_key.in_([k or 0 for k in keys])]
        return (
            sa.select(key, tally.c.status, shade, in_year, sa.func.sum(tally.c.count))
            .where(*scope.tallied, *chosen)
            .group_by(key, tally.c.status, shade, in_year)
            .having(sa.func.sum(tally.c.count) != 0)
        )
    programme = col(WorkingGroup.programme_id)
    this_year = _this_year(col(Deliverable.delivered_on), today)
    among = [programme.in_(named)] + ([programme.is_(None)] if None in (keys or []) else [])
    return (
        sa.select(programme, col(Deliverable.status), colour, this_year, sa.func.count())
        .select_from(Deliverable)
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(*scope.deliverables(), *([] if keys is None else [sa.or_(*among)]))
        .group_by(programme, col(Deliverable.status), colour, this_year)
    )


def _recent_slips(
    session: Session, scope: _Scope, since: datetime
) -> dict[int, tuple[int | None, int]]:
    """The chosen deliverables whose due day moved later since `since`: (programme, group).

    Only the due changes of the window are read, columns only: the work of the last 90 days.
    """
    changed = session.execute(
        sa.select(
            col(DeliverableChange.deliverable_id),
            col(WorkingGroup.programme_id),
            col(WorkingGroup.id),
            col(DeliverableChange.old_value),
            col(DeliverableChange.new_value),
        )
        .join(Deliverable, col(Deliverable.id) == col(DeliverableChange.deliverable_id))
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(
            col(DeliverableChange.field) == DeliverableField.due,
            col(DeliverableChange.changed_at) >= since,
            *scope.deliverables(),
        )
    )
    found: dict[int, tuple[int | None, int]] = {}
    for deliverable_id, programme_id, group_id, old, new in changed:
        if _later(old or new, new):
            found[deliverable_id] = (programme_id, group_id)
    return found


def _later(old: str, new: str) -> bool:
    old_on, old_precision = deliverables.parse_due_label(old)
    new_on, new_precision = deliverables.parse_due_label(new)
    return period_end(new_on, new_precision) > period_end(old_on, old_precision)


def _counted(paging: Paging | None, total: int) -> Paging:
    if paging is None:
        return Paging(number=1, size=max(1, total), total=total)
    return Paging(number=paging.number, size=paging.size, total=total)


def _deliverables_page(
    session: Session, scope: _Scope, paging: Paging
) -> list[tuple[Deliverable, WorkingGroup]]:
    """The page's deliverables in the page's order: group, due day, title."""
    due_day = deliverables.due_day_column()
    query = (
        select(Deliverable, WorkingGroup)
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(*scope.deliverables())
        .order_by(
            col(WorkingGroup.short_name),
            due_day,
            col(Deliverable.title),
            col(Deliverable.id),
        )
        .offset(paging.offset)
        .limit(paging.size)
    )
    return [(item, group) for item, group in session.exec(query)]


def _choices(
    session: Session, slug: Mapped[str], name: Mapped[str], key: Mapped[int | None]
) -> list[tuple[str, str]] | None:
    """(slug, name) by name for a filter's list, or None when there are too many to list."""
    found = session.execute(sa.select(slug, name).order_by(name, key).limit(CHOICE_LIMIT + 1))
    pairs = [(value, label) for value, label in found]
    return None if len(pairs) > CHOICE_LIMIT else pairs


def _load_with_groups(session: Session, ids: list[int]) -> list[tuple[Deliverable, WorkingGroup]]:
    query = (
        select(Deliverable, WorkingGroup)
        .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
        .where(col(Deliverable.id).in_(ids))
    )
    return [(item, group) for item, group in session.exec(query)] if ids else []


def _row_order(row: Row) -> tuple[str, date, str, int]:
    item = row.deliverable
    return (row.group.short_name, deliverables.due_day(item), item.title, item.id or 0)


def _rows(
    session: Session,
    found: list[tuple[Deliverable, WorkingGroup]],
    *,
    programmes: dict[int | None, Programme],
    now: datetime,
) -> list[Row]:
    """The deliverables as rows, with their history and names (read for these alone)."""
    if not found:
        return []
    ids = [item.id or 0 for item, _ in found]
    changes: dict[int, list[DeliverableChange]] = {}
    for change in session.exec(
        select(DeliverableChange)
        .where(col(DeliverableChange.deliverable_id).in_(ids))
        .order_by(col(DeliverableChange.changed_at), col(DeliverableChange.id))
    ):
        changes.setdefault(change.deliverable_id, []).append(change)
    wanted = {item.accountable_person_id for item, _ in found} - {None}
    named = sa.select(col(Person.id), col(Person.name)).where(
        col(Person.id).in_(wanted), col(Person.erased_at).is_(None)
    )
    people: dict[int, str] = {row[0]: row[1] for row in session.execute(named)} if wanted else {}
    accountable = {item.accountable_organisation_id for item, _ in found} - {None}
    named_organisations = sa.select(col(Organisation.id), col(Organisation.name)).where(
        col(Organisation.id).in_(accountable)
    )
    organisations: dict[int, str] = {row[0]: row[1] for row in session.execute(named_organisations)}
    today = clock.local_today(now)
    rows = []
    for item, group in found:
        history = changes.get(item.id or 0, [])
        slipped, reason = _recent_slip(history, now - SLIP_WINDOW)
        rows.append(
            Row(
                deliverable=item,
                group=group,
                programme=programmes.get(group.programme_id),
                accountable=people.get(item.accountable_person_id or 0),
                organisation=organisations.get(item.accountable_organisation_id or 0),
                rag=rag.colour(item, today),
                slip=deliverables.slip(item, history),
                slipped_recently=slipped,
                last_reason=item.status_reason or reason,
            )
        )
    return rows


def _group_lines(
    session: Session,
    scope: _Scope,
    paging: Paging,
    *,
    now: datetime,
    today: date,
    colour: sa.ColumnElement[str | None],
) -> list[GroupLine]:
    """The page's group lines, by short name, with their meetings and open work by colour."""
    shown = list(
        session.exec(
            select(WorkingGroup)
            .where(*scope.with_lines())
            .order_by(col(WorkingGroup.short_name), col(WorkingGroup.id))
            .offset(paging.offset)
            .limit(paging.size)
        )
    )
    ids = [g.id or 0 for g in shown]
    if not ids:
        return []
    coming = groups.next_meetings(session, now=now, group_ids=ids)
    held = _held_in_year(session, today.year, ids)
    open_work: dict[int, Counter[str]] = {}
    for group_id, shade, count in session.execute(
        sa.select(col(Deliverable.group_id), colour, sa.func.count())
        .where(col(Deliverable.group_id).in_(ids), colour.is_not(None), *scope.items)
        .group_by(col(Deliverable.group_id), colour)
    ):
        open_work.setdefault(group_id, Counter())[shade] = count
    return [
        GroupLine(
            group=g,
            programme=None,
            next_meeting=None if g.status is GroupStatus.closed else coming.get(g.id or 0),
            held_this_year=held[g.id or 0],
            open_by_rag=open_work.get(g.id or 0, Counter()),
        )
        for g in shown
    ]


def _delivered_per_quarter(session: Session, scope: _Scope, today: date) -> list[tuple[str, int]]:
    """Deliverables delivered in each of the last eight quarters, counted per day by SQL."""
    quarters = _quarters(today, 8)
    first_year, first_quarter = quarters[0]
    last_year, last_quarter = quarters[-1]
    first = date(first_year, 3 * first_quarter - 2, 1)
    after = date(
        last_year + (last_quarter == 4), 1 if last_quarter == 4 else 3 * last_quarter + 1, 1
    )
    query: sa.Select[Any]
    if scope.tallied is not None:  # from the tally kept up to date
        tally = DeliverableTally.__table__  # type: ignore[attr-defined]
        on = tally.c.delivered_quarter  # the first day of the quarter: counted in it
        query = (
            sa.select(on, sa.func.sum(tally.c.count))
            .where(on >= first, on < after, *scope.tallied)
            .group_by(on)
        )
    else:
        delivered = col(Deliverable.delivered_on)
        query = (
            sa.select(delivered, sa.func.count())
            .join(WorkingGroup, col(WorkingGroup.id) == col(Deliverable.group_id))
            .where(delivered >= first, delivered < after, *scope.deliverables())
            .group_by(delivered)
        )
    counted = session.execute(query)
    per_quarter: Counter[tuple[int, int]] = Counter()
    for day, count in counted:
        per_quarter[(day.year, (day.month - 1) // 3 + 1)] += count
    return [(f"Q{quarter} {year}", per_quarter[(year, quarter)]) for year, quarter in quarters]


def _held_in_year(session: Session, year: int, group_ids: list[int]) -> Counter[int]:
    """Meetings held per group in a calendar year in Brussels, counted by the database."""
    start, end = held_tally.year_bounds(year)
    counted = session.exec(
        select(Meeting.group_id, func.count())
        .where(
            col(Meeting.group_id).in_(group_ids),
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
