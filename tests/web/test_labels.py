"""Stored values of a deliverable's history, as people read them in each language."""

import pytest

from models.deliverables import DeliverableField
from service.i18n import translations
from service.web import labels


@pytest.mark.parametrize(
    ("language", "field", "stored", "shown"),
    [
        ("nl", DeliverableField.due, "quarter:2027-01-01", "1e kwartaal 2027"),
        ("en", DeliverableField.due, "quarter:2027-01-01", "Q1 2027"),
        ("fr", DeliverableField.due, "half_year:2026-07-01", "2e semestre 2026"),
        ("nl", DeliverableField.due, "month:2026-02-01", "februari 2026"),
        ("fr", DeliverableField.due, "day:2026-02-10", "10 février 2026"),
        ("nl", DeliverableField.due, "year:2026-01-01", "2026"),
        ("nl", DeliverableField.status, "at_risk", "in gevaar"),
        ("fr", DeliverableField.status, "blocked", "bloqué"),
        ("en", DeliverableField.status, "in_progress", "in progress"),
        ("nl", DeliverableField.progress, "75", "75/100"),
        ("nl", DeliverableField.accountable, "Stad Gent", "Stad Gent"),
    ],
)
def test_history_values_read_as_people_write_them(
    language: str, field: DeliverableField, stored: str, shown: str
) -> None:
    gettext = translations(language).gettext
    assert labels.history_value(field, stored, gettext=gettext, language=language) == shown


def test_a_missing_old_value_stays_missing() -> None:
    gettext = translations("nl").gettext
    assert labels.history_value(DeliverableField.due, None, gettext=gettext, language="nl") is None


def test_every_field_has_a_translated_name() -> None:
    assert set(labels.KINDS["deliverable_field"]) == {field.value for field in DeliverableField}
    names = labels.translated("deliverable_field", translations("nl").gettext)
    assert names["due"] == "Deadline" and names["progress"] == "Voortgang"
