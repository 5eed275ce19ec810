"""Who was present, excused or absent at a meeting, recorded by its chair or the secretariat.

One row per meeting and person, changed in place, so recording the same list twice changes
nothing and a second recording only corrects what differs. Each row keeps the organisation the
person belonged to: once a person is erased the row loses the person but still counts for the
organisation, in the minutes and in the reports. The minutes draft reads these rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.audit import AuditAction
from models.errors import N_, DomainError
from models.meetings import (
    OPEN_STATUSES,
    Attendance,
    AttendanceEntry,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from models.memberships import MembershipRole
from models.organisations import Organisation
from models.people import Person
from service import audit
from service.audit import Actor
from service.clock import BRUSSELS
from service.directory import memberships
from service.meetings import meetings
from service.replies import stand_ins

# More than any group has members; a longer list is a mistake, not a meeting.
MAX_ENTRIES = 500


def is_open(meeting: Meeting, *, now: datetime) -> bool:
    """Whether attendance can be recorded: the meeting has started or has been held."""
    if meeting.status is MeetingStatus.held:
        return True
    return (
        meeting.status in OPEN_STATUSES
        and meeting.starts_at is not None
        and meeting.starts_at <= now
    )


def meeting_day(meeting: Meeting) -> date | None:
    """The day of a meeting in Brussels, whose members are the ones expected to attend."""
    if meeting.starts_at is not None:
        return meeting.starts_at.astimezone(BRUSSELS).date()
    return meeting.period_start


@dataclass(frozen=True)
class Line:
    """One person on the attendance list, with what was recorded (None: nothing yet).

    `person_id` and `name` are None for a row whose person was erased; such rows, and rows of
    people no longer in the group that day, are shown but cannot be changed (`editable`).
    """

    person_id: int | None
    name: str | None
    organisation: str
    role: MembershipRole | None
    status: AttendanceStatus | None
    editable: bool


def _expected(
    session: Session, meeting: Meeting
) -> dict[int, tuple[Person, MembershipRole | None]]:
    """The people in the group on the meeting's day, not erased, with their role then; and
    the stand-ins who go instead of a member (no role)."""
    day = meeting_day(meeting)
    if day is None:
        return {}
    found: dict[int, tuple[Person, MembershipRole | None]] = {}
    for membership in memberships.current(session, group_id=meeting.group_id, on=day):
        person = session.get(Person, membership.person_id)
        if person is not None and person.erased_at is None and person.id not in found:
            found[membership.person_id] = (person, membership.role)
    for stand_in in stand_ins.of_meeting(session, meeting=meeting):
        if stand_in.person.id is not None and stand_in.person.id not in found:
            found[stand_in.person.id] = (stand_in.person, None)
    return found


def _rows(session: Session, meeting_id: int) -> list[Attendance]:
    return list(session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)))


def sheet(session: Session, *, meeting_id: int) -> list[Line]:
    """The attendance list: everyone in the group that day, then rows recorded for others.

    Each part is sorted by organisation and then by name, as the minutes list them.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    expected = _expected(session, meeting)
    rows = _rows(session, meeting_id)
    recorded = {row.person_id: row for row in rows if row.person_id is not None}
    names = {o.id: o.name for o in session.exec(select(Organisation))}
    lines = []
    for person_id, (person, role) in expected.items():
        row = recorded.get(person_id)
        # The organisation recorded at the meeting, else the person's own today.
        organisation_id = row.organisation_id if row else person.organisation_id
        lines.append(
            Line(
                person_id=person_id,
                name=person.name,
                organisation=names.get(organisation_id, ""),
                role=role,
                status=row.status if row else None,
                editable=True,
            )
        )
    others = []
    for row in rows:
        if row.person_id in expected:
            continue
        someone = session.get(Person, row.person_id) if row.person_id is not None else None
        named = someone is not None and someone.erased_at is None
        others.append(
            Line(
                person_id=row.person_id if named else None,
                name=someone.name if someone is not None and named else None,
                organisation=names.get(row.organisation_id, ""),
                role=None,
                status=row.status,
                editable=False,
            )
        )

    def order(line: Line) -> tuple[str, str]:
        return (line.organisation, line.name or "")

    return sorted(lines, key=order) + sorted(others, key=order)


