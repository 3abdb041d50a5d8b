"""Step 2 of a search: the engine query, as Haystack's backend-neutral ``SQ`` objects.

The parsed query becomes one ``SQ`` tree (synonyms and prefix expansions included); the facet
selections and the date range become filters; ``searchqueryset`` puts them together in the
page's order.
"""

from __future__ import annotations

from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from articles.ingest.folding import fold_accents_and_case as fold
from articles.search.params import (
    FACETS,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_RELEVANCE,
    FacetSpec,
    SearchParams,
)
from articles.search.syntax import And, Not, Or, Phrase, Prefix, Term
from articles.search.vocabulary import Expansion, SynonymTable, analysed_key

ORDERING = {SORT_RELEVANCE: None, SORT_NEWEST: "-published_on", SORT_OLDEST: "published_on"}


def build_text_query(node, synonyms: SynonymTable, expanded=None) -> SQ | None:
    """The Haystack ``SQ`` tree for a parsed query; None when nothing is searchable.

    ``expanded`` maps a prefix to the index words it stands for (see
    :func:`articles.search.vocabulary.expansions`).
    """
    if node is None:
        return None
    if isinstance(node, Term | Phrase):
        return _text_sq(node.text, synonyms)
    if isinstance(node, Prefix):
        return _prefix_sq(node.text, (expanded or {}).get(node.text))
    if isinstance(node, Not):
        child = build_text_query(node.child, synonyms, expanded)
        return ~child if child is not None else None
    if isinstance(node, And):
        parts = [
            build_text_query(child, synonyms, expanded)
            for child in merge_synonym_runs(node, synonyms)
        ]
        return _combine([part for part in parts if part is not None], SQ.AND)
    if isinstance(node, Or):
        parts = [build_text_query(child, synonyms, expanded) for child in node.children]
        return _combine([part for part in parts if part is not None], SQ.OR)
    raise TypeError(f"unknown query node {node!r}")


def _prefix_sq(prefix: str, expansion: Expansion | None) -> SQ:
    """Any of the words the prefix expanded to (each with its inflections, as a typed word
    is), one per stem; the engine's own prefix query when it expands prefixes itself or when
    no written word starts so."""
    by_stem: dict[tuple[str, ...], str] = {}
    for word in expansion.words if expansion else ():
        by_stem.setdefault(analysed_key(word), word)
    parts = [_word_or_phrase_sq(word) for key, word in by_stem.items() if key]
    combined = _combine([part for part in parts if part is not None], SQ.OR)
    return combined if combined is not None else SQ(content__startswith=Clean(fold(prefix)))


def _text_sq(text: str, synonyms: SynonymTable) -> SQ | None:
    variants = synonyms.variants(text) or (text,)
    parts = [_word_or_phrase_sq(variant) for variant in variants]
    return _combine([part for part in parts if part is not None], SQ.OR)


def _word_or_phrase_sq(text: str) -> SQ | None:
    terms = analysed_key(text)
    if not terms:
        # Stop words only: nothing an index holds.
        return None
    # Lower case keeps a word from being read as an engine operator; ’ is never a quote.
    text = text.lower().replace("'", "’")
    if len(terms) == 1 and " " not in text:
        return SQ(content=Clean(text))
    # A compound (États-Unis, al-Baghdadi) or a phrase: its words, in this order.
    return SQ(content=Exact(text))


def merge_synonym_runs(node: And, synonyms: SynonymTable):
    """Consecutive words that spell a synonym (État islamique) are searched as that synonym."""
    children = list(node.children)
    merged = []
    i = 0
    while i < len(children):
        if isinstance(children[i], Term):
            for length in range(min(synonyms.longest, len(children) - i), 1, -1):
                run = children[i : i + length]
                if all(isinstance(child, Term) for child in run):
                    text = " ".join(child.text for child in run)
                    if synonyms.variants(text):
                        merged.append(Phrase(text))
                        i += length
                        break
            else:
                merged.append(children[i])
                i += 1
        else:
            merged.append(children[i])
            i += 1
    return merged


def _combine(parts: list[SQ], connector: str) -> SQ | None:
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if connector == SQ.AND else (combined | part)
    return combined


def _facet_filter(spec: FacetSpec, values, *, exclude: bool) -> SQ:
    if spec.key == "annee":
        values = [int(value) for value in values]
    condition = SQ(**{f"{spec.field}__in": list(values)})
    return ~condition if exclude else condition


def _filters(params: SearchParams, *, without: str | None = None) -> list[SQ]:
    """Filter queries for every active facet (except ``without``) and the date range."""
    filters = []
    for spec in FACETS:
        if spec.key == without:
            continue
        if params.selected.get(spec.key):
            filters.append(_facet_filter(spec, params.selected[spec.key], exclude=False))
        if params.excluded.get(spec.key):
            filters.append(_facet_filter(spec, params.excluded[spec.key], exclude=True))
    if params.date_from:
        filters.append(SQ(published_on__gte=params.date_from))
    if params.date_to:
        filters.append(SQ(published_on__lte=params.date_to))
    return filters


def searchqueryset(params: SearchParams, text: SQ | None, *, without: str | None = None):
    """The engine search for ``text`` under every filter of ``params`` (but facet ``without``'s,
    for that group's own counts), in the order ``params`` asks for."""
    sqs = SearchQuerySet()
    if text is not None:
        sqs = sqs.filter(text)
    for condition in _filters(params, without=without):
        sqs = sqs.narrow(condition)
    ordering = ORDERING[params.sort]
    if ordering:
        sqs = sqs.order_by(ordering)
    return sqs
