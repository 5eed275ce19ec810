"""How alike Dutch questions are: normalise, drop stop words, stem, weigh, compare.

The one home of the text libraries: snowballstemmer (Dutch stems), stopwordsiso (the Dutch list)
and scikit-learn (TF-IDF weights). Two blocks of features are compared, each weighted by TF-IDF
over the questions at hand: the stems, and character n-grams of the stems, which catch Dutch
compounds ("incidentmelding" and "incident melden") and stems the stemmer leaves apart. Pairs
are only scored when they share a stem that is not in most questions (an inverted index), so
the work grows with the number of similar pairs, not with the square of the questions.
"""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import snowballstemmer
import stopwordsiso

# How much the stems weigh against the character n-grams in the cosine similarity.
STEM_WEIGHT = 0.6
# Stems in more than this share of the questions ("nis2" in a NIS2 group) do not make pairs,
# unless they are in fewer than BLOCKING_FLOOR questions (a call of 40 members sends 120).
BLOCKING_MAX_SHARE = 0.2
BLOCKING_FLOOR = 25
# Questions that share fewer uncommon stems than this are never alike ("NIS2-conform" alone is
# not a topic): near-duplicates share at least two content words.
MIN_SHARED_STEMS = 2
# Candidate pairs are scored this many rows at a time, to bound memory.
CHUNK_ROWS = 2000
# The same for the distinct texts' candidates: the gathered rows then stay in the CPU's cache
# (500 took half the time of 2,000 at 10,000 questions).
SCORE_ROWS = 500

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("dutch_porter")


def fold(text: str) -> str:
    """Lower case without accents: 'Essentiële' and 'essentiele' become the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stop_stems() -> frozenset[str]:
    return frozenset(_stem(fold(word)) for word in stopwordsiso.stopwords("nl"))


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stem: str = _STEMMER.stemWord(word)
    return stem


def stems(text: str) -> list[str]:
    """The content words of a question as Dutch stems."""
    stop = _stop_stems()
    words = _WORD.findall(fold(text))
    return [s for s in (_stem(w) for w in words if len(w) > 1) if s not in stop]


def _grams(text: str) -> list[str]:
    """Character 3- to 5-grams inside each stem, marked at the word edges."""
    grams: list[str] = []
    for stem in text.split():
        padded = f"<{stem}>"
        for n in (3, 4, 5):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _identity(tokens: str) -> list[str]:
    return tokens.split()


def vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """One row per text, L2-normalised, so that a dot product is the similarity (0 to 1)."""
    # Imported here: scikit-learn takes seconds to import, and only drafting an agenda needs
    # it, not every start of the web app, the command line or a flow run.
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    distinct, number = _copies(texts)
    stemmed = [" ".join(stems(texts[i])) for i in distinct.tolist()]
    blocks = []
    for analyzer, weight in ((_identity, STEM_WEIGHT), (_grams, 1 - STEM_WEIGHT)):
        if not any(stemmed):
            continue
        # TfidfVectorizer's two steps: the words of each distinct text are counted once, and
        # the weights are learnt over every copy (how many questions hold a word counts them).
        counts = CountVectorizer(analyzer=analyzer, dtype=np.float64).fit_transform(stemmed)
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts[number])
        blocks.append(tfidf * np.sqrt(weight))
    if not blocks:
        return sp.csr_matrix((len(texts), 1), dtype=np.float64)
    combined = sp.hstack(blocks, format="csr")
    norms = np.sqrt(np.asarray(combined.multiply(combined).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1 / norms) @ combined)


def _stem_sets(texts: Sequence[str]) -> list[set[str]]:
    """Each text's set of stems; a text that comes back is stemmed once."""
    seen: dict[str, set[str]] = {}
    return [seen[t] if t in seen else seen.setdefault(t, set(stems(t))) for t in texts]


def _blocking_index(texts: Sequence[str]) -> sp.csr_matrix:
    """Rows of texts, columns of the stems that may make a pair (present, not too common)."""
    stem_sets = _stem_sets(texts)
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


class Pairs(NamedTuple):
    """Alike pairs as arrays, best first: similarity (rounded to 9 digits), i and j (i < j)."""

    values: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]


