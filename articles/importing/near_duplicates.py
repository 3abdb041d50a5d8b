"""Whether a new article is the same dispatch as an earlier one, republished with edits.

Articles are compared by their shingle signatures (sorted, distinct 64-bit hashes): the score
is the number of shingles two articles share over the smaller signature's size, counted
exactly for every candidate. The signatures of a candidate set are kept merged into one sorted
array (a bank), so that a new file's count against all the candidates is one binary search
per shingle of the new file instead of a pass over every candidate's hashes (the numbers are in
docs/benchmarks.md).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from articles.importing.candidates import CandidateSets
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
        self._banks: OrderedDict[tuple, SignatureBank] = OrderedDict()

    def bank(self, key, rows: list[tuple]) -> SignatureBank:
        """The bank of the candidate set ``key`` holding ``rows``: the kept one, grown by the
        rows added since, or (the set changed otherwise) built again."""
        bank = self._banks.pop(key, None)
        if bank is None or bank.rows != rows[: len(bank.rows)]:
            bank = SignatureBank()
        if len(bank.rows) < len(rows):
            added = rows[len(bank.rows) :]
            bank.extend(added, self.signatures(added))
        self._banks[key] = bank
        while len(self._banks) > self.max_sets:
            self._banks.popitem(last=False)
        return bank

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


class SignatureBank:
    """The signatures of one candidate set, merged into one sorted array of hashes, each with
    its owner (the candidate's position in ``rows``). A set grows as the run writes its own
    articles: their hashes are inserted in place, without sorting the whole array again."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.sizes = np.zeros(0, dtype=np.int64)
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.owners = np.zeros(0, dtype=np.int32)

    def extend(self, rows: list[tuple], signatures: list[np.ndarray]) -> None:
        first = len(self.rows)
        sizes = np.array([len(each) for each in signatures], dtype=np.int64)
        hashes = np.concatenate(signatures) if signatures else np.zeros(0, dtype=np.uint64)
        owners = np.repeat(np.arange(first, first + len(rows), dtype=np.int32), sizes)
        order = np.argsort(hashes, kind="stable")
        hashes, owners = hashes[order], owners[order]
        at = np.searchsorted(self.hashes, hashes, side="right")
        self.hashes = np.insert(self.hashes, at, hashes)
        self.owners = np.insert(self.owners, at, owners)
        self.sizes = np.concatenate([self.sizes, sizes])
        self.rows.extend(rows)

    def shared(self, own: np.ndarray) -> np.ndarray:
        """For each candidate, how many of ``own``'s (distinct) hashes it holds."""
        low = np.searchsorted(self.hashes, own, side="left")
        high = np.searchsorted(self.hashes, own, side="right")
        runs = high - low
        total = int(runs.sum())
        # The positions low..high-1 of every hash of ``own`` found, as one array.
        run_starts = np.cumsum(runs) - runs
        held_by = self.owners[np.repeat(low - run_starts, runs) + np.arange(total)]
        return np.bincount(held_by, minlength=len(self.rows))


def best_twin(
    own: np.ndarray, rows: list[tuple], key, *, index: NearDuplicateIndex
) -> tuple[Article | None, float]:
    """The candidate (of ``rows``, the set ``key`` names, oldest first) sharing the most
    shingles with ``own`` if at least the threshold, and the best share; ties go to the
    oldest."""
    if not rows:
        return None, 0.0
    bank = index.bank(key, rows)
    shared = bank.shared(own)
    smaller = np.minimum(len(own), bank.sizes)
    scores = np.zeros(len(rows), dtype=np.float64)
    np.divide(shared, smaller, out=scores, where=smaller > 0)
    best = int(np.argmax(scores))
    if scores[best] <= 0.0:
        return None, 0.0
    score = int(shared[best]) / int(smaller[best])
    if score >= NEAR_DUPLICATE_THRESHOLD:
        return Article.objects.only("id", "title", "body").get(pk=rows[best][0]), score
    return None, score


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
