"""Personal links to the agenda-input form: signed, single-purpose, bound to one call and person.

A link carries no expiry of its own: it stops working once its meeting has ended, which the
form checks against the meeting as it is now, so a rescheduled meeting keeps its links valid.
No account or password is needed; the signature is the proof, and the link never names an
email address.
"""

from dataclasses import dataclass

from service.mail import links as mail_links

PURPOSE = mail_links.FORM_PURPOSE
PATH_PREFIX = mail_links.FORM_PATH


@dataclass(frozen=True)
class FormGrant:
    """What a valid link grants: editing one person's questions for one call."""

    call_id: int
    person_id: int


def make_token(*, call_id: int, person_id: int, key: str) -> str:
    """The signed token for one member and one call."""
    return mail_links.form_token(call_id=call_id, person_id=person_id, key=key)


def read_token(token: str, *, key: str) -> FormGrant | None:
    """The grant behind a token, or None when it was tampered with or made for another use."""
    ids = mail_links.read_ids(token, key=key, purpose=PURPOSE)
    return None if ids is None else FormGrant(*ids)


def url(*, base_url: str, call_id: int, person_id: int, key: str) -> str:
    """The full link to put in an email."""
    token = make_token(call_id=call_id, person_id=person_id, key=key)
    return f"{base_url.rstrip('/')}{PATH_PREFIX}{token}"