def _copies(texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each text's first copy (the distinct texts, in order) and each text's distinct number."""
    first: dict[str, int] = {}
    of = np.fromiter((first.setdefault(t, i) for i, t in enumerate(texts)), np.int64, len(texts))
    distinct = np.unique(of)
    return distinct, np.searchsorted(distinct, of)


def _distinct_pairs(
    matrix: sp.csr_matrix, index: sp.csr_matrix, threshold: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs u <= v of distinct rows that share enough uncommon stems and reach `threshold`."""
    found: list[tuple[npt.NDArray[Any], ...]] = []
    for start in range(0, index.shape[0], SCORE_ROWS):
        stop = min(start + SCORE_ROWS, index.shape[0])
        candidates = sp.coo_matrix(index[start:stop] @ index.T)
        rows, cols = candidates.row.astype(np.int64) + start, candidates.col.astype(np.int64)
        keep = (rows <= cols) & (candidates.data >= MIN_SHARED_STEMS)
        rows, cols = rows[keep], cols[keep]
        # The same product and sum, row for row, as scoring the copies themselves.
        values = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
        keep = values >= threshold
        found.append((values[keep], rows[keep], cols[keep]))
    if not found:
        return np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore[return-value]


def alike_pairs(matrix: sp.csr_matrix, texts: Sequence[str], threshold: float) -> Pairs:
    """Pairs of `vectors(texts)` that share two uncommon stems and reach `threshold`, best first.

    Identical texts have identical rows, so each distinct pair of texts is scored once and then
    spread over the copies: a large call repeats its phrasings, and this is where the time went.
    Ties are ordered by i, then j, as `similar_pairs` always did.
    """
    empty = np.zeros(0, np.int64)
    if len(texts) < 2:
        return Pairs(np.zeros(0), empty, empty)
    distinct, number = _copies(texts)
    index = _blocking_index(texts)  # over every copy: how common a stem is counts them all
    values, us, vs = _distinct_pairs(matrix[distinct], index[distinct], threshold)
    # Python's round, as before: numpy's can differ in the last digit.
    values = np.array([round(v, 9) for v in values.tolist()], dtype=np.float64)
    order = np.argsort(number, kind="stable")  # the copies of each text, in order
    counts = np.bincount(number, minlength=len(distinct))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sizes = counts[us] * counts[vs]
    pair = np.repeat(np.arange(len(us)), sizes)
    k = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    a = order[starts[us[pair]] + k // counts[vs[pair]]]
    b = order[starts[vs[pair]] + k % counts[vs[pair]]]
    keep = a != b
    keep &= (a < b) | (us[pair] != vs[pair])  # copies of one text: each pair once
    a, b, pair = a[keep], b[keep], pair[keep]
    rows, cols = np.minimum(a, b), np.maximum(a, b)
    # One integer key (value's rank, i, j) sorts faster than three keys.
    ranks = np.unique(-values, return_inverse=True)[1].astype(np.int64)[pair]
    by = np.argsort((ranks * len(texts) + rows) * len(texts) + cols, kind="stable")
    return Pairs(values[pair][by], rows[by], cols[by])


def similar_pairs(
    matrix: sp.csr_matrix, texts: Sequence[str], threshold: float, *, blocking: bool = True
) -> list[tuple[float, int, int]]:
    """Pairs (similarity, i, j), i < j, of `vectors(texts)` that reach `threshold`, best first.

    With `blocking` off every pair is scored: the baseline the benchmark compares against.
    The synthesis uses `alike_pairs`, the same pairs as arrays.
    """
    if blocking:
        found = alike_pairs(matrix, texts, threshold)
        return list(
            zip(found.values.tolist(), found.rows.tolist(), found.cols.tolist(), strict=True)
        )
    if len(texts) < 2:
        return []
    found_all: list[tuple[float, int, int]] = []
    for start in range(0, len(texts), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(texts))
        scores = sp.coo_matrix(matrix[start:stop] @ matrix.T)
        rows, cols, values = scores.row + start, scores.col, scores.data
        keep = (rows < cols) & (values >= threshold)
        found_all.extend(
            (round(float(v), 9), int(i), int(j))
            for v, i, j in zip(values[keep], rows[keep], cols[keep], strict=True)
        )
    found_all.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return found_all
