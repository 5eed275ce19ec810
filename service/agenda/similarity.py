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

import numpy as np
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
    from sklearn.feature_extraction.text import TfidfVectorizer

    stemmed = [" ".join(stems(t)) for t in texts]
    blocks = []
    for analyzer, weight in ((_identity, STEM_WEIGHT), (_grams, 1 - STEM_WEIGHT)):
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
