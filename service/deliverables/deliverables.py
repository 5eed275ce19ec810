"""Use cases for deliverables, keeping a history of every change of status and due date."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaVersion
from models.dates import (
    DatePrecision,
    check_period_start,
    check_window,
    period_end,
)
from models.deliverables import (
    Decision,
    DecisionCreate,
    Deliverable,
    DeliverableChange,
    DeliverableContributor,
    DeliverableCreate,
    DeliverableField,
    DeliverableStatus,
)
from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting
from models.people import Person
from service import audit, db
from service.audit import Actor
from service.directory import groups, memberships, organisations, people

_NEEDS_REASON = (DeliverableStatus.blocked, DeliverableStatus.dropped)
CLOSED = (DeliverableStatus.delivered, DeliverableStatus.dropped)


def get(session: Session, *, deliverable_id: int) -> Deliverable:
    """Return the deliverable with this id, or refuse with a clear message."""
    return db.get_or_refuse(
        session,
        Deliverable,
        deliverable_id,
        N_("Unknown deliverable: %(id)s."),
        field="deliverable",
    )


def in_group(session: Session, *, slug: str, deliverable_id: int) -> Deliverable:
    """The deliverable, refused as unknown when it belongs to another group."""
    item = session.get(Deliverable, deliverable_id)
    if item is None or item.group_id != groups.get_by_slug(session, slug=slug).id:
        raise NotFound(N_("Unknown deliverable: %(id)s."), field="deliverable", id=deliverable_id)
    return item


def due_label_value(due_on: date, precision: DatePrecision) -> str:
    """A compact, sortable text for a due date, used in the change history."""
    return f"{precision.value}:{due_on.isoformat()}"


def parse_due_label(value: str) -> tuple[date, DatePrecision]:
    """Read back a due date written by `due_label_value`."""
    precision, _, day = value.partition(":")
    return date.fromisoformat(day), DatePrecision(precision)


_DUE_TEXT = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|\d{2})(?:-(\d{2}))?)?$")


def parse_due(text: str) -> tuple[date, DatePrecision]:
    """Read "2026", "2026-H1", "2026-Q1", "2026-02" or "2026-02-10" as a (fuzzy) due date."""
    match = _DUE_TEXT.match(text.strip().upper())
    try:
        if match is None:
            raise ValueError(text)
        year, part, day = int(match[1]), match[2], match[3]
        if part is None:
            return date(year, 1, 1), DatePrecision.year
        if part.startswith("Q"):
            return date(year, 3 * int(part[1]) - 2, 1), DatePrecision.quarter
        if part.startswith("H"):
            return date(year, 6 * int(part[1]) - 5, 1), DatePrecision.half_year
        if day is None:
            return date(year, int(part), 1), DatePrecision.month
        return date(year, int(part), int(day)), DatePrecision.day
    except ValueError as error:
        raise DomainError(
            N_("Write the due date as 2026-02-10, 2026-02, 2026-Q1, 2026-H2 or 2026."),
            field="due",
        ) from error


def due_day(deliverable: Deliverable) -> date:
    """The day a deliverable is due: the last day of its (possibly fuzzy) period."""
    return period_end(deliverable.due_on, deliverable.due_precision)


def due_day_column() -> sa.ColumnElement[date]:
    """`due_day` as the database keeps it (stored on every write), to sort and compare by."""
    return sa.type_coerce(col(Deliverable.due_day), sa.Date())


def for_group(session: Session, *, group_id: int) -> list[Deliverable]:
    """A group's deliverables, soonest due first."""
    rows = session.exec(select(Deliverable).where(Deliverable.group_id == group_id)).all()
    return sorted(rows, key=lambda d: (due_day(d), d.title))


def history(session: Session, *, deliverable_id: int) -> list[DeliverableChange]:
    """Every recorded change of a deliverable, oldest first."""
    return list(
        session.exec(
            select(DeliverableChange)
            .where(DeliverableChange.deliverable_id == deliverable_id)
            .order_by(col(DeliverableChange.changed_at), col(DeliverableChange.id))
        )
    )


