"""Personal answer links: signed, single-purpose, bound to one meeting and one person.

Like the agenda form's links: no account; the signature is the proof, the link never names an
email address, and nothing of it is stored (the outbox keeps the meeting and person ids and the
link is made when the message is built, service/mail/links.py).
"""

from service.mail import links as mail_links

PATH_PREFIX = mail_links.ANSWER_PATH


def url(*, base_url: str, meeting_id: int, person_id: int, key: str) -> str:
    """The full link to one person's answer page for one meeting."""
    return mail_links.answer_url(
        meeting_id=meeting_id, person_id=person_id, key=key, base_url=base_url
    )
