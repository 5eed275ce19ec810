"""Sending mail: over SMTP with aiosmtplib (its one home), or into a local mailbox folder."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from email.message import Message
from pathlib import Path
from typing import Protocol

import aiosmtplib

from service.settings import Settings


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class TemporaryFailure(Exception):
    """The message could not be sent now (4xx, a dropped connection): try again later."""


class Connection(Protocol):
    """An open channel that sends messages one by one."""

    async def send(self, message: Message) -> None:
        """Send one message, or raise PermanentFailure or TemporaryFailure."""


class Mailer(Protocol):
    """Opens one connection per batch of messages."""

    def connect(self) -> AbstractAsyncContextManager[Connection]:
        """Open a connection for a batch."""


class _SmtpConnection:
    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self._client = client

    async def send(self, message: Message) -> None:
        try:
            await self._client.send_message(message)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(str(refused.recipients[0])) from refused
            raise TemporaryFailure(str(refused.recipients[0])) from refused
        except aiosmtplib.SMTPResponseException as response:
            kind = PermanentFailure if response.code >= 500 else TemporaryFailure
            raise kind(f"{response.code} {response.message}") from response
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(str(error) or type(error).__name__) from error


class SmtpMailer:
    """Sends over one reused SMTP connection per batch, with STARTTLS and login when set."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        """Open, upgrade and log in; close at the end of the batch."""
        s = self._settings
        assert s.smtp_host is not None
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            start_tls=s.smtp_starttls,
            timeout=s.smtp_timeout_seconds,
        )
        try:
            await client.connect()
            if s.smtp_username and s.smtp_password:
                await client.login(s.smtp_username, s.smtp_password.get_secret_value())
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"cannot reach the mail server: {error}") from error
        try:
            yield _SmtpConnection(client)
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()


class _MailboxConnection:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def send(self, message: Message) -> None:
        name = str(message["Message-ID"]).strip("<>").partition("@")[0]
        path = self._folder / f"{name}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(message.as_bytes())
        temporary.replace(path)  # atomic: a reader never sees half a message


class MailboxMailer:
    """The embedded default: each message becomes an .eml file in a folder."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        """Make sure the folder exists."""
        self._folder.mkdir(parents=True, exist_ok=True)
        yield _MailboxConnection(self._folder)


def for_settings(settings: Settings) -> SmtpMailer | MailboxMailer:
    """SMTP when a server is configured, else the local mailbox."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    return MailboxMailer(settings.mailbox_dir)
