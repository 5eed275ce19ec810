"""Personal answer links: signed, single-purpose, bound to one meeting and one person.

Like the agenda form's links: no account; the signature is the proof, the link never names an
email address, and nothing of it is stored (the outbox keeps the meeting and person ids and the
link is made when the message is built, service/mail/links.py).
"""

from dataclasses import dataclass

from service import tokens
from service.mail import links as mail_links

PATH_PREFIX = mail_links.ANSWER_PATH


@dataclass(frozen=True)
class AnswerGrant:
    """What a valid link grants: answering one meeting as one person."""

    meeting_id: int
    person_id: int


def read_token(token: str, *, key: str) -> AnswerGrant | None:
    """The grant behind a token, or None when it was tampered with or made for another use."""
    value = tokens.unsign(token, key=key, purpose=mail_links.ANSWER_PURPOSE)
    if value is None:
        return None
    meeting_part, _, person_part = value.partition(":")
    if not (meeting_part.isdigit() and person_part.isdigit()):
        return None
    return AnswerGrant(meeting_id=int(meeting_part), person_id=int(person_part))


def url(*, base_url: str, meeting_id: int, person_id: int, key: str) -> str:
    """The full link to one person's answer page for one meeting."""
    return mail_links.answer_url(
        meeting_id=meeting_id, person_id=person_id, key=key, base_url=base_url
    )
