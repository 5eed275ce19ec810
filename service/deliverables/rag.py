"""The colour of an open deliverable: red, amber or green, as the directors read it."""

from datetime import date, timedelta
from enum import StrEnum

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
