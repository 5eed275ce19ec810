"""The agenda synthesis as it was before its grouping was vectorised (issue 17): a reference.

A verbatim copy of the pair search and the pair-by-pair grouping loop of `service.agenda` at
that time; `test_synthesis_reference.py` checks that the fast version gives identical drafts.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from models.agenda import AgendaItemKind, AgendaItemStatus
from service.agenda import similarity
from service.agenda.grouping import GROUP_THRESHOLD, PAIR_THRESHOLD
from service.agenda.similarity import (
    BLOCKING_FLOOR,
    BLOCKING_MAX_SHARE,
    CHUNK_ROWS,
    MIN_SHARED_STEMS,
    STEM_WEIGHT,
    stems,
)
from service.agenda.synthesis import (
    Carried,
    Planned,
    Question,
    fit,
    score,
    shorten,
    topic_minutes,
    weights,
)


@dataclass
class _Group:
    members: list[int]
    carried: Carried | None = None
    centroid: dict[int, float] = field(default_factory=dict)


def vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """One row per text, L2-normalised, so that a dot product is the similarity (0 to 1)."""
    # Imported here: scikit-learn takes seconds to import, and only drafting an agenda needs
    # it, not every start of the web app, the command line or a flow run.
    from sklearn.feature_extraction.text import TfidfVectorizer

    stemmed = [" ".join(stems(t)) for t in texts]
    blocks = []
    for analyzer, weight in (
        (similarity._identity, STEM_WEIGHT),
        (similarity._grams, 1 - STEM_WEIGHT),
    ):
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float64)
        matrix = vectorizer.fit_transform(stemmed) if any(stemmed) else None
        if matrix is not None:
            blocks.append(matrix * np.sqrt(weight))
    if not blocks:
        return sp.csr_matrix((len(texts), 1), dtype=np.float64)
    combined = sp.hstack(blocks, format="csr")
    norms = np.sqrt(np.asarray(combined.multiply(combined).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1 / norms) @ combined)


def _blocking_index(texts: Sequence[str]) -> sp.csr_matrix:
    """Rows of texts, columns of the stems that may make a pair (present, not too common)."""
    stem_sets = [set(stems(t)) for t in texts]
    counts: dict[str, int] = {}
    for found in stem_sets:
        for stem in found:
            counts[stem] = counts.get(stem, 0) + 1
    limit = max(BLOCKING_FLOOR, int(BLOCKING_MAX_SHARE * len(texts)))
    columns = {s: i for i, s in enumerate(sorted(s for s, c in counts.items() if 2 <= c <= limit))}
    rows, cols = [], []
    for row, found in enumerate(stem_sets):
        for stem in found:
            if stem in columns:
                rows.append(row)
                cols.append(columns[stem])
    data = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(texts), max(1, len(columns))))


def similar_pairs(
    matrix: sp.csr_matrix, texts: Sequence[str], threshold: float, *, blocking: bool = True
) -> list[tuple[float, int, int]]:
    """Pairs (similarity, i, j), i < j, of `vectors(texts)` that reach `threshold`, best first.

    With `blocking` off every pair is scored: the baseline the benchmark compares against.
    """
    if len(texts) < 2:
        return []
    index = _blocking_index(texts) if blocking else None
    found: list[tuple[float, int, int]] = []
    for start in range(0, len(texts), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(texts))
        if index is None:
            scores = sp.coo_matrix(matrix[start:stop] @ matrix.T)
            rows, cols, values = scores.row + start, scores.col, scores.data
        else:
            candidates = sp.coo_matrix(index[start:stop] @ index.T)
            rows, cols = candidates.row + start, candidates.col
            keep = (rows < cols) & (candidates.data >= MIN_SHARED_STEMS)
            rows, cols = rows[keep], cols[keep]
            values = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
        keep = (rows < cols) & (values >= threshold)
        found.extend(
            (round(float(v), 9), int(i), int(j))
            for v, i, j in zip(values[keep], rows[keep], cols[keep], strict=True)
        )
    found.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return found


def _row(matrix: sp.csr_matrix, index: int) -> dict[int, float]:
    start, stop = matrix.indptr[index], matrix.indptr[index + 1]
    return dict(
        zip(matrix.indices[start:stop].tolist(), matrix.data[start:stop].tolist(), strict=True)
    )


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = math.fsum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(math.fsum(v * v for v in a.values()) * math.fsum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def group(
    ordered: Sequence[Question], carried: Sequence[Carried], matrix: sp.csr_matrix
) -> list[_Group]:
    """Group alike questions from different members; a carried item keeps its questions together.

    `ordered` is sorted by id and `matrix` holds their vectors in that order.
    """
    position = {q.id: i for i, q in enumerate(ordered)}
    parent = list(range(len(ordered)))
    groups = {i: _Group(members=[i], centroid=_row(matrix, i)) for i in range(len(ordered))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def merge(a: int, b: int) -> None:
        keep, gone = (a, b) if a < b else (b, a)
        parent[gone] = keep
        kept, absorbed = groups[keep], groups.pop(gone)
        kept.members += absorbed.members
        kept.carried = kept.carried or absorbed.carried
        for k, v in absorbed.centroid.items():
            kept.centroid[k] = kept.centroid.get(k, 0.0) + v

    standalone: list[_Group] = []
    for item in sorted(carried, key=lambda c: c.id):
        indices = sorted(position[i] for i in item.question_ids if i in position)
        if not indices:
            standalone.append(_Group(members=[], carried=item))
            continue
        for other in indices[1:]:
            if find(other) != find(indices[0]):
                merge(find(indices[0]), find(other))
        groups[find(indices[0])].carried = item

    for _, i, j in similar_pairs(matrix, [q.text for q in ordered], PAIR_THRESHOLD):
        if ordered[i].member == ordered[j].member:
            continue  # a member's own questions are separate on purpose
        a, b = find(i), find(j)
        if a == b or (groups[a].carried and groups[b].carried):
            continue
        if _cosine(groups[a].centroid, groups[b].centroid) >= GROUP_THRESHOLD:
            merge(a, b)
    result = [
        _Group(members=[ordered[i].id for i in sorted(g.members)], carried=g.carried)
        for g in groups.values()
    ]
    return result + standalone


def _title(members: list[Question], matrix: sp.csr_matrix, index: dict[int, int]) -> str:
    """The question closest to the group's centroid (then the best ranked, then the first)."""
    centroid: dict[int, float] = {}
    for q in members:
        for k, v in _row(matrix, index[q.id]).items():
            centroid[k] = centroid.get(k, 0.0) + v
    best = min(
        members,
        key=lambda q: (-round(_cosine(_row(matrix, index[q.id]), centroid), 9), -q.points, q.id),
    )
    return shorten(best.text)


def prioritise(questions: Sequence[Question], carried: Sequence[Carried] = ()) -> list[Planned]:
    """The topics in priority order: carried-over items first (they waited), then by score.

    Ties go to more organisations, then more first choices, then the title, then the oldest
    question, so the order never depends on the order of the input.
    """
    by_id = {q.id: q for q in questions}
    ordered = sorted(questions, key=lambda q: q.id)
    index = {q.id: i for i, q in enumerate(ordered)}
    matrix = vectors([q.text for q in ordered])
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


def synthesise(
    questions: Sequence[Question], carried: Sequence[Carried] = (), *, budget_minutes: int
) -> list[Planned]:
    """The reference draft agenda."""
    return fit(prioritise(questions, carried), budget_minutes=budget_minutes)
