"""Plan a group's year from its cadence: an RRULE, or "N per year" on a preferred weekday."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from dateutil.rrule import rrulestr
from sqlmodel import Session, select

from models.dates import check_window
from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingCreate, MeetingKind, MeetingSeries, MeetingStatus
from service import audit
from service.audit import Actor
from service.clock import BRUSSELS, brussels
from service.directory import groups
from service.meetings import holidays, meetings

DEFAULT_START = time(14, 0)
# "N per year" is spread over the months people meet in: mid-January to mid-December.
_SPREAD = ((1, 15), (12, 15))


@dataclass(frozen=True)
class PlannedDate:
    """One meeting of the year's plan: a date the cadence asks for, or a meeting that exists."""

    day: date
    starts_at: datetime
    ends_at: datetime
    exists: bool
    meeting: Meeting | None = None  # the meeting that exists on (or instead of) this date


def _shift_to_meeting_day(day: date, weekday: int | None) -> date:
    """The nearest allowed day on the preferred weekday (searching outwards, later first)."""
    for offset in range(0, 60):
        for candidate in (day + timedelta(days=offset), day - timedelta(days=offset)):
            if (weekday is None or candidate.weekday() == weekday) and (
                holidays.is_meeting_day(candidate) and candidate.year == day.year
            ):
                return candidate
    raise DomainError(N_("The cadence gives no date on which the group can meet."), field="cadence")


def _spread(count: int, year: int, weekday: int | None) -> list[date]:
    """`count` dates spread evenly over the year's meeting months, on allowed days."""
    first, last = date(year, *_SPREAD[0]), date(year, *_SPREAD[1])
    usable = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    usable = [d for d in usable if not holidays.in_summer_break(d)]
    targets = [usable[round(i * (len(usable) - 1) / max(count - 1, 1))] for i in range(count)]
    chosen: list[date] = []
    for target in targets:
        day = _shift_to_meeting_day(target, weekday)
        if day in chosen:
            raise DomainError(
                N_("The cadence asks for more meetings than the year has room for."),
                field="cadence",
            )
        chosen.append(day)
    return sorted(chosen)


def cadence_days(group: WorkingGroup, year: int) -> list[date]:
    """The days a group's cadence gives in a year, holidays and summer break left out."""
    start_time = group.preferred_start_time or DEFAULT_START
    if group.cadence_rrule:
        groups.check_cadence(group.cadence_rrule)
        rule = rrulestr(group.cadence_rrule, dtstart=datetime.combine(date(year, 1, 1), start_time))
        days = [
            occurrence.date()
            for occurrence in rule.between(
                # Wall-clock dates on purpose: a cadence is a local rule, zones come later.
                datetime.combine(date(year, 1, 1), time()),
                datetime.combine(date(year + 1, 1, 1), time()),
                inc=True,
            )
        ]
        days = [d for d in days if holidays.is_meeting_day(d)]
    elif group.meetings_per_year:
        days = _spread(group.meetings_per_year, year, group.preferred_weekday)
    else:
        raise DomainError(N_("This group has no cadence to plan from."), field="cadence")
    if not days:
        raise DomainError(
            N_("The cadence gives no date on which the group can meet."), field="cadence"
        )
    return days


def _series(session: Session, group: WorkingGroup) -> MeetingSeries | None:
    return session.exec(select(MeetingSeries).where(MeetingSeries.group_id == group.id)).first()


