"""Golden files for every kind of message in every language, and the message's headers."""

import os
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage, Message
from email.policy import default
from pathlib import Path

import pytest

from models.notifications import Notification
from models.people import Language
from service import emails, previews
from service.settings import Settings

SNAPSHOTS = Path(__file__).parent / "snapshots" / "emails"
NOW = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)
SETTINGS = Settings(mail_from="Overleg KCVS <overleg@kcvs.example>")
# Demo context per kind, as the code that queues it would write it.
CONTEXTS: dict[str, dict[str, object]] = {
    "agenda_draft_ready": {
        "group_name": "Werkgroep NIS2",
        "meeting_title": "NIS2 – overleg 1/2027",
        "meeting_at": "2027-02-11T09:00:00+00:00",
        "deadline_at": "2027-02-04T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/nis2/meetings/12/agenda/review",
    },
    "agenda_call_open": {
        "group_name": "Werkgroep NIS2",
        "meeting_title": "NIS2 – overleg 1/2027",
        "meeting_at": "2027-02-11T09:00:00+00:00",
        "deadline_at": "2027-02-04T16:00:00+00:00",
        "max_questions": 3,
        "guidance": "Denk aan wat je stad dit jaar moet regelen voor de registratie bij het CCB.",
        "url": "https://overleg.kcvs.example/input/TOKEN",
    },
    "agenda_call_reminder": {
        "group_name": "Werkgroep NIS2",
        "meeting_title": "NIS2 – overleg 1/2027",
        "meeting_at": "2027-02-11T09:00:00+00:00",
        "deadline_at": "2027-02-04T16:00:00+00:00",
        "max_questions": 3,
        "guidance": None,
        "url": "https://overleg.kcvs.example/input/TOKEN",
    },
    "agenda_changed": {
        "meeting_title": "Werkgroep NIS2 – vergadering 1/2027",
        "meeting_at": "2027-01-19T13:00:00+00:00",
        "version": 2,
        "note": "Op vraag van de voorzitter.",
        "changes": [
            {
                "kind": "added",
                "title": "Registratie op Safeonweb@work",
                "old_title": None,
                "minutes": 20,
                "old_minutes": None,
            },
            {
                "kind": "renamed",
                "title": "Essentiële of belangrijke entiteit?",
                "old_title": "Wat valt onder essentiële entiteit?",
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "reordered",
                "title": "Meldplicht bij incidenten",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "duration",
                "title": "Meldplicht bij incidenten",
                "old_title": None,
                "minutes": 30,
                "old_minutes": 20,
            },
            {
                "kind": "moved_on",
                "title": "Budget in het meerjarenplan",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "dropped",
                "title": "Copilot & vertrouwelijke <dossiers>",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "removed",
                "title": "Back-ups",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
        ],
        "agenda": [
            {"position": 1, "title": "Welkom", "minutes": 5},
            {"position": 2, "title": "Meldplicht bij incidenten", "minutes": 30},
            {"position": 3, "title": "Essentiële of belangrijke entiteit?", "minutes": 30},
            {"position": 4, "title": "Registratie op Safeonweb@work", "minutes": 20},
            {"position": 5, "title": "Praktische vragen", "minutes": 10},
        ],
    },
    "minutes_reminder": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "stage": "chair",
    },
    "meeting_invitation": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "group_name": "Werkgroep GDPR",
        "starts_at": "2026-02-10T13:00:00+00:00",
        "ends_at": "2026-02-10T15:00:00+00:00",
        "location": "Stadhuis, Botermarkt 1, 9000 Gent",
        "join_url": "https://meet.example/gdpr-20260210",
        "url": "https://overleg.kcvs.example/groups/gdpr",
        "update": True,
        "previous_starts_at": "2026-02-03T13:00:00+00:00",
        "place_changed": False,
        "reason": "Samen met de stuurgroep",
    },
    "meeting_cancellation": {
        "meeting_title": "Netwerkdag Interne audit en continue verbetering",
        "group_name": "KBO – Kwaliteit, Beleid & Organisatiebeheersing",
        "starts_at": "2025-12-18T08:30:00+00:00",
        "ends_at": "2025-12-18T15:30:00+00:00",
        "location": "Bischoffsheimlaan 1-8, 1000 Brussel",
        "join_url": None,
        "url": "https://overleg.kcvs.example/groups/kbo",
        "postponed": True,
        "postponed_to": "februari 2026",
        "reason": "Verplaatst naar februari 2026 door onverwachte omstandigheden",
    },
    "minutes_review": {
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "meeting_id": 7,
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "version": 1,
        "is_correction": False,
        "review_deadline_at": "2026-02-20T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes#version-1",
    },
    "minutes_approved": {
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "meeting_id": 7,
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "version": 2,
        "is_correction": True,
        "review_deadline_at": "2026-03-02T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes#version-2",
    },
    "deliverable_reminder": {
        "deliverable_id": 12,
        "title": "Gezamenlijk advies over de protocollen",
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "status": "in_progress",
        "progress": 60,
        "due_on": "2026-03-01",
        "due_precision": "month",
        "days_overdue": 0,
        "stage": "before-7",
        "url": "https://overleg.kcvs.example/groups/gdpr/deliverables#deliverable-12",
    },
    "deliverable_overdue": {
        "deliverable_id": 12,
        "title": "Gezamenlijk advies over de protocollen",
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "status": "at_risk",
        "progress": 80,
        "due_on": "2026-01-01",
        "due_precision": "quarter",
        "days_overdue": 7,
        "stage": "overdue-7",
        "url": "https://overleg.kcvs.example/groups/gdpr/deliverables#deliverable-12",
    },
    "director_digest": {
        "week": "2026-W10",
        "url": "https://overleg.kcvs.example/directors",
        "counts": {"red": 2, "amber": 1, "green": 9},
        "escalated": [
            {
                "title": "Beleidsrapport InnoFiNS",
                "group_name": "InnoFiNS",
                "due_on": "2026-01-01",
                "due_precision": "quarter",
                "days_overdue": 16,
            }
        ],
        "blocked": [
            {"title": "Verwerkersregister", "group_name": "GDPR", "reason": "Wacht op ABB"}
        ],
        "slipped": [
            {
                "title": "Netwerkdag Interne audit",
                "group_name": "KBO",
                "old_on": "2025-12-18",
                "old_precision": "day",
                "due_on": "2026-02-01",
                "due_precision": "month",
                "reason": "Onverwachte omstandigheden",
            }
        ],
        "delivered": [{"title": "Eerste prioriteitenlijst NIS2-noden", "group_name": "NIS2"}],
    },
    "sign_in": {
        "url": "https://overleg.kcvs.example/sign-in/TOKEN",
        "expires_at": "2026-02-03T08:30:00+00:00",
    },
}


