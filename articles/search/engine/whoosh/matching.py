"""Which documents match a parsed Whoosh query, as boolean numpy masks, unscored.

Terms are read a posting block at a time into numpy arrays and the boolean operators become
array operations; phrases are matched from their words' positions (:mod:`.phrases`); other
queries (prefixes, ranges, fuzzy terms) go through Whoosh. ``*`` is every live document
(Whoosh's ``Every`` on a field reads every posting of it).
"""

import numpy as np
from whoosh import query

from articles.search.engine.whoosh.phrases import phrase_fits
from articles.search.engine.whoosh.schema import is_exact_fieldname


def fast_phrase(schema, parsed) -> bool:
    """A phrase ``SearcherHandle.phrase_docs`` matches exactly as Whoosh does."""
    if not isinstance(parsed, query.Phrase) or parsed.fieldname not in schema:
        return False
    return phrase_fits(schema[parsed.fieldname], parsed)


def fast_docs(schema, parsed) -> bool:
    """True when :func:`matching_docs` reads ``parsed`` from posting blocks only."""
    if isinstance(parsed, (query.Term, query.Every)) or parsed is query.NullQuery:
        return True
    if isinstance(parsed, query.Phrase):
        return fast_phrase(schema, parsed)
    if isinstance(parsed, query.AndNot):
        return fast_docs(schema, parsed.a) and fast_docs(schema, parsed.b)
    if isinstance(parsed, query.Not):
        return fast_docs(schema, parsed.query)
    if type(parsed) in (query.And, query.Or, query.DisjunctionMax):
        return getattr(parsed, "minmatch", 0) in (0, 1) and all(
            fast_docs(schema, sub) for sub in parsed.subqueries
        )
    return False


def _is_plain_or(parsed) -> bool:
    return (
        type(parsed) in (query.Or, query.DisjunctionMax)
        and getattr(parsed, "minmatch", 0) in (0, 1)
        and bool(parsed.subqueries)
    )


def _docs_mask(length, docs) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    mask[docs] = True
    return mask


def matching_docs(handle, searcher, parsed) -> np.ndarray:
    """A boolean mask of the live documents matching ``parsed``."""
    live = handle.live_docs()
    if isinstance(parsed, query.Every):
        return live.copy()
    if parsed is query.NullQuery:
        return np.zeros(len(live), dtype=bool)
    if isinstance(parsed, query.Term):
        return _docs_mask(len(live), handle.term_postings(parsed.fieldname, parsed.text)[0]) & live
    if isinstance(parsed, query.And) and parsed.subqueries:
        mask = matching_docs(handle, searcher, parsed.subqueries[0])
        for sub in parsed.subqueries[1:]:
            mask &= matching_docs(handle, searcher, sub)
        return mask
    if _is_plain_or(parsed):
        mask = np.zeros(len(live), dtype=bool)
        for sub in parsed.subqueries:
            mask |= matching_docs(handle, searcher, sub)
        return mask
    if isinstance(parsed, query.AndNot):
        return matching_docs(handle, searcher, parsed.a) & ~matching_docs(
            handle, searcher, parsed.b
        )
    if isinstance(parsed, query.Not):
        return live & ~matching_docs(handle, searcher, parsed.query)
    if fast_phrase(handle.schema, parsed):
        docs = handle.phrase_docs(parsed)
        if docs is not None:
            return _docs_mask(len(live), docs) & live
    return _docs_mask(len(live), np.fromiter(searcher.docs_for_query(parsed), dtype=np.int64))


def _exact_terms(schema, parsed) -> list | None:
    """The terms of a term, or of an OR of terms, on exact fields; None for anything else."""
    terms = [parsed] if isinstance(parsed, query.Term) else None
    if isinstance(parsed, query.Or):
        terms = list(parsed.subqueries)
    if terms is None or not all(
        isinstance(term, query.Term) and is_exact_fieldname(schema, term.fieldname)
        for term in terms
    ):
        return None
    return terms


def filter_docs(handle, searcher, parsed) -> np.ndarray:
    """A boolean mask of the documents matching a filter query; exact-field terms come from the
    handle's facet tables (no search)."""
    terms = _exact_terms(handle.schema, parsed)
    if terms is not None:
        mask = np.zeros(handle.doc_count(), dtype=bool)
        for term in terms:
            mask |= handle.docs_mask(term.fieldname, [term.text])
        return mask
    if isinstance(parsed, query.And) and parsed.subqueries:
        mask = filter_docs(handle, searcher, parsed.subqueries[0]).copy()
        for sub in parsed.subqueries[1:]:
            mask &= filter_docs(handle, searcher, sub)
        return mask
    if isinstance(parsed, query.Not):
        return handle.live_docs() & ~filter_docs(handle, searcher, parsed.query)
    return matching_docs(handle, searcher, parsed)
