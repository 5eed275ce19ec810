"""Sending mail: over SMTP with aiosmtplib (its one home), or into a local mailbox folder."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from email.message import Message
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib
from aiosmtplib.typing import Default

from service.mail import wire
from service.settings import Settings

# What send_message asks of a server that offers 8BITMIME (the flattened bytes allow 8 bits).
_EIGHT_BIT = ("BODY=8BITMIME",)


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class TemporaryFailure(Exception):
    """The message could not be sent now (4xx, a timeout, a dropped connection): try later."""


class Dropped(TemporaryFailure):
    """The server did not answer in time or hung up: the next message needs a new session."""


class Unreachable(TemporaryFailure):
    """The server cannot be reached at all: the rest of the batch waits too."""


# Awaited before a server may accept a message: the sender's earlier work is done by then.
Settle = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


class Connection(Protocol):
    """An open channel that sends messages one by one."""

    async def send(self, message: Message, settle: Settle = _nothing) -> None:
        """Send one message, or raise PermanentFailure or TemporaryFailure (or a subclass).

        `settle` is awaited before the message can be accepted (before SMTP's DATA): delivery
        commits the previous message's mark meanwhile (service/mail/marks.py).
        """


class Mailer(Protocol):
    """Opens one connection per batch of messages."""

    def connect(self) -> AbstractAsyncContextManager[Connection]:
        """Open a connection for a batch."""


class _Client(aiosmtplib.SMTP):
    """aiosmtplib's client, which awaits the message's `settle` before sending its DATA."""

    settle: Settle = _nothing

    async def data(
        self,
        message: str | bytes,
        /,
        *,
        timeout: float | Literal[Default.token] | None = Default.token,  # noqa: ASYNC109 - aiosmtplib's signature
    ) -> aiosmtplib.SMTPResponse:
        """Send DATA and the message once `settle` is done."""
        await self.settle()
        return await super().data(message, timeout=timeout)


class _SmtpConnection:
    """One SMTP session that opens again after a timeout or a drop, for the next message."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: _Client | None = None

    async def open(self) -> None:
        """Connect, upgrade and log in, or raise Unreachable."""
        s = self._settings
        assert s.smtp_host is not None
        client = _Client(
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
            client.close()
            raise Unreachable(f"cannot reach the mail server: {error}") from error
        except asyncio.CancelledError:  # the message's time ran out while connecting
            client.close()
            raise
        self._client = client

    async def send(self, message: Message, settle: Settle = _nothing) -> None:
        opening = self._client is None or not self._client.is_connected
        timeout = self._settings.smtp_timeout_seconds
        try:
            # One bound for the whole message, a new session included, so that a run knows
            # how long a message can take (service/mail/leases.py).
            async with asyncio.timeout(timeout):
                if opening:  # the previous message timed out or the server hung up
                    await self.open()
                    opening = False
                client = self._client
                assert client is not None
                client.settle = settle
                try:
                    await self._send(client, message)
                finally:
                    client.settle = _nothing
        except TimeoutError as error:
            self._drop()
            if opening:
                raise Unreachable(f"cannot reach the mail server within {timeout:g} s") from error
            raise Dropped(f"no answer within {timeout:g} s") from error
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(str(refused.recipients[0])) from refused
            raise TemporaryFailure(str(refused.recipients[0])) from refused
        except aiosmtplib.SMTPResponseException as response:
            kind = PermanentFailure if response.code >= 500 else TemporaryFailure
            raise kind(f"{response.code} {response.message}") from response
        except (aiosmtplib.SMTPException, OSError) as error:
            self._drop()
            raise Dropped(str(error) or type(error).__name__) from error

    @staticmethod
    async def _send(client: aiosmtplib.SMTP, message: Message) -> None:
        # The same envelope and bytes as send_message, flattened for a third of the cost.
        envelope = wire.envelope(message)
        if envelope is None or not client.supports_extension("8bitmime"):
            await client.send_message(message)
            return
        sender, recipients = envelope
        await client.sendmail(sender, recipients, wire.flatten(message), mail_options=_EIGHT_BIT)

    def _drop(self) -> None:
        # The session is in an unknown state: the next message starts a fresh one.
        if self._client is not None:
            self._client.close()
            self._client = None

    async def close(self) -> None:
        """Say goodbye, or just hang up when the server does not listen."""
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


class SmtpMailer:
    """Sends over one reused SMTP connection per batch, with STARTTLS and login when set."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        """Open, upgrade and log in (or raise Unreachable); close at the end of the batch."""
        connection = _SmtpConnection(self._settings)
        await connection.open()
        try:
            yield connection
        finally:
            await connection.close()


class _MailboxConnection:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def send(self, message: Message, settle: Settle = _nothing) -> None:
        await settle()
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
