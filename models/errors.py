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


class NotFound(DomainError):
    """A refusal because the thing named does not exist (HTTP 404 at the edge)."""


class Forbidden(DomainError):
    """A refusal because this person may not do this here (HTTP 403 at the edge)."""


class TooManyRequests(DomainError):
    """A refusal because the same thing was asked too often (HTTP 429 at the edge)."""
