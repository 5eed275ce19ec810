"""Names of statuses and colours as people read them, translated per request."""

from collections.abc import Callable

from models.deliverables import DeliverableField
from models.errors import N_
from service import formatting
from service.deliverables import deliverables

DELIVERABLE_STATUS = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "at_risk": N_("at risk"),
    "blocked": N_("blocked"),
    "delivered": N_("delivered"),
    "dropped": N_("dropped"),
}
COLOURS = {"red": N_("red"), "amber": N_("amber"), "green": N_("green")}
ATTENDANCE_STATUS = {"present": N_("present"), "excused": N_("excused"), "absent": N_("absent")}
DELIVERABLE_FIELD = {
    "status": N_("Status"),
    "due": N_("Due date"),
    "progress": N_("Progress"),
    "accountable": N_("Accountable"),
}


def translated(labels: dict[str, str], gettext: Callable[[str], str]) -> dict[str, str]:
    """The labels in the reader's language."""
    return {key: gettext(value) for key, value in labels.items()}


def history_value(
    field: DeliverableField, value: str | None, *, gettext: Callable[[str], str], language: str
) -> str | None:
    """A value of a deliverable's history as people read it, not as it is stored.

    A status by its translated name, a due date as its (fuzzy) period, progress out of 100.
    """
    if value is None:
        return None
    if field is DeliverableField.status:
        return gettext(DELIVERABLE_STATUS.get(value, value))
    if field is DeliverableField.due:
        day, precision = deliverables.parse_due_label(value)
        return formatting.period(day, precision, language)
    if field is DeliverableField.progress:
        return f"{value}/100"
    return value
