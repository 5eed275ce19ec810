"""The secretariat starts, changes and archives working groups from what a person entered.

Every field is checked here, with a message that names it, before anything is written: a page
shows the form again with the message, the API answers it, and the data stays as it was.
"""

import re
from datetime import date, datetime, time
from itertools import islice, takewhile
from typing import Any

from dateutil.rrule import rrulestr
from sqlmodel import Session, SQLModel, col, select

from models.agenda import MAX_QUESTIONS_LIMIT
from models.errors import N_, DomainError
from models.groups import GroupKind, GroupStatus, WorkingGroup, WorkingGroupCreate
from models.meetings import OPEN_STATUSES, Meeting, MeetingFormat, MeetingStatus
from models.programmes import Programme
from service import audit
from service.audit import Actor
from service.clock import BRUSSELS
from service.directory import codes, groups

SLUG_PATTERN = r"^[a-z0-9-]+$"
# Paths under /groups/ that are pages of their own, never a group's code.
RESERVED_SLUGS = frozenset({"new"})
MAX_MEETINGS_A_YEAR = 52
# A year to count a rule's meetings in: any year will do, the check is about the order of size.
_SAMPLE_YEAR = 2030


class GroupSettings(SQLModel):
    """What a person may set on a group; on a change, only the fields given are changed."""

    slug: str | None = None
    short_name: str | None = None
    name: str | None = None
    description: str | None = None
    kind: GroupKind | None = None
    programme: str | None = None
    cadence_rrule: str | None = None
    meetings_per_year: int | None = None
    preferred_weekday: int | None = None
    preferred_start_time: time | None = None
    default_duration_minutes: int | None = None
    default_format: MeetingFormat | None = None
    default_location: str | None = None
    call_opens_days_before: int | None = None
    call_closes_days_before: int | None = None
    call_max_questions: int | None = None
    minutes_review_days: int | None = None
    is_public: bool | None = None


_TEXTS = ("slug", "short_name", "name", "description", "programme", "cadence_rrule")
_DEFAULTS: dict[str, Any] = {
    "kind": GroupKind.werkgroep,
    "default_duration_minutes": 120,
    "default_format": MeetingFormat.online,
    "call_opens_days_before": 21,
    "call_closes_days_before": 7,
    "call_max_questions": 3,
    "minutes_review_days": 14,
    "is_public": False,
}
# field -> (least, most) for the whole numbers a person enters
_RANGES: dict[str, tuple[int, int]] = {
    "meetings_per_year": (1, MAX_MEETINGS_A_YEAR),
    "preferred_weekday": (0, 6),
    "default_duration_minutes": (15, 600),
    "call_opens_days_before": (1, 120),
    "call_closes_days_before": (0, 60),
    "call_max_questions": (1, MAX_QUESTIONS_LIMIT),
    "minutes_review_days": (1, 60),
}
# field -> (least, most) length of the texts
_LENGTHS: dict[str, tuple[int, int]] = {
    "slug": (2, 60),
    "short_name": (2, 60),
    "name": (2, 200),
    "description": (0, 4000),
    "cadence_rrule": (0, 500),
    "default_location": (0, 300),
}


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    """Texts stripped, blank texts as not given."""
    cleaned = dict(values)
    for name in (*_TEXTS, "default_location"):
        text = cleaned.get(name)
        if isinstance(text, str):
            cleaned[name] = text.strip() or None
    rule = cleaned.get("cadence_rrule")
    if rule and rule.upper().startswith("RRULE:"):
        cleaned["cadence_rrule"] = rule[len("RRULE:") :]
    return cleaned


def check_rule(rule: str) -> None:
    """Refuse a cadence rule that does not parse, or gives more meetings than weeks in a year."""
    groups.check_cadence(rule)
    start = datetime.combine(date(_SAMPLE_YEAR, 1, 1), time(14, 0))
    end = datetime.combine(date(_SAMPLE_YEAR + 1, 1, 1), time())
    # Counted lazily and no further than one too many: FREQ=SECONDLY must not take a year.
    occurrences = takewhile(lambda d: d < end, rrulestr(rule, dtstart=start))
    if len(list(islice(occurrences, MAX_MEETINGS_A_YEAR + 1))) > MAX_MEETINGS_A_YEAR:
        raise DomainError(
            N_("The cadence rule gives more than %(max)s meetings a year."),
            field="cadence",
            max=MAX_MEETINGS_A_YEAR,
        )