def contributors(session: Session, *, deliverable_id: int) -> list[DeliverableContributor]:
    """The people and organisations helping to deliver."""
    return list(
        session.exec(
            select(DeliverableContributor).where(
                DeliverableContributor.deliverable_id == deliverable_id
            )
        )
    )


@dataclass(frozen=True)
class Slip:
    """How far a due date has moved: "first due September 2025, now February 2026"."""

    first_on: date
    first_precision: DatePrecision
    now_on: date
    now_precision: DatePrecision
    moves: int

    @property
    def slipped(self) -> bool:
        """Whether the due day is later now than it first was."""
        return period_end(self.now_on, self.now_precision) > period_end(
            self.first_on, self.first_precision
        )


def slip(deliverable: Deliverable, changes: list[DeliverableChange]) -> Slip:
    """The first and the current due date of a deliverable, from its history."""
    moves = [c for c in changes if c.field is DeliverableField.due and c.old_value]
    first_on, first_precision = (
        parse_due_label(moves[0].old_value or "")
        if moves
        else (deliverable.due_on, deliverable.due_precision)
    )
    return Slip(
        first_on, first_precision, deliverable.due_on, deliverable.due_precision, len(moves)
    )


def _check_links(
    session: Session,
    *,
    group_id: int,
    meeting_id: int | None,
    agenda_item_id: int | None,
    decision_id: int | None,
) -> None:
    """Refuse a link to a meeting, agenda item or decision of another group."""
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.group_id != group_id:
            raise DomainError(N_("That meeting is not a meeting of this group."), field="meeting")
    if agenda_item_id is not None:
        item = session.get(AgendaItem, agenda_item_id)
        version = session.get(AgendaVersion, item.version_id) if item else None
        if version is None or (meeting_id is not None and version.meeting_id != meeting_id):
            raise DomainError(
                N_("That agenda item is not on the agenda of this meeting."), field="agenda_item"
            )
        if meeting_id is None:
            raise DomainError(N_("Name the meeting the agenda item belongs to."), field="meeting")
    if decision_id is not None:
        decision = session.get(Decision, decision_id)
        if decision is None or decision.group_id != group_id:
            raise DomainError(
                N_("That decision is not a decision of this group."), field="decision"
            )


def record_decision(
    session: Session, *, decision_in: DecisionCreate, actor: Actor, now: datetime
) -> Decision:
    """Record a decision of a group, from the minutes of a meeting or on its own."""
    group = groups.get_by_slug(session, slug=decision_in.group)
    assert group.id is not None
    text = decision_in.text.strip()
    if len(text) < 2:
        raise DomainError(N_("Write down what was decided."), field="text")
    check_window(decision_in.decided_on, now=now.date(), field="decided_on")
    if decision_in.decided_on > now.date():
        raise DomainError(N_("A decision cannot be dated in the future."), field="decided_on")
    _check_links(
        session,
        group_id=group.id,
        meeting_id=decision_in.meeting_id,
        agenda_item_id=decision_in.agenda_item_id,
        decision_id=None,
    )
    decision = Decision(
        group_id=group.id,
        meeting_id=decision_in.meeting_id,
        agenda_item_id=decision_in.agenda_item_id,
        text=text,
        decided_on=decision_in.decided_on,
        created_at=now,
    )
    return audit.created(session, decision, actor=actor, now=now)


def decisions_for_group(session: Session, *, group_id: int) -> list[Decision]:
    """A group's decisions, newest first."""
    return list(
        session.exec(
            select(Decision)
            .where(Decision.group_id == group_id)
            .order_by(col(Decision.decided_on).desc(), col(Decision.id).desc())
        )
    )


