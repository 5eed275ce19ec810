"""The real SmtpMailer against a real SMTP server (aiosmtpd): what arrives is what we built."""

from datetime import UTC, datetime

import pytest

from models.notifications import Notification
from models.people import Language
from service.mail import messages
from service.mail.mailer import PermanentFailure, SmtpMailer, TemporaryFailure
from service.settings import Settings
from tests.smtp import SmtpServer, free_port

NOW = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//KCVS//Overleg//NL\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:meeting-1@kcvs.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _settings(port: int) -> Settings:
    return Settings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_timeout_seconds=5
    )


def _message(language: str, to: str = "an.peeters@gent.example", calendar: bool = False):  # type: ignore[no-untyped-def]
    context: dict[str, object] = {
        "url": "https://overleg.example/sign-in/T",
        "expires_at": "2026-02-03T08:30:00+00:00",
    }
    if calendar:
        context["calendar"] = {"method": "REQUEST", "ics": ICS}
    row = Notification(
        idempotency_key=f"k:{language}:{to}",
        kind="sign_in",
        recipient_email=to,
        language=Language(language),
        context=context,
        created_at=NOW,
        next_attempt_at=NOW,
    )
    return messages.build(row, recipient_name="An Peeters", settings=Settings(), now=NOW)


async def test_what_arrives_has_headers_parts_calendar_method_and_language(
    smtp: SmtpServer,
) -> None:
    async with SmtpMailer(_settings(smtp.port)).connect() as connection:
        for language in ("nl", "en", "fr"):
            await connection.send(_message(language, calendar=True))
    arrived = smtp.handler.messages()
    assert [m["Content-Language"] for m in arrived] == ["nl", "en", "fr"]
    first = arrived[0]
    assert first["Subject"] == "Je aanmeldlink voor Overleg"
    assert first["Message-ID"] == _message("nl")["Message-ID"]
    assert first.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in first.iter_parts()]
    assert parts == ["text/plain", "text/html", "text/calendar"]
    calendar = list(first.iter_parts())[2]
    assert calendar.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in calendar.get_content()
    assert "Dag An Peeters" in first.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_unknown_recipient_is_a_permanent_failure(smtp: SmtpServer) -> None:
    smtp.handler.refuse.add("weg@gent.example")
    async with SmtpMailer(_settings(smtp.port)).connect() as connection:
        with pytest.raises(PermanentFailure, match="550"):
            await connection.send(_message("nl", to="weg@gent.example"))
        await connection.send(_message("nl"))  # the connection is still usable
    assert len(smtp.handler.messages()) == 1


async def test_a_server_that_is_down_is_a_temporary_failure() -> None:
    with pytest.raises(TemporaryFailure, match="cannot reach"):
        async with SmtpMailer(_settings(free_port())).connect():
            pass
