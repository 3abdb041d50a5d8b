"""Whether a new article is the same dispatch as an earlier one, republished with edits.

Articles are compared by their shingle signatures (sorted, distinct 64-bit hashes): the score
is the number of shingles two articles share over the smaller signature's size, counted
exactly for every candidate.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from articles.importing.candidates import CandidateSets, near_duplicate_candidates
from articles.importing.outcome import ImportResult, Outcome
from articles.ingest.shingles import signature, signature_from_bytes, signature_to_bytes
from articles.models import Article, ArticleFingerprint

# Above this word-shingle overlap, two articles are the same dispatch republished with edits.
NEAR_DUPLICATE_THRESHOLD = 0.6


class NearDuplicateIndex(CandidateSets):
    """What an import run compares new files with, kept from one file to the next: the
    candidate sets it has read, and the signatures of their articles.

    Signatures come from this run's own writes, else the fingerprint table, else (missing or
    older than the article) the article's text. Each is kept with the article's version
    (``updated_at``), so an article edited meanwhile is never compared by its old text.
    """

    max_signatures = 50_000

    def __init__(self) -> None:
        super().__init__()
        self._signatures: OrderedDict[int, tuple] = OrderedDict()

    def remember(self, article_id: int, version, hashes: np.ndarray) -> None:
        self._signatures[article_id] = (version, hashes)
        self._signatures.move_to_end(article_id)
        while len(self._signatures) > self.max_signatures:
            self._signatures.popitem(last=False)

    def signatures(self, rows: Sequence[tuple]) -> list[np.ndarray]:
        """The signature of each (id, updated_at) candidate, loading the missing ones at once."""
        missing = {
            pk: version
            for pk, version in rows
            if self._signatures.get(pk, (None,))[0] != version or version is None
        }
        if missing:
            stored = ArticleFingerprint.objects.filter(article_id__in=list(missing)).values_list(
                "article_id", "computed_for", "shingle_hashes"
            )
            for pk, computed_for, data in stored:
                if computed_for == missing[pk]:
                    self.remember(pk, computed_for, signature_from_bytes(data))
                    del missing[pk]
        if missing:
            self._cut_from_texts(missing)
        return [self._signatures[pk][1] for pk, _version in rows]

    def _cut_from_texts(self, missing: dict[int, object]) -> None:
        """Signatures cut from the articles' text, stored for the next run."""
        texts = Article.objects.filter(pk__in=list(missing)).values_list("pk", "body")
        computed = []
        for pk, body in texts:
            version, hashes = missing.pop(pk), signature(body)
            self.remember(pk, version, hashes)
            if version is not None:
                computed.append((pk, version, hashes))
        keep_fingerprints(computed)
        for pk, version in missing.items():  # deleted meanwhile: shares nothing
            self.remember(pk, version, np.zeros(0, dtype=np.uint64))


def shared_shingles(own: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """For each of ``others``, how many of ``own``'s hashes it holds (all sorted, distinct)."""
    if not len(own) or not others:
        return np.zeros(len(others), dtype=np.int64)
    hashes = np.concatenate(others)
    owners = np.repeat(np.arange(len(others)), [len(other) for other in others])
    return np.bincount(owners[np.isin(hashes, own)], minlength=len(others))


def best_twin(
    own: np.ndarray, rows: list[tuple], *, index: NearDuplicateIndex
) -> tuple[Article | None, float]:
    """The candidate (of ``rows``, oldest first) sharing the most shingles with ``own`` if at
    least the threshold, and the best share; ties go to the oldest."""
    if not rows:
        return None, 0.0
    others = index.signatures(rows)
    shared = shared_shingles(own, others)
    smaller = np.minimum(len(own), [len(other) for other in others])
    scores = np.zeros(len(rows), dtype=np.float64)
    np.divide(shared, smaller, out=scores, where=smaller > 0)
    best = int(np.argmax(scores))
    if scores[best] <= 0.0:
        return None, 0.0
    score = int(shared[best]) / int(smaller[best])
    if score >= NEAR_DUPLICATE_THRESHOLD:
        return Article.objects.only("id", "title", "body").get(pk=rows[best][0]), score
    return None, score


def find_near_duplicate(
    article: Article,
    *,
    meeting_ids: Sequence[int] | None = None,
    own: np.ndarray | None = None,
    index: NearDuplicateIndex | None = None,
) -> tuple[Article | None, float]:
    """The earlier article sharing the most shingles with this one, if at least the threshold.

    Ties go to the oldest candidate; the score is shared shingles over the smaller set.
    """
    if meeting_ids is None:
        meeting_ids = list(article.meeting_links.values_list("meeting_id", flat=True))
    if own is None:
        own = signature(article.body)
    index = index if index is not None else NearDuplicateIndex()
    _key, rows = near_duplicate_candidates(article, meeting_ids, index=index)
    return best_twin(own, rows, index=index)


def flag_near_duplicate(
    article: Article, twin: Article, shared: float, *, filename: str
) -> ImportResult:
    article.near_duplicate_of = twin
    article.near_duplicate_similarity = round(shared, 3)
    article.save(update_fields=["near_duplicate_of", "near_duplicate_similarity"])
    return ImportResult(
        filename,
        Outcome.DUPLICATE,
        f"near-duplicate of « {twin.title} » ({shared:.0%} shared)",
        article,
        duplicate_of=twin,
    )


def keep_fingerprints(computed: list[tuple]) -> None:
    """Store these (article id, version, signature), in one statement: new or revised
    articles, or signatures cut from the text (articles saved before fingerprints were kept, or
    edited since), so the next run reads them instead of cutting them again."""
    if not computed:
        return
    # In article order: two runs storing the same signatures lock their rows in one order.
    ArticleFingerprint.objects.bulk_create(
        [
            ArticleFingerprint(
                article_id=pk, shingle_hashes=signature_to_bytes(hashes), computed_for=version
            )
            for pk, version, hashes in sorted(computed, key=lambda item: item[0])
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["shingle_hashes", "computed_for"],
    )