def create(
    session: Session,
    *,
    deliverable_in: DeliverableCreate,
    actor: Actor,
    now: datetime,
    delivered_on: date | None = None,
    historical: bool = False,
) -> Deliverable:
    """Record a deliverable; `historical` allows past due dates when importing the record."""
    group = groups.get_by_slug(session, slug=deliverable_in.group)
    if len(deliverable_in.title.strip()) < 2:
        raise DomainError(N_("Give the deliverable a title."), field="title")
    check_window(deliverable_in.due_on, now=now.date(), field="due_on")
    check_period_start(deliverable_in.due_on, deliverable_in.due_precision)
    if not historical and period_end(deliverable_in.due_on, deliverable_in.due_precision) < (
        now.date()
    ):
        raise DomainError(N_("A new deliverable cannot be due in the past."), field="due_on")
    reason = (deliverable_in.status_reason or "").strip() or None
    if deliverable_in.status in _NEEDS_REASON and reason is None:
        raise DomainError(
            N_("Say why the deliverable is blocked or dropped."), field="status_reason"
        )
    if deliverable_in.status is DeliverableStatus.delivered and delivered_on is None:
        raise DomainError(N_("Give the date the deliverable was delivered."), field="delivered_on")
    assert group.id is not None
    # An import of the record names people as they were; what people do now names the group's.
    on = None if historical else now.date()
    person_id = organisation_id = None
    if deliverable_in.accountable_email:
        person = _named_person(session, deliverable_in.accountable_email, group.id, on)
        person_id, organisation_id = person.id, person.organisation_id
    if deliverable_in.accountable_organisation:
        organisation_id = organisations.get_by_slug(
            session, slug=deliverable_in.accountable_organisation
        ).id
    if person_id is None and organisation_id is None:
        raise DomainError(
            N_("Name the person or organisation accountable for it."), field="accountable"
        )
    _check_links(
        session,
        group_id=group.id,
        meeting_id=deliverable_in.meeting_id,
        agenda_item_id=deliverable_in.agenda_item_id,
        decision_id=deliverable_in.decision_id,
    )
    helpers = _contributors(session, deliverable_in, group_id=group.id, on=on)
    if session.exec(
        select(Deliverable).where(
            Deliverable.group_id == group.id, Deliverable.title == deliverable_in.title.strip()
        )
    ).first():
        raise DomainError(
            N_("This group already has a deliverable with that title."), field="title"
        )
    deliverable = Deliverable(
        group_id=group.id,
        title=deliverable_in.title.strip(),
        description=deliverable_in.description,
        accountable_person_id=person_id,
        accountable_organisation_id=organisation_id,
        due_on=deliverable_in.due_on,
        due_precision=deliverable_in.due_precision,
        status=deliverable_in.status,
        status_reason=reason,
        progress=100
        if deliverable_in.status is DeliverableStatus.delivered
        else deliverable_in.progress,
        delivered_on=delivered_on,
        decision_id=deliverable_in.decision_id,
        meeting_id=deliverable_in.meeting_id,
        agenda_item_id=deliverable_in.agenda_item_id,
        created_at=now,
        updated_at=now,
    )
    with session.begin_nested():
        audit.save(session, row=deliverable, before=None, actor=actor, now=now)
        assert deliverable.id is not None
        for person_id, organisation_id in helpers:
            row = DeliverableContributor(
                deliverable_id=deliverable.id, person_id=person_id, organisation_id=organisation_id
            )
            audit.save(session, row=row, before=None, actor=actor, now=now)
    return deliverable


def _named_person(session: Session, email: str, group_id: int, on: date | None) -> Person:
    """The person named by an address, who must be in the group (any role, external experts
    the secretariat added included) on the day; an unknown address gets the same answer, so
    that naming addresses tells nobody which exist."""
    person = people.find_by_email(session, email=email)
    if person is None or person.erased_at is not None:
        raise DomainError(_NOT_IN_GROUP, field="accountable")
    assert person.id is not None
    if on is not None and not memberships.is_member(
        session, person_id=person.id, group_id=group_id, on=on
    ):
        raise DomainError(_NOT_IN_GROUP, field="accountable")
    return person


_NOT_IN_GROUP = N_("Only people of the working group can be named for a deliverable.")


def _contributors(
    session: Session, deliverable_in: DeliverableCreate, *, group_id: int, on: date | None
) -> list[tuple[int | None, int | None]]:
    """The contributors named by email and by organisation slug, each once."""
    found: list[tuple[int | None, int | None]] = []
    for email in deliverable_in.contributor_emails:
        if email.strip():
            person = _named_person(session, email, group_id, on)
            found.append((person.id, person.organisation_id))
    for slug in deliverable_in.contributor_organisations:
        if slug.strip():
            organisation = organisations.get_by_slug(session, slug=slug.strip())
            found.append((None, organisation.id))
    return list(dict.fromkeys(found))


