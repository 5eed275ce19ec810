"""The audit log as people read it: what was done to what, and each change in words."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.audit import AuditEntry
from models.errors import N_
from service import formatting
from service.web import labels

ACTIONS = {
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "erase": N_("erased"),
}
THINGS = {
    "meeting": N_("meeting"),
    "agenda_call": N_("call for input"),
    "agenda_version": N_("agenda"),
    "agenda_item": N_("agenda item"),
    "submission": N_("question"),
    "minutes_version": N_("minutes"),
    "minutes_comment": N_("comment on minutes"),
    "attendance": N_("attendance"),
    "deliverable": N_("deliverable"),
    "decision": N_("decision"),
    "person": N_("person"),
    "organisation": N_("organisation"),
    "working_group": N_("working group"),
    "membership": N_("membership"),
    "material": N_("material"),
    "material_version": N_("version of a material"),
    "homework_assignment": N_("homework"),
    "homework_question": N_("homework question"),
    "homework_answer": N_("homework answer"),
    "homework_revision": N_("edit of a homework answer"),
    "feed_token": N_("calendar link"),
    "api_key": N_("API key"),
}
# The status field's values, by the table they belong to.
STATUSES = {
    "meeting": "meeting",
    "agenda_item": "agenda_item",
    "deliverable": "deliverable",
    "minutes_version": "minutes",
}
LONGEST = 120
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def what(entry: AuditEntry, gettext: Callable[[str], str]) -> str:
    """'changed: meeting #12', in the reader's language."""
    action = gettext(ACTIONS.get(entry.action.value, entry.action.value))
    thing = THINGS.get(entry.entity)
    name = gettext(thing) if thing else entry.entity.replace("_", " ")
    return f"{action}: {name} #{entry.entity_id}"


def changes(
    entry: AuditEntry, gettext: Callable[[str], str], language: str
) -> list[tuple[str, str, str]]:
    """Each changed field with its value before and after, as people read them."""
    before, after = entry.before or {}, entry.after or {}
    return [
        (
            field.replace("_", " "),
            _value(entry.entity, field, before.get(field), gettext, language),
            _value(entry.entity, field, after.get(field), gettext, language),
        )
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    ]


def _value(
    entity: str, field: str, value: Any, gettext: Callable[[str], str], language: str
) -> str:
    if value is None:
        return "—"
    if field == "status" and entity in STATUSES:
        known = labels.KINDS[STATUSES[entity]].get(str(value))
        return gettext(known) if known else str(value)
    if isinstance(value, bool):
        return gettext(N_("yes")) if value else gettext(N_("no"))
    text = str(value)
    if _INSTANT.match(text):
        try:
            return formatting.instant(datetime.fromisoformat(text), language)
        except ValueError:
            pass
    # A long text (minutes, a description) is shown by its start.
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
