"""One answer to one question, read from what was typed and checked against the question."""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

from models.errors import N_, DomainError, at_most
from models.homework import ANSWER_TEXT, HomeworkQuestion, QuestionKind

YES, NO = "yes", "no"
# Numbers people give about a city: budgets, counts, percentages.
NUMBER_LIMIT = Decimal("1e12")
_LOCALES = {"nl": "nl_BE", "en": "en_GB", "fr": "fr_BE"}


@dataclass(frozen=True)
class KeptFile:
    """A file answer: kept in the materials store under its hash."""

    content_hash: str
    file_name: str
    media_type: str
    size: int

    def stored(self) -> dict[str, Any]:
        """The JSON kept in the revision."""
        return {
            "content_hash": self.content_hash,
            "file_name": self.file_name,
            "media_type": self.media_type,
            "size": self.size,
        }


def field(question: HomeworkQuestion) -> str:
    """The name of a question's field on the form and in refusals."""
    return f"answer_{question.position}"


def read(question: HomeworkQuestion, raw: Any) -> Any:
    """The stored value of what was given for a question; None when left blank.

    `raw` is a string from a form or any JSON value from the API; a wrong type is refused
    with a message tied to the question's field.
    """
    name = field(question)
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    if question.kind is QuestionKind.text:
        if not isinstance(raw, str):
            raise DomainError(N_("Write your answer as text."), field=name)
        return at_most(raw.strip(), ANSWER_TEXT, field=name)
    if question.kind is QuestionKind.yes_no:
        return _yes_no(raw, name)
    if question.kind is QuestionKind.number:
        return _number(raw, name)
    if question.kind is QuestionKind.one_choice:
        if not isinstance(raw, str) or raw.strip() not in question.choices:
            raise DomainError(N_("Choose one of the choices offered."), field=name)
        return raw.strip()
    if question.kind is QuestionKind.several_choices:
        given = [raw] if isinstance(raw, str) else raw
        if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
            raise DomainError(N_("Choose among the choices offered."), field=name)
        return _offered(question, given, name)
    raise DomainError(N_("Upload the file as a file."), field=name)


def _yes_no(raw: Any, name: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in (YES, NO):
        return raw.strip().lower() == YES
    raise DomainError(N_("Answer yes or no."), field=name)


def _number(raw: Any, name: str) -> float:
    refusal = DomainError(N_("Give a number, for example 12 or 3,5."), field=name)
    if isinstance(raw, bool):
        raise refusal
    if isinstance(raw, int | float):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        # Belgians write a decimal comma; a space or dot between thousands is left out.
        text = raw.strip().replace(" ", "").replace("\u202f", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise refusal from error
    else:
        raise refusal
    if not value.is_finite() or abs(value) >= NUMBER_LIMIT:
        raise refusal
    number = float(value)
    if math.isnan(number):
        raise refusal
    return number


def _offered(question: HomeworkQuestion, given: list[str], name: str) -> list[str]:
    chosen = [g.strip() for g in given]
    if any(c not in question.choices for c in chosen):
        raise DomainError(N_("Choose among the choices offered."), field=name)
    return [c for c in question.choices if c in chosen]  # in the order offered, once each


def number(value: float, language: str) -> str:
    """A number written the reader's way: 12,5 in Dutch and French, 12.5 in English."""
    return str(format_decimal(value, locale=_LOCALES.get(language, "nl_BE"), group_separator=False))


def shown(question: HomeworkQuestion, value: Any, language: str = "nl") -> str:
    """A stored value as text, for the grid, the sheet and the slides (yes/no untranslated)."""
    if value is None:
        return ""
    if question.kind is QuestionKind.yes_no:
        return YES if value else NO
    if question.kind is QuestionKind.number:
        return number(float(value), language)
    if question.kind is QuestionKind.several_choices:
        return "; ".join(value)
    if question.kind is QuestionKind.file:
        return str(value.get("file_name", ""))
    return str(value)