def _check(session: Session, values: dict[str, Any], *, group_id: int | None) -> None:
    """Refuse the first thing that is wrong, naming its field."""
    for name in ("name", "short_name", "slug"):
        if not values.get(name):
            raise DomainError(N_("This field is required."), field=name)
    for name, (least, most) in _LENGTHS.items():
        length = len(values.get(name) or "")
        if length and not least <= length <= most:
            raise DomainError(
                N_("This text must be between %(least)s and %(most)s characters long."),
                field=name,
                least=least,
                most=most,
            )
    for name, (least, most) in _RANGES.items():
        number = values.get(name)
        if number is not None and not least <= number <= most:
            raise DomainError(
                N_("This number must be between %(least)s and %(most)s."),
                field=name,
                least=least,
                most=most,
            )
    _check_slug(session, values["slug"], group_id=group_id)
    start = values.get("preferred_start_time")
    if start is not None and start.tzinfo is not None:
        raise DomainError(
            N_("Give the start time without a zone: it is Brussels time."),
            field="preferred_start_time",
        )
    _check_cadence(values)
    if values["call_closes_days_before"] >= values["call_opens_days_before"]:
        raise DomainError(
            N_("A call for input must open before it closes."), field="call_closes_days_before"
        )
    programme = values.get("programme")
    if programme and not session.exec(select(Programme).where(Programme.slug == programme)).first():
        raise DomainError(N_("Unknown programme: %(slug)s."), field="programme", slug=programme)


def _check_slug(session: Session, slug: str, *, group_id: int | None) -> None:
    if not re.fullmatch(SLUG_PATTERN, slug) or slug in RESERVED_SLUGS:
        raise DomainError(
            N_("A code is written in small letters, digits and hyphens, like nis2 or kbo-a."),
            field="slug",
        )
    codes.refuse_taken(session, WorkingGroup, slug, groups.GROUP_CODE_TAKEN, own_id=group_id)


def _check_cadence(values: dict[str, Any]) -> None:
    rule, per_year = values.get("cadence_rrule"), values.get("meetings_per_year")
    if rule and per_year:
        raise DomainError(
            N_("Give either a cadence rule or a number of meetings a year, not both."),
            field="cadence",
        )
    if rule:
        check_rule(rule)


def _programme_id(session: Session, slug: str | None) -> int | None:
    if not slug:
        return None
    return groups.get_programme_by_slug(session, slug=slug).id


def create(
    session: Session, *, settings: GroupSettings, actor: Actor, now: datetime
) -> WorkingGroup:
    """Start a working group from what a person entered."""
    given = settings.model_dump(exclude_unset=True, exclude_none=True)
    values = {**_DEFAULTS, **_cleaned(given)}
    _check(session, values, group_id=None)
    values["started_on"] = now.astimezone(BRUSSELS).date()
    return groups.create(
        session, group_in=WorkingGroupCreate.model_validate(values), actor=actor, now=now
    )


# What names a group in the organisation's portfolio: only the secretariat changes these.
SECRETARIAT_ONLY = ("short_name", "name", "kind", "programme", "is_public")


def update(
    session: Session,
    *,
    slug: str,
    settings: GroupSettings,
    actor: Actor,
    now: datetime,
    by_chair: bool = False,
) -> WorkingGroup:
    """Change the settings given; the others stay as they are.

    A chair (`by_chair`) changes how the group works (description, cadence, meetings, calls,
    review), not what names it in the portfolio (`SECRETARIAT_ONLY`).
    """
    group = groups.get_by_slug(session, slug=slug)
    current = {
        name: getattr(group, name) for name in GroupSettings.model_fields if name != "programme"
    }
    current["programme"] = groups.programme_slug(session, group)
    # The code stays: it is in every link, feed and email the group has given out.
    changes = settings.model_dump(exclude_unset=True, exclude={"slug"})
    values = {**current, **_cleaned(changes)}
    for name, default in _DEFAULTS.items():  # a required setting left empty keeps its value
        if values.get(name) is None:
            values[name] = current.get(name, default)
    if by_chair:
        for name in SECRETARIAT_ONLY:
            if values.get(name) != current.get(name):
                raise DomainError(N_("Only the secretariat can change this setting."), field=name)
    _check(session, values, group_id=group.id)
    with audit.changing(session, group, actor=actor, now=now):
        values["programme_id"] = _programme_id(session, values.pop("programme"))
        for name, value in values.items():
            setattr(group, name, value)
    return group


def upcoming_count(session: Session, *, group_id: int, now: datetime) -> int:
    """How many meetings the group still has to come (planned, confirmed or postponed)."""
    rows = session.exec(
        select(Meeting).where(
            Meeting.group_id == group_id,
            col(Meeting.status).in_([*OPEN_STATUSES, MeetingStatus.postponed]),
        )
    )
    return sum(
        1
        for m in rows
        if m.status is MeetingStatus.postponed or (m.starts_at is not None and m.starts_at > now)
    )


def archive(session: Session, *, slug: str, actor: Actor, now: datetime) -> WorkingGroup:
    """Close a group: it plans nothing more; its pages, meetings and feeds stay readable."""
    group = groups.get_by_slug(session, slug=slug)
    assert group.id is not None
    if group.status is GroupStatus.closed:
        raise DomainError(N_("This group is archived already."), field="group")
    waiting = upcoming_count(session, group_id=group.id, now=now)
    if waiting:
        raise DomainError(
            N_("Meetings of this group still to come: %(count)s. Cancel them first."),
            field="group",
            count=waiting,
        )
    with audit.changing(session, group, actor=actor, now=now):
        today = now.astimezone(BRUSSELS).date()
        group.status = GroupStatus.closed
        group.ended_on = max(today, group.started_on) if group.started_on else today
    return group
