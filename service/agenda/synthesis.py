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

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from models.agenda import AgendaItemKind, AgendaItemStatus
from models.errors import N_
from service.agenda import similarity

# A pair of questions is alike from this cosine similarity on; two groups merge when their
# centroids are as alike, so that a chain of loosely related questions does not become one item.
PAIR_THRESHOLD = 0.4
GROUP_THRESHOLD = 0.4
TITLE_MAX_LENGTH = 300
# Standing items (message ids, translated into the group's language when stored) and minutes.
OPENING: tuple[tuple[str, int], ...] = (
    (N_("Welcome"), 5),
    (N_("Approval of the minutes of the previous meeting"), 5),
)
# Pairs looked at together when grouping: large enough for numpy to pay, small enough that
# few of its pairs are joined by merges earlier in the same window.
GROUPING_WINDOW = 4096
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


@dataclass
class _Group:
    members: list[int]
    carried: Carried | None = None


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


class _Grouping:
    """Union of alike questions into groups, with each group's centroid and its squared norm.

    A single question's centroid is its row of the matrix; a larger group's is a dense array,
    summed feature by feature in the order of the merges, as the dictionaries of the pair-by-pair
    version did, so every cosine is bit for bit the same.
    """

    def __init__(self, size: int, matrix: sp.csr_matrix) -> None:
        self.matrix = matrix
        self.label = list(range(size))  # each question's group: its lowest index
        self.labels = np.arange(size)  # the same, for whole windows of pairs at once
        self.groups = {i: _Group(members=[i]) for i in self.label}
        self.dense: dict[int, npt.NDArray[np.float64]] = {}
        self.norms: dict[int, float] = {}
        self.version = [0] * size

    def _row(self, i: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        start, stop = self.matrix.indptr[i], self.matrix.indptr[i + 1]
        return self.matrix.indices[start:stop], self.matrix.data[start:stop]

    def norm(self, a: int) -> float:
        """The squared norm of group `a`'s centroid (`math.fsum`: exact, in any order)."""
        if a not in self.norms:
            values = self.dense[a][self.dense[a] != 0] if a in self.dense else self._row(a)[1]
            self.norms[a] = math.fsum((values * values).tolist())
        return self.norms[a]

    def cosine(self, a: int, b: int) -> float:
        """The cosine of two groups' centroids, with the norms kept between merges."""
        if a in self.dense and b in self.dense:
            products = self.dense[a] * self.dense[b]
            products = products[products != 0]
        elif a in self.dense or b in self.dense:
            full, single = (a, b) if a in self.dense else (b, a)
            features, values = self._row(single)
            products = values * self.dense[full][features]
        else:
            (fa, va), (fb, vb) = self._row(a), self._row(b)
            _, ia, ib = np.intersect1d(fa, fb, assume_unique=True, return_indices=True)
            products = va[ia] * vb[ib]
        dot = math.fsum(products.tolist())  # adding the zeros of absent features changes nothing
        norm = math.sqrt(self.norm(a) * self.norm(b))
        return dot / norm if norm else 0.0

    def merge(self, a: int, b: int) -> None:
        """Merge two groups into the one with the lower index."""
        keep, gone = (a, b) if a < b else (b, a)
        kept, absorbed = self.groups[keep], self.groups.pop(gone)
        for i in absorbed.members:
            self.label[i] = keep
        self.labels[absorbed.members] = keep
        kept.members += absorbed.members
        kept.carried = kept.carried or absorbed.carried
        if keep not in self.dense:
            self.dense[keep] = np.zeros(self.matrix.shape[1])
            features, values = self._row(keep)
            self.dense[keep][features] = values
        if gone in self.dense:
            self.dense[keep] += self.dense.pop(gone)
        else:
            features, values = self._row(gone)
            self.dense[keep][features] += values
        self.norms.pop(keep, None)
        self.norms.pop(gone, None)
        self.version[keep] += 1


def group(
    ordered: Sequence[Question], carried: Sequence[Carried], matrix: sp.csr_matrix
) -> list[_Group]:
    """Group alike questions from different members; a carried item keeps its questions together.

    `ordered` is sorted by id and `matrix` holds their vectors in that order. The pairs are
    taken best first, and two groups merge when their centroids are alike: the same merges in
    the same order as one pair at a time, but a window of pairs whose questions are already
    together is dropped at once, and a refusal is remembered until either group changes.
    """
    position = {q.id: i for i, q in enumerate(ordered)}
    state = _Grouping(len(ordered), matrix)
    standalone: list[_Group] = []
    for item in sorted(carried, key=lambda c: c.id):
        indices = sorted(position[i] for i in item.question_ids if i in position)
        if not indices:
            standalone.append(_Group(members=[], carried=item))
            continue
        for other in indices[1:]:
            if state.label[other] != state.label[indices[0]]:
                state.merge(state.label[indices[0]], state.label[other])
        state.groups[state.label[indices[0]]].carried = item

    pairs = similarity.alike_pairs(matrix, [q.text for q in ordered], PAIR_THRESHOLD)
    member = np.unique([q.member for q in ordered], return_inverse=True)[1]
    apart = member[pairs.rows] != member[pairs.cols]  # a member's own questions stay apart
    rows, cols = pairs.rows[apart], pairs.cols[apart]
    refused: dict[tuple[int, int], tuple[int, int]] = {}
    for start in range(0, len(rows), GROUPING_WINDOW):
        window_rows, window_cols = (
            rows[start : start + GROUPING_WINDOW],
            cols[start : start + GROUPING_WINDOW],
        )
        # Groups only grow: a pair together at the window's start is together at its turn.
        open_pairs = state.labels[window_rows] != state.labels[window_cols]
        for i, j in zip(
            window_rows[open_pairs].tolist(), window_cols[open_pairs].tolist(), strict=True
        ):
            a, b = sorted((state.label[i], state.label[j]))
            if a == b or (state.groups[a].carried and state.groups[b].carried):
                continue
            versions = (state.version[a], state.version[b])
            if refused.get((a, b)) == versions:
                continue  # neither centroid changed since they were found too far apart
            if state.cosine(a, b) >= GROUP_THRESHOLD:
                state.merge(a, b)
            else:
                refused[(a, b)] = versions
    result = [
        _Group(members=[ordered[i].id for i in sorted(g.members)], carried=g.carried)
        for g in state.groups.values()
    ]
    return result + standalone


def _title(members: list[Question], matrix: sp.csr_matrix, index: dict[int, int]) -> str:
    """The question closest to the group's centroid (then the best ranked, then the first).

    The centroid is summed in the members' order and the cosines with `math.fsum`, as the
    dictionaries did; a text that several members sent is compared once.
    """
    rows = matrix[[index[q.id] for q in members]]
    centroid = np.zeros(matrix.shape[1])
    np.add.at(centroid, rows.indices, rows.data)  # in order: the same sums as one by one
    centroid_norm = math.fsum((centroid[centroid != 0] ** 2).tolist())
    closeness: dict[str, float] = {}
    for n, q in enumerate(members):
        if q.text not in closeness:
            values = rows.data[rows.indptr[n] : rows.indptr[n + 1]]
            features = rows.indices[rows.indptr[n] : rows.indptr[n + 1]]
            dot = math.fsum((values * centroid[features]).tolist())
            norm = math.sqrt(math.fsum((values * values).tolist()) * centroid_norm)
            closeness[q.text] = round(dot / norm if norm else 0.0, 9)
    best = min(members, key=lambda q: (-closeness[q.text], -q.points, q.id))
    return shorten(best.text)


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
    by_id = {q.id: q for q in questions}
    ordered = sorted(questions, key=lambda q: q.id)
    index = {q.id: i for i, q in enumerate(ordered)}
    matrix = similarity.vectors([q.text for q in ordered])
    member_weights = weights(questions)
    topics: list[tuple[tuple[object, ...], Planned]] = []
    for found in group(ordered, carried, matrix):
        members = [by_id[i] for i in found.members]
        organisations = len({q.organisation for q in members})
        item = found.carried
        title = item.title if item else _title(members, matrix, index)
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
