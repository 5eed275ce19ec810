"""A real SMTP server for tests (aiosmtpd), recording what arrives; it can refuse, defer, be
slow, or go down."""

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RecordingHandler:
    """Keeps every message; refuses (550) or defers (451) the recipients it is told to.

    `delay` makes every answer to DATA wait that many seconds, `slow` only those for the given
    recipients: like a throttling provider, or one that answers after the client's timeout.
    """

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self.delay = 0.0
        self.slow: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Accept or refuse one recipient."""
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if address in self.defer:
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Record the message (after the delay, if any)."""
        wait = max([self.delay, *(self.slow.get(to, 0.0) for to in envelope.rcpt_tos)])
        if wait:
            await asyncio.sleep(wait)
        with self.lock:
            self.received.append(bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """What arrived, parsed."""
        with self.lock:
            raw = list(self.received)
        return [message_from_bytes(r, policy=default) for r in raw]


class SmtpServer:
    """An aiosmtpd server on loopback that can be stopped and started again on its port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen."""
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening (connections are refused until start())."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """A started server, stopped afterwards."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
