"""The colour of an open deliverable: red, amber or green, as the directors read it."""

from datetime import date, timedelta
from enum import StrEnum

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


def colour_column(today: date) -> sa.ColumnElement[str | None]:
    """The colour of every deliverable computed by the database: `colour` in SQL."""
    return sa.case(
        (col(Deliverable.status).in_(deliverables.CLOSED), sa.null()),
        (
            sa.or_(col(Deliverable.status) == DeliverableStatus.blocked, ends_before(today)),
            sa.literal(Rag.red.value),
        ),
        (
            sa.or_(
                col(Deliverable.status) == DeliverableStatus.at_risk,
                ends_before(today + SOON + timedelta(days=1)),
            ),
            sa.literal(Rag.amber.value),
        ),
        else_=sa.literal(Rag.green.value),
    )