@contextmanager
def _changing(
    session: Session,
    deliverable: Deliverable,
    field: DeliverableField,
    *,
    old: str,
    new: str,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Iterator[None]:
    """Keep the change of one field in the history, and audit what the block changes."""
    before = audit.snapshot(deliverable)
    assert deliverable.id is not None
    session.add(
        DeliverableChange(
            deliverable_id=deliverable.id,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
            changed_at=now,
            changed_by_id=actor.person_id,
        )
    )
    yield
    with session.begin_nested():
        audit.save(session, row=deliverable, before=before, actor=actor, now=now)


def change_due(
    session: Session,
    *,
    deliverable_id: int,
    due_on: date,
    precision: DatePrecision,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Deliverable:
    """Move a due date, keeping the old one in the history with the reason."""
    deliverable = get(session, deliverable_id=deliverable_id)
    if deliverable.status in CLOSED:
        raise DomainError(
            N_("A delivered or dropped deliverable keeps its due date."), field="due_on"
        )
    check_window(due_on, now=now.date(), field="due_on")
    check_period_start(due_on, precision)
    if not reason.strip():
        raise DomainError(N_("Say why the due date moves."), field="reason")
    if (due_on, precision) == (deliverable.due_on, deliverable.due_precision):
        raise DomainError(N_("The deliverable is already due then."), field="due_on")
    if period_end(due_on, precision) < now.date():
        raise DomainError(N_("A due date cannot be moved into the past."), field="due_on")
    with _changing(
        session,
        deliverable,
        DeliverableField.due,
        old=due_label_value(deliverable.due_on, deliverable.due_precision),
        new=due_label_value(due_on, precision),
        reason=reason.strip(),
        actor=actor,
        now=now,
    ):
        deliverable.due_on, deliverable.due_precision, deliverable.updated_at = (
            due_on,
            precision,
            now,
        )
    return deliverable


def change_status(
    session: Session,
    *,
    deliverable_id: int,
    status: DeliverableStatus,
    reason: str | None,
    actor: Actor,
    now: datetime,
    delivered_on: date | None = None,
) -> Deliverable:
    """Change a status, requiring a reason for blocked and dropped, and keep the history."""
    deliverable = get(session, deliverable_id=deliverable_id)
    reason = (reason or "").strip() or None
    if status in _NEEDS_REASON and reason is None:
        raise DomainError(
            N_("Say why the deliverable is blocked or dropped."), field="status_reason"
        )
    if status is deliverable.status:
        raise DomainError(N_("The deliverable already has this status."), field="status")
    if delivered_on is not None:
        check_window(delivered_on, now=now.date(), field="delivered_on")
        if delivered_on > now.date():
            raise DomainError(
                N_("A deliverable cannot be delivered in the future."), field="delivered_on"
            )
    with _changing(
        session,
        deliverable,
        DeliverableField.status,
        old=deliverable.status.value,
        new=status.value,
        reason=reason,
        actor=actor,
        now=now,
    ):
        deliverable.status, deliverable.status_reason, deliverable.updated_at = status, reason, now
        if status is DeliverableStatus.delivered:
            deliverable.delivered_on = delivered_on or now.date()
            deliverable.progress = 100
        else:
            deliverable.delivered_on = None
    return deliverable


def change_progress(
    session: Session,
    *,
    deliverable_id: int,
    progress: int,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> Deliverable:
    """Record how far along a deliverable is (0 to 100 percent), keeping the history."""
    deliverable = get(session, deliverable_id=deliverable_id)
    if not 0 <= progress <= 100:
        raise DomainError(N_("Progress is a percentage from 0 to 100."), field="progress")
    if deliverable.status in CLOSED:
        raise DomainError(
            N_("A delivered or dropped deliverable makes no more progress."), field="progress"
        )
    if progress == deliverable.progress:
        raise DomainError(N_("The deliverable is already that far along."), field="progress")
    with _changing(
        session,
        deliverable,
        DeliverableField.progress,
        old=str(deliverable.progress),
        new=str(progress),
        reason=(note or "").strip()[:2000] or None,
        actor=actor,
        now=now,
    ):
        deliverable.progress, deliverable.updated_at = progress, now
    return deliverable
