"""The outbox's own flattening gives aiosmtplib's bytes and envelope, for every kind of message."""

from email.message import Message
from email.mime.text import MIMEText

import pytest
from aiosmtplib.email import extract_recipients, extract_sender, flatten_message

from service.mail import messages, wire
from tests.service.mail.test_messages import NOW, SETTINGS, demo_notification

NAMES = [
    "An Peeters",
    "Anne-Françoise Van den Heuvel-Vandeputte, schepen van digitalisering en informatieveiligheid",
    'Ødegård, "Kim" (CISO)',
    "",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("kind", messages.KINDS)
def test_same_bytes_and_envelope_as_aiosmtplib(kind: str, language: str, name: str) -> None:
    message = messages.build(
        demo_notification(kind, language), recipient_name=name, settings=SETTINGS, now=NOW
    )
    assert wire.flatten(message) == flatten_message(message)
    assert wire.envelope(message) == (extract_sender(message), extract_recipients(message))


def test_long_and_non_ascii_headers_take_the_standard_fold() -> None:
    message = MIMEText("body", "plain", "utf-8")
    message["Subject"] = "a fairly long subject line " * 5
    message["X-Note"] = "café"
    message["From"] = "overleg@kcvs.example"
    message["To"] = "an@gent.example"
    flat = wire.flatten(message)
    assert flat == flatten_message(message)
    assert b"\n " in flat  # the long subject was folded


@pytest.mark.parametrize(
    ("header", "value"),
    [("Bcc", "geheim@gent.example"), ("Resent-Date", "Mon, 1 Dec 2026 09:00:00 +0000")],
)
def test_bcc_and_resent_messages_take_aiosmtplib_s_path(header: str, value: str) -> None:
    message = Message()
    message["From"] = "overleg@kcvs.example"
    message["To"] = "an@gent.example"
    message[header] = value
    assert wire.envelope(message) is None


def test_an_address_beyond_ascii_takes_aiosmtplib_s_path() -> None:
    message = Message()
    message["From"] = "overleg@kcvs.example"
    message["To"] = "zoë@gent.example"
    assert wire.envelope(message) is None


@pytest.mark.parametrize("subtype", ["plain", "html"])
@pytest.mark.parametrize("content", ["Dag An,\n\nTot dan.\n", "é" * 300, ""])
def test_text_part_is_mimetext_s_bytes(content: str, subtype: str) -> None:
    part = messages.text_part(content, subtype)
    assert part.as_bytes() == MIMEText(content, subtype, "utf-8").as_bytes()
    assert part.get_content_charset() == "utf-8"
    assert part.get_payload(decode=True) == content.encode("utf-8")