def preview(session: Session, *, group_slug: str, year: int) -> list[PlannedDate]:
    """The year's meetings: those that exist, and the cadence's dates planned around them.

    A meeting of the series stands for its occurrence (also once moved or cancelled); any other
    meeting of the group in the year stands for the cadence's nearest date, when that date is
    closer to it than half the cadence's usual gap, so no new meeting lands weeks next to it.
    """
    group = groups.get_by_slug(session, slug=group_slug)
    days = cadence_days(group, year)
    series = _series(session, group)
    rows = list(session.exec(select(Meeting).where(Meeting.group_id == group.id)))
    taken: dict[date, Meeting] = {
        m.occurrence_date: m
        for m in rows
        if series is not None and m.series_id == series.id and m.occurrence_date in days
    }
    others = [m for m in rows if m not in taken.values() and _in_year(m, year)]
    reach = _reach(days)
    for meeting in sorted(others, key=meetings.sort_key):
        assert meeting.starts_at is not None
        local = meeting.starts_at.astimezone(BRUSSELS).date()
        free = [d for d in days if d not in taken and abs((d - local).days) < reach]
        if free:
            taken[min(free, key=lambda d: abs((d - local).days))] = meeting
    start_time = group.preferred_start_time or DEFAULT_START
    planned = [_existing(m, day) for day, m in taken.items()]
    planned += [_existing(m, None) for m in others if m not in taken.values()]
    for day in (d for d in days if d not in taken):
        starts_at = brussels(datetime.combine(day, start_time))
        ends_at = starts_at + timedelta(minutes=group.default_duration_minutes)
        planned.append(PlannedDate(day=day, starts_at=starts_at, ends_at=ends_at, exists=False))
    return sorted(planned, key=lambda p: (p.starts_at, p.day))


def _in_year(meeting: Meeting, year: int) -> bool:
    """A dated, not cancelled meeting whose day (in Brussels) falls in the year."""
    return (
        meeting.starts_at is not None
        and meeting.status is not MeetingStatus.cancelled
        and meeting.starts_at.astimezone(BRUSSELS).year == year
    )


def _reach(days: list[date]) -> int:
    """Half the cadence's usual gap in days: how far an existing meeting stands in for a date."""
    gaps = sorted((b - a).days for a, b in pairwise(days))
    return max(gaps[len(gaps) // 2] // 2, 7) if gaps else 183


def _existing(meeting: Meeting, day: date | None) -> PlannedDate:
    """A row of the plan for a meeting that exists (dated, or fuzzy and shown at its date)."""
    starts_at = meeting.starts_at or brussels(datetime.combine(day or date.min, DEFAULT_START))
    return PlannedDate(
        day=day or starts_at.astimezone(BRUSSELS).date(),
        starts_at=starts_at,
        ends_at=meeting.ends_at or starts_at,
        exists=True,
        meeting=meeting,
    )


def plan_year(
    session: Session, *, group_slug: str, year: int, actor: Actor, now: datetime
) -> list[Meeting]:
    """Create the year's meetings that do not exist yet; existing ones are left alone."""
    check_window(date(year, 1, 1), now=now.date(), field="year")
    group = groups.get_by_slug(session, slug=group_slug)
    groups.check_plans(group)
    planned = [p for p in preview(session, group_slug=group_slug, year=year) if not p.exists]
    planned = [p for p in planned if p.starts_at > now]
    assert group.id is not None
    created = []
    with session.begin_nested():
        series = _series(session, group)
        if series is None:
            series = MeetingSeries(
                group_id=group.id,
                rrule=group.cadence_rrule or f"PER-YEAR:{group.meetings_per_year}",
                duration_minutes=group.default_duration_minutes,
            )
            audit.save(session, row=series, before=None, actor=actor, now=now)
        for item in planned:
            meeting = meetings.schedule(
                session,
                actor=actor,
                now=now,
                meeting_in=MeetingCreate(
                    group=group.slug,
                    # No date in the title: pages and mails show it from the meeting's time,
                    # so a moved meeting never carries a stale day.
                    title=group.short_name,
                    kind=MeetingKind.meeting,
                    format=group.default_format,
                    location=group.default_location,
                    is_public=group.is_public,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    status=MeetingStatus.planned,
                ),
            )
            meeting.series_id, meeting.occurrence_date = series.id, item.day
            session.add(meeting)
            created.append(meeting)
        session.flush()
    return created
