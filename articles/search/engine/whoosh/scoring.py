"""Whoosh's BM25F ranking, computed a posting block at a time with numpy.

For a query of terms and phrases joined by AND, OR and NOT, the scores are Whoosh's own, float
for float (the same operations in the same order); any other query is left to Whoosh (None).
Documents that do not match a term score 0: callers rank matching documents only.
"""

import numpy as np
from whoosh import query, scoring

from articles.search.engine.whoosh.matching import fast_phrase


def top_scored(docs: np.ndarray, scores: np.ndarray, top: int) -> tuple[list, dict]:
    """The ``top`` best of ``docs`` (ascending document numbers) by ``scores``: highest score
    first, ties to the lower document number, as Whoosh's collector orders them."""
    if top < len(docs):
        kth = np.partition(scores, len(scores) - top)[len(scores) - top]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(docs))
    order = candidates[np.lexsort((docs[candidates], -scores[candidates]))][:top]
    docnums = docs[order].tolist()
    return docnums, dict(zip(docnums, scores[order].tolist(), strict=True))


def bm25_scores(handle, searcher, parsed) -> np.ndarray | None:
    """Whoosh's BM25F score of every document for ``parsed``, or None when Whoosh must rank it."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F:
        return None
    schema = handle.schema
    if isinstance(parsed, query.Term):
        if parsed.fieldname not in schema or not schema[parsed.fieldname].scorable:
            return None
        return _term_scores(handle, searcher, weighting, parsed)
    if fast_phrase(schema, parsed):
        return _phrase_scores(handle, searcher, weighting, parsed)
    if type(parsed) in (query.And, query.Or) and getattr(parsed, "minmatch", 0) in (0, 1):
        return _compound_scores(handle, searcher, parsed)
    if isinstance(parsed, query.AndNot):
        return bm25_scores(handle, searcher, parsed.a)
    return None


def _compound_scores(handle, searcher, parsed) -> np.ndarray | None:
    # Whoosh adds up the scores of the subqueries a document matches.
    total = None
    for sub in parsed.subqueries:
        if isinstance(sub, query.Not):
            if isinstance(parsed, query.Or):
                return None
            # Whoosh's InverseMatcher scores 1.0 (the same for every match of the AND).
            sub_scores = 1.0
        else:
            sub_scores = bm25_scores(handle, searcher, sub)
        if sub_scores is None:
            return None
        total = sub_scores if total is None else total + sub_scores
    if not isinstance(total, np.ndarray):
        return None  # nothing but NOTs: Whoosh ranks it
    return total * parsed.boost if parsed.boost != 1 else total


def _term_scores(handle, searcher, weighting, term) -> np.ndarray | None:
    fieldname, text = term.fieldname, term.text
    docs, tf = handle.term_postings(fieldname, text)
    if tf is None:
        return None
    scores = np.zeros(handle.doc_count(), dtype=np.float64)
    if not len(docs):
        return scores
    # Whoosh's own scorer for the term gives its parameters and statistics (B per field).
    scorer = weighting.scorer(searcher, fieldname, text)
    B, K1, idf, avgfl = scorer.B, scorer.K1, scorer.idf, scorer.avgfl
    fl = handle.field_lengths(fieldname)[docs]
    tf = tf.astype(np.float64)
    # whoosh.scoring.bm25, operation by operation in the same order (the same floats).
    scores[docs] = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    return scores * term.boost if term.boost != 1 else scores


def _tree_sum(parts):
    # make_binary_tree's shape, so the floats add up in Whoosh's order.
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _phrase_scores(handle, searcher, weighting, phrase) -> np.ndarray | None:
    """A phrase scores as the AND of its words where it matches, 0 elsewhere: Whoosh's span
    matcher wraps a binary tree of its words' intersection matchers and scores as that."""
    if not handle.schema[phrase.fieldname].scorable:
        return None
    docs = handle.phrase_docs(phrase)
    if docs is None:
        return None
    word_scores = []
    for word in phrase.words:
        scores = _term_scores(handle, searcher, weighting, query.Term(phrase.fieldname, word))
        if scores is None:
            return None
        word_scores.append(scores)
    total = _tree_sum(word_scores)
    scores = np.zeros(handle.doc_count(), dtype=np.float64)
    scores[docs] = total[docs]
    return scores * phrase.boost if phrase.boost != 1 else scores
