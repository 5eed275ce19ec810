"""The one exception type for refused input, translated at the edge by service.i18n."""

from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction into the catalogs without translating it here."""
    return message


class DomainError(ValueError):
    """Bad input refused by a rule of the domain; `msgid` is an English gettext message id."""

    def __init__(self, msgid: str, *, field: str | None = None, **params: Any) -> None:
        self.msgid = msgid
        self.field = field
        self.params = params
        super().__init__(msgid % params if params else msgid)


TOO_LONG = N_("This text is too long: at most %(max_length)s characters.")


def printable(text: str, *, field: str) -> str:
    """Text with its runs of white space made single spaces; control characters refused."""
    text = " ".join(text.split())
    if not text.isprintable():
        raise DomainError(N_("This text holds characters that cannot be shown."), field=field)
    return text


def at_most(text: str, most: int, *, field: str, message: str = TOO_LONG) -> str:
    """The text, refused with `message` (naming `%(max_length)s`) when longer than `most`."""
    if len(text) > most:
        raise DomainError(message, field=field, max_length=most)
    return text


class NotFound(DomainError):
    """A refusal because the thing named does not exist (HTTP 404 at the edge)."""


class Forbidden(DomainError):
    """A refusal because this person may not do this here (HTTP 403 at the edge)."""


class TooManyRequests(DomainError):
    """A refusal because the same thing was asked too often (HTTP 429 at the edge)."""
