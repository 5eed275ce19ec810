"""The colour of an open deliverable: red, amber or green, as the directors read it."""

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from models.deliverables import Deliverable, DeliverableStatus
from service.deliverables import deliverables

SOON = timedelta(days=14)


class Rag(StrEnum):
    """Red: blocked or overdue. Amber: at risk, or due within two weeks. Green: on track."""

    red = "red"
    amber = "amber"
    green = "green"


def colour(deliverable: Deliverable, today: date) -> Rag | None:
    """The colour of an open deliverable on a day; None once delivered or dropped."""
    if deliverable.status in deliverables.CLOSED:
        return None
    due = deliverables.due_day(deliverable)
    if deliverable.status is DeliverableStatus.blocked or due < today:
        return Rag.red
    if deliverable.status is DeliverableStatus.at_risk or due - today <= SOON:
        return Rag.amber
    return Rag.green


def ends_before(day: date) -> sa.ColumnElement[bool]:
    """Whether a deliverable's period ends before `day`, as the database tests it.

    The stored due day is the end of the period, so this is one indexed comparison that does
    what `deliverables.due_day(d) < day` does in Python.
    """
    return col(Deliverable.due_day) < day


def colour_column(
    today: date, status: Any = None, due_day: Any = None
) -> sa.ColumnElement[str | None]:
    """The colour of every deliverable computed by the database: `colour` in SQL.

    Of the deliverable table's columns, or of other columns with the same meaning (the
    roll-up's tally).
    """
    status = col(Deliverable.status) if status is None else status
    due_day = col(Deliverable.due_day) if due_day is None else due_day
    return sa.case(
        (status.in_(deliverables.CLOSED), sa.null()),
        (
            sa.or_(status == DeliverableStatus.blocked, due_day < today),
            sa.literal(Rag.red.value),
        ),
        (
            sa.or_(
                status == DeliverableStatus.at_risk,
                due_day < today + SOON + timedelta(days=1),
            ),
            sa.literal(Rag.amber.value),
        ),
        else_=sa.literal(Rag.green.value),
    )
