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
from service.mail import messages, previews
from service.settings import Settings

SNAPSHOTS = Path(__file__).parent / "snapshots" / "emails"
NOW = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)
SETTINGS = Settings(mail_from="Overleg KCVS <overleg@kcvs.example>")
# Demo context per kind, as the code that queues it would write it: the previews' own, except
# where the golden files pin another branch (an update with a reason, the chair's stage, ...).
CONTEXTS: dict[str, dict[str, object]] = {
    **previews.DEMO_CONTEXTS,
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
    "minutes_reminder": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "stage": "chair",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes",
    },
    "meeting_invitation": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "group_name": "Werkgroep GDPR",
        "starts_at": "2026-02-10T13:00:00+00:00",
        "ends_at": "2026-02-10T15:00:00+00:00",
        "location": "Stadhuis, Botermarkt 1, 9000 Gent",
        "join_url": "https://meet.example/gdpr-20260210",
        "url": "https://overleg.kcvs.example/groups/gdpr",
        "materials_url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/materials",
        "answer_url": "https://overleg.kcvs.example/answer/TOKEN",
        "update": True,
        "previous_starts_at": "2026-02-03T13:00:00+00:00",
        "place_changed": False,
        "reason": "Samen met de stuurgroep",
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
    assert set(CONTEXTS) == set(messages.KINDS) == set(previews.DEMO_CONTEXTS)


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("kind", messages.KINDS)
def test_golden(kind: str, language: str) -> None:
    message = _parsed(
        messages.build(
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
    first = messages.build(
        notification, recipient_name="Julien Lambert", settings=SETTINGS, now=NOW
    )
    again = messages.build(
        notification, recipient_name="Julien Lambert", settings=SETTINGS, now=NOW
    )
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
        messages.build(
            notification, recipient_name="<script>alert(1)</script>", settings=SETTINGS, now=NOW
        )
    )
    html = message.get_body(("html",))
    assert html is not None
    assert "<script>" not in html.get_content()
    assert "&lt;script&gt;" in html.get_content()
