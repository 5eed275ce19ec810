"""Members' ranked questions to a draft agenda: group alike questions, score, order, fit.

Pure and deterministic: plain data in, plain data out, the same result for the same input in
any order. Scores are Borda points (rank 1 of N gets N points, rank N gets 1), counted once per
member and topic, and weighted per organisation: each organisation's members share one vote, so
a city that sends five people weighs as much as one that sends one.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from models.agenda import AgendaItemKind, AgendaItemStatus
from models.errors import N_

TITLE_MAX_LENGTH = 300
# Standing items (message ids, translated into the group's language when stored) and minutes.
OPENING: tuple[tuple[str, int], ...] = (
    (N_("Welcome"), 5),
    (N_("Approval of the minutes of the previous meeting"), 5),
)
CLOSING: tuple[tuple[str, int], ...] = ((N_("Practical questions"), 10),)


@dataclass(frozen=True)
class Question:
    """A member's question as the synthesis sees it."""

    id: int
    text: str
    rank: int
    max_rank: int  # the call's number of questions: rank 1 of 3 gets 3 points
    member: str  # who sent it; an erased person's questions each count apart
    organisation: int

    @property
    def points(self) -> int:
        """Borda points: N for rank 1, down to 1 for rank N."""
        return max(1, self.max_rank + 1 - self.rank)


@dataclass(frozen=True)
class Carried:
    """An item that the previous meeting moved to this one, with the questions it came from."""

    id: int
    title: str
    description: str | None
    duration_minutes: int
    question_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Planned:
    """One item of the draft agenda, in order."""

    title: str
    kind: AgendaItemKind
    status: AgendaItemStatus
    duration_minutes: int
    score: float | None = None
    description: str | None = None
    question_ids: tuple[int, ...] = ()
    organisations: int = 0
    carried_from: int | None = None
    # Items that do not fit the time budget stay in the draft, after it, with no time.
    fits: bool = True
    translate_title: bool = False


def weights(questions: Iterable[Question]) -> dict[str, float]:
    """Each member's weight: one over the number of members of their organisation who sent any."""
    by_organisation: dict[int, set[str]] = defaultdict(set)
    for question in questions:
        by_organisation[question.organisation].add(question.member)
    return {member: 1 / len(members) for members in by_organisation.values() for member in members}


def score(questions: Iterable[Question], member_weights: dict[str, float]) -> float:
    """A topic's score: per member their best points in it, times their weight, summed."""
    best: dict[str, int] = {}
    for question in questions:
        best[question.member] = max(best.get(question.member, 0), question.points)
    # fsum is exact, so the order of the members cannot change the last digit.
    return round(math.fsum(member_weights[m] * p for m, p in best.items()), 6)


def topic_minutes(organisations: int) -> int:
    """Time for a topic: 15 minutes, 5 more per further organisation that asked, at most 30."""
    return min(30, 10 + 5 * max(1, organisations))


def shorten(text: str, limit: int = TITLE_MAX_LENGTH) -> str:
    """A title that fits the column: cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def prioritise(questions: Sequence[Question], carried: Sequence[Carried] = ()) -> list[Planned]:
    """The topics in priority order: carried-over items first (they waited), then by score.

    Ties go to more organisations, then more first choices, then the title, then the oldest
    question, so the order never depends on the order of the input.
    """
    # NumPy and SciPy are imported here, not with this module: see service/agenda/grouping.py.
    from service.agenda import grouping, similarity

    by_id = {q.id: q for q in questions}
    ordered = sorted(questions, key=lambda q: q.id)
    index = {q.id: i for i, q in enumerate(ordered)}
    matrix = similarity.vectors([q.text for q in ordered])
    member_weights = weights(questions)
    topics: list[tuple[tuple[object, ...], Planned]] = []
    for found in grouping.group(ordered, carried, matrix):
        members = [by_id[i] for i in found.members]
        organisations = len({q.organisation for q in members})
        item = found.carried
        title = item.title if item else grouping.title(members, matrix, index)
        planned = Planned(
            title=title,
            kind=AgendaItemKind.submitted if members else AgendaItemKind.manual,
            status=AgendaItemStatus.proposed,
            duration_minutes=(
                item.duration_minutes
                if item and item.duration_minutes
                else topic_minutes(organisations)
            ),
            score=score(members, member_weights) if members else None,
            description=item.description if item else None,
            question_ids=tuple(q.id for q in members),
            organisations=organisations,
            carried_from=item.id if item else None,
        )
        first_choices = sum(1 for q in members if q.rank == 1)
        key = (
            0 if item else 1,
            item.id if item else 0,
            -(planned.score or 0.0),
            -organisations,
            -first_choices,
            similarity.fold(title),
            min(planned.question_ids, default=0),
        )
        topics.append((key, planned))
    topics.sort(key=lambda pair: pair[0])
    return [planned for _, planned in topics]


def fit(topics: Sequence[Planned], *, budget_minutes: int) -> list[Planned]:
    """The draft agenda: opening items, the topics that fit, closing items, then the rest.

    Topics are placed in priority order while time is left (a long topic that does not fit does
    not keep a shorter, lower one out); the others follow the closing items with no time, so
    the review can still bring them in, move or drop them.
    """
    standing = [
        Planned(
            title=title,
            kind=AgendaItemKind.standing,
            status=AgendaItemStatus.accepted,
            duration_minutes=minutes,
            translate_title=True,
        )
        for title, minutes in OPENING + CLOSING
    ]
    left = budget_minutes - sum(p.duration_minutes for p in standing)
    placed: list[Planned] = []
    rest: list[Planned] = []
    for topic in topics:
        if 0 < topic.duration_minutes <= left:
            left -= topic.duration_minutes
            placed.append(replace(topic, status=AgendaItemStatus.accepted, fits=True))
        else:
            rest.append(
                replace(topic, status=AgendaItemStatus.proposed, fits=False, duration_minutes=0)
            )
    opening, closing = standing[: len(OPENING)], standing[len(OPENING) :]
    return opening + placed + closing + rest


def synthesise(
    questions: Sequence[Question], carried: Sequence[Carried] = (), *, budget_minutes: int
) -> list[Planned]:
    """Questions (and items carried over) to a draft agenda that fits the meeting's time."""
    return fit(prioritise(questions, carried), budget_minutes=budget_minutes)