@dataclass(frozen=True)
class Recorded:
    """What one recording did: rows added, rows whose status changed, rows already so."""

    created: int
    changed: int
    unchanged: int


def record(
    session: Session,
    *,
    meeting_id: int,
    entries: Sequence[AttendanceEntry],
    actor: Actor,
    now: datetime,
) -> Recorded:
    """Record who was present, excused or absent, per person; people not named stay as they were.

    Refused as a whole, changing nothing, when the meeting has not started (or was cancelled or
    postponed), when the list is empty, too long or names someone twice, or when someone named
    was not in the group on the meeting's day or has been erased.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    if not is_open(meeting, now=now):
        raise DomainError(
            N_("Attendance can only be recorded for a meeting that has started or taken place."),
            field="meeting",
        )
    if not entries:
        raise DomainError(
            N_("Choose for at least one person whether they were present, excused or absent."),
            field="attendance",
        )
    if len(entries) > MAX_ENTRIES:
        raise DomainError(
            N_("At most %(max)s people can be recorded at once."),
            field="attendance",
            max=MAX_ENTRIES,
        )
    person_ids = [entry.person_id for entry in entries]
    if len(set(person_ids)) != len(person_ids):
        raise DomainError(N_("Name each person only once."), field="attendance")
    expected = _expected(session, meeting)
    for person_id in person_ids:
        if person_id in expected:
            continue
        person = session.get(Person, person_id)
        if person is not None and person.erased_at is not None:
            raise DomainError(
                N_("Person %(id)s has been erased; their attendance can no longer change."),
                field="attendance",
                id=person_id,
            )
        raise DomainError(
            N_("Person %(id)s was not in this group on the day of the meeting."),
            field="attendance",
            id=person_id,
        )
    created = changed = 0
    with session.begin_nested():
        for entry in entries:
            person, _role = expected[entry.person_id]
            outcome = _upsert(session, meeting_id, person, entry.status, actor, now)
            created += outcome == "created"
            changed += outcome == "changed"
    return Recorded(created=created, changed=changed, unchanged=len(entries) - created - changed)


def _find(session: Session, meeting_id: int, person_id: int) -> Attendance | None:
    return session.exec(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    ).first()


def prefill(
    session: Session,
    *,
    meeting_id: int,
    statuses: dict[int, AttendanceStatus],
    actor: Actor,
    now: datetime,
) -> int:
    """Add a row for each person given who has none yet; a row already there stays as it is.

    For the sheet to start from the answers: what the chair recorded is never overwritten,
    and running it again adds nothing. Returns the rows added.
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    expected = _expected(session, meeting)
    added = 0
    for person_id, status in sorted(statuses.items()):
        if person_id in expected:
            person = expected[person_id][0]
            added += _insert(session, meeting_id, person, status, actor, now) is not None
    return added


def _insert(
    session: Session,
    meeting_id: int,
    person: Person,
    status: AttendanceStatus,
    actor: Actor,
    now: datetime,
) -> Attendance | None:
    """Add one person's row unless it exists (ON CONFLICT DO NOTHING); the row added, audited."""
    assert person.id is not None
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    added = session.execute(
        insert(Attendance)
        .values(
            meeting_id=meeting_id,
            person_id=person.id,
            organisation_id=person.organisation_id,
            status=status,
        )
        .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        .returning(col(Attendance.id))
    ).first()
    if added is None:
        return None
    row = _find(session, meeting_id, person.id)
    assert row is not None
    audit.record(session, actor=actor, action=AuditAction.create, row=row, before=None, now=now)
    return row


def _upsert(
    session: Session,
    meeting_id: int,
    person: Person,
    status: AttendanceStatus,
    actor: Actor,
    now: datetime,
) -> str:
    """Add or change one person's row; 'created', 'changed' or 'unchanged'.

    The row is added with INSERT ... ON CONFLICT DO NOTHING, so of two recordings at once one
    adds it and the other finds it, instead of failing on the unique key.
    """
    assert person.id is not None
    if _insert(session, meeting_id, person, status, actor, now) is not None:
        return "created"
    row = _find(session, meeting_id, person.id)
    assert row is not None
    if row.status is status:
        return "unchanged"
    with audit.changing(session, row, actor=actor, now=now):
        # The organisation stays the one recorded at the meeting, whatever the person's today.
        row.status = status
    return "changed"