def demo_notification(kind: str, language: str) -> Notification:
    """An outbox row of a kind, as the product would queue it."""
    return Notification(
        idempotency_key=f"{kind}:demo",
        kind=kind,
        recipient_email="an.peeters@gent.example",
        language=Language(language),
        context=CONTEXTS[kind],
        created_at=NOW,
        next_attempt_at=NOW,
    )


def _parsed(message: Message) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_every_kind_has_a_demo_context() -> None:
    assert set(CONTEXTS) == set(emails.KINDS) == set(previews.DEMO_CONTEXTS)


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("kind", emails.KINDS)
def test_golden(kind: str, language: str) -> None:
    message = _parsed(
        emails.build(
            demo_notification(kind, language),
            recipient_name="An Peeters",
            settings=SETTINGS,
            now=NOW,
        )
    )
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    rendered = (
        f"Subject: {message['Subject']}\n\n{text.get_content()}\n"
        f"----- html -----\n{html.get_content()}"
    )
    golden = SNAPSHOTS / f"{kind}.{language}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden.name}: run with UPDATE_GOLDEN=1 once"
    assert rendered == golden.read_text(encoding="utf-8")


def test_headers_and_stable_message_id() -> None:
    notification = demo_notification("sign_in", "fr")
    first = emails.build(notification, recipient_name="Julien Lambert", settings=SETTINGS, now=NOW)
    again = emails.build(notification, recipient_name="Julien Lambert", settings=SETTINGS, now=NOW)
    parsed = message_from_bytes(first.as_bytes(), policy=default)
    assert parsed["Message-ID"] == again["Message-ID"]
    assert parsed["Message-ID"].endswith("@kcvs.example>")
    assert parsed["Content-Language"] == "fr"
    assert parsed["To"] == "Julien Lambert <an.peeters@gent.example>"
    assert parsed.get_content_type() == "multipart/alternative"
    assert "connexion" in parsed["Subject"]


def test_html_escapes_what_the_context_holds() -> None:
    notification = demo_notification("sign_in", "nl")
    message = _parsed(
        emails.build(
            notification, recipient_name="<script>alert(1)</script>", settings=SETTINGS, now=NOW
        )
    )
    html = message.get_body(("html",))
    assert html is not None
    assert "<script>" not in html.get_content()
    assert "&lt;script&gt;" in html.get_content()
