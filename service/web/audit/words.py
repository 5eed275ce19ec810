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
    "question_fate": N_("outcome of a question"),
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
    "meeting_reply": N_("answer to an invitation"),
    "meeting_series": N_("series of meetings"),
    "meeting_change": N_("change of a meeting"),
    "group_theme": N_("theme of a group"),
    "deliverable_contributor": N_("contributor to a deliverable"),
    "deliverable_change": N_("change of a deliverable"),
    "reply_message": N_("answer by email"),
}
# Fields as people name them; others are shown by their name with spaces.
FIELDS = {
    "title": N_("title"),
    "body": N_("text"),
    "status": N_("status"),
    "status_reason": N_("reason"),
    "reason": N_("reason"),
    "name": N_("name"),
    "email": N_("email address"),
    "language": N_("language"),
    "starts_at": N_("start"),
    "ends_at": N_("end"),
    "location": N_("place"),
    "join_url": N_("online link"),
    "deadline": N_("deadline"),
    "opens_at": N_("opens"),
    "position": N_("place in the order"),
    "duration_minutes": N_("duration in minutes"),
    "number": N_("version"),
    "answer": N_("answer"),
    "comment": N_("comment"),
    "received_at": N_("received"),
    "recorded_at": N_("recorded"),
    "created_at": N_("created"),
    "updated_at": N_("changed"),
    "due_on": N_("due"),
    "progress": N_("progress"),
    "question": N_("question"),
    "rank": N_("choice"),
    "revision": N_("revision"),
    "counts": N_("counts"),
    "description": N_("description"),
    "active": N_("active"),
}
# Bookkeeping a reader does not need: the row's own id, and who made it (the "Who" column).
HIDDEN = frozenset({"id", "created_by_id", "changed_by_id", "item_key", "sequence"})
# The status field's values, by the table they belong to.
STATUSES = {
    "meeting": "meeting",
    "agenda_item": "agenda_item",
    "deliverable": "deliverable",
    "minutes_version": "minutes",
    "question_fate": "question",
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
    """Each changed field with its value before and after, as people read them.

    Links to other rows (`…_id`) are left out when the row is made: "What" names the row, and
    the numbers say nothing to a reader. When a link changes, it is shown.
    """
    before, after = entry.before or {}, entry.after or {}
    made = not before
    return [
        (
            _field(field, gettext),
            _value(entry.entity, field, before.get(field), gettext, language),
            _value(entry.entity, field, after.get(field), gettext, language),
        )
        for field in sorted(set(before) | set(after), key=lambda f: (f not in FIELDS, f))
        if before.get(field) != after.get(field)
        and field not in HIDDEN
        and not (made and (field.endswith("_id") or after.get(field) is None))
    ]


def _field(field: str, gettext: Callable[[str], str]) -> str:
    known = FIELDS.get(field)
    return gettext(known) if known else field.removesuffix("_id").replace("_", " ")


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
