"""The one rule for a link a person gives (a meeting's join link): https, to a named host.

Such a link ends up as an `href` on pages, in invitation emails and in calendar files, so a
`javascript:` or `data:` link would run in a reader's browser. Plain http is allowed only to
this machine (127.0.0.1, ::1, localhost), which is what a development setup links to.
"""

import ipaddress
from urllib.parse import urlsplit

from models.errors import N_, DomainError

LOOPBACK_NAMES = ("localhost",)


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_link(value: str, *, field: str) -> None:
    """Refuse a link that is not https to a named host (or http to this machine)."""
    refusal = DomainError(N_("An online link must start with https://."), field=field)
    if not value.isprintable() or any(char.isspace() for char in value):
        raise refusal
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (reading it checks that the port is a number)
    except ValueError as error:
        raise refusal from error
    scheme = parts.scheme.lower()
    if not host or parts.username is not None or parts.password is not None:
        raise refusal
    if scheme == "https" or (scheme == "http" and _loopback(host)):
        return
    raise refusal
