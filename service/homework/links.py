"""Personal links to a homework form: signed, bound to one assignment and one person.

Like the agenda form's: no account, the signature is the proof, no email address in it, and
the outbox keeps only the ids (service.mail.links builds the link when the mail is made).
"""

from service.mail import links as mail_links


def path(*, assignment_id: int, person_id: int, key: str) -> str:
    """The path of one person's form (for pages that show it to its owner and for tests)."""
    token = mail_links.homework_token(assignment_id=assignment_id, person_id=person_id, key=key)
    return f"{mail_links.HOMEWORK_PATH}{token}"
