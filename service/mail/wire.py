"""A message's bytes and envelope for SMTP, made as aiosmtplib makes them but cheaper.

aiosmtplib's `send_message` flattens with the compat32 policy, which turns every header into
an `email.header.Header` and folds it: some 15 of them per message, a third of the cost of
sending one (bench/outbox_delivery.py). A header that is plain ASCII on one short line comes
out of that unchanged, so it is written as it is here; every other header takes the standard
path. The bytes are the same as aiosmtplib's (tests/service/mail/test_wire.py checks every
kind of message in every language).
"""

import io
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Compat32
from email.utils import getaddresses, parseaddr
from functools import lru_cache
from typing import Any

# RFC 5322's recommended line length, which compat32 folds at.
_LINE = 78


class _QuickCompat32(Compat32):
    """compat32, with the short ASCII headers (that it would leave unchanged) written at once."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and len(name) + 2 + len(value) <= _LINE
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
        ):
            return f"{name}: {value}{self.linesep}"
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        return folded


_POLICY = _QuickCompat32()


def flatten(message: Message) -> bytes:
    """The message as aiosmtplib would put it on the wire (compat32, 8-bit transfer allowed)."""
    with io.BytesIO() as out:
        BytesGenerator(out, policy=_POLICY).flatten(message)
        return out.getvalue()


@lru_cache(maxsize=64)
def _address(header: str) -> str:
    # The sender is the same for every message: parse it once.
    return parseaddr(header)[1]


def envelope(message: Message) -> tuple[str, list[str]] | None:
    """The sender and recipients, or None when the message needs aiosmtplib's general path.

    That is a message with Bcc or Resent headers, or with an address beyond ASCII (SMTPUTF8).
    """
    if any(name in message for name in ("Bcc", "Resent-Date", "Sender")):
        return None
    sender = _address(str(message["From"]))
    recipients = [
        address
        for header in ("To", "Cc")
        for _, address in getaddresses([str(v) for v in message.get_all(header, [])])
        if address
    ]
    if not sender or not recipients or not (sender + "".join(recipients)).isascii():
        return None
    return sender, recipients
