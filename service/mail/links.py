"""Secret links in emails (sign-in, agenda form, answers, homework), made when a mail is built.

The outbox keeps what rebuilds a link with the app's key (`OVERLEG_SECRET_KEY`), never the
link: a sign-in link is kept as a random seed, whose nonce is an HMAC of the seed under the
key; a form link as its call and person; answer links as their meeting and person; a homework
link as its assignment and person. Whoever reads the database or a backup without the key
cannot sign in or answer as anyone. The local mailbox page masks the links it shows.
"""

import re
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from models.errors import N_, DomainError
from models.people import Person
from service import tokens

_Row = TypeVar("_Row", bound=SQLModel)

SIGN_IN_PURPOSE = "sign-in"
FORM_PURPOSE = "agenda-form"
ANSWER_PURPOSE = "meeting-answer"
SIGN_IN_PATH = "/sign-in/"
FORM_PATH = "/input/"
ANSWER_PATH = "/answer/"
HOMEWORK_PURPOSE = "homework-form"
HOMEWORK_PATH = "/homework/"
# The context key that holds how to rebuild the message's secret link (as "url").
LINK = "link"
# The context key that holds the meeting and person of the answer links (as "answer_url").
ANSWER = "answer"


def sign_in_nonce(seed: str, *, key: str) -> str:
    """The nonce of a sign-in link: the seed alone (which is stored) reveals nothing of it."""
    return tokens.keyed_digest(seed, key=key, purpose="sign-in-nonce")


def sign_in_token(seed: str, *, key: str) -> str:
    """The token of the sign-in link made from a seed."""
    return tokens.sign(sign_in_nonce(seed, key=key), key=key, purpose=SIGN_IN_PURPOSE)


def form_token(*, call_id: int, person_id: int, key: str) -> str:
    """The signed token of one member's form for one call."""
    return tokens.sign(f"{call_id}:{person_id}", key=key, purpose=FORM_PURPOSE)


def answer_token(*, meeting_id: int, person_id: int, key: str) -> str:
    """The signed token of one person's answers to one meeting."""
    return tokens.sign(f"{meeting_id}:{person_id}", key=key, purpose=ANSWER_PURPOSE)


def read_ids(token: str, *, key: str, purpose: str) -> tuple[int, int] | None:
    """The two ids (call, meeting or assignment; person) a link's token was signed for.

    None when the token was tampered with or made for another use.
    """
    value = tokens.unsign(token, key=key, purpose=purpose)
    if value is None:
        return None
    first, _, second = value.partition(":")
    if not (first.isdigit() and second.isdigit()):
        return None
    return int(first), int(second)


class LinkRefused(DomainError):
    """A personal link that opens nothing; `reason` lets the edge choose the HTTP status."""

    def __init__(self, msgid: str, *, reason: str) -> None:
        super().__init__(msgid, field="link")
        self.reason = reason  # "invalid" (404), "expired" (410) or "not_member" (403)


_INVALID = N_(
    "This link is not valid. Use the link from your most recent email,"
    " or ask the secretariat for a new one."
)


def open_link(
    session: Session, token: str, *, key: str, purpose: str, kind: type[_Row]
) -> tuple[_Row, Person]:
    """The row (a call, meeting or assignment) and the active person a link names.

    Refused as invalid (LinkRefused) when the token is forged or stale, or names no such row
    or no active person.
    """
    ids = read_ids(token, key=key, purpose=purpose)
    if ids is not None:
        row, person = session.get(kind, ids[0]), session.get(Person, ids[1])
        if row is not None and person is not None and person.active:
            return row, person
    raise LinkRefused(_INVALID, reason="invalid")


def answer_url(*, meeting_id: int, person_id: int, key: str, base_url: str) -> str:
    """The page where one person answers one meeting (a choice is added as ?choice=)."""
    token = answer_token(meeting_id=meeting_id, person_id=person_id, key=key)
    return f"{base_url.rstrip('/')}{ANSWER_PATH}{token}"


def answer_link(*, meeting_id: int, person_id: int) -> dict[str, Any]:
    """What an outbox row keeps of the answer links (under ANSWER)."""
    return {"meeting_id": meeting_id, "person_id": person_id}


def homework_token(*, assignment_id: int, person_id: int, key: str) -> str:
    """The signed token of one person's homework form for one assignment."""
    return tokens.sign(f"{assignment_id}:{person_id}", key=key, purpose=HOMEWORK_PURPOSE)


def sign_in_link(seed: str) -> dict[str, Any]:
    """What an outbox row keeps of a sign-in link."""
    return {"kind": "sign_in", "seed": seed}


def form_link(*, call_id: int, person_id: int) -> dict[str, Any]:
    """What an outbox row keeps of a form link."""
    return {"kind": "form", "call_id": call_id, "person_id": person_id}


def homework_link(*, assignment_id: int, person_id: int) -> dict[str, Any]:
    """What an outbox row keeps of a homework link."""
    return {"kind": "homework", "assignment_id": assignment_id, "person_id": person_id}


def url(link: dict[str, Any], *, key: str, base_url: str) -> str:
    """The complete link described by a stored `link`."""
    base = base_url.rstrip("/")
    if link["kind"] == "sign_in":
        return f"{base}{SIGN_IN_PATH}{sign_in_token(str(link['seed']), key=key)}"
    if link["kind"] == "form":
        token = form_token(call_id=int(link["call_id"]), person_id=int(link["person_id"]), key=key)
        return f"{base}{FORM_PATH}{token}"
    if link["kind"] == "homework":
        token = homework_token(
            assignment_id=int(link["assignment_id"]), person_id=int(link["person_id"]), key=key
        )
        return f"{base}{HOMEWORK_PATH}{token}"
    raise ValueError(f"unknown kind of link: {link['kind']!r}")


def with_url(context: dict[str, Any], *, key: str, base_url: str) -> dict[str, Any]:
    """A stored context with its secret links made ("url", "answer_url"), for the message."""
    made = {name: value for name, value in context.items() if name not in (LINK, ANSWER)}
    link = context.get(LINK)
    if isinstance(link, dict):
        made["url"] = url(link, key=key, base_url=base_url)
    answer = context.get(ANSWER)
    if isinstance(answer, dict):
        made["answer_url"] = answer_url(
            meeting_id=int(answer["meeting_id"]),
            person_id=int(answer["person_id"]),
            key=key,
            base_url=base_url,
        )
    return made


_PATHS = "|".join(re.escape(path) for path in (SIGN_IN_PATH, FORM_PATH, ANSWER_PATH, HOMEWORK_PATH))
_SECRET_IN_TEXT = re.compile(rf"({_PATHS})[\w.\-]+")


def mask(text: str) -> str:
    """Text with the token of every sign-in, form and answer link replaced by an ellipsis."""
    return _SECRET_IN_TEXT.sub(r"\1…", text)
