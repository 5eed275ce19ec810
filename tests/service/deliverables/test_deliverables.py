"""Deliverables: reasons, due dates with precision, and the history of slippage."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.deliverables import (
    DeliverableChange,
    DeliverableCreate,
    DeliverableField,
    DeliverableStatus,
)
from models.errors import DomainError
from service.deliverables import deliverables
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_person


def _new(session: Session, now: datetime, **changes: object) -> DeliverableCreate:
    group = make_group(session, now=now)
    person = make_person(session, now=now)
    join(session, person=person, group=group, now=now)  # only people of the group are named
    fields: dict[str, object] = {
        "group": group.slug,
        "title": "Beleidsrapport",
        "accountable_email": person.email,
        "due_on": date(2027, 1, 1),
        "due_precision": DatePrecision.quarter,
    }
    fields.update(changes)
    return DeliverableCreate.model_validate(fields)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": date(2026, 1, 1)}, "due in the past"),
        ({"due_on": date(2027, 2, 1)}, "first day of that period"),
        ({"status": DeliverableStatus.blocked}, "blocked or dropped"),
        ({"status": DeliverableStatus.delivered}, "delivered"),
        ({"accountable_email": None}, "accountable"),
        ({"accountable_organisation": "onbekend"}, "Unknown organisation"),
    ],
)
def test_bad_deliverables_are_refused(
    session: Session, now: datetime, changes: dict[str, object], message: str
) -> None:
    deliverable_in = _new(session, now, **changes)
    counts = table_counts(session)
    with pytest.raises(DomainError, match=message):
        deliverables.create(session, deliverable_in=deliverable_in, actor=ACTOR, now=now)
    assert table_counts(session) == counts


def test_slippage_is_kept_as_history(session: Session, now: datetime) -> None:
    deliverable = deliverables.create(
        session, deliverable_in=_new(session, now), actor=ACTOR, now=now
    )
    assert deliverable.id is not None
    deliverables.change_due(
        session,
        deliverable_id=deliverable.id,
        due_on=date(2027, 2, 1),
        precision=DatePrecision.month,
        reason="Wacht op juridisch advies",
        actor=ACTOR,
        now=now,
    )
    with pytest.raises(DomainError, match="blocked or dropped"):
        deliverables.change_status(
            session,
            deliverable_id=deliverable.id,
            status=DeliverableStatus.blocked,
            reason=" ",
            actor=ACTOR,
            now=now,
        )
    deliverables.change_status(
        session,
        deliverable_id=deliverable.id,
        status=DeliverableStatus.blocked,
        reason="Geen budget",
        actor=ACTOR,
        now=now,
    )
    history = session.exec(
        select(DeliverableChange)
        .where(DeliverableChange.deliverable_id == deliverable.id)
        .order_by(col(DeliverableChange.id))
    ).all()
    assert [(h.field, h.old_value, h.new_value) for h in history] == [
        (DeliverableField.due, "quarter:2027-01-01", "month:2027-02-01"),
        (DeliverableField.status, "planned", "blocked"),
    ]
    assert deliverable.status_reason == "Geen budget"
