"""Names of statuses and colours as people read them, translated per request."""

from collections.abc import Callable

from models.errors import N_

DELIVERABLE_STATUS = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "at_risk": N_("at risk"),
    "blocked": N_("blocked"),
    "delivered": N_("delivered"),
    "dropped": N_("dropped"),
}
COLOURS = {"red": N_("red"), "amber": N_("amber"), "green": N_("green")}


def translated(labels: dict[str, str], gettext: Callable[[str], str]) -> dict[str, str]:
    """The labels in the reader's language."""
    return {key: gettext(value) for key, value in labels.items()}
