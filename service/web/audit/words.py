"""The audit log as people read it: what was done to what, and each change in words."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.audit import AuditEntry
from models.errors import N_
from service import formatting
from service.web import labels

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
    action = labels.named("audit_action", entry.action.value, gettext) or entry.action.value
    name = labels.named("audit_thing", entry.entity, gettext) or entry.entity.replace("_", " ")
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
        for field in sorted(
            set(before) | set(after), key=lambda f: (f not in labels.KINDS["audit_field"], f)
        )
        if before.get(field) != after.get(field)
        and field not in HIDDEN
        and not (made and (field.endswith("_id") or after.get(field) is None))
    ]


def _field(field: str, gettext: Callable[[str], str]) -> str:
    known = labels.named("audit_field", field, gettext)
    return known or field.removesuffix("_id").replace("_", " ")


def _value(
    entity: str, field: str, value: Any, gettext: Callable[[str], str], language: str
) -> str:
    if value is None:
        return "—"
    if field == "status" and entity in STATUSES:
        return labels.named(STATUSES[entity], str(value), gettext) or str(value)
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
