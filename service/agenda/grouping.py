"""Alike questions into groups: the vector arithmetic of the synthesis (NumPy and SciPy).

Apart from `synthesis` so that importing the agenda's use cases does not import NumPy and SciPy:
every flow run's process imports them, and only closing a call groups questions (0.7 s of CPU
per process start, measured with `python -X importtime`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from service.agenda import similarity, synthesis

# A pair of questions is alike from this cosine similarity on; two groups merge when their
# centroids are as alike, so that a chain of loosely related questions does not become one item.
PAIR_THRESHOLD = 0.4
GROUP_THRESHOLD = 0.4
# Pairs looked at together when grouping: large enough for numpy to pay, small enough that
# few of its pairs are joined by merges earlier in the same window.
GROUPING_WINDOW = 4096


@dataclass
class Group:
    """Alike questions (their indices, then ids), and the carried item they join, if any."""

    members: list[int]
    carried: synthesis.Carried | None = None


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
        self.groups = {i: Group(members=[i]) for i in self.label}
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
    ordered: Sequence[synthesis.Question],
    carried: Sequence[synthesis.Carried],
    matrix: sp.csr_matrix,
) -> list[Group]:
    """Group alike questions from different members; a carried item keeps its questions together.

    `ordered` is sorted by id and `matrix` holds their vectors in that order. The pairs are
    taken best first, and two groups merge when their centroids are alike: the same merges in
    the same order as one pair at a time, but a window of pairs whose questions are already
    together is dropped at once, and a refusal is remembered until either group changes.
    """
    position = {q.id: i for i, q in enumerate(ordered)}
    state = _Grouping(len(ordered), matrix)
    standalone: list[Group] = []
    for item in sorted(carried, key=lambda c: c.id):
        indices = sorted(position[i] for i in item.question_ids if i in position)
        if not indices:
            standalone.append(Group(members=[], carried=item))
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
        Group(members=[ordered[i].id for i in sorted(g.members)], carried=g.carried)
        for g in state.groups.values()
    ]
    return result + standalone


def title(members: list[synthesis.Question], matrix: sp.csr_matrix, index: dict[int, int]) -> str:
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
    return synthesis.shorten(best.text)
