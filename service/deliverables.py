"""Use cases for deliverables, keeping a history of every change of status and due date."""

from datetime import date, datetime

from sqlmodel import Session, select

from models.dates import DatePrecision, check_period_start, period_end
from models.deliverables import (
    Deliverable,
    DeliverableChange,
    DeliverableCreate,
    DeliverableField,
    DeliverableStatus,
)
from models.errors import N_, DomainError, NotFound
from service import audit, groups, organisations, people
from service.audit import Actor

_NEEDS_REASON = (DeliverableStatus.blocked, DeliverableStatus.dropped)


def get(session: Session, *, deliverable_id: int) -> Deliverable:
    """Return the deliverable with this id, or refuse with a clear message."""
    deliverable = session.get(Deliverable, deliverable_id)
    if deliverable is None:
        raise NotFound(N_("Unknown deliverable: %(id)s."), field="deliverable", id=deliverable_id)
    return deliverable


def due_label_value(due_on: date, precision: DatePrecision) -> str:
    """A compact, sortable text for a due date, used in the change history."""
    return f"{precision.value}:{due_on.isoformat()}"


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
    person_id = organisation_id = None
    if deliverable_in.accountable_email:
        person = people.get_by_email(session, email=deliverable_in.accountable_email)
        person_id, organisation_id = person.id, person.organisation_id
    if deliverable_in.accountable_organisation:
        organisation_id = organisations.get_by_slug(
            session, slug=deliverable_in.accountable_organisation
        ).id
    if person_id is None and organisation_id is None:
        raise DomainError(
            N_("Name the person or organisation accountable for it."), field="accountable"
        )
    assert group.id is not None
    if session.exec(
        select(Deliverable).where(
            Deliverable.group_id == group.id, Deliverable.title == deliverable_in.title
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
        created_at=now,
        updated_at=now,
    )
    audit.save(session, row=deliverable, before=None, actor=actor, now=now)
    return deliverable


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
    check_period_start(due_on, precision)
    if not reason.strip():
        raise DomainError(N_("Say why the due date moves."), field="reason")
    before = audit.snapshot(deliverable)
    assert deliverable.id is not None
    session.add(
        DeliverableChange(
            deliverable_id=deliverable.id,
            field=DeliverableField.due,
            old_value=due_label_value(deliverable.due_on, deliverable.due_precision),
            new_value=due_label_value(due_on, precision),
            reason=reason.strip(),
            changed_at=now,
            changed_by_id=actor.person_id,
        )
    )
    deliverable.due_on, deliverable.due_precision, deliverable.updated_at = due_on, precision, now
    audit.save(session, row=deliverable, before=before, actor=actor, now=now)
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
    before = audit.snapshot(deliverable)
    assert deliverable.id is not None
    session.add(
        DeliverableChange(
            deliverable_id=deliverable.id,
            field=DeliverableField.status,
            old_value=deliverable.status.value,
            new_value=status.value,
            reason=reason,
            changed_at=now,
            changed_by_id=actor.person_id,
        )
    )
    deliverable.status, deliverable.status_reason, deliverable.updated_at = status, reason, now
    if status is DeliverableStatus.delivered:
        deliverable.delivered_on = delivered_on or now.date()
        deliverable.progress = 100
    audit.save(session, row=deliverable, before=before, actor=actor, now=now)
    return deliverable
