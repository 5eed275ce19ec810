"""Personal links to a homework form: signed, bound to one assignment and one person.

Like the agenda form's: no account, the signature is the proof, no email address in it, and
the outbox keeps only the ids (service.mail.links builds the link when the mail is made).
"""

from dataclasses import dataclass

from service import tokens
from service.mail import links as mail_links


@dataclass(frozen=True)
class Grant:
    """What a valid link grants: answering one assignment as one person."""

    assignment_id: int
    person_id: int


def read_token(token: str, *, key: str) -> Grant | None:
    """The grant behind a token, or None when it was tampered with or made for another use."""
    value = tokens.unsign(token, key=key, purpose=mail_links.HOMEWORK_PURPOSE)
    if value is None:
        return None
    assignment_part, _, person_part = value.partition(":")
    if not (assignment_part.isdigit() and person_part.isdigit()):
        return None
    return Grant(assignment_id=int(assignment_part), person_id=int(person_part))


def path(*, assignment_id: int, person_id: int, key: str) -> str:
    """The path of one person's form (for pages that show it to its owner and for tests)."""
    token = mail_links.homework_token(assignment_id=assignment_id, person_id=person_id, key=key)
    return f"{mail_links.HOMEWORK_PATH}{token}"
